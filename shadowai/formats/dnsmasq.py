"""dnsmasq query log (``log-queries``; dnsmasq 2.x), also Pi-hole's ``pihole.log`` (Pi-hole
FTL is dnsmasq inside) and dnsmasq on routers (OpenWrt, pfSense/OPNsense "DNS
Forwarder"), in its own file (``log-facility``) or over syslog:

    Nov 23 10:00:00 dnsmasq[123]: query[A] chatgpt.com from 10.1.2.3
    Nov 23 10:00:00 dnsmasq[123]: forwarded chatgpt.com to 1.1.1.1
    Nov 23 10:00:00 dnsmasq[123]: reply chatgpt.com is 104.18.32.47
    Nov 23 10:00:01 dnsmasq[123]: gravity blocked ads.example is 0.0.0.0
    Nov 23 10:00:02 dnsmasq[123]: 1234 10.1.2.3/53211 query[AAAA] claude.ai from 10.1.2.3

(the last one with ``log-queries=extra``: a serial and the client's address/port).
Documented in ``dnsmasq(8)`` (``--log-queries``) and, for the Pi-hole verbs (``gravity
blocked``, ``exactly blacklisted``/``denied``, ``regex blacklisted``/``denied``), in the
Pi-hole FTL documentation ("pihole.log").

Time: the syslog header, local and without a year (inferred from the file's reference
time, so a file spanning New Year gets both years right); an ISO 8601 header (rsyslog) is
used as is. Events (counting unit: DNS lookup): ``query[TYPE] name from client`` lines only.
``forwarded``, ``reply``, ``cached``, ``config``, ``/etc/hosts``, ``validation``… lines
repeat the same lookup: ``not an event: dns reply or forward``; DHCP and the daemon's own
messages are ``not an event`` too. A Pi-hole block line marks the query it answers (the
latest earlier query of the same name in the block) as ``blocked``; the block line itself
is not an event. No user.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import LINE, canonical, is_empty, syslog_header_to_utc
from shadowai.schema import ALLOWED, BLOCKED, LINE_COLUMN

_TAG = r"\bdnsmasq(?:-dhcp|-tftp|-script)?\[\d+\]: "
_SIGNATURE = re.compile(r"^.*?" + _TAG)
_QUERY = r"\bdnsmasq\[\d+\]: (?:\d+ \S+/\d+ )?query\[([\w-]+)\] (\S+) from (\S+)\s*$"
_ANSWER = (r"\bdnsmasq\[\d+\]: (?:\d+ \S+/\d+ )?(?:forwarded|reply|cached(?:-stale)?|config"
           r"|/\S+|validation|dnssec-query\[\w+\]|dnssec-retry|query\[[\w-]+\] \S+ is)\b")
_BLOCK = (r"\bdnsmasq\[\d+\]: (?:\d+ \S+/\d+ )?(?:gravity blocked|(?:exactly|regex) "
          r"(?:blacklisted|denied)|blacklisted|/etc/pihole/(?:gravity|black)\.list) (\S+) is ")


class Dnsmasq:
    name = "dnsmasq"
    description = "dnsmasq / Pi-hole query log (log-queries)"
    unit = "DNS lookup"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        g = LINE.str.extract_groups(_QUERY)
        f = frame.with_columns(g.alias("_g"), LINE.str.extract(_BLOCK, 1).alias("_blocked"))
        f = f.unnest("_g")
        qtype, name, client = pl.col("1"), pl.col("2"), pl.col("3")
        # The latest query of a blocked name, at or before its block line.
        queries = f.filter(name.is_not_null()).select(
            pl.col(LINE_COLUMN).alias("_query_line"), name.alias("_name"))
        blocks = f.filter(pl.col("_blocked").is_not_null()).select(
            pl.col(LINE_COLUMN).alias("_block_line"), pl.col("_blocked").alias("_name"))
        hits = blocks.join_asof(queries, left_on="_block_line", right_on="_query_line",
                                by="_name", strategy="backward",
                                check_sortedness=False).select(
            pl.col("_query_line").alias(LINE_COLUMN), pl.lit(True).alias("_is_blocked")
        ).drop_nulls(LINE_COLUMN).unique(LINE_COLUMN)
        f = f.join(hits, on=LINE_COLUMN, how="left").sort(LINE_COLUMN)
        f = f.with_columns(syslog_header_to_utc(LINE, timezone).alias("_ts"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (~LINE.str.contains(_TAG), "not a dnsmasq log line"),
            (pl.col("_blocked").is_not_null(), "not an event: dns reply (blocked)"),
            (LINE.str.contains(_ANSWER), "not an event: dns reply or forward"),
            (name.is_null(), "not an event: dnsmasq message other than a query"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            client_ip=client,
            host=name.str.strip_chars_end("."),
            method=qtype,
            action=pl.when(pl.col("_is_blocked").fill_null(False)).then(pl.lit(BLOCKED))
            .otherwise(pl.lit(ALLOWED)),
        )


register(Dnsmasq())
