"""`shadowai transparency`: the GDPR documents in French and English state the
installation's real settings and what its store holds (issue 12). Facts are read back
from the HTML by their data-fact marks and compared with the config and the store."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from tests.conftest import at, native

DOCS = ("notice", "record", "dpia")


@pytest.fixture
def stored(shadowai, org: Path) -> Path:
    log = org.parent / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text("\n".join(
        native(at(d), "10.1.0.5", "TCP_MISS/200", 900, "GET", "https://claude.ai/chat", u)
        for d in (5, 6) for u in ("alice", "bob", "carol")) + "\n", encoding="utf-8")
    assert shadowai("run", "--month", "2026-10", str(log)).exit_code == 0
    return org.parent / "store.duckdb"


def _docs(out: Path, lang: str) -> dict[str, BeautifulSoup]:
    return {d: BeautifulSoup((out / lang / f"{d}.html").read_text(encoding="utf-8"),
                             "html.parser") for d in DOCS}


def _facts(page: BeautifulSoup, name: str) -> set[str]:
    return {e.get_text() for e in page.select(f'[data-fact="{name}"]')}


def test_both_languages_state_the_settings_and_the_store(shadowai, org: Path,
                                                        stored: Path) -> None:
    assert shadowai("close", "--month", "2026-10").exit_code == 0
    out = org.parent / "rgpd"
    result = shadowai("transparency", "--out", str(out))
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(stored), read_only=True)
    rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for (t,) in
            con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    formats = {r[0] for r in con.execute("SELECT DISTINCT format FROM files").fetchall()}
    closed = [r[0] for r in con.execute("SELECT month FROM closed_months").fetchall()]
    con.close()
    titles = set()
    for lang in ("fr", "en"):
        docs = _docs(out, lang)
        for page in docs.values():
            assert page.html["lang"] == lang
            assert not page.select("script, link, img, [src]")  # self-contained
            assert not {a["href"] for a in page.select("a")} - {f"{d}.html" for d in DOCS}
            text = page.get_text()
            assert "alice" not in text and "10.1.0.5" not in text
            titles.add(page.h1.get_text())
        notice, record, dpia = docs["notice"], docs["record"], docs["dpia"]
        assert _facts(notice, "k") == _facts(record, "k") == _facts(dpia, "k") == {"2"}
        assert {li.get_text() for li in notice.select("#sources li")} == formats
        assert _facts(dpia, "months_closed") == {", ".join(closed)} == {"2026-10"}
        assert _facts(dpia, "person_rows") == {"0"}
        assert {tr["data-table"]: int(tr.select("td")[-1].get_text())
                for tr in dpia.select("#store-tables tbody tr")} == rows
        assert _facts(record, "key_ring") == {str(org.parent / "secret.keys")}
        assert _facts(dpia, "key_ring_mode") == {"0700"}
        # conftest sets close_after_days = 0: the documents say there is no automatic close
        assert not _facts(notice, "close_after_days")
        assert "shadowai close" in notice.select_one("#retention").get_text()
    assert len(titles) == 6  # three documents, each in two languages
    facts = json.loads((out / "facts.json").read_text(encoding="utf-8"))
    assert facts["k"] == 2 and facts["months_closed"][0]["month"] == "2026-10"


def test_changing_a_setting_changes_the_documents(shadowai, org: Path, stored: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = org.parent / "rgpd"
    first = shadowai("transparency", "--out", str(out), "--lang", "fr")
    assert first.exit_code == 0
    assert "[privacy] controller is not set" in first.stderr
    assert "[privacy] dpo_contact is not set" in first.stderr
    assert not (out / "en").exists()
    notice = _docs(out, "fr")["notice"]
    assert {m["data-todo"] for m in notice.select("mark.todo")} == {"controller",
                                                                    "dpo_contact"}
    assert notice.select_one("#todo-warning")
    monkeypatch.setenv("SHADOWAI_PRIVACY_K", "3")
    monkeypatch.setenv("SHADOWAI_PRIVACY_CLOSE_AFTER_DAYS", "7")
    monkeypatch.setenv("SHADOWAI_PRIVACY_CONTROLLER", "Commune d'Exemple")
    monkeypatch.setenv("SHADOWAI_PRIVACY_DPO_CONTACT", "dpo@exemple.fr")
    second = shadowai("transparency", "--out", str(out), "--lang", "en")
    assert second.exit_code == 0 and "not set" not in second.stderr
    docs = _docs(out, "en")
    notice = docs["notice"]
    assert not notice.select("mark.todo") and not notice.select_one("#todo-warning")
    assert _facts(notice, "k") == {"3"}
    assert _facts(notice, "controller") == {"Commune d'Exemple"}
    assert _facts(docs["record"], "dpo_contact") == {"dpo@exemple.fr"}
    assert _facts(notice, "close_after_days") == {"7"}
    # October is open: the first run from November 1 + 7 days closes it
    assert "2026-10 from November 8, 2026" in notice.select_one("#retention").get_text()
    assert _facts(docs["dpia"], "months_open") == {"2026-10"}
    risk = docs["dpia"].select_one('[data-risk="access"]').select("td")[-1].get_text()
    assert risk == "limited"  # an automatic close shortens the window


def test_a_failed_audit_is_stated(shadowai, org: Path, stored: Path) -> None:
    con = duckdb.connect(str(stored))
    con.execute("INSERT INTO meta VALUES ('note', 'carol')")
    con.close()
    out = org.parent / "rgpd"
    result = shadowai("transparency", "--out", str(out))
    assert result.exit_code == 0 and "the audit failed" in result.stdout
    assert _facts(_docs(out, "fr")["dpia"], "audit_ok") == {"ÉCHEC"}
