"""Store behaviour that mutation testing showed no test pinned (issue 16). Real DuckDB
files."""

from __future__ import annotations

import errno
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
        (OSError(errno.ENOSPC, "There is not enough space on the disk"), True),
        (duckdb.IOException("IO Error: No space left on device"), True),
        (OSError(errno.EACCES, "Permission denied"), False),
    ],
)
def test_a_full_disk_is_recognised_by_its_error_number_or_its_words(
    error: BaseException, full: bool
) -> None:
    assert store_mod._disk_full(error) is full


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
