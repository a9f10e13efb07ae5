"""Check Point Quantum / CloudGuard security gateways (R77.30 to R81.x): logs exported as
syslog.

Three spellings of the same ``key``/value fields, recognised per line:

- Log Exporter, ``syslog`` format (R80.10 and later, the default): an RFC 5424 header,
  then ``[key:"value"; key:"value"; …]`` (``cp_log_export add … format syslog``);
- the same exporter writing RFC 5424 structured data, ``[Fields@1.3.6.1.4.1.2620
  key="value" …]``;
- the legacy export of ``fw log`` / OPSEC LEA through syslog: ``Checkpoint: 3Sep2007
  15:10:28 accept 192.168.99.1 >eth2 rule: 9; src: 200.14.120.9; dst: …; service: 53;``.

Fields are documented in Check Point's "Log Exporter" guide (sk122323) and the "Log Fields
Description" reference (sk144192, R8x; ``src``, ``dst``, ``action``, ``service``,
``service_id``, ``src_user_name``, ``user``, ``resource``, ``client_inbound_bytes``…).
Check Point's CEF export is not read (no sample of it was found).

Time: the record's ``time`` (epoch seconds) when present, else the legacy record's date
(the gateway's wall clock, read in the configured time zone), else the syslog header
(RFC 5424, with its offset; one exporter writes ``--5:00`` for ``-05:00``).

Events (counting unit: firewall session): records with a connection (``src``): firewall
(one per connection, at its start), URL Filtering and Application Control (one per
request or application session; they repeat a connection that the firewall blade may
also log), Threat Prevention. ``Log Update`` records (accounting updates of a connection
already logged) and records without source and destination (System Monitor, database
updates…) are ``not an event``.

Destination host: the host of ``resource`` (the URL of URL Filtering, Anti-Bot…), else
``dst``. User: ``src_user_name``, else ``user``; ``Full Name (login)`` gives ``login``.
Bytes: ``client_inbound_bytes`` (from the client) and ``client_outbound_bytes`` (to it).
``action`` ``Drop``/``Reject``/``Block``/``Prevent``/``Redirect`` (to a UserCheck page)
mean blocked; ``Accept``/``Allow``/``Detect``/``Inform``/``Ask`` or none mean allowed.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    LINE,
    canonical,
    epoch_to_utc,
    is_empty,
    local_to_utc,
    null_if,
    reject_first,
    unquote_any,
    url_authority,
    with_header_time,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r"^.*?(?:\[Fields@1\.3\.6\.1\.4\.1\.2620\s"
    r"|\[(?:action|flags|loguid|origin|product|time):\""
    r"|\bCheck ?[Pp]oint:\s+\d{1,2}[A-Z][a-z]{2}\d{4} \d{2}:\d{2}:\d{2}\s)")
_SEP = "\x1f"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
# key="v" | key:"v" | key: v;  (the legacy value stops at ";" and holds no ">" or quote,
# so the legacy header "Checkpoint: 3Sep2007 … >eth2 " is not taken for a pair)
_PAIR = rf'[\w.-]+(?:={_QUOTED}|:{_QUOTED}|: [^;>"]*;)'
_LEGACY = r"\bCheck ?[Pp]oint:\s+(\d{1,2}[A-Z][a-z]{2}\d{4} \d{2}:\d{2}:\d{2})\s+(\w+)"
_KEYS = ("time", "action", "src", "dst", "user", "src_user_name", "resource", "service",
         "service_id", "svc", "product", "ProductName", "client_inbound_bytes",
         "client_outbound_bytes")
_BLOCKED = ("drop", "reject", "block", "prevent", "redirect", "deny")


def _login(user: pl.Expr) -> pl.Expr:
    """``John Doe (jdoe)`` -> ``jdoe``; anything else unchanged."""
    return pl.coalesce(user.str.extract(r"^.+ \(([^()\s]+)\)$", 1), user)


class CheckPoint:
    name = "checkpoint"
    description = "Check Point Log Exporter syslog (key:\"value\" or Fields@) and legacy fw log"
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        pairs = LINE.str.extract_all(_PAIR)
        f = frame.with_columns((pl.lit(_SEP) + pairs.list.join(_SEP)).alias("_kv"),
                               LINE.str.extract_groups(_LEGACY).alias("_legacy"))
        value = rf"(?:=|: ?)({_QUOTED}|[^;{_SEP}]*)"
        f = f.with_columns(pl.col("_kv").str.extract(rf"{_SEP}{k}{value}", 1).alias(f"_{k}")
                           for k in _KEYS)
        f = f.with_columns(null_if(unquote_any(pl.col(f"_{k}")).str.strip_chars()).alias(f"_{k}")
                           for k in _KEYS)
        f = with_header_time(f, LINE.str.extract(r"^([^\[]*)", 1), timezone, "_header_ts")
        c = {k: pl.col(f"_{k}") for k in _KEYS}
        legacy_time = local_to_utc(pl.col("_legacy").struct.field("1").str.strptime(
            pl.Datetime("us"), "%d%b%Y %H:%M:%S", strict=False), timezone)
        ts = pl.coalesce(epoch_to_utc(c["time"].cast(pl.Float64, strict=False)), legacy_time,
                         pl.col("_header_ts"))
        action = pl.coalesce(c["action"], pl.col("_legacy").struct.field("2")).str.to_lowercase()
        product = pl.coalesce(c["product"], c["ProductName"])
        f = f.with_columns(ts.alias("_ts"), action.alias("_action"), product.alias("_product"))
        reject = reject_first([
            (is_empty(), "empty line"),
            (pl.col("_kv") == _SEP, "not a check point log line"),
            (c["src"].is_null() & c["dst"].is_null(), "not an event: no connection"),
            (pl.col("_product") == "Log Update", "not an event: log update"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (c["src"].is_null(), "no source address"),
        ])
        blocked = pl.col("_action").is_in(_BLOCKED).fill_null(False)
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=_login(pl.coalesce(c["src_user_name"], c["user"])),
            client_ip=c["src"],
            host=pl.coalesce(url_authority(c["resource"]), c["dst"]),
            method=pl.coalesce(c["service_id"], c["service"], c["svc"]),
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["client_inbound_bytes"],
            bytes_down=c["client_outbound_bytes"],
        )


register(CheckPoint())
