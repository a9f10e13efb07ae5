"""The DuckDB store: connection, numbered migrations, named queries and the one
transaction per file that keeps re-ingestion idempotent and interruptions harmless."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from shadowai.errors import StoreError

SCHEMA_VERSION = 9
_SQL = resources.files("shadowai") / "sql"
#: Every DuckDB connection: never fetch or load an extension at run time (DuckDB would
#: download its SQLite reader to open a SQLite file put at the store path).
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
#: A parameter of a statement in sql/store/: ``$name``.
_PARAM = re.compile(r"\$(\w+)")


def query_text(name: str) -> str:
    """The text of ``shadowai/sql/<name>.sql``."""
    return (_SQL / f"{name}.sql").read_text(encoding="utf-8")


@functools.cache
def statements(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The statements of ``shadowai/sql/store/<name>.sql`` (one per ``;`` ending a line),
    each with the parameters it names: DuckDB binds parameters to one statement only."""
    text = query_text(f"store/{name}")
    found = []
    for part in re.split(r";[ \t]*\n", text):
        code = "\n".join(line for line in part.splitlines()
                         if line.strip() and not line.lstrip().startswith("--"))
        if code:
            found.append((code, tuple(dict.fromkeys(_PARAM.findall(code)))))
    return tuple(found)


