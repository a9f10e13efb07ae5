"""Months as the organisation lives them (Europe/Paris): a December report shows
December, a line at 23:30 on the last evening belongs to that month and one at 00:10 to
the next (with the next month's pseudonym), and DST change days keep their local day.
Real Squid logs, the real CLI, a real DuckDB store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.orgkit import hit, local, run_month, shadowai, summary, write_log, write_org

KEY_HEX = bytes(range(32)).hex()


def _org(tmp_path: Path) -> Path:
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances",
                                             "carol": "Routes"})
    (tmp_path / "secret.key").write_text(KEY_HEX + "\n")
    (tmp_path / "secret.key").chmod(0o600)
    return config


def test_december_report_shows_december(tmp_path: Path) -> None:
    """The month window of December ends on 1 January of the NEXT year."""
    config = _org(tmp_path)
    log = write_log(tmp_path / "logs" / "access.log", [
        hit(local(2025, 11, 30, 23, 30), "bob", "openai-chatgpt"),     # November
        hit(local(2025, 12, 1, 0, 10), "alice", "openai-chatgpt"),
        hit(local(2025, 12, 15, 12), "bob", "anthropic-claude"),
        hit(local(2025, 12, 31, 23, 30), "alice", "mistral-le-chat"),
        hit(local(2026, 1, 1, 0, 10), "alice", "openai-chatgpt"),      # January
        hit(local(2026, 1, 1, 0, 20), "carol", "openai-chatgpt"),      # January
    ])
    december = run_month(config, "2025-12", log)
    assert december["totals"]["ai_requests"] == 3
    assert december["totals"]["ai_people"] == 2
    assert [d["day"] for d in december["daily"]] == ["2025-12-01", "2025-12-15",
                                                      "2025-12-31"]
    # one person each (k = 2): listed, their counts hidden
    assert {s["id"]: s["requests"] for s in december["services"]} == {
        "openai-chatgpt": None, "anthropic-claude": None, "mistral-le-chat": None}
    q = december["quality"]
    assert (q["days_with_data"], q["days_in_month"], len(q["missing_days"])) == (3, 31, 28)
    assert "2025-12-31" not in q["missing_days"] and "2026-01-01" not in q["missing_days"]

    january = shadowai(config, "report", "--month", "2026-01")
    assert january.exit_code == 0, january.output
    january = summary(config, "2026-01")
    assert january["totals"]["ai_requests"] == 2
    assert january["previous_month"] == "2025-12"
    assert january["changes"]["ai_requests"] == {"previous": 3, "delta": -1}
    assert shadowai(config, "report", "--month", "2025-11").exit_code == 0
    assert summary(config, "2025-11")["totals"]["ai_requests"] == 1


# Wall-clock times in Paris and the local day (and so month) each belongs to.
BOUNDARIES = [
    (local(2026, 3, 28, 23, 30), "2026-03-28"),   # CET, the evening before spring forward
    (local(2026, 3, 29, 0, 30), "2026-03-29"),    # 23:30 UTC the day before
    (local(2026, 3, 29, 23, 30), "2026-03-29"),   # CEST now: 21:30 UTC
    (local(2026, 3, 30, 0, 10), "2026-03-30"),    # 22:10 UTC the day before
    (local(2026, 3, 31, 23, 30), "2026-03-31"),
    (local(2026, 4, 1, 0, 30), "2026-04-01"),     # 22:30 UTC on 31 March: April
    (local(2026, 10, 24, 23, 59), "2026-10-24"),  # CEST
    (local(2026, 10, 25, 0, 30), "2026-10-25"),   # 22:30 UTC on the 24th
    (local(2026, 10, 25, 2, 30).replace(fold=0), "2026-10-25"),  # first 02:30 (CEST)
    (local(2026, 10, 25, 2, 30).replace(fold=1), "2026-10-25"),  # second 02:30 (CET)
    (local(2026, 10, 25, 23, 30), "2026-10-25"),  # CET now: 22:30 UTC
    (local(2026, 10, 31, 23, 30), "2026-10-31"),  # last evening of October
    (local(2026, 11, 1, 0, 10), "2026-11-01"),    # 23:10 UTC on 31 October: November
]


@pytest.mark.parametrize("layout", ["one file", "one file per line", "with a far line"])
def test_local_days_and_months_at_the_boundaries(tmp_path: Path, layout: str) -> None:
    """Each line is read in the offset in force at its instant, whether a block spans
    both DST changes, holds a single instant, or spans more than 400 days."""
    config = _org(tmp_path)
    lines = [hit(when, "alice", "openai-chatgpt") for when, _ in BOUNDARIES]
    logs = tmp_path / "logs"
    if layout == "one file per line":
        for i, line in enumerate(lines):
            write_log(logs / f"access-{i:02}.log", [line])
    else:
        # (far in the past: a future date would be rejected as implausible)
        far = [hit(local(2024, 6, 1), "bob", "openai-chatgpt")] if "far" in layout else []
        write_log(logs / "access.log", lines + far)
    result = shadowai(config, "ingest", str(logs))
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT day, pseudonym, sum(requests) FROM ai_daily "
                           "WHERE day > '2025-01-01' GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        con.close()
    expected: dict[str, int] = {}
    for _, day in BOUNDARIES:
        expected[day] = expected.get(day, 0) + 1
    assert {r[0].isoformat(): r[2] for r in rows} == expected
    by_day = {r[0]: r[1] for r in rows}
    # the same person: one pseudonym per LOCAL month (00:10 on 1 November is 23:10 UTC on
    # 31 October, yet November's pseudonym)
    assert len({p for d, p in by_day.items() if d.month == 10}) == 1
    assert by_day[dt.date(2026, 11, 1)] != by_day[dt.date(2026, 10, 31)]
    assert len({p for d, p in by_day.items() if d.month == 3}) == 1
    assert by_day[dt.date(2026, 3, 31)] != by_day[dt.date(2026, 4, 1)]
    assert len(set(by_day.values())) == 4  # March, April, October, November


def test_month_reports_split_at_local_midnight(tmp_path: Path) -> None:
    config = _org(tmp_path)
    log = write_log(tmp_path / "access.log", [
        hit(local(2026, 10, 31, 23, 30), "alice", "openai-chatgpt"),
        hit(local(2026, 10, 31, 23, 40), "bob", "openai-chatgpt"),
        hit(local(2026, 11, 1, 0, 10), "alice", "openai-chatgpt"),
    ])
    october = run_month(config, "2026-10", log)
    assert october["totals"]["ai_requests"] == 2
    assert [d["day"] for d in october["daily"]] == ["2026-10-31"]
    assert shadowai(config, "report", "--month", "2026-11").exit_code == 0
    november = summary(config, "2026-11")
    assert november["totals"]["ai_requests"] == 1
    assert [d["day"] for d in november["daily"]] == ["2026-11-01"]


def test_a_month_whose_only_use_continues_last_months_episode(tmp_path: Path) -> None:
    """An episode is counted on the day it starts: a request at 00:05 on 1 November that
    continues a 23:50 episode leaves November with requests but no episode. Its report
    is still written (the episodes chart once divided by a maximum of nothing)."""
    config = _org(tmp_path)
    log = write_log(tmp_path / "access.log", [
        hit(local(2026, 10, 31, 23, 50), "alice", "openai-chatgpt"),
        hit(local(2026, 11, 1, 0, 5), "alice", "openai-chatgpt"),
    ])
    november = run_month(config, "2026-11", log)
    assert (november["totals"]["ai_requests"], november["totals"]["ai_episodes"]) == (1, 0)
    assert (tmp_path / "reports" / "2026-11" / "index.html").stat().st_size > 0
    october = shadowai(config, "report", "--month", "2026-10")
    assert october.exit_code == 0, october.output
    assert summary(config, "2026-10")["totals"]["ai_episodes"] == 1


def test_closing_december_removes_december_only(tmp_path: Path) -> None:
    """Closing December deletes the per-person rows up to 1 January of the NEXT year, not
    one day more or less: November and January stay whole and open, and the close says
    how many rows went."""
    config = _org(tmp_path)
    log = write_log(tmp_path / "logs" / "access.log", [
        hit(local(2025, 11, 30, 23, 30), "bob", "openai-chatgpt"),
        hit(local(2025, 12, 1, 0, 10), "alice", "openai-chatgpt"),
        hit(local(2025, 12, 31, 23, 30), "alice", "mistral-le-chat"),
        hit(local(2026, 1, 1, 0, 10), "carol", "openai-chatgpt"),
    ])
    before = run_month(config, "2025-12", log)
    db = tmp_path / "store.duckdb"

    def per_day() -> list[tuple[str, str, int]]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(
                "SELECT t, day::VARCHAR, count(*)::INT FROM (SELECT 'ai' AS t, day FROM "
                "ai_daily UNION ALL SELECT 'traffic', day FROM traffic_daily) "
                "GROUP BY ALL ORDER BY ALL").fetchall()
        finally:
            con.close()

    rows = per_day()
    december = sum(n for _, day, n in rows if day.startswith("2025-12"))
    assert december == 4  # two days, in ai_daily and traffic_daily
    closing = shadowai(config, "close", "--month", "2025-12")
    assert closing.exit_code == 0, closing.output
    assert (f"Closed 2025-12 (asked): summary kept, {december:,} per-person rows removed"
            in closing.stderr)
    assert per_day() == [r for r in rows if not r[1].startswith("2025-12")]
    assert {r[1] for r in per_day()} == {"2025-11-30", "2026-01-01"}
    assert not (tmp_path / "secret.keys" / "2025-12.key").exists()
    assert (tmp_path / "secret.keys" / "2026-01.key").exists()
    after = shadowai(config, "report", "--month", "2025-12")
    assert after.exit_code == 0, after.output
    assert summary(config, "2025-12")["totals"] == before["totals"]


def test_a_report_in_another_time_zone_than_the_ingest_is_refused_until_re_ingested(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Days and months are cut at ingest, in [report] timezone. Changing it afterwards (an
    overseas département correcting the default) reported the old days under the new zone's
    name with exit 0 (a new user's trial: 10 of 20 requests in October where the new zone
    puts all 20). The report is now refused in one line until the files are re-ingested
    with --force."""
    config = _org(tmp_path)
    # 1 November 00:30 in Paris is still 31 October (20:30) in Cayenne
    night = [hit(local(2026, 11, 1, 0, 30), u, "openai-chatgpt") for u in ("alice", "bob")]
    log = write_log(tmp_path / "logs" / "access.log",
                    [hit(local(2026, 10, 15), "carol", "openai-chatgpt"), *night])
    assert run_month(config, "2026-10", log)["totals"]["ai_requests"] == 1
    monkeypatch.setenv("SHADOWAI_REPORT_TIMEZONE", "America/Cayenne")
    refused = shadowai(config, "run", "--month", "2026-10", str(log))
    assert refused.exit_code == 1
    assert ("2026-10: files were ingested with their days cut in Europe/Paris (1 file(s)), "
            "and [report] timezone is now America/Cayenne") in refused.output
    assert "Traceback" not in refused.output
    again = shadowai(config, "run", "--force", "--month", "2026-10", str(log))
    assert again.exit_code == 0, again.output
    assert summary(config, "2026-10")["totals"]["ai_requests"] == 3
