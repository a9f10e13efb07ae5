"""`shadowai audit` states what the store holds (checked here against the store itself)
and fails, exit code 3, when a raw identity or a kept key is planted (issue 12)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from tests.conftest import at, native


@pytest.fixture
def stored(shadowai, org: Path) -> Path:
    log = org.parent / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text("\n".join(
        native(at(d), ip, "TCP_MISS/200", 900, "GET", "https://claude.ai/chat", u)
        for d in (5, 6) for ip, u in (("10.1.0.5", "alice"), ("10.1.0.6", "bob"),
                                      ("10.2.0.7", "-"))) + "\n", encoding="utf-8")
    assert shadowai("run", "--month", "2026-10", str(log)).exit_code == 0
    return org.parent / "store.duckdb"


def _audit(shadowai) -> tuple[int, dict]:
    result = shadowai("audit", "--json")
    return result.exit_code, json.loads(result.stdout)


def test_the_facts_stated_are_those_of_the_store(shadowai, stored: Path) -> None:
    code, audit = _audit(shadowai)
    assert code == 0 and audit["ok"]
    con = duckdb.connect(str(stored), read_only=True)
    for table in audit["tables"]:
        assert table["rows"] == con.execute(f'SELECT count(*) FROM "{table["name"]}"')\
            .fetchall()[0][0], table["name"]
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    ai = con.execute("SELECT count(*) FROM ai_daily WHERE day >= '2026-10-01'").fetchall()[0][0]
    people = con.execute("SELECT count(*) FROM ai_daily").fetchall()[0][0] + \
        con.execute("SELECT count(*) FROM traffic_daily").fetchall()[0][0]
    con.close()
    tables = {t["name"]: t for t in audit["tables"]}
    assert set(tables) == names
    assert tables["ai_daily"]["rows_by_month"] == {"2026-10": ai} and ai > 0
    assert audit["months"] == [{"month": "2026-10", "state": "open", "closed_at": None,
                                "rows_removed_at_close": None, "person_rows": people,
                                "summary_kept": True, "key_in_ring": True}]
    assert [k["mode"] for k in audit["key_ring"]["keys"]] == ["0600"]
    assert audit["key_ring"]["mode"] == "0700"
    text = shadowai("audit").stdout
    assert f"{people:,} person rows" in text and "Audit passed" in text


def test_after_a_close_the_audit_shows_what_is_left(shadowai, stored: Path) -> None:
    assert shadowai("close", "--month", "2026-10").exit_code == 0
    code, audit = _audit(shadowai)
    assert code == 0, audit["checks"]
    con = duckdb.connect(str(stored), read_only=True)
    closed_at, removed = con.execute("SELECT closed_at, rows_removed FROM closed_months")\
        .fetchall()[0]
    con.close()
    month = audit["months"][0]
    assert month["state"] == "closed" and month["person_rows"] == 0
    assert month["closed_at"] == closed_at.replace(microsecond=0).isoformat()
    assert month["rows_removed_at_close"] == removed > 0
    assert not month["key_in_ring"] and audit["key_ring"]["keys"] == []
    assert {t["name"]: t["rows"] for t in audit["tables"]}["ai_daily"] == 0


PLANTED = {
    "a login as a pseudonym": ("pseudonyms", "UPDATE ai_daily SET pseudonym = 'alice' "
                               "WHERE rowid = (SELECT min(rowid) FROM ai_daily)"),
    # not bob: "bob" is a catalog word since IBM Bob (bob.ibm.com) is listed, and the
    # audit leaves out logins equal to a catalog word (it reports them as left out)
    "a login in a file path": ("logins", "UPDATE files SET path = '/var/log/carol.log'"),
    "a login in free text": ("logins", "INSERT INTO meta VALUES ('note', 'seen: carol')"),
    "a client address": ("addresses", "INSERT INTO candidates VALUES "
                         "('2026-10', '10.2.0.7', 1, 1)"),
    "a column added": ("schema", "ALTER TABLE traffic_daily ADD COLUMN login VARCHAR"),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_a_planted_raw_identity_fails_the_audit(shadowai, stored: Path, case: str) -> None:
    check, sql = PLANTED[case]
    con = duckdb.connect(str(stored))
    con.execute(sql)
    con.close()
    result = shadowai("audit")
    assert result.exit_code == 3
    assert f"[FAILED] {check}:" in result.stdout and "Audit FAILED" in result.stdout
    code, audit = _audit(shadowai)
    assert code == 3
    failed = [c["id"] for c in audit["checks"] if not c["ok"]]
    assert check in failed
    # the audit is read by staff representatives: it says where, never what it found
    planted = {"alice", "carol", "10.2.0.7"}
    shown = result.stdout + json.dumps(audit)
    assert not {p for p in planted if p in sql} & {p for p in planted if p in shown}


def test_a_key_left_for_a_closed_month_or_open_to_others_fails(shadowai, stored: Path,
                                                              org: Path) -> None:
    ring = org.parent / "secret.keys"
    os.chmod(ring / "2026-10.key", 0o644)
    code, audit = _audit(shadowai)
    assert code == 3 and [c["id"] for c in audit["checks"] if not c["ok"]] == ["key_ring"]
    os.chmod(ring / "2026-10.key", 0o600)
    kept = (ring / "2026-10.key").read_bytes()
    assert shadowai("close", "--month", "2026-10").exit_code == 0
    (ring / "2026-10.key").write_bytes(kept)  # a copy restored from a backup
    os.chmod(ring / "2026-10.key", 0o600)
    code, audit = _audit(shadowai)
    assert code == 3
    closed = next(c for c in audit["checks"] if c["id"] == "closed")
    assert closed["findings"] == ["2026-10: its key is still in the key ring"]
