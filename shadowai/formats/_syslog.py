"""Syslog timestamps without a year (RFC 3164 ``Nov 23 10:00:00``): the year is inferred
from the file's reference time (its modification time), so a file spanning New Year gets
December of the previous year and January of the new one. Vectorised."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import polars as pl

from shadowai.formats._base import file_context

#: A timestamp more than this far after the reference is taken to be from the year before
#: (logs are written before their file's modification time; clocks drift a little).
FUTURE_SLACK = dt.timedelta(days=2)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def syslog_to_utc(text: pl.Expr, timezone: str, reference: dt.datetime | None = None) -> pl.Expr:
    """``Mmm dd HH:MM:SS`` (day padded with a space or a zero) in local ``timezone`` ->
    UTC, with the year inferred from ``reference`` (default: the file's context)."""
    ref = reference or file_context().reference
    local_ref = ref.astimezone(zoneinfo.ZoneInfo(timezone)).replace(tzinfo=None)
    squeezed = text.str.strip_chars().str.replace(r"\s+", " ")

    def at_year(year: int) -> pl.Expr:
        return (pl.lit(f"{year} ") + squeezed).str.strptime(
            pl.Datetime("us"), "%Y %b %d %H:%M:%S", strict=False)

    this_year = at_year(local_ref.year)
    naive = (pl.when(this_year > pl.lit(local_ref + FUTURE_SLACK))
             .then(at_year(local_ref.year - 1)).otherwise(this_year))
    return (naive.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC"))
