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


def test_forgetting_the_host_cache_changes_no_figure(tmp_path, monkeypatch) -> None:
    """The classified-host cache is bounded (it starts again past HOST_CACHE_MAX hosts):
    a scan that forgets it between blocks and between files counts exactly what one that
    keeps it counts (a host classified twice must not be joined twice)."""
    import shutil

    import duckdb
    from click.testing import CliRunner

    from shadowai import ingest, sources
    from shadowai.cli import cli
    from tests.conftest import at, native

    hosts = ["chatgpt.com:443", "claude.ai:443", "www.example.org:443", "mon-ai.example:443",
             "203.0.113.7:443", "chatgpt.com:443"]
    logs = tmp_path / "logs"
    logs.mkdir()
    for n in range(2):
        lines = [native(at(5 + n, 9, i), f"10.1.0.{i % 3 + 1}", "TCP_TUNNEL/200", 900,
                        "CONNECT", hosts[i % len(hosts)], user=("alice", "bob", "-")[i % 3])
                 for i in range(40)]
        (logs / f"access{n}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    users = "user,department\nalice,Finances\nbob,Routes\n"
    monkeypatch.setattr(sources, "BLOCK_BYTES", 600)  # several blocks per file

    def figures(name: str, cache_max: int) -> dict[str, list[tuple]]:
        run = tmp_path / name
        run.mkdir()
        (run / "users.csv").write_text(users, encoding="utf-8")
        (run / "shadowai.toml").write_text(
            '[store]\npath = "store.duckdb"\n[privacy]\nkey_file = "secret.key"\n'
            '[directory]\nusers = "users.csv"\n', encoding="utf-8")
        monkeypatch.setattr(ingest, "HOST_CACHE_MAX", cache_max)
        ingest._HOSTS.clear()
        shutil.copytree(logs, run / "logs")
        result = CliRunner().invoke(cli, ["--config", str(run / "shadowai.toml"), "ingest",
                                          str(run / "logs")], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        con = duckdb.connect(str(run / "store.duckdb"), read_only=True)
        try:
            # pseudonyms differ (a new key each run): people are counted per group instead
            return {t: sorted(con.execute(q).fetchall(), key=repr) for t, q in {
                "ai_daily": "SELECT * EXCLUDE (file_id, pseudonym), count(DISTINCT pseudonym)"
                            " OVER (PARTITION BY service_id) FROM ai_daily",
                "traffic_daily": "SELECT * EXCLUDE (file_id, pseudonym) FROM traffic_daily",
                "candidates": "SELECT * EXCLUDE (file_id) FROM candidates"}.items()}
        finally:
            con.close()

    kept = figures("kept", 1_000_000)
    forgotten = figures("forgotten", 1)
    assert sum(r[-1] for r in kept["candidates"]) > 0
    assert kept["ai_daily"] and kept == forgotten


def test_blocks_aggregated_in_batches_give_the_figures_of_one_block_at_a_time(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest aggregates several parsed blocks at once (``AGGREGATE_EVERY``): on a log in
    time order, every stored row (episodes, traffic, quality counts by month, candidates,
    first and last times) is the one block-by-block aggregation gives, across a month's end,
    with malformed lines and 30-minute gaps falling inside and between batches."""
    from shadowai import ingest, sources
    from shadowai.directory import Directory
    from shadowai.ingest import Ingestor
    from shadowai.pseudonym import Pseudonymiser
    from shadowai.store import Store
    from tests.conftest import native
    from tests.test_scale import store_tables

    hosts = ["chatgpt.com:443", "claude.ai:443", "www.example.org:443", "mon-ai.example:443",
             "203.0.113.7:443", "gemini.google.com:443"]
    start = dt.datetime(2026, 10, 31, 20, 0, tzinfo=dt.UTC)
    lines = []
    for i in range(300):
        when = start + dt.timedelta(minutes=7 * i)   # crosses into November
        lines.append(native(when, f"10.1.0.{i % 4 + 1}", "TCP_TUNNEL/200", 900 + i, "CONNECT",
                            hosts[i % len(hosts)], user=("alice", "bob", "-", "carol")[i % 4]))
        if i % 37 == 5:
            lines.append("garbage line " + str(i))
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sources, "BLOCK_BYTES", 700)   # about five lines a block

    def tables(every: int) -> dict[str, list[tuple]]:
        monkeypatch.setattr(ingest, "AGGREGATE_EVERY", every)
        ingest._HOSTS.clear()
        db = tmp_path / f"store{every}.duckdb"
        with Store(db) as store:
            Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                     "Europe/Paris").ingest([log])
        return store_tables(db)

    one, four = tables(1), tables(4)
    assert four["ai_daily"] and four == one

