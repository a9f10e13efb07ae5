"""Months as the monthly job sees them: the key that made a month continues it, no month
is published from nothing, purged months keep their history, and a month's quality
figures count only its own lines. Real files, a real store, the real CLI."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PARIS, native
from tests.test_rotation import cli_run, config

CET = dt.timezone(dt.timedelta(hours=1))


def month_lines(year: int, month: int, days: range, per_day: int = 6) -> list[str]:
    zone = PARIS if 4 <= month <= 10 else CET
    out = []
    for day in days:
        for i in range(per_day):
            when = dt.datetime(year, month, day, 9 + i, 0, tzinfo=zone)
            user = ["alice", "bob", "carol"][i % 3]
            host = ["chatgpt.com:443", "claude.ai:443", "www.example.org:443"][i % 3]
            out.append(native(when, f"10.1.0.{i}", "TCP_TUNNEL/200", 100 + i, "CONNECT",
                              host, user))
    return out


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return config(tmp_path / "work")


def test_a_lost_key_is_never_silently_replaced(cfg: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "logs" / "a.log", month_lines(2026, 10, range(1, 10)))
    assert cli_run(cfg, "ingest", str(log)).exit_code == 0
    key = cfg.parent / "keys" / "2026-10.key"
    key.unlink()
    more = write(tmp_path / "logs" / "b.log", month_lines(2026, 10, range(10, 20)))
    result = cli_run(cfg, "ingest", str(more))
    assert result.exit_code == 1
    assert "the key of 2026-10 is missing from the key ring" in result.stderr
    assert "Restore the file" in result.stderr
    assert "Traceback" not in result.output
    assert not key.exists()  # no new key was made for a month with data


def test_another_key_for_a_month_with_data_is_refused(cfg: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "logs" / "a.log", month_lines(2026, 10, range(1, 10)))
    cli_run(cfg, "ingest", str(log))
    con = duckdb.connect(str(cfg.parent / "store.duckdb"), read_only=True)
    before = con.execute("SELECT count(*), count(DISTINCT pseudonym) FROM ai_daily").fetchall()
    checks = con.execute("SELECT month, key_check FROM month_keys").fetchall()
    con.close()
    key = cfg.parent / "keys" / "2026-10.key"
    assert [m for m, _ in checks] == ["2026-10"]
    assert key.read_text().strip() not in str(checks)  # a check value, never the key
    key.write_text(secrets.token_hex(32) + "\n")
    more = write(tmp_path / "logs" / "b.log", month_lines(2026, 10, range(10, 20)))
    result = cli_run(cfg, "run", "--month", "2026-10", str(more))
    assert result.exit_code == 1
    assert "2026-10 was pseudonymised with another key" in result.stderr
    con = duckdb.connect(str(cfg.parent / "store.duckdb"), read_only=True)
    after = con.execute("SELECT count(*), count(DISTINCT pseudonym) FROM ai_daily").fetchall()
    con.close()
    assert after == before
    assert not (cfg.parent / "reports" / "2026-10").exists()


def test_a_month_without_data_is_not_published(cfg: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "logs" / "oct.log", month_lines(2026, 10, range(1, 31)))
    assert cli_run(cfg, "run", "--month", "2026-10", str(log)).exit_code == 0
    empty = cli_run(cfg, "report", "--month", "2026-09")
    assert empty.exit_code == 1
    assert "2026-09: no log line of this month" in empty.stderr
    assert "The store holds 2026-10" in empty.stderr
    assert not (cfg.parent / "reports" / "2026-09").exists()
    wrong = cli_run(cfg, "run", "--month", "2026-11", str(log))
    assert wrong.exit_code == 1
    assert "The files given cover 2026-10" in wrong.stderr
    assert not (cfg.parent / "reports" / "2026-11").exists()
    con = duckdb.connect(str(cfg.parent / "store.duckdb"), read_only=True)
    assert con.execute("SELECT month FROM month_summaries").fetchall() == [("2026-10",)]
    con.close()


def test_a_bare_report_without_last_months_data_is_refused(cfg: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "logs" / "old.log", month_lines(2026, 3, range(1, 5)))
    cli_run(cfg, "ingest", str(log))
    result = cli_run(cfg, "report")  # last month: 2026-11 today
    assert result.exit_code == 1 and "no log line of this month" in result.stderr


def test_partial_coverage_is_said(cfg: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "logs" / "oct.log", month_lines(2026, 10, range(1, 16)))
    result = cli_run(cfg, "run", "--month", "2026-10", str(log))
    assert result.exit_code == 0
    assert "Warning: 2026-10: 16 of 31 days have no data" in result.stderr
    summary = json.loads((cfg.parent / "reports" / "2026-10" / "summary.json").read_text())
    assert summary["quality"]["days_with_data"] == 15
    assert len(summary["quality"]["missing_days"]) == 16


def test_a_purged_month_renders_from_its_kept_summary(cfg: Path, tmp_path: Path) -> None:
    kept = {}
    for month in (8, 9, 10):
        log = write(tmp_path / "logs" / f"{month}.log",
                    month_lines(2026, month, range(1, 29)))
        assert cli_run(cfg, "run", "--month", f"2026-{month:02d}", str(log)).exit_code == 0
        kept[month] = json.loads(
            (cfg.parent / "reports" / f"2026-{month:02d}" / "summary.json").read_text())
    assert kept[8]["totals"]["ai_people"] == 2
    assert cli_run(cfg, "purge", "--before", "2026-10").exit_code == 0
    again = cli_run(cfg, "report", "--month", "2026-08", "--lang", "en",
                    "--out", str(tmp_path / "other"))
    assert again.exit_code == 0, again.output
    rendered = json.loads((tmp_path / "other" / "2026-08" / "summary.json").read_text())
    assert rendered["totals"] == kept[8]["totals"]
    assert rendered["lang"] == "en"
    con = duckdb.connect(str(cfg.parent / "store.duckdb"), read_only=True)
    stored = json.loads(con.execute("SELECT summary FROM month_summaries "
                                    "WHERE month = '2026-08'").fetchall()[0][0])
    con.close()
    assert stored["totals"] == kept[8]["totals"]
    trend = cli_run(cfg, "trend")
    assert trend.exit_code == 0
    months = json.loads((cfg.parent / "reports" / "trend" / "trend.json").read_text())["months"]
    assert {m["month"]: m["ai_people"] for m in months} == {
        "2026-08": 2, "2026-09": 2, "2026-10": 2}
    status = cli_run(cfg, "status")
    assert "2026-08: purged, summary kept" in status.stdout


def test_a_month_without_data_between_two_is_not_a_zero_in_the_trend(cfg: Path,
                                                                      tmp_path: Path) -> None:
    for month in (8, 10):
        log = write(tmp_path / "logs" / f"{month}.log", month_lines(2026, month, range(1, 29)))
        cli_run(cfg, "run", "--month", f"2026-{month:02d}", str(log))
    assert cli_run(cfg, "trend").exit_code == 0
    months = json.loads((cfg.parent / "reports" / "trend" / "trend.json").read_text())["months"]
    (september,) = [m for m in months if m["month"] == "2026-09"]
    assert september["ai_people"] is None and september["ai_episodes"] is None
    assert september["flags"] == ["no_data"]
    # the month after a gap is not flagged as a change of sources or files
    assert [m["flags"] for m in months if m["month"] == "2026-10"] == [[]]
    assert [m["ai_people"] for m in months if m["month"] != "2026-09"] == [2, 2]
    # the page says "–" (no data) for it, not "< k" (too few people), which it read before
    page = (cfg.parent / "reports" / "trend" / "index.html").read_text(encoding="utf-8")
    row = page.split('data-month="2026-09"', 1)[1].split("</tr>", 1)[0]
    assert "&lt; " not in row and "< " not in row and row.count("–") >= 3, row


def test_quality_figures_of_a_month_count_only_its_lines(cfg: Path, tmp_path: Path) -> None:
    """A file spanning October and November, with malformed lines in both months."""
    october = month_lines(2026, 10, range(25, 32))
    november = month_lines(2026, 11, range(1, 3))
    lines = october[:10] + ["garbage in october"] + october[10:] + november[:4] \
        + ["garbage in november", "more garbage"] + november[4:]
    log = write(tmp_path / "logs" / "span.log", lines)
    assert cli_run(cfg, "run", "--month", "2026-11", str(log)).exit_code == 2  # 3 rejected
    nov = json.loads((cfg.parent / "reports" / "2026-11" / "summary.json").read_text())
    assert nov["quality"]["lines"] == len(november) + 2
    assert nov["quality"]["rejected"] == 2
    assert nov["quality"]["files"][0]["lines"] == len(november) + 2
    cli_run(cfg, "report", "--month", "2026-10")
    oct_ = json.loads((cfg.parent / "reports" / "2026-10" / "summary.json").read_text())
    assert oct_["quality"]["lines"] == len(october) + 1
    assert oct_["quality"]["rejected"] == 1
    status = cli_run(cfg, "status").stdout
    assert f"{len(lines)} lines, 3 rejected" in status
    assert f"2026-10: 1 file(s), {len(october) + 1} lines, 1 rejected" in status
    assert f"2026-11: 1 file(s), {len(november) + 2} lines, 2 rejected" in status
