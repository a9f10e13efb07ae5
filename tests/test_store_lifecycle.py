"""The store over its life: retention cuts exactly at the month boundary, a store written
by the first release is upgraded through every migration with its data intact, and a
failed summary write leaves the previous summary in place. Real DuckDB files; the real
CLI where a user would act."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from shadowai.errors import StoreError
from shadowai.store import SCHEMA_VERSION, Store
from tests.conftest import REPO
from tests.orgkit import hit, local, shadowai, summary, write_log, write_org

CANDIDATE = "chat.example-llm.io"  # AI-looking, not in the catalog


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# -- retention ------------------------------------------------------------------------------
def test_purge_keeps_the_first_kept_day_and_removes_the_last_purged_day(tmp_path: Path
                                                                         ) -> None:
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances"})
    logs = tmp_path / "logs"
    write_log(logs / "september.log", [     # only the last day of September (local)
        hit(local(2026, 9, 30, 23, 30), "alice", "openai-chatgpt"),
        hit(local(2026, 9, 30, 23, 40), "alice", CANDIDATE)])
    write_log(logs / "october.log", [       # only the first minutes of October (local)
        hit(local(2026, 10, 1, 0, 10), "alice", "openai-chatgpt"),
        hit(local(2026, 10, 1, 0, 15), "alice", CANDIDATE)])
    write_log(logs / "both.log", [
        hit(local(2026, 9, 30, 23, 50), "bob", "anthropic-claude"),
        hit(local(2026, 10, 1, 0, 5), "bob", "anthropic-claude"),
        hit(local(2026, 10, 1, 0, 6), "bob", "anthropic-claude", blocked=True)])
    assert shadowai(config, "ingest", str(logs)).exit_code == 0
    assert shadowai(config, "report", "--month", "2026-09").exit_code == 0
    september = summary(config, "2026-09")
    assert september["totals"]["ai_requests"] == 2

    dry = shadowai(config, "purge", "--before", "2026-10", "--dry-run")
    assert ("Would remove the detailed data of 1 month(s) (2026-09): 2 AI rows, 2 activity "
            "rows, 1 file(s) from the registry; their summaries would be kept.") in dry.stdout
    assert _rows(tmp_path / "store.duckdb", "SELECT count(*) FROM files") == [(3,)]

    result = shadowai(config, "purge", "--before", "2026-10")
    assert result.exit_code == 0, result.output
    assert ("Removed the detailed data of 1 month(s) (2026-09): 2 AI rows, 2 activity rows, "
            "1 file(s) from the registry.") in result.stdout

    db = tmp_path / "store.duckdb"
    assert _rows(db, "SELECT DISTINCT day::VARCHAR FROM ai_daily") == [("2026-10-01",)]
    assert _rows(db, "SELECT DISTINCT day::VARCHAR FROM traffic_daily") == [("2026-10-01",)]
    assert _rows(db, "SELECT DISTINCT day::VARCHAR FROM file_days") == [("2026-10-01",)]
    assert sorted(Path(p).name for (p,) in _rows(db, "SELECT path FROM files")) == [
        "both.log", "october.log"]
    status = shadowai(config, "status").stdout
    assert "2026-10: 2 file(s)" in status and "2026-09: purged, summary kept" in status
    assert "2026-09: 1 file" not in status  # no detailed September line left

    # October is whole: its first day is still there
    assert shadowai(config, "report", "--month", "2026-10").exit_code == 0
    october = summary(config, "2026-10")
    assert october["totals"]["ai_requests"] == 3 and october["totals"]["ai_people"] == 2
    assert october["totals"]["blocked_requests"] == 1
    assert [d["day"] for d in october["daily"]] == ["2026-10-01"]
    listed = shadowai(config, "candidates", "--month", "2026-10", "--json")
    assert json.loads(listed.stdout) == [{"host": CANDIDATE, "requests": 1}]
    gone = shadowai(config, "candidates", "--month", "2026-09", "--json")
    assert json.loads(gone.stdout) == []
    # September survives as its summary, for trends
    trend = shadowai(config, "trend")
    assert trend.exit_code == 0, trend.output
    months = json.loads((tmp_path / "reports" / "trend" / "trend.json").read_text())["months"]
    assert [m["month"] for m in months] == ["2026-09", "2026-10"]


# -- migrations -----------------------------------------------------------------------------
def test_purge_of_closed_months_is_said_by_its_dry_run_and_keeps_them_in_status(
        tmp_path: Path) -> None:
    """Closed months keep no person row, but their files' labels and line counts stay in
    the registry. The dry run said "0 month(s): none", then the purge removed their files
    and the months vanished from `status`. Now both say the same, and status keeps them."""
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances"})
    logs = tmp_path / "logs"
    write_log(logs / "september.log", [hit(local(2026, 9, 10, 9, 0), "alice", "openai-chatgpt"),
                                       hit(local(2026, 9, 11, 9, 0), "bob", "openai-chatgpt")])
    write_log(logs / "october.log", [hit(local(2026, 10, 5, 9, 0), "bob", "openai-chatgpt")])
    assert shadowai(config, "ingest", str(logs)).exit_code == 0
    assert shadowai(config, "close", "--month", "2026-09").exit_code == 0
    dry = shadowai(config, "purge", "--before", "2026-10", "--dry-run")
    said = ("2 month(s)" not in dry.stdout and "1 month(s) (2026-09; closed already: 2026-09): "
            "0 AI rows, 0 activity rows, 1 file(s) from the registry")
    assert said in dry.stdout, dry.stdout
    assert _rows(tmp_path / "store.duckdb", "SELECT count(*) FROM files") == [(2,)]
    result = shadowai(config, "purge", "--before", "2026-10")
    assert result.exit_code == 0, result.output
    assert said in result.stdout, result.stdout
    status = shadowai(config, "status").stdout
    assert "2026-09: purged, summary kept" in status and "2026-10: 1 file(s)" in status
    assert shadowai(config, "report", "--month", "2026-09").exit_code == 0
    assert summary(config, "2026-09")["totals"]["ai_requests"] == 2


def _first_release_store(db: Path) -> None:
    """A store as the first release wrote it: migration 001 only, with a month of data."""
    (first,) = sorted((REPO / "shadowai" / "sql" / "migrations").glob("001_*.sql"))
    con = duckdb.connect(str(db))
    con.execute(first.read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(
        "INSERT INTO files VALUES (1, ?, '/var/log/squid/access.log', 'squid-native', "
        "'proxy request', 'gzip', 4096, 1791443702.0, 10, 9, 1, 2, "
        "'2026-10-05 08:00:00', '2026-10-06 09:00:00', '2026-10-05', '2026-10-06', "
        "'Europe/Paris', '2026.10.01', '2026-11-01 06:00:00')", ["ab" * 32])
    con.execute("INSERT INTO file_lines VALUES (1, 'rejected', 'wrong number of fields', 1, 7),"
                " (1, 'not_usage', 'no destination host', 2, 3)")
    con.execute("INSERT INTO file_days VALUES (1, '2026-10-05', 4), (1, '2026-10-06', 5)")
    con.execute("""INSERT INTO ai_daily VALUES
        ('2026-10-05', 'Finances', 'p000000000000001', 'openai-chatgpt', 'chatgpt.com',
         3, 0, 300, 4000, 1),
        ('2026-10-06', 'Finances', 'p000000000000002', 'openai-chatgpt', 'chatgpt.com',
         1, 0, NULL, NULL, 1),
        ('2026-10-06', 'Routes', 'p000000000000003', 'anthropic-claude', 'claude.ai',
         2, 1, 10, 20, 1)""")
    con.execute("""INSERT INTO traffic_daily VALUES
        ('2026-10-05', 'Finances', 'p000000000000001', 4, 1),
        ('2026-10-06', 'Finances', 'p000000000000002', 2, 1),
        ('2026-10-06', 'Routes', 'p000000000000003', 3, 1)""")
    con.execute(f"INSERT INTO candidates VALUES ('2026-10', '{CANDIDATE}', 5, 1)")
    con.close()


AI_V1 = ("SELECT day::VARCHAR, department, pseudonym, service_id, host, requests, blocked, "
         "bytes_up, bytes_down FROM ai_daily ORDER BY ALL")


def _schema(db: Path) -> list[tuple]:
    return _rows(db, "SELECT table_name, column_name, data_type FROM "
                     "information_schema.columns WHERE table_schema = 'main' ORDER BY ALL")


def test_a_first_release_store_is_upgraded_with_its_data(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    _first_release_store(db)
    before = _rows(db, AI_V1)
    traffic_v1 = "SELECT day, department, pseudonym, requests, file_id FROM traffic_daily " \
                 "ORDER BY ALL"
    traffic_before = _rows(db, traffic_v1)

    config = write_org(tmp_path, k=2)
    result = shadowai(config, "report", "--month", "2026-10")
    assert result.exit_code == 0, result.output

    with Store(db, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION
    fresh = tmp_path / "fresh.duckdb"
    Store(fresh).close()
    assert _schema(db) == _schema(fresh)  # every migration ran, none twice
    assert _rows(db, AI_V1) == before
    assert _rows(db, traffic_v1) == traffic_before
    assert _rows(db, "SELECT path, lines, rejected FROM files") == [
        ("/var/log/squid/access.log", 10, 1)]

    model = summary(config, "2026-10")
    assert model["totals"]["ai_requests"] == 6 and model["totals"]["blocked_requests"] == 1
    assert model["totals"]["ai_people"] == 3
    assert model["totals"]["ai_episodes"] == 0  # rows older than episodes count none
    assert {s["id"]: s["requests"] for s in model["services"]} == {
        "openai-chatgpt": 4, "anthropic-claude": None}  # Claude: fewer than k people
    q = model["quality"]
    assert (q["lines"], q["rejected"], q["not_usage"], q["not_event"]) == (10, 1, 2, 0)
    assert q["days_with_data"] == 2
    assert model["candidates"] == [{"host": CANDIDATE, "requests": 5}]
    # how identities were placed was not recorded before schema 7: all of them "unknown",
    # and without knowing who carried a user name, nobody is counted apart
    coverage = q["directory_coverage"]["active"]
    assert coverage["unknown"] == {"count": 3, "share": 1.0} and coverage["total"] == 3
    assert coverage["users"] == {"count": 0, "share": 0.0}
    assert model["addresses"]["counted_apart"] is False
    assert model["addresses"]["lines_with_user_share"] is None
    page = (tmp_path / "reports" / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert '<tr data-resolved="unknown"><td>Inconnu (ingéré avant la v7)</td>' in page

    # opening it again changes nothing (no migration runs twice)
    schema = _schema(db)
    Store(db).close()
    assert _schema(db) == schema and _rows(db, AI_V1) == before


def test_a_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match=f"store schema version {SCHEMA_VERSION + 1} is "
                                         "newer than this shadowai understands"):
        Store(db)


# -- monthly summaries ------------------------------------------------------------------------
def test_a_failed_summary_write_keeps_the_previous_summary(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        store.save_summary("2026-10", {"month": "2026-10", "ai_requests": 12})
        # a value DuckDB refuses (a lone surrogate cannot be UTF-8), after the DELETE ran
        with pytest.raises(duckdb.Error, match="surrogate"):
            store.save_summary("2026-10", {"month": "2026-10", "note": "\ud800"})
        assert store.summary("2026-10") == {"month": "2026-10", "ai_requests": 12}
        # the connection is usable again: no transaction left open
        store.save_summary("2026-09", {"month": "2026-09", "ai_requests": 3})
    with Store(db) as store:
        assert store.summary("2026-10") == {"month": "2026-10", "ai_requests": 12}
        store.save_summary("2026-10", {"month": "2026-10", "ai_requests": 13})
        assert store.summary("2026-10") == {"month": "2026-10", "ai_requests": 13}
        assert [s["month"] for s in store.summaries()] == ["2026-09", "2026-10"]
        assert [s["month"] for s in store.summaries(before="2026-10")] == ["2026-09"]
        assert store.summary("2026-11") is None
    assert _rows(db, "SELECT month, count(*) FROM month_summaries GROUP BY ALL "
                     "ORDER BY ALL") == [("2026-09", 1), ("2026-10", 1)]


def test_the_summary_written_at_time_is_utc(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        store.save_summary("2026-10", {"month": "2026-10"})
    (written,) = _rows(db, "SELECT written_at FROM month_summaries")[0]
    assert before - dt.timedelta(seconds=1) <= written <= before + dt.timedelta(minutes=1)


def test_purge_keeps_the_dns_answers_of_the_first_kept_month(tmp_path: Path) -> None:
    """DNS answers attribute later IP-only sessions of the same month: October's must
    survive a purge of September, September's must go."""
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    lines = (REPO / "sample_logs" / "formats" / "zeek-dns.log").read_text().splitlines()
    header = [x for x in lines if x.startswith("#")]

    def answer(when: dt.datetime, ip: str) -> str:
        return "\t".join([f"{when.timestamp():.6f}", "CX1", "10.1.0.10", "40000", "10.0.0.53",
                          "53", "udp", "1", "0.01", "chatgpt.com", "1", "C_INTERNET", "1", "A",
                          "0", "NOERROR", "F", "F", "T", "T", "0", ip, "60", "F"])

    dns = write_log(tmp_path / "dns.log", [
        *header[:-1], answer(local(2026, 9, 30, 23, 30), "203.0.113.9"),
        answer(local(2026, 10, 1, 0, 10), "203.0.113.10"), header[-1]])
    assert shadowai(config, "ingest", str(dns)).exit_code == 0
    db = tmp_path / "store.duckdb"
    assert _rows(db, "SELECT month, ip FROM dns_answers ORDER BY ALL") == [
        ("2026-09", "203.0.113.9"), ("2026-10", "203.0.113.10")]
    assert shadowai(config, "purge", "--before", "2026-10").exit_code == 0
    assert _rows(db, "SELECT month, ip FROM dns_answers") == [("2026-10", "203.0.113.10")]

    from tests.conftest import native
    sessions = write_log(tmp_path / "proxy.log", [native(
        local(2026, 10, 1, 0, 20), "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT",
        "203.0.113.10:443", "alice")])
    assert shadowai(config, "ingest", str(sessions)).exit_code == 0
    assert shadowai(config, "report", "--month", "2026-10").exit_code == 0
    october = summary(config, "2026-10")
    # one person: the service is named, its count hidden (the month's total says it)
    assert [(s["id"], s["requests"]) for s in october["services"]] == [("openai-chatgpt",
                                                                        None)]
    assert october["totals"]["ai_requests"] == 1


