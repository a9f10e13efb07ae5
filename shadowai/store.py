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

SCHEMA_VERSION = 4
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

    def purge_before(self, start: dt.date) -> dict[str, int]:
        """Delete detailed rows of the days before ``start`` (one transaction); files with
        no day left go from the registry too. Monthly summaries are kept."""
        month = start.strftime("%Y-%m")
        counts: dict[str, int] = {}
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table, where, value in (
                    ("ai_daily", "day < ?", start), ("traffic_daily", "day < ?", start),
                    ("file_days", "day < ?", start), ("candidates", "month < ?", month),
                    ("dns_answers", "month < ?", month)):
                counts[table] = self.rows(f"SELECT count(*) FROM {table} WHERE {where}",
                                          [value])[0][0]
                self.con.execute(f"DELETE FROM {table} WHERE {where}", [value])
            gone = "file_id NOT IN (SELECT file_id FROM file_days)"
            counts["files"] = self.rows(f"SELECT count(*) FROM files WHERE {gone}")[0][0]
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
        return [r[0] for r in self.rows(
            "SELECT DISTINCT strftime(day, '%Y-%m') FROM file_days ORDER BY 1")]

    # -- file registry --------------------------------------------------------------------
    def known_unchanged(self, path: str, size: int, mtime: float) -> bool:
        return bool(self.rows("SELECT 1 FROM files WHERE path = ? AND size = ? AND mtime = ?",
                              [path, size, mtime]))

    def file_with_fingerprint(self, fingerprint: str) -> str | None:
        row = self.rows("SELECT path FROM files WHERE fingerprint = ?", [fingerprint])
        return row[0][0] if row else None

    def replace_file(self, record: dict[str, Any], tables: dict[str, pl.DataFrame]) -> int:
        """Store one file's aggregates in one transaction. Rows of an earlier version of
        the same path (a file that grew or was rewritten) are replaced, never added to."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            old = [r[0] for r in con.execute(
                "SELECT file_id FROM files WHERE path = ? OR fingerprint = ?",
                [record["path"], record["fingerprint"]]).fetchall()]
            for table in ("ai_daily", "traffic_daily", "candidates", "file_lines",
                          "file_days", "dns_answers", "files"):
                for file_id in old:
                    con.execute(f"DELETE FROM {table} WHERE file_id = ?", [file_id])
            file_id = con.execute(
                "SELECT coalesce(max(file_id), 0) + 1 FROM files").fetchall()[0][0]
            record = {**record, "file_id": file_id,
                      "ingested_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}
            columns = ", ".join(record)
            marks = ", ".join("?" for _ in record)
            con.execute(f"INSERT INTO files ({columns}) VALUES ({marks})", list(record.values()))
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


def _disk_full(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) == errno.ENOSPC or "no space left" in str(exc).lower()