def _migrations() -> list[tuple[int, str]]:
    found = []
    for entry in (_SQL / "migrations").iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Store:
    def __init__(self, path: Path, read_only: bool = False, must_exist: bool = False) -> None:
        self.path = path
        if (read_only or must_exist) and not path.exists():
            raise StoreError(f"{path}: no store yet. Ingest logs first with "
                             "'shadowai ingest PATH' or 'shadowai run'.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(path), read_only=read_only, config=OFFLINE)
        except duckdb.IOException as exc:
            msg = str(exc).splitlines()[0]
            if "lock" in msg.lower():
                raise StoreError(f"{path}: the store is in use by another shadowai process; "
                                 "wait for it to finish.") from None
            if "extension" in msg.lower():  # DuckDB knows the file: another database's
                raise StoreError(f"{path}: cannot open the store: this is another database's "
                                 "file (SQLite?), not a shadowai store. Point [store] path at "
                                 "another file.") from None
            raise StoreError(f"{path}: cannot open the store ({msg}).") from None
        except duckdb.Error as exc:  # a DuckDB file whose blocks fail their checksum
            raise StoreError(f"{path}: not a shadowai store, or a damaged one "
                             f"({str(exc).splitlines()[0]}). Restore it from a backup, or "
                             "point [store] path at another file.") from None
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
            self.con.rollback()
        full = _disk_full(exc) if isinstance(exc, duckdb.Error | OSError) else None
        if full:
            raise StoreError(f"{full} writing {self.path}; that write was rolled back. "
                             "Free some space (or raise the limit) and run the command "
                             "again.") from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """All of the block or nothing: rolled back on any exception (a signal included)."""
        self.con.begin()
        try:
            yield
            self.con.commit()
        except BaseException as exc:
            self._abort(exc)
            raise

    def _checkpoint(self) -> None:
        """Deleted rows leave the file, not just the write-ahead log."""
        try:
            self.con.checkpoint()
        except duckdb.Error as exc:
            self._abort(exc)
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, name: str, **params: Any) -> list[tuple[Any, ...]]:
        """Run the statements of ``sql/store/<name>.sql`` in order, each with the
        parameters it names; the rows of the last one."""
        rows: list[tuple[Any, ...]] = []
        for code, names in statements(name):
            rows = self.con.execute(code, {key: params[key] for key in names}).fetchall()
        return rows

    # -- schema -------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.run("has_meta")[0][0]:
            return 0
        row = self.run("schema_version")
        return int(row[0][0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        for number, sql in _migrations():
            if number <= current:
                continue
            with self._transaction():
                self.con.execute(sql)
                self.run("set_schema_version", version=str(number))

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
        with self._transaction():
            self._put_summary(month, model)

    def _put_summary(self, month: str, model: dict[str, Any]) -> None:
        self.run("save_summary", month=month, summary=json.dumps(model, ensure_ascii=False),
                 now=_now())

    def summary(self, month: str) -> dict[str, Any] | None:
        rows = self.run("summary", month=month)
        return json.loads(rows[0][0]) if rows else None

    def summaries(self, before: str | None = None) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.run("summaries", before=before)]

    # -- the headcount each month was reported with (adoption rates divide by it) --------
    def save_headcounts(self, month: str, headcount: dict[str, int]) -> None:
        with self._transaction():
            self.run("save_headcounts", month=month, departments=list(headcount),
                     headcounts=list(headcount.values()), now=_now())

    def headcounts(self, month: str) -> dict[str, int] | None:
        """The month's stored headcount per department; None when none was stored."""
        return {d: int(n) for d, n in self.run("month_headcounts", month=month)} or None

    def closed_months(self) -> dict[str, dt.datetime]:
        """Closed months and when they were closed."""
        return dict(self.run("closed_months"))  # type: ignore[arg-type]

    def close_month(self, month: str, model: dict[str, Any] | None) -> int:
        """One transaction: keep the month's summary (when given), delete every row that
        carries a pseudonym for that month, record the month as closed. Returns the
        number of rows removed. The caller destroys the month's key afterwards."""
        from shadowai.metrics import month_bounds  # metrics reads the store: import late

        start, end = month_bounds(month)
        with self._transaction():
            if model is not None:
                self._put_summary(month, model)
            removed = self.run("month_rows", start=start, end=end, month=month)[0][0]
            self.run("close_month", start=start, end=end, month=month, now=_now(),
                     removed=removed)
        self._checkpoint()
        return removed

    def purged_months(self) -> list[str]:
        """Months whose detailed rows were purged: their kept summary is their record."""
        return [r[0] for r in self.run("purged_months")]

    def purge_before(self, start: dt.date, months: list[str] = ()) -> dict[str, int]:  # type: ignore[assignment]
        """Delete detailed rows of the days before ``start`` (one transaction); files with
        no day left go from the registry too. Monthly summaries are kept, and ``months``
        are recorded as purged (reports then render them from their summaries)."""
        month = start.strftime("%Y-%m")
        with self._transaction():
            for m in months:
                self.run("mark_purged", month=m)
            counts = self.purge_counts(start)
            self.run("purge", start=start, month=month)
        self._checkpoint()
        return counts

    def purge_counts(self, start: dt.date) -> dict[str, int]:
        """What :meth:`purge_before` would delete, table by table (``--dry-run``)."""
        cursor = self.con.execute(statements("purge_counts")[0][0],
                                  {"start": start, "month": start.strftime("%Y-%m")})
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchall()[0], strict=True))

    def detail_months(self) -> list[str]:
        """Months whose detailed (per-person) rows are here: not closed, not purged."""
        return [r[0] for r in self.run("detail_months")]

    def registered_months(self) -> list[str]:
        """Months with files in the registry, closed ones included (not purged)."""
        return [r[0] for r in self.run("registered_months")]

    # -- file registry: a file is its content ---------------------------------------------
    def file_for_signature(self, signature: str) -> tuple[int, str] | None:
        """(file_id, path) of the stored file whose rows hold the content of a file with
        this cheap signature (already read, unchanged since), or None."""
        row = self.run("file_for_signature", signature=signature)
        return (row[0][0], row[0][1]) if row else None

    def months_of(self, file_id: int) -> list[str]:
        """The months a stored file has dated lines in."""
        return [r[0] for r in self.run("months_of", file_id=file_id)]

    def holder_of(self, fingerprint: str, raw_fingerprint: str) -> tuple[int, str] | None:
        """(file_id, path) of the stored file holding exactly this content, or a longer
        version of it; legacy rows (hashed before schema 5) match by their raw hash."""
        row = self.run("holder_of", fingerprint=fingerprint, raw_fingerprint=raw_fingerprint)
        return (row[0][0], row[0][1]) if row else None

    def extension_candidates(self, first_line_hash: str) -> list[tuple[int, int, str]]:
        """(file_id, content_bytes, fingerprint) of stored files a file whose first line
        hashes to ``first_line_hash`` may extend (legacy plain files: any first line)."""
        return [tuple(r) for r in self.run(  # type: ignore[misc]
            "extension_candidates", first_line_hash=first_line_hash)]

    def add_signature(self, signature: str, file_id: int) -> None:
        self.run("add_signature", signature=signature, file_id=file_id)

    def upgrade_legacy(self, file_id: int, record: dict[str, Any]) -> None:
        """A file hashed before schema 5, met again: record its content hash."""
        self.run("upgrade_legacy", file_id=file_id, **record)

    # -- key check values -----------------------------------------------------------------
    def key_checks(self) -> dict[str, str]:
        return dict(self.run("key_checks"))  # type: ignore[arg-type]

    def record_skipped(self, skipped: list[tuple[str, str]]) -> None:
        """What the last ingest skipped, by reason. Not the path (the ingest output named
        it on the terminal): a file may be named after a person; its place in the list
        stands for it."""
        now = _now()
        with self._transaction():
            self.run("clear_skipped")
            for place, (_path, reason) in enumerate(sorted(skipped), start=1):
                self.run("skipped", place=f"#{place}", reason=reason, now=now)

    def replace_file(self, record: dict[str, Any], tables: dict[str, pl.DataFrame],
                     replaces: list[int] = (), signature: str | None = None,  # type: ignore[assignment]
                     key_checks: dict[str, str] | None = None) -> int:
        """Store one file's aggregates in one transaction. ``replaces``: stored files whose
        content this file extends; their rows go, their content is remembered as contained
        in this one. Rows are never deleted because a path now holds other content.
        ``key_checks``: month -> check value of the key used; recorded for new months,
        and a month already recorded with another value is refused (nothing written)."""
        con = self.con
        with self._transaction():
            for month, check in (key_checks or {}).items():
                stored = self.run("key_check", month=month)
                if stored and stored[0][0] != check:
                    raise KeyMismatchError(month, self.path)
                if not stored:
                    self.run("record_key_check", month=month, key_check=check, now=_now())
            file_id = self.run("next_file_id")[0][0]
            for old in replaces:
                self.run("supersede", new=file_id, old=old)
            record = {**record, "file_id": file_id, "ingested_at": _now()}
            columns = ", ".join(record)
            marks = ", ".join("?" for _ in record)
            con.execute(f"INSERT INTO files ({columns}) VALUES ({marks})", list(record.values()))
            if signature:
                self.add_signature(signature, file_id)
            for table, frame in tables.items():
                if frame.height == 0:
                    continue
                con.register("incoming", frame.with_columns(pl.lit(file_id).alias("file_id")))
                names = ", ".join(frame.columns + ["file_id"])
                con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming")
                con.unregister("incoming")
        return file_id


class KeyMismatchError(StoreError):
    """The key in use is not the one that pseudonymised a month already in the store."""

    def __init__(self, month: str, store: Path) -> None:
        super().__init__(
            f"{store}: month {month} was pseudonymised with another key than the one "
            "in the key ring ([privacy] key_ring): mixing keys would count every person twice. "
            "Restore the month's key file from your safe copy of the key ring and run "
            "again; nothing was written.")
#: Why a write can find no room: a full disk, a quota, a file-size limit (ulimit -f).
_NO_ROOM = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
            errno.EFBIG: "file too large for this system's limit (ulimit -f)"}


def _disk_full(exc: BaseException) -> str | None:
    """The reason a write found no room, or None for any other error."""
    code = getattr(exc, "errno", None)
    if code in _NO_ROOM:
        return _NO_ROOM[code]
    text = str(exc).lower()
    words = {"no space left": errno.ENOSPC, "disk quota exceeded": errno.EDQUOT,
             "file too large": errno.EFBIG}
    return next((_NO_ROOM[n] for w, n in words.items() if w in text), None)