# -- opening --------------------------------------------------------------------------------
def test_a_store_in_use_by_another_process_is_named_not_a_traceback(tmp_path: Path) -> None:
    """Two monthly jobs overlapping (a slow run and the next cron): the second one says
    the store is busy and exits 1."""
    import subprocess
    import sys

    config = write_org(tmp_path, k=2)
    db = tmp_path / "store.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; con = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = shadowai(config, "status")
        assert result.exit_code == 1
        assert result.stderr == (f"Error: {db}: the store is in use by another shadowai "
                                 "process; wait for it to finish.\n")
    finally:
        holder.communicate("")
    assert shadowai(config, "status").exit_code == 0  # free again


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    config = write_org(tmp_path, k=2)
    db = tmp_path / "store.duckdb"
    db.write_text("user,department\n" * 200)
    before = db.read_bytes()
    for command in (["status"], ["report", "--month", "2026-10"]):
        result = shadowai(config, *command)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {db}: cannot open the store (")
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before  # never overwritten


def test_reading_a_store_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    """A report (read-only) or a close (must exist) before any ingest: one sentence that
    says what to do, and no empty store left behind to be mistaken for a real one."""
    db = tmp_path / "not-yet" / "store.duckdb"
    for kwargs in ({"read_only": True}, {"must_exist": True}):
        with pytest.raises(StoreError) as err:
            Store(db, **kwargs)
        assert str(err.value) == (f"{db}: no store yet. Ingest logs first with 'shadowai "
                                  "ingest PATH' or 'shadowai run'.")
        assert not db.parent.exists()
    with Store(db) as store:  # the first ingest creates it, folder included
        assert store.schema_version() == SCHEMA_VERSION
    with Store(db, must_exist=True) as store:
        assert store.closed_months() == {} and store.purged_months() == []


def test_status_on_a_mistyped_store_path_creates_nothing(tmp_path: Path) -> None:
    """`status` answered a mistyped [store] path with an empty store it had just created,
    "0 file(s)", exit 0: the next cron job would have ingested into it."""
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    config.write_text(config.read_text().replace('path = "store.duckdb"',
                                                 'path = "stroe.duckdb"'))
    result = shadowai(config, "status")
    assert result.exit_code == 1 and "no store yet" in result.stderr, result.output
    assert not (tmp_path / "stroe.duckdb").exists()


def test_another_programs_duckdb_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    """[store] path pointing at another application's DuckDB database: read-only, it has
    no schema version; read-write, the first migration collides with its tables. Neither
    changes it."""
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE files (x INTEGER)")
    con.execute("INSERT INTO files VALUES (42)")
    con.close()
    with pytest.raises(StoreError) as err:
        Store(db, read_only=True)
    assert str(err.value) == (f"{db}: not a shadowai store (no schema version). Point "
                              "[store] path at another file.")
    with pytest.raises(StoreError) as err:
        Store(db)
    assert str(err.value).startswith(f"{db}: not a shadowai store, or a damaged one (")
    assert str(err.value).endswith("). Point [store] path at another file.")
    assert "\n" not in str(err.value)
    assert _rows(db, "SELECT table_name FROM information_schema.tables") == [("files",)]
    assert _rows(db, "SELECT * FROM files") == [(42,)]


def test_a_compressed_log_stored_by_an_old_release_is_not_counted_again(tmp_path: Path
                                                                        ) -> None:
    """Before schema 5 a file was known by the hash of its raw (gzip) bytes. Met again
    after the upgrade, the same .gz is already ingested, and its record learns the hash of
    its content: the same lines uncompressed under another name are then known too."""
    import gzip
    import hashlib

    plain = ("\n".join(hit(local(2026, 10, 5, 9 + i), "alice", "openai-chatgpt")
                       for i in range(3)) + "\n").encode()
    packed = tmp_path / "logs" / "access.log-20261006.gz"
    packed.parent.mkdir()
    packed.write_bytes(gzip.compress(plain, mtime=0))
    db = tmp_path / "store.duckdb"
    _first_release_store(db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE files SET fingerprint = ?, path = ?",
                [hashlib.sha256(packed.read_bytes()).hexdigest(), str(packed)])
    con.close()
    before = _rows(db, AI_V1)
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})

    again = shadowai(config, "ingest", str(packed))
    assert again.exit_code == 0, again.output
    assert "0 file(s) ingested" in again.stdout and "1 already ingested" in again.stdout
    assert _rows(db, AI_V1) == before
    assert _rows(db, "SELECT file_id, fingerprint, content_bytes, first_line_hash, "
                     "legacy_raw_hash FROM files") == [
        (1, hashlib.sha256(plain).hexdigest(), len(plain),
         hashlib.sha256(plain.split(b"\n")[0] + b"\n").hexdigest(), False)]

    unpacked = write_log(tmp_path / "elsewhere" / "access.log", plain.decode().splitlines())
    copy = shadowai(config, "ingest", str(unpacked))
    assert copy.exit_code == 0, copy.output
    assert "1 already ingested" in copy.stdout and _rows(db, AI_V1) == before
