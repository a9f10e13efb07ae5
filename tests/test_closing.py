"""Closed months: after the close nobody, the operator included, can link anything of the
month to a person; figures and reports are unchanged; late lines are not counted twice.
Real demo logs, a real store, a real key ring, the real CLI."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from shadowai.cli import cli
from shadowai.directory import normalise_user
from tests.conftest import DEMO
from tests.orgkit import demo_config
from tests.test_months import month_lines, write


def run(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def pseudonyms_in_store(store: Path) -> set[str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        found: set[str] = set()
        for table, column in (("ai_daily", "pseudonym"), ("traffic_daily", "pseudonym"),
                              ("dns_answers", "client")):
            found |= {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()}
        return found
    finally:
        con.close()


def every_string_in_store(store: Path) -> set[str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        out: set[str] = set()
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables")\
                .fetchall():
            for row in con.execute(f"SELECT * FROM {table}").fetchall():
                out |= {str(v) for v in row if v is not None}
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def closed_demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("closed")
    config = demo_config(work)
    assert run(config, "run", "--month", "2026-10", str(DEMO / "logs" / "2026-10")).exit_code == 0
    before = json.loads((work / "reports" / "2026-10" / "summary.json").read_text())
    shutil.copytree(work / "reports" / "2026-10", work / "before")
    # an operator who copied the month's key before the close
    key = bytes.fromhex((work / "keys" / "2026-10.key").read_text().strip())
    open_pseudonyms = pseudonyms_in_store(work / "store.duckdb")
    status_open = run(config, "status").stdout
    closing = run(config, "close", "--month", "2026-10")
    assert closing.exit_code == 0, closing.output
    return {"work": work, "config": config, "before": before, "key": key,
            "open": open_pseudonyms, "closing": closing, "status_open": status_open}


def test_an_open_month_can_be_reidentified_by_the_key_holder(closed_demo) -> None:
    """The threat the close removes: with the month key and users.csv, logins are linked."""
    key = closed_demo["key"]
    users = [r["user"] for r in csv.DictReader((DEMO / "users.csv").open(encoding="utf-8"))]
    linked = {u for u in users if hmac.new(key, normalise_user(u).encode(), hashlib.sha256)
              .hexdigest()[:16] in closed_demo["open"]}
    assert len(linked) > 500


def _every_output(work: Path) -> str:
    """The text of every file the installation wrote (reports, exports, workbooks unzipped,
    the audit, the transparency pack), the store's values and the key ring's files."""
    texts = list(every_string_in_store(work / "store.duckdb"))
    for path in work.rglob("*"):
        if not path.is_file() or path.suffix in (".duckdb", ".wal"):
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def test_after_the_close_no_demo_user_links_to_any_row(closed_demo) -> None:
    """Holding every file of the installation (key ring, users.csv, store, every output)
    and even a copy of the month's key taken before the close: no demo user is linked."""
    work: Path = closed_demo["work"]
    config: Path = closed_demo["config"]
    assert not (work / "keys" / "2026-10.key").exists()
    assert list((work / "keys").iterdir()) == []
    store = work / "store.duckdb"
    assert pseudonyms_in_store(store) == set()
    audit = run(config, "audit", "--json")
    assert audit.exit_code == 0, audit.output
    (work / "audit.json").write_text(audit.stdout, encoding="utf-8")
    assert run(config, "transparency").exit_code == 0
    assert run(config, "report", "--month", "2026-10", "--lang", "en",
               "--out", str(work / "after-en")).exit_code == 0
    blob = _every_output(work)
    assert "2026-10" in blob and len(blob) > 100_000  # the outputs were read
    keys = [bytes.fromhex(p.read_text().strip()) for p in (work / "keys").iterdir()]
    keys.append(closed_demo["key"])
    users = [r["user"] for r in csv.DictReader((DEMO / "users.csv").open(encoding="utf-8"))]
    tried = 0
    for user in users:
        name = normalise_user(user) or user
        for key in keys:
            assert hmac.new(key, name.encode(), hashlib.sha256).hexdigest()[:16] not in blob
            tried += 1
    assert tried == len(users) >= 4000
    # and none of the open month's pseudonyms (the rows a key could be joined to) is left
    assert closed_demo["open"] and not any(p in blob for p in closed_demo["open"])
    # logins themselves: none as a value of the store
    strings = every_string_in_store(store)
    assert not any((normalise_user(u) or u) in strings for u in users)


