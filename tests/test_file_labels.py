"""File names never reach a report unless asked for, and never for a file of fewer than
k people: a log may be named after a person (jean.dupont.log, a workstation's Proxifier
log). Issue 12."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import at, native


def _write(path: Path, users: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(native(at(d), "10.1.0.5", "TCP_MISS/200", 900, "GET",
                                     "https://claude.ai/chat", u)
                              for d in (5, 6) for u in users) + "\n", encoding="utf-8")


def _everything(folder: Path, store: Path) -> str:
    """The text of every output of the month (xlsx unzipped) and the kept summaries."""
    texts = []
    for out in folder.rglob("*"):
        if out.suffix == ".xlsx":
            with zipfile.ZipFile(out) as z:
                texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif out.is_file():
            texts.append(out.read_text(encoding="utf-8-sig"))
    con = duckdb.connect(str(store), read_only=True)
    texts += [r[0] for r in con.execute("SELECT summary FROM month_summaries").fetchall()]
    con.close()
    assert len(texts) > 5  # html, json, csv files, the workbook's parts, the summary
    return "\n".join(texts)


@pytest.fixture
def logs(org: Path) -> Path:
    folder = org.parent / "logs"
    _write(folder / "jean.dupont.log", ["alice"])            # one person: below k = 2
    _write(folder / "proxy" / "access.log", ["bob", "carol", "alice"])
    return folder


def test_default_reports_show_labels_not_names(shadowai, org: Path, logs: Path) -> None:
    result = shadowai("run", "--month", "2026-10", str(logs))
    assert result.exit_code == 0, result.output
    assert "jean.dupont.log" in result.stdout  # the operator's terminal may name files
    text = _everything(org.parent / "reports" / "2026-10", org.parent / "store.duckdb")
    assert "jean.dupont" not in text and "access.log" not in text
    summary = json.loads((org.parent / "reports" / "2026-10" / "summary.json").read_text())
    assert sorted(f["name"] for f in summary["quality"]["files"]) == \
        ["squid-native #1", "squid-native #2"]


def test_names_shown_when_asked_only_for_k_people(shadowai, org: Path, logs: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHADOWAI_REPORT_SHOW_FILE_NAMES", "true")
    assert shadowai("run", "--month", "2026-10", str(logs)).exit_code == 0
    text = _everything(org.parent / "reports" / "2026-10", org.parent / "store.duckdb")
    assert "proxy/access.log" in text  # 3 people >= k
    assert "jean.dupont" not in text  # 1 person < k, even with the setting
    names = {f["name"] for f in json.loads(
        (org.parent / "reports" / "2026-10" / "summary.json").read_text())["quality"]["files"]}
    assert len(names) == 2 and any(n.startswith("squid-native #") for n in names)


def test_a_file_of_k_people_is_named_with_the_setting(shadowai, org: Path, logs: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _write(logs / "jean.dupont.log", ["alice", "bob"])  # now k = 2 people
    monkeypatch.setenv("SHADOWAI_REPORT_SHOW_FILE_NAMES", "true")
    assert shadowai("run", "--month", "2026-10", str(logs)).exit_code == 0
    text = _everything(org.parent / "reports" / "2026-10", org.parent / "store.duckdb")
    assert "logs/jean.dupont.log" in text
    monkeypatch.setenv("SHADOWAI_REPORT_SHOW_FILE_NAMES", "false")
    assert shadowai("report", "--month", "2026-10").exit_code == 0
    assert "jean.dupont" not in _everything(org.parent / "reports" / "2026-10",
                                            org.parent / "store.duckdb")


def test_a_closed_month_forgets_the_names_of_its_files(shadowai, org: Path,
                                                        logs: Path) -> None:
    assert shadowai("run", "--month", "2026-10", str(logs)).exit_code == 0
    assert shadowai("close", "--month", "2026-10").exit_code == 0
    con = duckdb.connect(str(org.parent / "store.duckdb"), read_only=True)
    paths = sorted(r[0] for r in con.execute("SELECT path FROM files").fetchall())
    con.close()
    assert paths == ["squid-native #1", "squid-native #2"]
    again = shadowai("ingest", str(logs))  # the same files: still known, by label
    assert again.exit_code == 0 and "already" in again.stdout


def test_a_summary_kept_with_names_is_shown_with_labels(shadowai, org: Path,
                                                         logs: Path) -> None:
    """Summaries kept by earlier versions named every file: a closed month's report,
    rendered from its summary, shows labels instead."""
    assert shadowai("run", "--month", "2026-10", str(logs)).exit_code == 0
    assert shadowai("close", "--month", "2026-10").exit_code == 0
    con = duckdb.connect(str(org.parent / "store.duckdb"))
    (text,) = con.execute("SELECT summary FROM month_summaries").fetchone()
    old = json.loads(text)
    old["quality"]["files"][0]["name"] = "logs/jean.dupont.log"
    con.execute("UPDATE month_summaries SET summary = ?", [json.dumps(old)])
    con.close()
    assert shadowai("report", "--month", "2026-10", "--out", str(org.parent / "r2"))\
        .exit_code == 0
    folder = org.parent / "r2" / "2026-10"
    assert "jean.dupont" not in (folder / "index.html").read_text(encoding="utf-8")
    names = [f["name"] for f in json.loads((folder / "summary.json").read_text())
             ["quality"]["files"]]
    assert names[0] == "squid-native #1" and len(names) == 2


def test_an_open_month_says_who_can_reidentify_it_and_until_when(
        shadowai, org: Path, logs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bs4 import BeautifulSoup

    monkeypatch.setenv("SHADOWAI_PRIVACY_CLOSE_AFTER_DAYS", "0")
    assert shadowai("run", "--month", "2026-10", str(logs)).exit_code == 0
    page = org.parent / "reports" / "2026-10" / "index.html"
    banner = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")\
        .select_one("#open-banner").get_text()
    assert "l'exploitant qui détient le trousseau" in banner and "shadowai close" in banner
    monkeypatch.setenv("SHADOWAI_PRIVACY_CLOSE_AFTER_DAYS", "10000")  # not due yet
    assert shadowai("report", "--month", "2026-10", "--lang", "en").exit_code == 0
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "closed (automatically from" in soup.select_one("#open-banner").get_text()
    summary = json.loads((page.parent / "summary.json").read_text())
    assert summary["closes_on"] == "2054-03-19"  # 2026-11-01 + 10,000 days
    assert shadowai("close", "--month", "2026-10").exit_code == 0
    assert shadowai("report", "--month", "2026-10").exit_code == 0
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#closed-banner") and not soup.select_one("#open-banner")


def test_a_skipped_file_is_not_named_in_the_store(shadowai, org: Path, logs: Path) -> None:
    (logs / "jean.dupont.txt").write_text("", encoding="utf-8")  # empty: skipped
    result = shadowai("ingest", str(logs))
    assert "jean.dupont.txt: skipped" in result.stderr  # the operator's terminal
    con = duckdb.connect(str(org.parent / "store.duckdb"), read_only=True)
    rows = con.execute("SELECT path, reason FROM skipped_files").fetchall()
    con.close()
    assert rows == [("#1", "empty file")]
