"""Syslog timestamps without a year (RFC 3164 ``Nov 23 10:00:00``): the year is inferred
from the file's own context, so a file spanning New Year gets December of the previous
year and January of the new one. Vectorised.

The reference is the file's modification time, but never later than now (a clock set
ahead must not create a month in the future), nor later than the end of a date its name
carries (``messages-20160926``, ``fw.2016-09-26.log``: rotated and archived files keep
their date in the name when a copy has lost their modification time)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import PurePath

import polars as pl

from shadowai.formats._base import file_context

#: A timestamp more than this far after the reference is taken to be from the year before
#: (logs are written before their file's modification time; clocks drift a little).
FUTURE_SLACK = dt.timedelta(days=2)

#: A date in a file name: YYYYMMDD or YYYY-MM-DD (also with _ or .), years 1990-2099.
_DATED_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?"
                         r"(0[1-9]|[12]\d|3[01])(?!\d)")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def syslog_to_utc(text: pl.Expr, timezone: str, reference: dt.datetime | None = None) -> pl.Expr:
    """``Mmm dd HH:MM:SS`` (day padded with a space or a zero) in local ``timezone`` ->
    UTC, with the year inferred from ``reference`` (default: the file's context)."""
    ref = reference or file_reference()
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


def file_reference() -> dt.datetime:
    """The reference time of the current file (see the module docstring)."""
    context = file_context()
    ref = min(context.reference, dt.datetime.now(dt.UTC))
    found = _DATED_NAME.search(PurePath(context.path).name)
    if found:
        try:
            named = dt.datetime(*map(int, found.groups()), tzinfo=dt.UTC) + dt.timedelta(days=1)
        except ValueError:  # 2016-02-31: not a date
            return ref
        ref = min(ref, named)
    return ref
