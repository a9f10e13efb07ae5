"""Pieces of ingest with exact expectations: hosts, local days across DST, line framing."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shadowai import catalog
from shadowai.ingest import classify_hosts, lines_frame, local_day, normalise_host


@pytest.mark.parametrize("raw, host", [
    ("chatgpt.com:443", "chatgpt.com"), ("Chat.OpenAI.com.", "chat.openai.com"),
    ("user:pw@claude.ai:8443", "claude.ai"), ("[2001:db8::10]:443", "2001:db8::10"),
    ("2001:db8::10", "2001:db8::10"), ("bücher.example", "xn--bcher-kva.example"),
    ("", None), ("bad host<script>", None),
])
def test_normalise_host(raw: str, host: str | None) -> None:
    assert normalise_host(raw) == host
    vectorised = classify_hosts(pl.Series("host", [raw]), catalog.load())
    assert vectorised["_host"].to_list() == [host]


@pytest.mark.parametrize("start", ["2026-03-28T12:00:00", "2026-10-24T12:00:00"])
def test_local_day_matches_a_full_conversion_across_dst(start: str) -> None:
    t0 = dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)
    ts = pl.Series("ts", [t0 + dt.timedelta(minutes=7 * i, seconds=i % 60)
                          for i in range(2000)]).dt.cast_time_unit("us")
    frame = pl.DataFrame({"ts": ts})
    fast = frame.select(local_day(ts, "Europe/Paris"))["day"]
    slow = frame.select(pl.col("ts").dt.convert_time_zone("Europe/Paris").dt.date())["ts"]
    assert fast.to_list() == slow.to_list()


def test_local_day_just_around_midnight_local() -> None:
    # 2026-10-31 23:30 UTC is 1 Nov 00:30 in Paris (UTC+1 after the October change)
    ts = pl.Series("ts", [dt.datetime(2026, 10, 31, 22, 59, 59, tzinfo=dt.UTC),
                          dt.datetime(2026, 10, 31, 23, 0, 0, tzinfo=dt.UTC)])
    days = pl.DataFrame({"ts": ts}).select(local_day(ts, "Europe/Paris"))["day"].to_list()
    assert days == [dt.date(2026, 10, 31), dt.date(2026, 11, 1)]


def test_lines_frame_keeps_empty_lines_and_numbers() -> None:
    frame = lines_frame(b"a b\n\nc\r\n", 41, 3)
    assert frame.rows() == [(41, "a b"), (42, None), (43, "c")]
