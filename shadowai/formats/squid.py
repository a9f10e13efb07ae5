"""Squid access logs.

- ``squid-native``: Squid's default ``squid`` logformat (all Squid versions, 2.x to 7.x):
  ``%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt``. Documented in Squid's
  ``logformat`` directive reference (squid-cache.org, "cf_manual/logformat"). Variants
  seen in deployments are read too: a trailing ``"Referer" "User-Agent"`` pair (a common
  custom layout), the request and response headers appended in brackets by
  ``log_mime_hdrs on`` (``[…] […]``), trailing spaces, and the same layout with an ISO 8601
  time first (``%{%Y-%m-%dT%H:%M:%S%z}tl``, with or without the offset: local time without).
- ``squid-common``: the ``common`` and ``combined`` logformats (Apache style), as written by
  Squid (``... %Ss:%Sh`` suffix) or by any proxy logging in NCSA format.

Both log one line per HTTP request or CONNECT tunnel (counting unit: proxy request).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import iso_to_utc, local_to_utc
from shadowai.schema import ALLOWED, BLOCKED

UNIT = "proxy request"

_NATIVE_SIGNATURE = re.compile(
    r"^\s*(?:\d{9,11}\.\d{1,6}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)\s+-?\d+ \S+ [A-Z_]+/\d{3} \d+ \S+ \S+ \S+ \S+ \S+"
    r'(?: "[^"]*" "[^"]*")?(?: \[[^\]]*\] \[[^\]]*\])?\s*$')
#: What deployments append to the native layout (see the module docstring), removed first.
_NATIVE_SUFFIXES = (r" \[[^\]]*\] \[[^\]]*\]$", r' "[^"]*" "[^"]*"$')
_COMMON_SIGNATURE = re.compile(
    r'^\S+ \S+ \S+ \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "')

# One regular expression for common and combined: referer and user agent are optional, and
# Squid appends "%Ss:%Sh" (e.g. TCP_DENIED:HIER_NONE).
_COMMON_LINE = (
    r'^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+)(?: [^"]*)?" (\S+) (\S+)'
    r'(?: "[^"]*" "[^"]*")?(?: (\S+))?\s*$'
)


def _host_of_url(url: pl.Expr, method: pl.Expr) -> pl.Expr:
    """The URL's authority (host[:port], maybe with user info): CONNECT targets are already
    ``host:port``; other requests need ``scheme://``; anything else has no host."""
    after_scheme = url.str.split_exact("://", 1).struct.field("field_1")
    authority = after_scheme.str.split_exact("/", 1).struct.field("field_0")
    return (
        pl.when(method == "CONNECT").then(url)
        .when(url.str.contains("://", literal=True)).then(authority)
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def _action(result_code: pl.Expr, status: pl.Expr) -> pl.Expr:
    refused = result_code.str.contains("DENIED", literal=True) | (status == 403)
    return pl.when(refused).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED))


def _has_suffix(frame: pl.LazyFrame) -> bool:
    """Whether any line of the block may carry one of ``_NATIVE_SUFFIXES`` (ends with a
    quote or a bracket). ``frame`` is a block already in memory (ingest, detection)."""
    # one anchored pattern: stripping every line first copied the block (3x the time)
    return _any_line(frame, r'["\]]\s*$')


#: A first field (text before the first space, as the parse splits it) holding a ``T``: only
#: such lines can carry an ISO 8601 time, and reading one costs an eighth of the parse for
#: every line of the block (measured: 5.8 of 46 ms a block of 65,000 lines, one thread), for
#: nothing in the default layout.
_FIRST_FIELD_T = r"^[^ ]*T"


def _any_line(frame: pl.LazyFrame, pattern: str) -> bool:
    """Whether any line of a block already in memory matches ``pattern``."""
    return bool(frame.select(pl.col("line").str.contains(pattern).any()).collect().item())


def _dash_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr == "-").then(pl.lit(None, dtype=pl.String)).otherwise(expr)


