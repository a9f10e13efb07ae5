"""Store behaviour that mutation testing showed no test pinned (issue 16). Real DuckDB
files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from shadowai.store import Store


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
