"""Syslog timestamps without a year (RFC 3164 ``Nov 23 10:00:00``): the year is inferred
from the file's own context, so a file spanning New Year gets December of the previous
year and January of the new one. Vectorised.

Best evidence first:

1. **Dated lines of the same file.** When lines of the block carry a full date (an RFC 5424
   or ISO header, a payload's ``2016/09/26 11:36:06``, ``Sep 26 2016 …``,
   ``26/Sep/2016:…``), each line's *year hint* is the date of its own line, else of the
   nearest dated line before it (after it, for the first lines), carried from one block of
   the file to the next (:func:`year_hints`, called by :mod:`shadowai.transport`). Logs
   are written in order, so a stamp after its dated line takes the first year that does
   not put it before that date (``Jan  1`` after a ``2016-12-31`` line is 2017-01-01), a
   stamp before it the last year that does not put it after (``Dec 31`` before a
   ``2017-01-01`` line is 2016-12-31; ``Jan  5`` before an ``Aug 06 2016`` line is
   2016-01-05), and a stamp on a dated line the year closest to that date (both within
   :data:`FUTURE_SLACK`, for lines written a little out of order).
2. Otherwise, the file's **reference time**: its modification time, but never later than
   the end of a date its name carries (``messages-20160926``, ``fw.2016-09-26.log``:
   rotated and archived files keep their date in the name when a copy has lost their
   modification time); a stamp more than :data:`FUTURE_SLACK` after it is from the year
   before.

Either way, never later than now (a clock set ahead must not create a month in the
future): a stamp that would be is taken from the year before."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from contextvars import ContextVar
from pathlib import PurePath

import polars as pl

from shadowai.formats._base import FileContext, file_context
from shadowai.schema import LINE_COLUMN

#: A timestamp more than this far after the reference is taken to be from the year before
#: (logs are written before their file's modification time; clocks drift a little).
FUTURE_SLACK = dt.timedelta(days=2)

#: A date in a file name: YYYYMMDD or YYYY-MM-DD (also with _ or .), years 1990-2099.
_DATED_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?"
                         r"(0[1-9]|[12]\d|3[01])(?!\d)")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


#: The columns :func:`year_hints` adds to a block: each line's year hint (a date), and
#: where it comes from: 0 the line itself, 1 a dated line before it, -1 one after it.
YEAR_HINT = "_year_hint"
HINT_SIDE = "_year_hint_side"
#: Whether the frame being parsed has a :data:`YEAR_HINT` column (set by the transport
#: layer around a format's ``parse``; formats parsed directly have none).
_HINTED: ContextVar[bool] = ContextVar("shadowai_year_hinted", default=False)

#: A full date a line may carry, anywhere in it: ISO/RFC 5424 ``2016-09-26T11:…`` or
#: ``2016-09-26 11:…``, PAN-OS ``2016/09/26 11:…``, Cisco ``Sep 26 2016 11:…``,
#: Apache/Squid ``26/Sep/2016:…``. One pattern without captures, so that finding the lines
#: that have one is a single cheap pass (four patterns with groups: 15 times slower).
_FULL_DATE = (r"(?:19|20)\d\d[-/]\d\d[-/]\d\d[T ]\d\d:"
              r"|[A-Z][a-z][a-z] +\d{1,2} (?:19|20)\d\d \d\d:"
              r"|\d\d/[A-Z][a-z][a-z]/(?:19|20)\d\d:")
#: A year-less stamp, anywhere in a line; blocks whose first lines have none get no hints.
_YEARLESS = r"\b[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}\b"
SAMPLE_LINES = 200
#: The last year hint of the file's previous block (keyed by the file context's value: an
#: object id could be reused by the next file's), so a block without a dated line continues
#: its file; a block starting at line 1 starts afresh.
_LAST_HINT: dict[FileContext, dt.date] = {}


def year_hints(frame: pl.DataFrame, line: str = "line") -> pl.DataFrame | None:
    """``frame`` (in line order) plus :data:`YEAR_HINT`, or None when no line of the block,
    nor of the file's previous blocks, carries a full date, or when the block's first lines
    have no year-less stamp (then nothing changes). Dates after today are no evidence."""
    if not frame[line].head(SAMPLE_LINES).str.contains(_YEARLESS).any():
        return None  # most logs: no year-less stamp, nothing more to read
    has_date = frame[line].str.contains(_FULL_DATE).fill_null(False)
    own = pl.Series(YEAR_HINT, [None] * frame.height, dtype=pl.Date)
    if has_date.any():
        where = has_date.arg_true()
        own = own.scatter(where, _dates(frame[line].gather(where)))
    key = file_context()
    if key not in _LAST_HINT or frame[LINE_COLUMN][0] == 1:
        _LAST_HINT.clear()  # another file's hint, or this file read again: never continued
    previous = _LAST_HINT.get(key)
    column = own
    if column.null_count() == column.len() and previous is None:
        return None
    after = column.fill_null(strategy="forward")
    if previous is not None:
        after = after.fill_null(previous)
    side = (pl.when(column.is_not_null()).then(pl.lit(0, pl.Int8))
            .when(after.is_not_null()).then(pl.lit(1, pl.Int8)).otherwise(pl.lit(-1, pl.Int8)))
    filled = after.fill_null(strategy="backward")
    _LAST_HINT[key] = filled[-1]
    return frame.with_columns(filled.alias(YEAR_HINT), side.alias(HINT_SIDE))


def _dates(lines: pl.Series) -> pl.Series:
    """The first full date of each line (all have one), as a date; null after today."""
    found = lines.str.extract(f"({_FULL_DATE})", 1)
    dates = pl.select(pl.coalesce(
        found.str.slice(0, 10).str.replace_all("/", "-", literal=True)
        .str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        found.str.replace(r" \d\d:$", "").str.replace(r" +", " ")
        .str.strptime(pl.Date, "%b %d %Y", strict=False),
        found.str.strip_suffix(":").str.strptime(pl.Date, "%d/%b/%Y", strict=False))).to_series()
    today = dt.datetime.now(dt.UTC).date()
    return dates.set(dates > today, None)


def hinted(active: bool) -> object:
    """Say whether the frames parsed from now on carry :data:`YEAR_HINT`; returns the
    token :func:`unhinted` takes back."""
    return _HINTED.set(active)


def unhinted(token: object) -> None:
    _HINTED.reset(token)  # type: ignore[arg-type]


def syslog_to_utc(text: pl.Expr, timezone: str, reference: dt.datetime | None = None) -> pl.Expr:
    """``Mmm dd HH:MM:SS`` (day padded with a space or a zero) in local ``timezone`` ->
    UTC, with the year inferred (see the module docstring) from the line's year hint when
    the frame has one, else from ``reference`` (default: the file's context)."""
    ref = reference or file_reference()
    zone = zoneinfo.ZoneInfo(timezone)
    local_ref = ref.astimezone(zone).replace(tzinfo=None)
    squeezed = text.str.strip_chars().str.replace(r"\s+", " ")

    def at_year(year: pl.Expr) -> pl.Expr:
        return pl.concat_str([year.cast(pl.String), pl.lit(" "), squeezed]).str.strptime(
            pl.Datetime("us"), "%Y %b %d %H:%M:%S", strict=False)

    if _HINTED.get() and reference is None:  # every line has a hint (see year_hints)
        latest = dt.datetime.now(dt.UTC).astimezone(zone).replace(tzinfo=None) + FUTURE_SLACK
        hint = pl.col(YEAR_HINT).cast(pl.Datetime("us"))
        side = pl.col(HINT_SIDE)
        # parsed once, in the hint's year; the years around it by offset (not parsed again)
        at_hint = at_year(hint.dt.year())
        candidates = [at_hint.dt.offset_by("-1y"), at_hint, at_hint.dt.offset_by("1y")]
        distance = [(c - hint).abs() for c in candidates]
        nearest = pl.min_horizontal(distance)
        slack = pl.duration(days=FUTURE_SLACK.days)
        # logs are written in order: a line after its dated line is not earlier than it,
        # a line before it not later (a year-long file dated only at its end stays whole)
        closest = (
            pl.when(side == 1).then(pl.coalesce([pl.when(c >= hint - slack).then(c)
                                                 for c in candidates]))
            .when(side == -1).then(pl.coalesce([pl.when(c <= hint + slack)
                                                .then(c) for c in reversed(candidates)]))
            .otherwise(pl.coalesce([pl.when(d == nearest).then(c)
                                    for c, d in zip(candidates, distance, strict=True)])))
        naive = pl.when(closest > pl.lit(latest)).then(closest.dt.offset_by("-1y")) \
            .otherwise(closest)
    else:
        this_year = at_year(pl.lit(local_ref.year))
        naive = (pl.when(this_year > pl.lit(local_ref + FUTURE_SLACK))
                 .then(at_year(pl.lit(local_ref.year - 1))).otherwise(this_year))
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
