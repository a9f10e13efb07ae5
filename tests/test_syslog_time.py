"""Syslog timestamps without a year: the year comes from the file's reference time."""

from __future__ import annotations

import datetime as dt

import polars as pl

from shadowai.formats._syslog import syslog_to_utc


def utc(texts: list[str], reference: dt.datetime) -> list:
    frame = pl.DataFrame({"t": texts})
    return frame.select(syslog_to_utc(pl.col("t"), "Europe/Paris", reference).alias("u"))[
        "u"].to_list()


def test_year_inferred_across_new_year() -> None:
    got = utc(["Dec 31 23:59:59", "Jan  1 00:00:01", "Jan 02 01:00:00"],
              dt.datetime(2027, 1, 2, 3, tzinfo=dt.UTC))
    assert got == [dt.datetime(2026, 12, 31, 22, 59, 59, tzinfo=dt.UTC),
                   dt.datetime(2026, 12, 31, 23, 0, 1, tzinfo=dt.UTC),
                   dt.datetime(2027, 1, 2, 0, 0, tzinfo=dt.UTC)]


def test_dst_change_takes_the_earliest_and_bad_dates_are_null() -> None:
    got = utc(["Oct 25 02:30:00", "Mar 29 02:30:00", "Feb 30 00:00:00"],
              dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    assert got == [dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC), None, None]


def test_a_date_in_the_file_name_bounds_the_year() -> None:
    """A 2016 archive copied in 2026 (modification time 2026): its name says 2016."""
    from shadowai.formats import FileContext, set_file_context

    set_file_context(FileContext("/logs/fw-2016-09-26.log", dt.datetime(2026, 11, 2,
                                                                       tzinfo=dt.UTC)))
    try:
        frame = pl.DataFrame({"t": ["Sep 26 11:36:04", "Sep 25 23:00:00"]})
        got = frame.select(syslog_to_utc(pl.col("t"), "UTC").alias("u"))["u"].to_list()
    finally:
        set_file_context(None)
    assert got == [dt.datetime(2016, 9, 26, 11, 36, 4, tzinfo=dt.UTC),
                   dt.datetime(2016, 9, 25, 23, tzinfo=dt.UTC)]


def test_a_modification_time_in_the_future_never_makes_a_future_month() -> None:
    from shadowai.formats import FileContext, set_file_context

    now = dt.datetime.now(dt.UTC)
    ahead = now + dt.timedelta(days=400)
    next_month = (now.replace(day=1) + dt.timedelta(days=32)).strftime("%b %d 00:00:00")
    set_file_context(FileContext("/logs/messages", ahead))
    try:
        frame = pl.DataFrame({"t": [next_month]})
        got = frame.select(syslog_to_utc(pl.col("t"), "UTC").alias("u"))["u"].item()
    finally:
        set_file_context(None)
    assert got < now
