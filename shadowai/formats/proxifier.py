"""Proxifier (Initex; Proxifier 2.x to 4.x for Windows and macOS) connection log.

Proxifier runs on the desktop and pushes every application's connections through a proxy;
its log (the "Connections" window saved to a file, ``Log.txt`` with "Log to file") has one
line per connection event:

    [10.30 16:49:06] chrome.exe - chatgpt.com:443 open through proxy proxy.corp:5070 HTTPS
    [10.30 16:49:08] chrome.exe *64 - chatgpt.com:443 close, 1190 bytes (1.16 KB) sent,
        1671 bytes (1.63 KB) received, lifetime 00:02
    [10.30 17:16:10] QQ.exe - qq.com:80 error : Could not connect through proxy
        proxy.corp:5070 - Proxy server cannot establish a connection with the target,
        status code 403

(``*64``: a 64-bit process.) Described in the Proxifier documentation ("Log", "Traffic
and connections", proxifier.com/docs) and seen in the loghub ``Proxifier`` data set.

The time ``[MM.DD HH:MM:SS]`` is the desktop's local time without a year: the year is
inferred from the file's reference time, like a syslog header. There is no client
address and no user: Proxifier logs one person's machine, so the whole file is one
person whom the file itself does not name (``user`` and ``client_ip`` are null). The
application (``chrome.exe``) is not a person and is not used.

Events (counting unit: connection): a connection is logged when it opens and when it
closes; the ``close`` line carries the byte counts (``sent``: up, ``received``: down), so
it is the event and ``open`` lines are ``not an event``. An ``error`` where the proxy
refused the target (``status code 403``) is a blocked attempt; other errors (the proxy
unreachable, the request cancelled) made no connection: ``not an event``.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import LINE, canonical, is_empty
from shadowai.formats._syslog import MONTHS, syslog_to_utc
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r"^\[\d{2}\.\d{2} \d{2}:\d{2}:\d{2}\] \S.*? - \S+ (?:open|close|error)\b")
_LINE = (r"^\[(\d{2})\.(\d{2}) (\d{2}:\d{2}:\d{2})\] (.+?)(?: \*64)? - (\S+) "
         r"(open|close|error)\b(.*)$")


def _bytes(rest: pl.Expr, direction: str) -> pl.Expr:
    """``1190 bytes (1.16 KB) sent`` -> 1190: the exact count is always first."""
    return rest.str.extract(rf"(\d+) bytes(?: \([^)]*\))? {direction}", 1)


class Proxifier:
    name = "proxifier"
    description = "Proxifier desktop connection log (open/close/error per connection)"
    unit = "connection"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        g = LINE.str.extract_groups(_LINE)
        f = frame.with_columns(g.alias("_g")).unnest("_g")
        month, day, clock, target, kind, rest = (pl.col(str(i)) for i in (1, 2, 3, 5, 6, 7))
        name = month.cast(pl.Int32, strict=False).replace_strict(
            dict(enumerate(MONTHS, start=1)), default=None, return_dtype=pl.String)
        stamp = pl.concat_str([name, day, clock], separator=" ")
        status = rest.str.extract(r"status code (\d{3})", 1).cast(pl.Int32, strict=False)
        f = f.with_columns(syslog_to_utc(stamp, timezone).alias("_ts"), status.alias("_status"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (kind.is_null(), "not a proxifier log line"),
            (kind == "open", "not an event: connection opened (counted when it closes)"),
            ((kind == "error") & pl.col("_status").is_null(),
             "not an event: connection failed before reaching the target"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            host=target,
            method=rest.str.extract(r"^ through proxy \S+ (\S+)", 1),
            status=pl.col("_status"),
            action=pl.when(pl.col("_status") == 403).then(pl.lit(BLOCKED))
            .otherwise(pl.lit(ALLOWED)),
            bytes_up=_bytes(rest, "sent"),
            bytes_down=_bytes(rest, "received"),
        )


register(Proxifier())
