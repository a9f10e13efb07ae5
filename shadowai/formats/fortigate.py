"""Fortinet FortiGate (FortiOS 5.6 to 7.6) logs sent over syslog in the default
``key=value`` format.

A line is ``[<pri>][syslog header ]date=2026-10-08 time=09:15:02 [devname=…] logid="…"
type="traffic|utm|event" subtype="…" … key=value|key="quoted value"``. Documented in the
"FortiOS Log Message Reference" (docs.fortinet.com, one page per log ID with its fields)
and "FortiOS Log Types and Subtypes".

``date``/``time`` are the device's wall clock. When the line carries ``tz="+0200"``
(FortiOS 6.2 and later, when configured) that offset is used; otherwise the time is read
in the configured time zone (in the autumn overlap, the earliest instant). ``eventtime``
is not used: it is in seconds on some versions and nanoseconds on others.

Events (counting unit: firewall log record): ``traffic`` logs (forward, local, sniffer,
multicast: one per session) and ``utm`` logs (webfilter, app-ctrl, dns, ssl, virus, ips,
dlp…: one per request or detection). A session filtered by a UTM profile therefore
appears in several records; that is how FortiGate counts too. Destination host:
``hostname`` (web filter, application control), else ``qname`` (DNS filter), else the host
of an absolute ``url``, else ``dstname``, else ``dstip``. ``event`` logs (system, user,
vpn, ha…) are ``not an event``.

``action`` ``deny``/``block``/``blocked``/``dropped``/``reset``/``redirect`` (the DNS filter
redirects blocked names to its portal), or ``utmaction`` ``block``/``reset``, mean blocked;
``accept``, ``close``, ``timeout``, ``server-rst``/``client-rst`` (the session was allowed and
then closed), ``pass``, ``passthrough``… mean allowed.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    canonical,
    ipv4_without_port,
    is_empty,
    local_to_utc,
    null_if,
    unquote,
    url_host,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r'^.*?(?:^|[\s>])date=\d{4}-\d{2}-\d{2}\s+time=\d{1,2}:\d{2}:\d{2}\b.*\slogid="?\d{10}"?')
_BLOCKED = ("deny", "block", "blocked", "dropped", "drop", "reset", "reset-client",
            "reset-server", "redirect")
_UTM_BLOCKED = ("block", "blocked", "reset")
_NO_VALUE = ("N/A", "n/a")


def _raw(key: str) -> pl.Expr:
    """The text after ``key=``: a double-quoted string (may hold spaces and ``\\"``) or a
    run of non-spaces. A key starts the line or follows a space or the ``<pri>`` of syslog,
    so ``user=`` does not match inside ``unauthuser=``."""
    return LINE.str.extract(rf'(?:^|[\s>]){key}=("(?:[^"\\]|\\.)*"|\S*)', 1)


def _clean(raw: pl.Expr) -> pl.Expr:
    """Quotes and escapes removed; null when empty, ``-`` or ``N/A``."""
    unescaped = unquote(raw).str.replace_all(r'\\(["\\])', "$1")
    return null_if(pl.when(raw.str.starts_with('"')).then(unescaped).otherwise(raw),
                   *_NO_VALUE)


class FortiGate:
    name = "fortigate"
    description = "FortiGate key=value syslog (traffic, UTM web filter, DNS filter…)"
    unit = "firewall log record"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        keys = ("date", "time", "tz", "type", "srcip", "user", "unauthuser", "hostname",
                "qname", "url", "dstname", "dstip", "action", "utmaction", "service",
                "sentbyte", "rcvdbyte")
        # One regular expression per key, each run once: the values are materialised before
        # the expressions that use them several times.
        f = frame.with_columns(_raw(k).alias(f"_raw_{k}") for k in keys)
        f = f.with_columns(_clean(pl.col(f"_raw_{k}")).alias(f"_{k}") for k in keys)
        c = {k: pl.col(f"_{k}") for k in keys}
        wall = pl.concat_str([c["date"], c["time"]], separator=" ")
        offset = c["tz"].str.extract(r"^([+-]\d{4})$", 1)
        with_offset = pl.concat_str([wall, offset], separator=" ").str.strptime(
            pl.Datetime("us", "UTC"), "%Y-%m-%d %H:%M:%S %z", strict=False)
        local = local_to_utc(wall.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S",
                                               strict=False), timezone)
        ts = pl.when(offset.is_not_null()).then(with_offset).otherwise(local)
        host = pl.coalesce(c["hostname"], c["qname"], url_host(c["url"]), c["dstname"],
                           c["dstip"])
        blocked = (c["action"].str.to_lowercase().is_in(_BLOCKED).fill_null(False)
                   | c["utmaction"].str.to_lowercase().is_in(_UTM_BLOCKED).fill_null(False))
        f = f.with_columns(ts.alias("_ts"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (c["date"].is_null() | c["time"].is_null() | c["type"].is_null(),
             "not a fortigate log line"),
            (c["type"] == "event", "not an event: event log"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (c["srcip"].is_null() & c["user"].is_null(), "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=pl.coalesce(c["user"], c["unauthuser"]),
            client_ip=ipv4_without_port(c["srcip"]),
            host=host,
            method=c["service"],
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["sentbyte"],
            bytes_down=c["rcvdbyte"],
        )


register(FortiGate())
