"""Cisco Secure Web Appliance (WSA, ex-IronPort S-Series, AsyncOS 7.x to 15.x) access log
in its default "Squid" style: the ten Squid native fields, then the ACL decision tag and
the web-reputation/anti-malware verdicts between angle brackets::

    1791443702.123 97 10.1.0.10 TCP_MISS/200 8187 GET https://chatgpt.com/ jdupont
    DIRECT/chatgpt.com text/html DEFAULT_CASE_12-DefaultGroup-NONE-NONE-NONE-DefaultGroup
    <IW_aigen,7.3,...> -

Documented in the AsyncOS "User Guide for Cisco Secure Web Appliance", chapter "Monitor
System Activity Through Logs" ("Access Log File" and "ACL Decision Tags"). The W3C form of
the same logs is read by the ``w3c`` format.

One line per request or tunnel (counting unit: proxy request). Blocked: an ACL decision
tag starting ``BLOCK`` or ``DROP``, a ``TCP_DENIED`` result, or status 403.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import NULL_STR, canonical, epoch_to_utc, null_if
from shadowai.schema import ALLOWED, BLOCKED

_LINE = (r"^(\d{9,11}\.\d{1,6})\s+(-?\d+) (\S+) ([A-Z_]+)/(\d{3}) (\d+) (\S+) (\S+) (\S+) "
         r"(\S+)/(\S+) (\S+) ([A-Z]\S*) <(.*)>")
_SIGNATURE = re.compile(_LINE)


class CiscoWsa:
    name = "cisco-wsa"
    description = "Cisco Secure Web Appliance (IronPort WSA) Squid-style access log"
    unit = "proxy request"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        g = pl.col("line").str.extract_groups(_LINE)
        f = frame.with_columns(g.alias("_g")).unnest("_g")
        # groups: 1 time, 2 elapsed, 3 client, 4 result code, 5 status, 6 bytes, 7 method,
        # 8 URL, 9 user, 10 hierarchy, 11 peer, 12 MIME type, 13 ACL tag, 14 verdicts
        url, method, acl = pl.col("8"), pl.col("7"), pl.col("13")
        host = (pl.when(method == "CONNECT").then(url)
                .when(url.str.contains("://", literal=True))
                .then(url.str.split_exact("://", 1).struct.field("field_1")
                      .str.split_exact("/", 1).struct.field("field_0"))
                .otherwise(NULL_STR))
        status = pl.col("5").cast(pl.Int32, strict=False)
        refused = (acl.str.starts_with("BLOCK") | acl.str.starts_with("DROP")
                   | pl.col("4").str.contains("DENIED", literal=True) | (status == 403))
        f = f.with_columns(epoch_to_utc(pl.col("1").cast(pl.Float64, strict=False))
                           .alias("_ts"))
        reject = reject_when([
            (pl.col("line").is_null(), "empty line"),
            (pl.col("1").is_null(), "not a wsa access log line"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject, ts=pl.col("_ts"), user=null_if(pl.col("9")), client_ip=pl.col("3"),
            host=host, method=method, status=status,
            action=pl.when(refused).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_down=pl.col("6").cast(pl.Int64, strict=False))


register(CiscoWsa())
