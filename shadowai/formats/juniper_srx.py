"""Juniper SRX firewalls (Junos OS 12.1X to 23.x): security flow and UTM logs sent over
syslog, in either of Junos' two spellings, recognised per line:

- structured (``set system syslog … structured-data``, or ``security log format sd-syslog``):
  RFC 5424, ``<14>1 2019-11-14T09:37:51.184+01:00 SRX RT_FLOW - RT_FLOW_SESSION_CLOSE
  [junos@2636.1.1.1.2.129 source-address="…" destination-address="…" … username="…"]``;
- plain text (the default): ``<14>Jun 17 16:49:31 SRX RT_FLOW: RT_FLOW_SESSION_CLOSE:
  session closed TCP FIN: 10.1.0.10/52000->203.0.113.40/443 0x0 junos-https …
  10(550) 9(709) … user(roles) interface …`` and ``RT_UTM: WEBFILTER_URL_BLOCKED:
  WebFilter: ACTION="URL Blocked" 10.1.0.10(52000)->203.0.113.40(443) … URL=host OBJ=/path
  username jdoe roles N/A``.

Documented in the Junos "System Log Explorer" (juniper.net, one entry per message tag with
its fields: RT_FLOW_SESSION_CREATE/CLOSE/DENY, WEBFILTER_URL_PERMITTED/BLOCKED) and
"Information Provided in Session Log Entries for SRX Series" (the field tables). The
plain-text fields after the addresses moved between releases (connection tags ``0x0``, NAT
rule types), so only the stable ones are read: the addresses, the service that follows
them, the first ``packets(bytes) packets(bytes)`` pair and the first ``user(roles)``.

Time: the RFC 5424 time stamp (with its offset; without one, local time), else the RFC 3164
header ``Mmm dd HH:MM:SS`` (year inferred from the file's date).

Events (counting unit: firewall session):

- ``RT_FLOW_SESSION_CLOSE``: one per session, at its end, with ``bytes-from-client`` (up)
  and ``bytes-from-server`` (down). ``RT_FLOW_SESSION_CREATE`` is ``not an event``: a policy
  logging ``session-init`` and ``session-close`` writes both for the same session, and the
  close has the bytes (``session-close`` is the usual choice when only one is logged).
- ``RT_FLOW_SESSION_DENY``: a connection refused by policy: blocked.
- ``WEBFILTER_URL_PERMITTED`` / ``WEBFILTER_URL_BLOCKED`` (UTM web filtering): one per web
  request, destination host from ``url`` (a host name). The request's session is also in
  the flow log, as FortiGate's UTM logs repeat its traffic logs.

Every other tag is ``not an event`` (``APPTRACK_SESSION_*``, which repeat flow sessions for
AppTrack; antivirus, content filtering, IDP, screen, system messages). Destination host of
flow sessions: the destination address. ``username``/``roles`` ``N/A`` is no user; ``_LS``
(logical system) variants of the tags read as the tags.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    LINE,
    NULL_STR,
    canonical,
    is_empty,
    kv_columns,
    null_if,
    reject_first,
    with_header_time,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r"^.*?(?:\[junos@[\d.]+\s|\bRT_[A-Z]+(?: -|:) [A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?: \[|:))")
# the message tag, then " [" (structured) or ":" (plain, after the process tag "RT_FLOW: ")
_TAG = r"^(.*?)\b(?:RT_[A-Z]+: )?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?: \[|:)"
_FLOW = (r"session (?:created|closed[^:]*:|denied) (\S+?)/(\d+)->(\S+?)/(\d+)"
         r"(?: 0x\w+)? (\S+)")
_UTM = r"\s(\S+?)\((\d+)\)->(\S+?)\((\d+)\)"
_BYTES = r"\s\d+\((\d+)\) \d+\((\d+)\)(?:\s|$)"
_PLAIN_USER = r"\s([^\s()\d][^\s()]*)\([^\s()]*\)(?:\s|$)|\susername (\S+)"
_KEYS = ["source-address", "destination-address", "service-name", "username",
         "bytes-from-client", "bytes-from-server", "url", "URL", "USERNAME"]
_COUNTED = {
    "RT_FLOW_SESSION_CLOSE": False, "RT_FLOW_SESSION_DENY": True,
    "WEBFILTER_URL_PERMITTED": False, "WEBFILTER_URL_BLOCKED": True,
}
_NO_VALUE = ("N/A", "None", "UNKNOWN")


class JuniperSrx:
    name = "juniper-srx"
    description = "Juniper SRX flow session and UTM web filter logs (structured or plain syslog)"
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = kv_columns(frame, _KEYS).with_columns(
            LINE.str.extract_groups(_TAG).alias("_tagged"),
            LINE.str.extract_groups(_FLOW).alias("_flow"),
            LINE.str.extract_groups(_UTM).alias("_utm"),
            LINE.str.extract_groups(_BYTES).alias("_bytes"),
            LINE.str.extract_groups(_PLAIN_USER).alias("_puser"),
        )
        tag = pl.col("_tagged").struct.field("2").str.strip_suffix("_LS")

        def g(name: str, i: int) -> pl.Expr:
            return pl.col(name).struct.field(str(i))

        def kv(key: str) -> pl.Expr:
            return null_if(pl.col(f"_{key}"), *_NO_VALUE)

        f = with_header_time(f, g("_tagged", 1), timezone).with_columns(
            tag.alias("_tag"),
            pl.coalesce(kv("source-address"), g("_flow", 1), g("_utm", 1)).alias("_src"),
            pl.coalesce(kv("destination-address"), g("_flow", 3), g("_utm", 3)).alias("_dst"),
        )
        tag = pl.col("_tag")
        web = tag.str.starts_with("WEBFILTER_URL_")
        blocked = tag.replace_strict(_COUNTED, default=False, return_dtype=pl.Boolean)
        plain_user = pl.coalesce(g("_puser", 1), g("_puser", 2))
        user = null_if(pl.when(pl.col("_username").is_not_null()).then(pl.col("_username"))
                       .otherwise(pl.coalesce(pl.col("_USERNAME"), plain_user)), *_NO_VALUE)
        reject = reject_first([
            (is_empty(), "empty line"),
            (tag.is_null(), "not a juniper srx log line"),
            (tag == "RT_FLOW_SESSION_CREATE", "not an event: session create"),
            (~tag.is_in(list(_COUNTED)), pl.lit("not an event: ") + tag),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (pl.col("_src").is_null(), "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=user,
            client_ip=pl.col("_src"),
            host=pl.when(web).then(pl.coalesce(kv("url"), kv("URL"), pl.col("_dst")))
            .otherwise(pl.col("_dst")),
            method=pl.coalesce(kv("service-name"), null_if(g("_flow", 5), *_NO_VALUE)),
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=pl.when(web).then(NULL_STR).otherwise(
                pl.coalesce(kv("bytes-from-client"), g("_bytes", 1))),
            bytes_down=pl.when(web).then(NULL_STR).otherwise(
                pl.coalesce(kv("bytes-from-server"), g("_bytes", 2))),
        )


register(JuniperSrx())
