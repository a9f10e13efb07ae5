"""The DuckDB store: connection, numbered migrations, named queries and the one
transaction per file that keeps re-ingestion idempotent and interruptions harmless."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from shadowai.errors import StoreError

SCHEMA_VERSION = 7
_SQL = resources.files("shadowai") / "sql"


def query_text(name: str) -> str:
    """The text of ``shadowai/sql/<name>.sql``."""
    return (_SQL / f"{name}.sql").read_text(encoding="utf-8")


def _migrations() -> list[tuple[int, str]]:
    found = []
    for entry in (_SQL / "migrations").iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    def __init__(self, path: Path, read_only: bool = False, must_exist: bool = False) -> None:
        self.path = path
        if (read_only or must_exist) and not path.exists():
            raise StoreError(f"{path}: no store yet. Ingest logs first with "
                             "'shadowai ingest PATH' or 'shadowai run'.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc).splitlines()[0]
            if "lock" in msg.lower():
                raise StoreError(f"{path}: the store is in use by another shadowai process; "
                                 "wait for it to finish.") from None
            raise StoreError(f"{path}: cannot open the store ({msg}).") from None
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a shadowai store "
                             f"({str(exc).splitlines()[0]}).") from None
        try:
            if not read_only:
                self._migrate()
            self._check_version()
        except StoreError:
            self.close()
            raise
        except (duckdb.Error, ValueError) as exc:
            self.close()
            raise StoreError(f"{path}: not a shadowai store, or a damaged one "
                             f"({str(exc).splitlines()[0]}). Point [store] path at another "
                             "file.") from None

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):  # a store invalidated by a failed write
            self.con.close()

    def _abort(self, exc: BaseException) -> None:
        """Roll back the open transaction after ``exc``; a full disk becomes its one-line
        explanation. DuckDB may already have ended the transaction (its own error then
        hid the real one: "cannot rollback - no transaction is active")."""
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")
        if isinstance(exc, duckdb.Error | OSError) and _disk_full(exc):
            raise StoreError(f"no space left on device writing {self.path}; that write was "
                             "rolled back. Free some space and run the command again.") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------
    def schema_version(self) -> int:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchall()[0][0]
        if not has_meta:
            return 0
        row = self.rows("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0][0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        for number, sql in _migrations():
            if number <= current:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute("DELETE FROM meta WHERE key = 'schema_version'")
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(number)])
                self.con.execute("COMMIT")
            except BaseException as exc:
                self._abort(exc)
                raise

    def _check_version(self) -> None:
        version = self.schema_version()
        if version == 0:  # only a read-only open gets here without migrating
            raise StoreError(f"{self.path}: not a shadowai store (no schema version). Point "
                             "[store] path at another file.")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema version {version} is newer than "
                             f"this shadowai understands ({SCHEMA_VERSION}). Upgrade shadowai.")

    # -- queries --------------------------------------------------------------------------
    def frame(self, name: str, **params: Any) -> pl.DataFrame:
        """Run the named query ``sql/<name>.sql`` with bound parameters, as a polars frame."""
        return pl.from_arrow(self.con.sql(query_text(name), params=params).to_arrow_table())

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    # -- monthly summaries (k-anonymous; what trends read, kept by purge) ------------
    def save_summary(self, month: str, model: dict[str, Any]) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM month_summaries WHERE month = ?", [month])
            self.con.execute("INSERT INTO month_summaries VALUES (?, ?, ?)",
                             [month, json.dumps(model, ensure_ascii=False),
                              dt.datetime.now(dt.UTC).replace(tzinfo=None)])
            self.con.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise

    def summary(self, month: str) -> dict[str, Any] | None:
        rows = self.rows("SELECT summary FROM month_summaries WHERE month = ?", [month])
        return json.loads(rows[0][0]) if rows else None

    def summaries(self, before: str | None = None) -> list[dict[str, Any]]:
        rows = self.rows("SELECT summary FROM month_summaries WHERE month < coalesce(?, '9999') "
                         "ORDER BY month", [before])
        return [json.loads(r[0]) for r in rows]

    def closed_months(self) -> dict[str, dt.datetime]:
        """Closed months and when they were closed."""
        return dict(self.rows("SELECT month, closed_at FROM closed_months"))  # type: ignore[arg-type]

    def close_month(self, month: str, model: dict[str, Any] | None) -> int:
        """One transaction: keep the month's summary (when given), delete every row that
        carries a pseudonym for that month, record the month as closed. Returns the
        number of rows removed. The caller destroys the month's key afterwards."""
        start = dt.date(int(month[:4]), int(month[5:7]), 1)
        end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            if model is not None:
                con.execute("DELETE FROM month_summaries WHERE month = ?", [month])
                con.execute("INSERT INTO month_summaries VALUES (?, ?, ?)",
                            [month, json.dumps(model, ensure_ascii=False),
                             dt.datetime.now(dt.UTC).replace(tzinfo=None)])
            removed = 0
            for table, where, value in (("ai_daily", "day >= ? AND day < ?", [start, end]),
                                        ("traffic_daily", "day >= ? AND day < ?", [start, end]),
                                        ("dns_answers", "month = ?", [month])):
                removed += con.execute(f"SELECT count(*) FROM {table} WHERE {where}",
                                       value).fetchall()[0][0]
                con.execute(f"DELETE FROM {table} WHERE {where}", value)
            con.execute("DELETE FROM closed_months WHERE month = ?", [month])
            con.execute("INSERT INTO closed_months VALUES (?, ?, ?)",
                        [month, dt.datetime.now(dt.UTC).replace(tzinfo=None), removed])
            # A file with no day left in an open month loses its name: it may be named
            # after a person (jean.dupont.log); format + number stays, as reports show it.
            con.execute("UPDATE files SET path = format || ' #' || file_id WHERE file_id NOT IN "
                        "(SELECT file_id FROM file_days WHERE strftime(day, '%Y-%m') NOT IN "
                        "(SELECT month FROM closed_months))")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("CHECKPOINT")  # deleted rows leave the file, not just the WAL
        return removed

    def purged_months(self) -> list[str]:
        """Months whose detailed rows were purged: their kept summary is their record."""
        return [r[0] for r in self.rows(
            "SELECT value FROM meta WHERE key = 'purged_month' ORDER BY 1")]

    def purge_before(self, start: dt.date, months: list[str] = ()) -> dict[str, int]:  # type: ignore[assignment]
        """Delete detailed rows of the days before ``start`` (one transaction); files with
        no day left go from the registry too. Monthly summaries are kept, and ``months``
        are recorded as purged (reports then render them from their summaries)."""
        month = start.strftime("%Y-%m")
        counts: dict[str, int] = {}
        self.con.execute("BEGIN TRANSACTION")
        try:
            for m in months:
                self.con.execute("DELETE FROM meta WHERE key = 'purged_month' AND value = ?",
                                 [m])
                self.con.execute("INSERT INTO meta VALUES ('purged_month', ?)", [m])
            for table, where, value in (
                    ("ai_daily", "day < ?", start), ("traffic_daily", "day < ?", start),
                    ("file_days", "day < ?", start), ("candidates", "month < ?", month),
                    ("dns_answers", "month < ?", month)):
                counts[table] = self.rows(f"SELECT count(*) FROM {table} WHERE {where}",
                                          [value])[0][0]
                self.con.execute(f"DELETE FROM {table} WHERE {where}", [value])
            self.con.execute("DELETE FROM file_lines WHERE month < ?", [month])
            # A purged file's registry row goes with its last day, but its signatures and
            # content hashes stay: the same file met again is still "already ingested",
            # not new data for a purged month.
            gone = "file_id NOT IN (SELECT file_id FROM file_days)"
            counts["files"] = self.rows(f"SELECT count(*) FROM files WHERE {gone}")[0][0]
            self.con.execute(f"INSERT INTO superseded SELECT fingerprint, content_bytes, 0 "
                             f"FROM files WHERE {gone}")
            self.con.execute(f"UPDATE superseded SET file_id = 0 WHERE {gone}")
            self.con.execute(f"UPDATE file_signatures SET file_id = 0 WHERE {gone}")
            self.con.execute(f"DELETE FROM file_lines WHERE {gone}")
            self.con.execute(f"DELETE FROM files WHERE {gone}")
            self.con.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise
        try:
            self.con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            self._abort(exc)
            raise
        return counts

    def detail_months(self) -> list[str]:
        """Months whose detailed (per-person) rows are here: not closed, not purged."""
        return [r[0] for r in self.rows(
            "SELECT DISTINCT strftime(day, '%Y-%m') AS m FROM file_days "
            "WHERE m NOT IN (SELECT month FROM closed_months) ORDER BY 1")]

    # -- file registry: a file is its content ---------------------------------------------
    def file_for_signature(self, signature: str) -> tuple[int, str] | None:
        """(file_id, path) of the stored file whose rows hold the content of a file with
        this cheap signature (already read, unchanged since), or None."""
        row = self.rows("SELECT s.file_id, coalesce(f.path, 'a file of a purged month') "
                        "FROM file_signatures s LEFT JOIN files f USING (file_id) "
                        "WHERE s.signature = ? LIMIT 1", [signature])
        return (row[0][0], row[0][1]) if row else None

    def months_of(self, file_id: int) -> list[str]:
        """The months a stored file has dated lines in."""
        return [r[0] for r in self.rows(
            "SELECT DISTINCT strftime(day, '%Y-%m') FROM file_days WHERE file_id = ? "
            "ORDER BY 1", [file_id])]

    def holder_of(self, fingerprint: str, raw_fingerprint: str) -> tuple[int, str] | None:
        """(file_id, path) of the stored file holding exactly this content, or a longer
        version of it; legacy rows (hashed before schema 5) match by their raw hash."""
        row = self.rows(
            "SELECT file_id, path FROM files WHERE fingerprint = ? "
            "   OR (legacy_raw_hash AND fingerprint = ?) "
            "UNION ALL SELECT s.file_id, coalesce(f.path, 'a file of a purged month') "
            "FROM superseded s LEFT JOIN files f USING (file_id) "
            "WHERE s.fingerprint = ? LIMIT 1", [fingerprint, raw_fingerprint, fingerprint])
        return (row[0][0], row[0][1]) if row else None

    def extension_candidates(self, first_line_hash: str) -> list[tuple[int, int, str]]:
        """(file_id, content_bytes, fingerprint) of stored files a file whose first line
        hashes to ``first_line_hash`` may extend (legacy plain files: any first line)."""
        return [tuple(r) for r in self.rows(  # type: ignore[misc]
            "SELECT file_id, content_bytes, fingerprint FROM files "
            "WHERE content_bytes IS NOT NULL AND NOT legacy_raw_hash "
            "AND (first_line_hash = ? OR first_line_hash IS NULL)", [first_line_hash])]

    def add_signature(self, signature: str, file_id: int) -> None:
        self.con.execute("INSERT INTO file_signatures VALUES (?, ?)", [signature, file_id])

    def upgrade_legacy(self, file_id: int, record: dict[str, Any]) -> None:
        """A file hashed before schema 5, met again: record its content hash."""
        self.con.execute(
            "UPDATE files SET fingerprint = ?, content_bytes = ?, first_line_hash = ?, "
            "legacy_raw_hash = false WHERE file_id = ?",
            [record["fingerprint"], record["content_bytes"], record["first_line_hash"],
             file_id])

    # -- key check values -----------------------------------------------------------------
    def key_checks(self) -> dict[str, str]:
        return dict(self.rows("SELECT month, key_check FROM month_keys"))  # type: ignore[arg-type]

    def record_skipped(self, skipped: list[tuple[str, str]]) -> None:
        """What the last ingest skipped, by reason. Not the path (the ingest output named
        it on the terminal): a file may be named after a person; its place in the list
        stands for it."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM skipped_files")
            if skipped:
                self.con.executemany("INSERT INTO skipped_files VALUES (?, ?, ?)",
                                     [[f"#{i}", r, now]
                                      for i, (_p, r) in enumerate(sorted(skipped), start=1)])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def replace_file(self, record: dict[str, Any], tables: dict[str, pl.DataFrame],
                     replaces: list[int] = (), signature: str | None = None,  # type: ignore[assignment]
                     key_checks: dict[str, str] | None = None) -> int:
        """Store one file's aggregates in one transaction. ``replaces``: stored files whose
        content this file extends; their rows go, their content is remembered as contained
        in this one. Rows are never deleted because a path now holds other content.
        ``key_checks``: month -> check value of the key used; recorded for new months,
        and a month already recorded with another value is refused (nothing written)."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for month, check in (key_checks or {}).items():
                stored = con.execute("SELECT key_check FROM month_keys WHERE month = ?",
                                     [month]).fetchall()
                if stored and stored[0][0] != check:
                    raise KeyMismatchError(month, self.path)
                if not stored:
                    con.execute("INSERT INTO month_keys VALUES (?, ?, ?)",
                                [month, check, dt.datetime.now(dt.UTC).replace(tzinfo=None)])
            file_id = con.execute(
                "SELECT coalesce(max(file_id), 0) + 1 FROM files").fetchall()[0][0]
            for old in replaces:
                con.execute("INSERT INTO superseded SELECT fingerprint, content_bytes, ? "
                            "FROM files WHERE file_id = ?", [file_id, old])
                for table in ("superseded", "file_signatures"):
                    con.execute(f"UPDATE {table} SET file_id = ? WHERE file_id = ?",
                                [file_id, old])
                for table in ("ai_daily", "traffic_daily", "candidates", "file_lines",
                              "file_days", "dns_answers", "files"):
                    con.execute(f"DELETE FROM {table} WHERE file_id = ?", [old])
            record = {**record, "file_id": file_id,
                      "ingested_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}
            columns = ", ".join(record)
            marks = ", ".join("?" for _ in record)
            con.execute(f"INSERT INTO files ({columns}) VALUES ({marks})", list(record.values()))
            if signature:
                con.execute("INSERT INTO file_signatures VALUES (?, ?)", [signature, file_id])
            for table, frame in tables.items():
                if frame.height == 0:
                    continue
                con.register("incoming", frame.with_columns(pl.lit(file_id).alias("file_id")))
                names = ", ".join(frame.columns + ["file_id"])
                con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming")
                con.unregister("incoming")
            con.execute("COMMIT")
        except BaseException as exc:
            self._abort(exc)
            raise
        return file_id


class KeyMismatchError(StoreError):
    """The key in use is not the one that pseudonymised a month already in the store."""

    def __init__(self, month: str, store: Path) -> None:
        super().__init__(
            f"{store}: month {month} was pseudonymised with another key than the one "
            "in the key ring ([privacy] key_ring): mixing keys would count every person twice. "
            "Restore the month's key file from your safe copy of the key ring and run "
            "again; nothing was written.")
def _disk_full(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) == errno.ENOSPC or "no space left" in str(exc).lower()
