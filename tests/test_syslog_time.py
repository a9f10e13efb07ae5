"""Syslog timestamps without a year: the year comes from the file's reference time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

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


# -- the year from the file's own dated lines (through the transport layer, as ingest) ------

BUILT = ("%ASA-6-302013: Built outbound TCP connection 7 for outside:203.0.113.40/443 "
         "(203.0.113.40/443) to inside:10.1.0.10/52000 (198.51.100.1/40001)")
UTC = dt.UTC


def through_transport(lines: list[str], path: str = "fw.log",
                      modified: dt.datetime = dt.datetime(2026, 11, 2, tzinfo=UTC),
                      blocks: int = 1) -> tuple[str, pl.DataFrame]:
    """Detect and parse as ingest does, the file cut into ``blocks`` blocks, its
    modification time ``modified`` (a copy made in 2026 of old logs)."""
    from shadowai import formats, transport
    from shadowai.ingest import lines_frame

    fmt = transport.detect(lines, path).format
    formats.set_file_context(formats.FileContext(path, modified))
    try:
        size = -(-len(lines) // blocks)
        parts = []
        for start in range(0, len(lines), size):
            chunk = lines[start:start + size]
            block = ("\n".join(chunk) + "\n").encode()
            parts.append(transport.parse(fmt, lines_frame(block, start + 1, len(chunk)).lazy(),
                                         "Europe/Paris"))
    finally:
        formats.set_file_context(None)
    return fmt.name, pl.concat(parts, how="diagonal_relaxed").sort("_line")


def test_rfc3164_lines_take_the_year_of_the_rfc5424_lines_around_them_across_new_year() -> None:
    """rsyslog forwarding in both formats (one relay RFC 5424, one RFC 3164), the file
    copied ten years later: the year-less lines follow the dated ones over New Year."""
    lines = [f"<166>1 2016-12-31T23:59:50+01:00 fw-hq - - - - {BUILT}",
             f"<166>Dec 31 23:59:58 fw-hq {BUILT}",
             f"<166>Jan  1 00:00:03 fw-hq {BUILT}",
             f"<166>1 2017-01-01T00:00:09+01:00 fw-hq - - - - {BUILT}",
             f"<166>Jan  1 00:00:12 fw-hq {BUILT}"]
    for blocks in (1, 3):  # the hint is carried from one block of the file to the next
        name, events = through_transport(lines, blocks=blocks)
        assert name == "cisco-asa"
        assert events["ts"].to_list() == [
            dt.datetime(2016, 12, 31, 22, 59, 50, tzinfo=UTC),
            dt.datetime(2016, 12, 31, 22, 59, 58, tzinfo=UTC),
            dt.datetime(2016, 12, 31, 23, 0, 3, tzinfo=UTC),
            dt.datetime(2016, 12, 31, 23, 0, 9, tzinfo=UTC),
            dt.datetime(2016, 12, 31, 23, 0, 12, tzinfo=UTC)], blocks


def test_lines_before_the_first_dated_line_are_not_later_than_it() -> None:
    """Dated only at the end of the file (a year of year-less lines, then a dated one):
    January is the January before, not the one after."""
    lines = [f"<166>Jan  5 08:00:00 fw-hq {BUILT}", f"<166>Dec 30 08:00:00 fw-hq {BUILT}",
             f"<166>Dec 31 2016 09:00:00: {BUILT}"]
    _, events = through_transport(lines)
    assert events["ts"].dt.year().to_list() == [2016, 2016, 2016]


def test_a_relay_header_without_year_before_a_dated_payload() -> None:
    """The relay's year-less header is dated by its own line's payload: a format that reads
    the header (the outer envelope is all Cisco ASA has here)."""
    lines = [f"<38>Sep 26 11:36:04 10.55.0.1 Sep 26 2016 11:36:03 fw-hq : {BUILT}",
             f"<38>Sep 26 11:36:05 10.55.0.1 <166>Sep 26 11:36:05 fw-hq {BUILT}"]
    name, events = through_transport(lines)
    assert name == "cisco-asa"
    assert events["ts"].dt.year().to_list() == [2016, 2016]


def test_a_dated_line_never_makes_a_future_month() -> None:
    """A stamp after its dated line by more than the time left this year is not pushed into
    next year's months that have not happened."""
    today = dt.datetime.now(UTC)
    dated = today.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    ahead = (today + dt.timedelta(days=40)).strftime("%b %d %H:%M:%S")
    _, events = through_transport([f"<166>1 {dated} fw-hq - - - - {BUILT}",
                                   f"<166>{ahead} fw-hq {BUILT}"],
                                  modified=today)
    assert all(ts <= today + dt.timedelta(days=3) for ts in events["ts"].to_list())


def test_without_dated_lines_nothing_changes() -> None:
    lines = [f"<166>Dec 31 23:59:58 fw-hq {BUILT}", f"<166>Jan  1 00:00:03 fw-hq {BUILT}"]
    _, events = through_transport(lines, modified=dt.datetime(2026, 1, 2, 3, tzinfo=UTC))
    assert events["ts"].dt.year().to_list() == [2025, 2025]


WILD = Path(__file__).resolve().parents[2] / "shared" / "realdata-wild"


@pytest.mark.skipif(not WILD.is_dir(), reason="no shared realdata-wild")
@pytest.mark.parametrize(("rel", "months"), [
    # Metron's ASA sample: 100 year-less lines, then lines dated Aug 2016 (were 2026-01)
    ("cisco_asa/metron_asa_raw.log", {"2016-01": 23, "2016-08": 3}),
    # UniFi CEF: a year-less syslog line after records carrying UNIFIutcTime=2025-09-04
    ("cef/crowdsec_unifi_cef.log", {"2025-09": 1}),
])
def test_real_files_with_year_less_stamps_land_in_their_year(rel: str, months: dict) -> None:
    lines = (WILD / rel).read_text(encoding="utf-8").rstrip("\n").split("\n")
    _, events = through_transport(lines, path=str(WILD / rel))
    ok = events.filter(pl.col("_reject").is_null())
    assert dict(Counter(ok["ts"].dt.strftime("%Y-%m").to_list())) == months
