"""Store behaviour that mutation testing showed no test pinned (issue 16). Real DuckDB
files."""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from shadowai import store as store_mod
from shadowai.errors import StoreError
from shadowai.store import Store
from tests.orgkit import hit, local, shadowai, write_log, write_org


def test_a_failed_skipped_list_write_keeps_the_previous_list(tmp_path: Path) -> None:
    # The report's "skipped files" list is the last ingest's: a write that fails half-way
    # (after the old list was deleted) must leave the old list, numbered as it was.
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        store.record_skipped(
            [("/logs/notes.txt", "not a log"), ("/logs/image.bin", "binary content")]
        )
        before = store.rows("SELECT path, reason FROM skipped_files ORDER BY path")
        assert before == [("#1", "binary content"), ("#2", "not a log")]
        # a reason DuckDB refuses (a lone surrogate cannot be UTF-8)
        with pytest.raises(duckdb.Error, match="surrogate"):
            store.record_skipped([("/logs/other.txt", "\ud800")])
        assert store.rows("SELECT path, reason FROM skipped_files ORDER BY path") == before
        # the connection is usable again: no transaction left open
        store.record_skipped([])
        assert store.rows("SELECT count(*) FROM skipped_files") == [(0,)]


def test_another_key_for_a_stored_month_is_refused_in_one_whole_sentence(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        store.con.execute("INSERT INTO month_keys VALUES ('2026-10', 'check-a', now())")
        with pytest.raises(StoreError) as err:
            store.replace_file({}, {}, key_checks={"2026-10": "check-b"})
        assert str(err.value) == (
            f"{db}: month 2026-10 was pseudonymised with another key than the one in the "
            "key ring ([privacy] key_ring): mixing keys would count every person twice. "
            "Restore the month's key file from your safe copy of the key ring and run "
            "again; nothing was written."
        )
        assert store.rows("SELECT count(*) FROM files") == [(0,)]
        assert store.key_checks() == {"2026-10": "check-a"}


@pytest.mark.parametrize(
    ("error", "full"),
    [
        # Windows words it differently; the error number is what says "disk full"
        (OSError(errno.ENOSPC, "There is not enough space on the disk"),
         "no space left on device"),
        (duckdb.IOException("IO Error: No space left on device"), "no space left on device"),
        (OSError(errno.EDQUOT, "Quota"), "disk quota exceeded"),
        (duckdb.TransactionException('Failed to commit: Could not write file "s.wal": File '
                                     'too large'), "file too large for this system's limit "
                                                   "(ulimit -f)"),
        (OSError(errno.EACCES, "Permission denied"), None),
    ],
)
def test_a_full_disk_is_recognised_by_its_error_number_or_its_words(
    error: BaseException, full: str | None
) -> None:
    assert store_mod._disk_full(error) == full


def test_a_file_of_a_purged_month_met_again_is_named_as_such(tmp_path: Path) -> None:
    # Its registry row (and name) went with the purge; its content is still known.
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    log = write_log(
        tmp_path / "logs" / "september.log", [hit(local(2026, 9, 10), "alice", "openai-chatgpt")]
    )
    assert shadowai(config, "ingest", str(log)).exit_code == 0
    assert shadowai(config, "purge", "--before", "2026-10").exit_code == 0
    again = shadowai(config, "ingest", str(log))
    assert (
        f"{log}: unchanged (already ingested (content held by a file of a purged month))"
    ) in again.output
    copy = tmp_path / "again" / "renamed.log"
    copy.parent.mkdir()
    shutil.copy(log, copy)
    renamed = shadowai(config, "ingest", str(copy))
    assert (
        f"{copy}: duplicate (same content as a file of a purged month, already ingested)"
    ) in renamed.output
    assert "1 already ingested" in renamed.output


def test_store_statements_split_at_line_ending_semicolons_and_bind_only_their_parameters(
) -> None:
    # sql/store/close_month.sql: five statements, a comment naming $removed, a string with
    # '%Y-%m' and ' #'. Each statement gets only the parameters it names (DuckDB refuses
    # an extra one), comments never reach DuckDB, and a ';' inside a line does not split.
    close = store_mod.statements("close_month")
    assert [names for _code, names in close] == [
        ("start", "end"), ("start", "end"), ("month",), ("month",),
        ("month", "now", "removed"), ()]
    assert all(not line.lstrip().startswith("--")
               for code, _names in close for line in code.splitlines())
    assert close[-1][0].startswith("UPDATE files SET path = format || ' #' || file_id\n")
    assert close[-1][0].endswith("(SELECT month FROM closed_months))")
    # a one-statement file, parameters in order of first use and named once
    assert store_mod.statements("holder_of") == ((
        ("SELECT file_id, path FROM files\n"
        "WHERE fingerprint = $fingerprint "
        "OR (legacy_raw_hash AND fingerprint = $raw_fingerprint)\n"
        "UNION ALL\n"
        "SELECT s.file_id, coalesce(f.path, 'a file of a purged month')\n"
        "FROM superseded s LEFT JOIN files f USING (file_id)\n"
        "WHERE s.fingerprint = $fingerprint\n"
        "LIMIT 1"), ("fingerprint", "raw_fingerprint")),)


def test_a_store_path_in_folders_not_yet_made_is_created(tmp_path: Path) -> None:
    # [store] path = "/var/lib/shadowai/2026/store.duckdb" on a fresh server
    db = tmp_path / "var" / "lib" / "shadowai" / "store.duckdb"
    with Store(db) as store:
        assert store.schema_version() == store_mod.SCHEMA_VERSION
    assert db.is_file()


def test_a_read_only_store_cannot_be_written(tmp_path: Path) -> None:
    # reports open the store read-only: they can run beside each other and never write
    db = tmp_path / "store.duckdb"
    Store(db).close()
    with Store(db, read_only=True) as store, pytest.raises(duckdb.Error, match="read-only"):
        store.add_signature("sig", 1)


def test_a_damaged_store_is_named_with_duckdbs_reason_and_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    Store(db).close()
    damaged = bytearray(db.read_bytes())
    damaged[:8] = bytes(8)  # the first block's checksum
    db.write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as caught:
        Store(db)
    assert str(caught.value).startswith(
        f"{db}: not a shadowai store, or a damaged one (Corrupt database file: computed "
        "checksum ")
    assert str(caught.value).endswith(
        "). Restore it from a backup, or point [store] path at another file.")
    assert "\n" not in str(caught.value)
    assert db.read_bytes() == bytes(damaged)


def test_a_store_whose_version_is_not_a_number_is_refused_with_the_reason(
        tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'seven' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match=r"^.*: not a shadowai store, or a damaged one "
                       r"\(invalid literal for int\(\) with base 10: 'seven'\)\. Point "):
        Store(db, read_only=True)


def test_a_sqlite_file_at_the_store_path_is_refused_without_fetching_an_extension(
        tmp_path: Path) -> None:
    # DuckDB would otherwise download (or load) its SQLite extension to read the file:
    # shadowai loads nothing from the network at run time.
    import sqlite3
    db = tmp_path / "store.duckdb"
    lite = sqlite3.connect(db)
    lite.execute("CREATE TABLE users (name TEXT)")
    lite.commit()
    lite.close()
    before = db.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store(db)
    assert str(caught.value) == (
        f"{db}: cannot open the store: this is another database's file (SQLite?), not a "
        "shadowai store. Point [store] path at another file.")
    assert db.read_bytes() == before
    # the reason: DuckDB neither downloads nor loads an extension for shadowai
    with Store(tmp_path / "real.duckdb") as store:
        assert store.rows("SELECT current_setting('autoinstall_known_extensions'), "
                          "current_setting('autoload_known_extensions')") == [(False, False)]


def test_written_at_is_utc_whatever_the_servers_time_zone(tmp_path: Path, monkeypatch) -> None:
    import datetime as dt
    import time
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        with Store(tmp_path / "store.duckdb") as store:
            before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            store.save_summary("2026-10", {"month": "2026-10"})
            (written,), = store.rows("SELECT written_at FROM month_summaries")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert before - dt.timedelta(seconds=1) <= written <= before + dt.timedelta(minutes=1)


def test_closing_a_month_never_reported_keeps_its_summary_and_counts_its_dns_rows(
        tmp_path: Path) -> None:
    # Ingested, never reported: the close computes the summary and keeps it; the rows it
    # says it removed include the month's DNS answers (they carry client pseudonyms).
    from tests.orgkit import zeek_dns_answer
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    logs = tmp_path / "logs"
    write_log(logs / "access.log", [hit(local(2026, 3, 10), "alice", "openai-chatgpt"),
                                    hit(local(2026, 3, 11), "alice", "mistral-le-chat")])
    zeek_dns_answer(logs / "dns.log", local(2026, 3, 10), "10.9.0.1", "chatgpt.com",
                    ["203.0.113.7", "203.0.113.8"])
    assert shadowai(config, "ingest", str(logs)).exit_code == 0
    db = tmp_path / "store.duckdb"
    with Store(db, read_only=True) as store:
        assert store.summary("2026-03") is None
        (held,), = store.rows(
            "SELECT (SELECT count(*) FROM ai_daily) + (SELECT count(*) FROM traffic_daily)"
            " + (SELECT count(*) FROM dns_answers)")
        (dns,), = store.rows("SELECT count(*) FROM dns_answers")
    assert dns >= 1
    closing = shadowai(config, "close", "--month", "2026-03")
    assert closing.exit_code == 0, closing.output
    assert f"summary kept, {held:,} per-person rows removed" in closing.stderr
    with Store(db, read_only=True) as store:
        kept = store.summary("2026-03")
        assert store.rows("SELECT rows_removed FROM closed_months") == [(held,)]
    assert kept is not None and kept["month"] == "2026-03"
    report = shadowai(config, "report", "--month", "2026-03")
    assert report.exit_code == 0, report.output


def test_a_file_met_again_says_which_months_it_holds(tmp_path: Path) -> None:
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    log = write_log(tmp_path / "logs" / "access.log",
                    [hit(local(2026, 1, 31, 22), "alice", "openai-chatgpt"),
                     hit(local(2026, 2, 2), "alice", "openai-chatgpt")])
    assert shadowai(config, "ingest", str(log)).exit_code == 0
    copy = write_log(tmp_path / "elsewhere" / "access.log.1", log.read_text().splitlines())
    again = shadowai(config, "ingest", "--json", str(copy))
    assert again.exit_code == 0, again.output
    (result,) = json.loads(again.stdout)
    assert result["status"] == "duplicate"
    assert result["months"] == ["2026-01", "2026-02"]