def test_the_close_leaves_figures_and_reports_unchanged(closed_demo) -> None:
    config: Path = closed_demo["config"]
    work: Path = closed_demo["work"]
    again = run(config, "report", "--month", "2026-10", "--out", str(work / "after"))
    assert again.exit_code == 0, again.output
    after = json.loads((work / "after" / "2026-10" / "summary.json").read_text())
    for key in ("totals", "services", "departments", "categories", "daily", "training",
                "quality"):
        assert after[key] == closed_demo["before"][key], key
    assert after["closed_at"].startswith(dt.date.today().isoformat())
    # every export holds the same figures, byte for byte
    exports = sorted(p.name for p in (work / "before").glob("*.csv"))
    assert len(exports) >= 5
    for name in exports:
        assert (work / "after" / "2026-10" / name).read_bytes() == \
            (work / "before" / name).read_bytes(), name
    assert "Nobody can re-identify it" in closed_demo["closing"].stderr


def test_late_lines_of_a_closed_month_are_not_counted_twice(closed_demo,
                                                             tmp_path: Path) -> None:
    config: Path = closed_demo["config"]
    work: Path = closed_demo["work"]
    late = write(tmp_path / "late.log", month_lines(2026, 10, range(30, 32))
                 + month_lines(2026, 11, range(1, 3)))
    result = run(config, "ingest", "--json", str(late))
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["month_closed"] == 12 and row["status"] == "ingested"
    assert row["rejected"] == 0  # not malformed: not counted against max_rejected_ratio
    assert "12 lines of closed months not ingested" in result.stderr
    assert not (work / "keys" / "2026-10.key").exists()  # no key made for a closed month
    assert (work / "keys" / "2026-11.key").exists()
    con = duckdb.connect(str(work / "store.duckdb"), read_only=True)
    october = con.execute("SELECT count(*) FROM ai_daily WHERE day < '2026-11-01'").fetchall()
    lines = con.execute("SELECT reason, month, lines FROM file_lines "
                        "WHERE kind = 'month_closed'")\
        .fetchall()
    con.close()
    assert october == [(0,)]
    assert lines == [("month closed (no key for this month)", "2026-10", 12)]


