"""NLnet Labs Unbound (1.x) query and reply log (``log-queries: yes``,
``log-replies: yes``), in its own log file or over syslog (pfSense/OPNsense resolver).

    [1795424400] unbound[1234:0] info: 10.1.2.3 chatgpt.com. A IN
    [1795424400] unbound[1234:0] info: 10.1.2.3 chatgpt.com. A IN NOERROR 0.012000 0 56
    <30>Aug 15 16:19:02 unbound[26931]: [26931:0] info: 192.168.1.1 example.org. A IN
    2014-07-14T14:00:02.814490-04:00 host unbound: [2541:0] info: 127.0.0.1 a.example. A IN

Documented in ``unbound.conf(5)``: ``log-queries`` prints one line per query (client
address, name, type, class); ``log-replies`` one line per reply, adding the return code,
the time to resolve, whether it came from the cache and the response size;
``log-time-ascii`` replaces the ``[epoch]`` with ``Mmm dd HH:MM:SS`` (local).

Time: ``[epoch]`` (UTC), else the syslog or ASCII time at the start of the line (local,
year from the file; ISO 8601 with an offset is exact). Events (counting unit: DNS lookup):
query lines. Reply lines repeat the lookup when queries are logged too; a block that has
no query line at all (only ``log-replies`` is on) counts its reply lines instead, with the
return code as status (0 NOERROR, 3 NXDOMAIN…). Every other message (statistics,
``notice``/``error`` lines, verbose resolution traces) is ``not an event``. No user; all
lookups are ``allowed`` (a ``local-zone`` refusal shows as an ordinary reply).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    canonical,
    epoch_to_utc,
    is_empty,
    syslog_header_to_utc,
)
from shadowai.formats.bind import RCODES
from shadowai.schema import ALLOWED

_SIGNATURE = re.compile(
    r"^.*?\bunbound(?:\[\d+(?::\d+)?\])?:? (?:\[\d+:\d+\] )?"
    r"(?:info|notice|debug|error|warning|query|reply):")
_LOOKUP = (r"\b(?:info|query|reply): ([0-9A-Fa-f:.]+(?:%\w+)?) (\S+) ([A-Z][A-Z0-9]*) "
           r"(IN|CH|HS|NONE|ANY|CLASS\d+)(?: ([A-Z]+) (\d+\.\d+) ([01]) (\d+))?\s*$")


class Unbound:
    name = "unbound"
    description = "Unbound log-queries / log-replies (file or syslog)"
    unit = "DNS lookup"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        g = LINE.str.extract_groups(_LOOKUP)
        f = frame.with_columns(g.alias("_g")).unnest("_g")
        client, name, qtype, _klass, rcode = (pl.col(str(i)) for i in range(1, 6))
        is_reply = rcode.is_not_null()
        is_query = name.is_not_null() & ~is_reply
        # Replies count only where no query is logged (see the module docstring).
        queries_logged = f.select(is_query.any()).collect().item()
        epoch = LINE.str.extract(r"^\[(\d{9,11})\] ", 1).cast(pl.Float64, strict=False)
        ts = pl.when(epoch.is_not_null()).then(epoch_to_utc(epoch)).otherwise(
            syslog_header_to_utc(LINE, timezone))
        f = f.with_columns(ts.alias("_ts"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (name.is_null() & ~LINE.str.contains(_SIGNATURE.pattern),
             "not an unbound log line"),
            (name.is_null(), "not an event: unbound message other than a lookup"),
            (is_reply & pl.lit(bool(queries_logged)),
             "not an event: dns reply (its query is logged)"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            client_ip=client,
            host=name.str.strip_chars_end("."),
            method=qtype,
            status=rcode.replace_strict(RCODES, default=None, return_dtype=pl.Int32),
            action=pl.lit(ALLOWED),
        )


register(Unbound())