class SquidNative:
    name = "squid-native"
    description = "Squid native access.log (default 'squid' logformat)"
    unit = UNIT

    def detect(self, lines: list[str]) -> float:
        return share_matching(_NATIVE_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        # Only the elapsed-time field is padded (``%6tr``), so a plain split gives 10 fields
        # plus one empty string per padding space, all between fields 0 and 1: field i > 0
        # is the (10 - i)-th from the end, a constant index (measured: a third cheaper than
        # a per-row index). Twice as fast as squeezing the spaces with a regex first.
        parts = pl.col("_f")
        n = parts.list.len()

        def field(i: int) -> pl.Expr:
            return parts.list.get(i - 10 if i else 0, null_on_oob=True)

        core = pl.col("line").str.strip_chars_end()
        if _has_suffix(frame):  # the regexes cost 15 % of the parse: only when needed
            for suffix in _NATIVE_SUFFIXES:
                core = core.str.replace(suffix, "")
        f = frame.with_columns(core.str.split(" ").alias("_f")).with_columns(
            field(0).cast(pl.Float64, strict=False).alias("_epoch"),
            field(0).alias("_first"),
            field(1).cast(pl.Int64, strict=False).alias("_elapsed"),
            field(2).alias("client_ip"),
            field(3).alias("_result"),
            field(4).cast(pl.Int64, strict=False).alias("bytes_down"),
            field(5).alias("method"),
            field(6).alias("_url"),
            field(7).alias("_user"),
            # padding: empty strings from index 1 to n - 10 (the first and last checked)
            ((n == 10) | ((parts.list.get(1, null_on_oob=True) == "")
                          & (parts.list.get(-10, null_on_oob=True) == ""))).alias("_aligned"),
        ).with_columns(
            # %03>Hs: the status is always the last three characters of CODE/NNN
            pl.col("_result").str.slice(-3).cast(pl.Int32, strict=False).alias("status"),
        )
        reject = reject_when([
            (pl.col("line").is_null(), "empty line"),
            ((n < 10) | (n > 15) | ~pl.col("_aligned") | pl.col("_elapsed").is_null()
             | ~pl.col("_result").str.contains("/", literal=True),
             "wrong number of fields"),
            ((pl.col("_epoch").is_null() & pl.col("_iso").is_null())
             | (pl.col("_epoch") <= 0), "bad timestamp"),
            (pl.col("status").is_null(), "bad status"),
            (pl.col("bytes_down").is_null(), "bad byte count"),
        ])
        first = pl.col("_first")
        iso = pl.when(first.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$")).then(iso_to_utc(first))\
            .otherwise(local_to_utc(first.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f",
                                                       strict=False), timezone))
        if _any_line(frame, _FIRST_FIELD_T):  # only then can a line's time be ISO 8601
            f = f.with_columns(pl.when(pl.col("_epoch").is_null() & first.str.contains("T"))
                               .then(iso).alias("_iso"))
        else:
            f = f.with_columns(pl.lit(None, dtype=pl.Datetime("us", "UTC")).alias("_iso"))
        return f.select(
            pl.coalesce(pl.from_epoch((pl.col("_epoch") * 1_000_000).cast(pl.Int64, strict=False),
                                      time_unit="us").dt.replace_time_zone("UTC"),
                        pl.col("_iso")).alias("ts"),
            _dash_null(pl.col("_user")).alias("user"),
            "client_ip",
            _host_of_url(pl.col("_url"), pl.col("method")).alias("host"),
            "method",
            "status",
            _action(pl.col("_result"), pl.col("status")).alias("action"),
            pl.lit(None, dtype=pl.Int64).alias("bytes_up"),
            "bytes_down",
            pl.col("_line"),
            reject,
        )


class SquidCommon:
    name = "squid-common"
    description = "Squid/Apache common or combined logformat (NCSA)"
    unit = UNIT

    def detect(self, lines: list[str]) -> float:
        return share_matching(_COMMON_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        g = pl.col("line").str.extract_groups(_COMMON_LINE)
        f = frame.with_columns(g.alias("g")).unnest("g")
        ts = pl.col("3").str.strptime(pl.Datetime("us"), "%d/%b/%Y:%H:%M:%S %z", strict=False)
        status = pl.col("6").cast(pl.Int32, strict=False)
        size = pl.when(pl.col("7") == "-").then(0).otherwise(
            pl.col("7").cast(pl.Int64, strict=False))
        f = f.with_columns(_ts=ts.dt.convert_time_zone("UTC"), _status=status, _size=size,
                           _code=pl.col("8").fill_null(""))
        reject = reject_when([
            (pl.col("line").is_null() | (pl.col("line").str.strip_chars() == ""), "empty line"),
            (pl.col("1").is_null(), "not a common/combined log line"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (pl.col("_status").is_null(), "bad status"),
            (pl.col("_size").is_null(), "bad byte count"),
        ])
        return f.select(
            pl.col("_ts").alias("ts"),
            _dash_null(pl.col("2")).alias("user"),
            pl.col("1").alias("client_ip"),
            _host_of_url(pl.col("5"), pl.col("4")).alias("host"),
            pl.col("4").alias("method"),
            pl.col("_status").alias("status"),
            _action(pl.col("_code"), pl.col("_status")).alias("action"),
            pl.lit(None, dtype=pl.Int64).alias("bytes_up"),
            pl.col("_size").alias("bytes_down"),
            pl.col("_line"),
            reject,
        )


register(SquidNative())
register(SquidCommon())