def test_months_close_by_themselves_after_the_grace_period(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHADOWAI_PRIVACY_CLOSE_AFTER_DAYS")  # the default: 10 days
    config = demo_config(tmp_path / "w")
    today = dt.date.today()
    this_month = today.replace(day=1)
    last = (this_month - dt.timedelta(days=1)).replace(day=1)
    before_last = (last - dt.timedelta(days=1)).replace(day=1)
    for month in (before_last, last):
        write(tmp_path / "logs" / f"{month:%Y-%m}.log",
              month_lines(month.year, month.month, range(1, 5)))
    first = run(config, "ingest", str(tmp_path / "logs"))  # nothing stored yet: no close
    assert first.exit_code == 0 and "Closed" not in first.stderr
    # the month before last ended on the 1st of last month: over 10 days ago, always
    result = run(config, "report", "--month", f"{before_last:%Y-%m}")
    assert result.exit_code == 0, result.output
    assert f"Closed {before_last:%Y-%m} (10 days after its end)" in result.stderr
    assert not (tmp_path / "w" / "keys" / f"{before_last:%Y-%m}.key").exists()
    summary = json.loads((tmp_path / "w" / "reports" / f"{before_last:%Y-%m}" /
                          "summary.json").read_text())
    assert summary["totals"]["ai_people"] is None  # 2 people < k = 5, but counted
    assert summary["totals"]["ai_requests"] == 4 * 4
    # last month ended on the 1st of this one: closed only from the 11th
    assert (tmp_path / "w" / "keys" / f"{last:%Y-%m}.key").exists() == (today.day < 11)


def test_a_legacy_secret_key_is_migrated_then_destroyed(tmp_path: Path) -> None:
    """A store written with a month key derived from one secret (shadowai < 0.2) goes on
    with the same pseudonyms; the secret, which could re-derive any month, is destroyed."""
    from shadowai.pseudonym import derive_month_key

    work = tmp_path / "w"
    work.mkdir()
    secret = os.urandom(32)
    old_ring = tmp_path / "old-scheme"
    old_ring.mkdir(mode=0o700)
    (old_ring / "2026-10.key").write_text(derive_month_key(secret, "2026-10").hex() + "\n")
    config = work / "shadowai.toml"
    config.write_text(f'[store]\npath = "store.duckdb"\n[privacy]\nkey_ring = "{old_ring}"\n',
                      encoding="utf-8")
    first = write(tmp_path / "a.log", month_lines(2026, 10, range(1, 3)))
    assert run(config, "ingest", str(first)).exit_code == 0
    shutil.rmtree(old_ring)
    (work / "old.key").write_text(secret.hex() + "\n")
    config.write_text('[store]\npath = "store.duckdb"\n[privacy]\nkey_file = "old.key"\n',
                      encoding="utf-8")
    more = write(tmp_path / "b.log", month_lines(2026, 10, range(3, 5)))
    result = run(config, "ingest", str(more))
    assert result.exit_code == 0, result.output
    assert "Migrated" in result.stderr and not (work / "old.key").exists()
    ring_key = bytes.fromhex((work / "old.keys" / "2026-10.key").read_text().strip())
    assert ring_key == derive_month_key(secret, "2026-10")
    con = duckdb.connect(str(work / "store.duckdb"), read_only=True)
    people = con.execute("SELECT count(DISTINCT pseudonym) FROM ai_daily").fetchall()
    con.close()
    assert people == [(2,)]  # alice and bob, one pseudonym each across both files


def test_force_on_a_file_counted_before_the_close_leaves_it_as_the_close_left_it(
        closed_demo) -> None:
    """`--force` on a file its closed month already counted: the month's summary is final
    and keeps no rows to replace. It was read again as a late file (exit 2, "no report will
    count it"), stored again under its name, its lines said never ingested, and the audit
    failed until the next close. Now it is left unchanged, said so, and nothing moves."""
    config: Path = closed_demo["config"]
    store = closed_demo["work"] / "store.duckdb"
    status_before = run(config, "status").stdout
    strings_before = every_string_in_store(store)
    counted = DEMO / "logs" / "2026-10" / "proxy1" / "access.log-20261015.gz"
    result = run(config, "ingest", "--force", "--json", str(counted))
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["status"] == "unchanged", row
    assert "a closed month's figures are final" in row["message"]
    assert "came too late" not in result.stderr
    assert run(config, "status").stdout == status_before
    assert every_string_in_store(store) == strings_before
    audit = run(config, "audit")
    assert audit.exit_code == 0, audit.output


def test_a_file_that_only_holds_lines_of_a_closed_month_makes_the_run_partial(
        closed_demo, tmp_path: Path) -> None:
    """A proxy's file copied after its month was closed: none of it can be counted, and a
    cron job saw exit 0 (only a warning on stderr). It is a partial run now (exit 2), said
    in one line; the next run finds the file stored and says nothing more."""
    config: Path = closed_demo["config"]
    late = write(tmp_path / "proxy2-late.log", month_lines(2026, 10, range(20, 23)))
    result = run(config, "ingest", "--json", str(late))
    assert result.exit_code == 2, result.output
    (row,) = json.loads(result.stdout)
    assert row["status"] == "ingested" and row["parsed"] == 0 and row["month_closed"] == 18
    assert (f"{late}: all 18 dated lines are of closed months: this file came too late, no "
            "report will count it.") in result.stderr
    again = run(config, "ingest", str(late))
    assert again.exit_code == 0, again.output
    # status: the closed month's AI requests are its summary's (its detail is gone, it said
    # 0), and the late lines are in it, said not ingested (the months did not add up)
    status = run(config, "status").stdout
    # the same AI requests as while the month was open: its people's and, counted apart,
    # its addresses' (it said the people's only: 9,614 closed against 9,714 open)
    (opened,) = [x for x in closed_demo["status_open"].splitlines()
                 if x.startswith("  2026-10: ")]
    requests = int(opened.rsplit(", ", 1)[1].split(" AI")[0].replace(",", ""))
    kept = closed_demo["before"]
    assert requests == kept["totals"]["ai_requests"] + kept["addresses"]["ai_requests"] > 0
    (october,) = [x for x in status.splitlines() if x.startswith("  2026-10 (closed ")]
    con = duckdb.connect(str(closed_demo["work"] / "store.duckdb"), read_only=True)
    (late_lines,), = con.execute("SELECT sum(lines) FROM file_lines WHERE kind = "
                                 "'month_closed' AND month = '2026-10'").fetchall()
    con.close()
    assert late_lines >= 18  # this file's, and those of other tests of the same store
    assert f"({late_lines:,} of them arrived after the month closed: not ingested)" in october
    assert october.endswith(f"{requests:,} AI requests") and requests > 0
    total = int(status.split(" file(s), ")[1].split(" lines")[0].replace(",", ""))
    months = [int(x.split(" file(s), ")[1].split(" lines")[0].replace(",", ""))
              for x in status.splitlines()[1:] if " file(s), " in x]
    assert sum(months) == total
