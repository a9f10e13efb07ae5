"""File -> format -> canonical events -> partial aggregates -> store.

Per-file work is a pure function of (file, catalog, directory, key): events are reduced
block by block to small partial aggregates (memory does not grow with the file), hosts are
finalised and classified once per distinct value, and identities are resolved and
pseudonymised once per distinct (month, user, client). The store then replaces the file's
rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from shadowai import formats, transport
from shadowai.catalog import CANDIDATE_PATTERN, Catalog
from shadowai.directory import Directory, normalise_user
from shadowai.errors import STOPPED_BY, InputError, ShadowaiError, StoreError
from shadowai.pseudonym import Pseudonymiser
from shadowai.schema import BLOCKED, LINE_COLUMN, REJECT_COLUMN
from shadowai.sources import (
    EMPTY,
    LONG_LINE,
    MAX_LINE_BYTES,
    NOT_REGULAR,
    OWN_KEY,
    OWN_STORE,
    UNRECOGNISED,
    Found,
    Source,
    compression_of,
    signature,
    walk,
)
from shadowai.store import KeyMismatchError, Store

NOT_AN_EVENT = "not an event"
DNS_UNIT = "DNS lookup"
IP_LITERAL = r"^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)$"
#: How long after a DNS answer a session to that address is attributed to the answered host.
ATTRIBUTION_WINDOW = "1h"
ATTRIBUTED = "destination IP attributed from DNS answers"
UNATTRIBUTED = "destination IP only, not attributed"
AUTH_CHALLENGE = "proxy authentication challenge (407, no user)"
NO_HOST = "no destination host"
#: Lines of a closed month arriving late are not ingested: they would count people twice.
MONTH_CLOSED = "month closed"
_HOST_CHARS = re.compile(r"^[a-z0-9._:-]+$")
EXAMPLES_PER_FILE = 5
#: Plausible event times: a log from before 2000, or dated more than two days ahead (clock
#: skew, a source in another zone), is a corrupt record, not a month to report on.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_SLACK = dt.timedelta(days=2)
NO_TIME = "no timestamp"
IMPLAUSIBLE_TIME = "timestamp before 2000 or more than 2 days in the future"


def normalise_host(raw: str | None) -> str | None:
    """Canonical host: no user info, no port, no brackets, lower case, no trailing dot,
    IDN in punycode. None when nothing usable is left."""
    if not raw:
        return None
    host = raw.strip().rsplit("@", 1)[-1]
    if host.startswith("["):
        end = host.find("]")
        host = host[1:end] if end > 0 else ""
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    host = host.rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host if host and _HOST_CHARS.match(host) else None


def classify_hosts(raw: pl.Series, catalog: Catalog) -> pl.DataFrame:
    """Distinct raw hosts -> ``_host`` (canonical), ``service_id``, ``_candidate``.
    Vectorised; only non-ASCII names (IDN) take the per-value Python path."""
    h = pl.col("host").str.strip_chars().str.replace(r"^.*@", "")
    h = (pl.when(h.str.starts_with("[")).then(h.str.extract(r"^\[([^\]]*)\]", 1))
         .when(h.str.count_matches(":", literal=True) == 1)
         .then(h.str.split_exact(":", 1).struct.field("field_0"))
         .otherwise(h))
    h = h.str.to_lowercase().str.strip_chars_end(".")
    frame = pl.DataFrame({"host": raw}, schema={"host": pl.String}).with_columns(
        h.alias("_host"))
    if frame["_host"].str.contains(r"[^\x00-\x7f]").any():
        frame = frame.with_columns(pl.col("host").map_elements(
            normalise_host, return_dtype=pl.String).alias("_host"))
    frame = frame.with_columns(
        pl.when(pl.col("_host").str.contains(r"^[a-z0-9._:-]+$")).then(pl.col("_host"))
        .otherwise(pl.lit(None, dtype=pl.String)).alias("_host"))
    matched = catalog.classify(frame["_host"].drop_nulls())
    return frame.join(matched.rename({"host": "_host"}), on="_host", how="left").with_columns(
        (pl.col("service_id").is_null() & pl.col("_host").is_not_null()
         & pl.col("_host").str.contains(CANDIDATE_PATTERN)).alias("_candidate")
    ).drop("domain")


def plausible(events: pl.DataFrame, too_long: pl.Series, latest: dt.datetime) -> pl.DataFrame:
    """The one check every format's output goes through: over-long lines, and lines a
    format accepted without a usable time, are rejected; a rejected line has no time (so
    nothing downstream can create a month from it)."""
    ts, reject = pl.col("ts"), pl.col(REJECT_COLUMN)
    return events.with_columns(
        pl.when(pl.col(LINE_COLUMN).is_in(too_long.implode())).then(pl.lit(LONG_LINE))
        .when(reject.is_not_null()).then(reject)
        .when(ts.is_null()).then(pl.lit(NO_TIME))
        .when((ts < EARLIEST) | (ts > latest)).then(pl.lit(IMPLAUSIBLE_TIME))
        .otherwise(reject).alias(REJECT_COLUMN),
    ).with_columns(pl.when(pl.col(REJECT_COLUMN).is_null()).then(ts).alias("ts"))


def local_day(ts: pl.Series, timezone: str) -> pl.Expr:
    """The local date of each UTC timestamp, as an expression over ``ts``.

    A block spans a short time range, so its UTC offsets are known in advance: adding the
    offset in force (one comparison per DST transition in the range) is several times
    cheaper than a per-row time-zone conversion. Long or odd ranges take the general path.
    """
    col = pl.col("ts")
    general = col.dt.convert_time_zone(timezone).dt.date().alias("day")
    lo, hi = ts.min(), ts.max()
    if lo is None or hi - lo > dt.timedelta(days=400):
        return general
    zone = zoneinfo.ZoneInfo(timezone)
    offsets = _offset_changes(lo, hi, zone)
    shifted = pl.lit(offsets[0][1])
    for start, offset in offsets[1:]:
        shifted = pl.when(col >= pl.lit(start)).then(pl.lit(offset)).otherwise(shifted)
    return (col + shifted).dt.date().alias("day")


def _offset_changes(lo: dt.datetime, hi: dt.datetime,
                    zone: zoneinfo.ZoneInfo) -> list[tuple[dt.datetime, dt.timedelta]]:
    """[(instant, UTC offset from then on)], the first for ``lo``. Transitions are found on a
    15-minute grid, then to the exact second by bisection (zones change on whole seconds)."""
    def offset(second: int) -> dt.timedelta:
        when = dt.datetime.fromtimestamp(second, dt.UTC).astimezone(zone)
        return when.utcoffset() or dt.timedelta(0)

    first, last = int(lo.timestamp()), int(hi.timestamp()) + 1
    changes = [(lo, offset(first))]
    t = first
    while t < last:
        nxt = min(t + 900, last)
        if offset(nxt) != changes[-1][1]:
            a, b = t, nxt  # offset(a) is the old one, offset(b) the new one
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if offset(mid) == changes[-1][1] else (a, mid)
            changes.append((dt.datetime.fromtimestamp(b, dt.UTC), offset(b)))
        t = nxt
    return changes


#: Bytes tried, in order, as the CSV reader's column separator: one that does not occur in
#: the block, so every line is one whole field whatever it holds.
_SEPARATORS = [bytes([b]) for b in (0x1F, 0x1E, 0x1D, 0x1C, 0x01, 0x02, 0x03, 0x04, 0x05,
                                    0x06, 0x07, 0x08, 0x0B, 0x0E, 0x0F, 0x10, 0x7F)]


def lines_frame(block: bytes, first_line: int, expected: int) -> pl.DataFrame:
    """A block of ``expected`` whole lines as (``_line``, ``line``); empty lines are kept
    (null), a trailing carriage return is dropped.

    Polars' CSV reader splits lines about 5 times faster than anything else, but a line
    holding its separator would break the block (a 0x1F byte did): so the separator is a
    byte absent from the block, and a block holding every candidate (random binary data)
    takes the exact, slower split."""
    sep = next((s for s in _SEPARATORS if s not in block), None)
    frame = None
    if sep is not None:
        frame = pl.read_csv(block, has_header=False, separator=sep.decode(), quote_char=None,
                            new_columns=["line"], schema={"line": pl.String},
                            truncate_ragged_lines=True, encoding="utf8-lossy")
    if frame is None or frame.height != expected:  # keep line numbers exact whatever happens
        text = pl.Series("line", [block.decode("utf-8", "replace")], dtype=pl.String)
        line = pl.col("line").str.strip_suffix("\r")
        frame = text.str.split("\n").explode().head(expected).to_frame().select(
            pl.when(line == "").then(None).otherwise(line).alias("line"))
    return frame.with_row_index(LINE_COLUMN, offset=first_line).with_columns(
        pl.col(LINE_COLUMN).cast(pl.Int64))


@dataclass
class FileResult:
    """What happened to one input file; what ``ingest --json`` prints."""

    path: str
    status: str  # ingested | unchanged | duplicate | failed
    format: str | None = None
    unit: str | None = None
    lines: int = 0
    parsed: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    not_event: int = 0
    not_event_by_reason: dict[str, int] = field(default_factory=dict)
    not_usage: int = 0
    not_usage_by_reason: dict[str, int] = field(default_factory=dict)
    ai_requests: int = 0
    first_ts: str | None = None
    last_ts: str | None = None
    seconds: float = 0.0
    message: str = ""
    replaced: int = 0  # stored files whose content this one extends (their rows replaced)
    closed: int = 0  # lines of closed months, not ingested
    months: list[str] = field(default_factory=list)  # months with dated lines in the file

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class _Partial:
    """Partial aggregates of one file, still keyed by raw (user, client_ip)."""

    ai: list[pl.DataFrame] = field(default_factory=list)
    traffic: list[pl.DataFrame] = field(default_factory=list)
    candidates: list[pl.DataFrame] = field(default_factory=list)
    days: list[pl.DataFrame] = field(default_factory=list)
    # Line counters are keyed by (reason, month): a month's quality figures count only
    # its own lines. A rejected line has no trustworthy time: it takes the month of the
    # nearest dated line before it in the file (after it, at the file's start).
    rejected: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    not_usage: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    not_event: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    closed: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    attribution: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    first_line: dict[tuple[str, str, str | None], int] = field(default_factory=dict)
    last_month: str | None = None
    answers: list[pl.DataFrame] = field(default_factory=list)
    unit: str = ""

    def count(self, kind: str, reason: str, month: str | None, count: int,
              first: int | None = None) -> None:
        if count:
            getattr(self, kind)[(reason, month)] += count
            if first is not None:
                self.first_line.setdefault((kind, reason, month), first)
    examples: list[str] = field(default_factory=list)
    last_seen: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={
        "_who": pl.String, "service_id": pl.String, "_last": pl.Datetime("us", "UTC")}))
    first_ts: Any = None
    last_ts: Any = None


class Ingestor:
    def __init__(self, store: Store, catalog: Catalog, directory: Directory,
                 pseudonymiser: Pseudonymiser, timezone: str,
                 warn: Callable[[str], None] = lambda _msg: None,
                 progress: Callable[[str, int, int], None] | None = None,
                 episode_gap_minutes: float = 30,
                 source_timezones: dict[str, str] | None = None,
                 closed_months: set[str] | None = None) -> None:
        self.store = store
        self.catalog = catalog
        self.directory = directory
        self.pseudonymise = pseudonymiser
        self.timezone = timezone
        self.warn = warn
        self.progress = progress
        self.episode_gap = dt.timedelta(minutes=episode_gap_minutes)
        self.source_timezones = source_timezones or {}
        self.closed_months = closed_months or set()
        self._file = ""
        self._answer_cache: dict[str, pl.DataFrame] = {}
        self._any_answers: bool | None = None
        self._hosts = classify_hosts(pl.Series("host", [], dtype=pl.String), catalog)

    # -- public ---------------------------------------------------------------------------
    def ingest(self, paths: list[Path], format_name: str | None = None,
               force: bool = False, exclude: tuple[str, ...] = (),
               include: tuple[str, ...] = (), own: tuple[Path, ...] = ()) -> list[FileResult]:
        """Ingest files and folders. Folders are walked: what is not a log is skipped
        with its reason (see :func:`shadowai.sources.walk`); a file named on the command
        line that cannot be read fails, and the others go on."""
        fmt = formats.get(format_name) if format_name else None
        self._check_key()
        results: list[FileResult] = []
        planned: list[tuple[Path, formats.Format, str]] = []
        for found in walk(paths, exclude, include, own):
            outcome = self._plan_one(found, fmt, force)
            if isinstance(outcome, FileResult):
                results.append(outcome)
            else:
                planned.append(outcome)
        skipped = [(r.path, r.message) for r in results if r.status == "skipped"]
        for path, reason in skipped:
            self.warn(f"{path}: skipped, {reason}.")
        self.store.record_skipped(skipped)
        # DNS logs first, so firewall sessions of the same run can be attributed from
        # their answers.
        planned.sort(key=lambda item: item[1].unit != DNS_UNIT)
        for path, found_fmt, sig in planned:
            if STOPPED_BY:
                raise KeyboardInterrupt
            started = time.perf_counter()
            try:
                result = self.ingest_file(path, found_fmt, force, sig)
            except StoreError:  # the store failed (disk full) or the key does not match the
                raise           # month's: no other file can go on
            except ShadowaiError as exc:
                self.warn(str(exc))
                result = FileResult(str(path), "failed", message=str(exc))
            except (KeyboardInterrupt, SystemExit):
                raise
            except duckdb.InterruptException:  # DuckDB's form of Ctrl-C: stop, not next file
                raise KeyboardInterrupt from None
            except Exception as exc:  # a bug must not cost the rest of the run
                if STOPPED_BY:  # an interruption a library wrapped in its own error
                    raise KeyboardInterrupt from None
                message = (f"{path}: internal error while reading this file "
                           f"({type(exc).__name__}: {exc}); the other files go on. "
                           "Please report it with the file's format.")
                self.warn(message)
                result = FileResult(str(path), "failed", message=message)
            result.seconds = round(time.perf_counter() - started, 3)
            results.append(result)
        return results

    def _check_key(self) -> None:
        """Refuse a key that is not the one that made the months already stored."""
        for month, check in sorted(self.store.key_checks().items()):
            if month in self.closed_months:  # its key is gone on purpose
                continue
            if self.pseudonymise.key_check(month) != check:
                raise KeyMismatchError(month, self.store.path)

    def source_timezone(self, path: Path) -> str:
        """The time zone of a source's local timestamps: the first [timezones] pattern the
        file's path matches (fnmatch, on the absolute path), else the organisation's."""
        full = str(path.resolve())
        for pattern, zone in self.source_timezones.items():
            if fnmatch.fnmatch(full, pattern) or fnmatch.fnmatch(path.name, pattern):
                return zone
        return self.timezone

    def _plan_one(self, found: Found, fmt: formats.Format | None,
                  force: bool) -> FileResult | tuple[Path, formats.Format, str]:
        """What to do with one path: a final result (skipped, unchanged, failed) or
        (path, format, signature) to read. Files whose cheap signature is known are not
        opened; formats are detected once, here."""
        path = found.path
        if found.error:
            message = f"{path}: {found.error}."
            if found.named:
                self.warn(message)
                return FileResult(str(path), "failed", message=message)
            return FileResult(str(path), "skipped", message=found.error)
        if found.skip:
            if found.named and found.skip in (OWN_STORE, OWN_KEY, NOT_REGULAR):
                message = f"{path}: not read: {found.skip}."
                self.warn(message)
                return FileResult(str(path), "failed", message=message)
            return FileResult(str(path), "skipped", message=found.skip)
        try:
            sig = signature(path, compression_of(path))
            holder = None if force else self.store.file_for_signature(sig)
            if holder:
                return FileResult(str(path), "unchanged",
                                  message=f"already ingested (content held by {holder[1]})",
                                  months=self.store.months_of(holder[0]))
            if fmt is not None:
                return path, fmt, sig
            head = Source.open(path).head()  # a corrupt file fails here, whoever named it
        except ShadowaiError as exc:
            self.warn(str(exc))
            return FileResult(str(path), "failed", message=str(exc))
        except OSError as exc:
            message = f"{path}: cannot read ({exc.strerror or exc})."
            self.warn(message)
            return FileResult(str(path), "failed", message=message)
        if not any(line.strip() for line in head):  # e.g. a compressed empty file
            return FileResult(str(path), "skipped", message=EMPTY)
        try:
            return path, transport.detect(head, path).format, sig
        except ShadowaiError as exc:
            if found.named:
                self.warn(str(exc))
                return FileResult(str(path), "failed", message=str(exc))
            # Found by walking a folder: not a log we read (its name only, never a line).
            return FileResult(str(path), "skipped", message=UNRECOGNISED)

    def ingest_file(self, path: Path, fmt: formats.Format | None = None,
                    force: bool = False, sig: str | None = None) -> FileResult:
        """Read one file and commit it: identical content already stored (under any name
        or compression) adds nothing; content that extends stored content replaces it."""
        source = Source.open(path)
        if fmt is None:
            fmt = transport.detect(source.head(), path).format
        sig = sig or signature(path, source.compression)
        candidates = self.store.extension_candidates(source.first_line_hash)
        source.prefix_lengths = {n for _, n, _ in candidates}
        partial = self._scan(source, fmt)
        holder = self.store.holder_of(source.fingerprint, source.raw_fingerprint)
        if holder and not force:
            self.store.add_signature(sig, holder[0])
            self._upgrade_legacy(holder[0], source)
            return FileResult(str(path), "duplicate", fmt.name, fmt.unit, source.lines,
                              message=f"same content as {holder[1]}, already ingested",
                              months=self.store.months_of(holder[0]))
        replaces = [file_id for file_id, length, fingerprint in candidates
                    if source.prefix_hashes.get(length) == fingerprint]
        if force and holder:
            replaces.append(holder[0])
        tables = self._resolve(partial)
        rejected = sum(partial.rejected.values())
        closed = sum(partial.closed.values())
        not_event = sum(partial.not_event.values()) + closed
        not_usage = sum(partial.not_usage.values())
        result = FileResult(
            str(path), "ingested", fmt.name, fmt.unit, source.lines,
            parsed=source.lines - rejected - not_event, rejected=rejected,
            rejected_by_reason=_by_reason(partial.rejected), not_event=not_event,
            not_event_by_reason=_by_reason(partial.not_event), not_usage=not_usage,
            not_usage_by_reason=_by_reason(partial.not_usage),
            ai_requests=int(tables["ai_daily"]["requests"].sum() or 0),
            first_ts=_iso(partial.first_ts), last_ts=_iso(partial.last_ts),
            replaced=len(replaces), closed=closed,
            months=sorted({d.strftime("%Y-%m") for d in tables["file_days"]["day"]}))
        if rejected and rejected + not_event == source.lines:
            raise InputError(f"{path}: none of {source.lines} lines could be read as "
                             f"{fmt.name} (first problem: {partial.examples[0]}). "
                             "Pass the right --format; 'shadowai formats' lists them.")
        days = tables["file_days"]["day"]
        record = {
            "fingerprint": source.fingerprint, "path": str(path.resolve()), "format": fmt.name,
            "unit": fmt.unit, "compression": source.compression, "size": source.size,
            "mtime": path.stat().st_mtime, "lines": source.lines, "parsed": result.parsed,
            "rejected": rejected, "not_usage": not_usage, "not_event": not_event,
            "first_ts": _naive(partial.first_ts), "last_ts": _naive(partial.last_ts),
            "first_day": days.min(), "last_day": days.max(),
            "timezone": self.source_timezone(path), "catalog_version": self.catalog.version,
            "content_bytes": source.content_bytes, "first_line_hash": source.first_line_hash,
        }
        months = {d.strftime("%Y-%m") for d in days}
        self.store.replace_file(record, tables, replaces, sig,
                                {m: self.pseudonymise.key_check(m) for m in months})
        for example in partial.examples:
            self.warn(example)
        if closed:
            months = ", ".join(sorted({m or "?" for _, m in partial.closed}))
            self.warn(f"{path}: {closed} line(s) of closed month(s) {months} not ingested "
                      "(the month's key is destroyed; they would count people twice).")
        if rejected > len(partial.examples):
            self.warn(f"{path}: {rejected} lines rejected in all "
                      f"({_reasons(partial.rejected)}).")
        return result

    def _upgrade_legacy(self, file_id: int, source: Source) -> None:
        self.store.upgrade_legacy(file_id, {
            "fingerprint": source.fingerprint, "content_bytes": source.content_bytes,
            "first_line_hash": source.first_line_hash})

    # -- block scan -----------------------------------------------------------------------
    def _scan(self, source: Source, fmt: formats.Format) -> _Partial:
        partial = _Partial(unit=fmt.unit)
        done = 0
        start_file = getattr(fmt, "start_file", None)
        if start_file:  # formats with per-file state (e.g. a W3C #Fields header)
            start_file()
        self._file = str(source.path.resolve())
        mtime = dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.UTC)
        formats.set_file_context(formats.FileContext(str(source.path), mtime))
        latest = dt.datetime.now(dt.UTC) + FUTURE_SLACK
        for first_line, count, block in source.blocks():
            lines = lines_frame(block, first_line, count)
            too_long = lines.filter(pl.col("line").str.len_bytes() > MAX_LINE_BYTES)[LINE_COLUMN]
            if too_long.len():  # parsers never see them: bounded work per line
                lines = lines.with_columns(pl.when(pl.col(LINE_COLUMN).is_in(too_long.implode()))
                                           .then(None).otherwise(pl.col("line")).alias("line"))
            events = transport.parse(fmt, lines.lazy(), self.source_timezone(source.path))
            events = plausible(events, too_long, latest)
            events = events.with_columns(local_day(events["ts"], self.timezone))
            if self.closed_months:
                events = _mark_closed(events, self.closed_months)
            self._collect_rejects(events, block, first_line, source.path, partial)
            self._aggregate(events.filter(pl.col(REJECT_COLUMN).is_null()), partial)
            done += len(block)
            if self.progress:
                self.progress(str(source.path), done, events.height)
        return partial

    def _collect_rejects(self, events: pl.DataFrame, block: bytes, first_line: int,
                         path: Path, partial: _Partial) -> None:
        valid = pl.col(REJECT_COLUMN).is_null()
        if events.filter(~valid).height == 0:
            last = events["day"].drop_nulls()
            if last.len():
                partial.last_month = last[-1].strftime("%Y-%m")
            return
        dated = valid | (pl.col(REJECT_COLUMN) == MONTH_CLOSED)
        month = (pl.when(dated).then(pl.col("day").dt.strftime("%Y-%m"))
                 .otherwise(pl.lit(None, dtype=pl.String)).forward_fill()
                 .fill_null(pl.lit(partial.last_month, dtype=pl.String)).backward_fill())
        marked = events.select(LINE_COLUMN, REJECT_COLUMN, month.alias("_month"))
        months = marked["_month"].drop_nulls()
        if months.len():
            partial.last_month = months[-1]
        bad = marked.filter(pl.col(REJECT_COLUMN).is_not_null())
        for reason, mon, count, first in bad.group_by(REJECT_COLUMN, "_month").agg(
                pl.len(), pl.col(LINE_COLUMN).min()).iter_rows():
            # a valid record that carries no connection is not a malformed line
            kind = ("closed" if reason == MONTH_CLOSED else
                    "not_event" if reason.startswith(NOT_AN_EVENT) else "rejected")
            partial.count(kind, reason, mon, count, first)
        bad = bad.select(LINE_COLUMN, REJECT_COLUMN)
        room = EXAMPLES_PER_FILE - len(partial.examples)
        malformed = bad.filter(~pl.col(REJECT_COLUMN).str.starts_with(NOT_AN_EVENT))
        if room > 0 and malformed.height:
            text = block.split(b"\n")
            for line_no, reason in malformed.sort(LINE_COLUMN).head(room).iter_rows():
                raw = text[line_no - first_line].decode("utf-8", "replace").rstrip("\r")
                partial.examples.append(f"{path}:{line_no}: {reason}: {raw[:80]!r}")

    def _classify(self, raw: pl.Series) -> pl.DataFrame:
        """classify_hosts with a cache across blocks and files: raw hosts repeat a lot."""
        new = raw.filter(~raw.is_in(self._hosts["host"].implode()))
        if new.len():
            self._hosts = pl.concat([self._hosts, _compact(classify_hosts(new, self.catalog))])
        return self._hosts

    def _aggregate(self, events: pl.DataFrame, partial: _Partial) -> None:
        if events.height == 0:
            return
        hosts = self._classify(events["host"].drop_nulls().unique())
        if partial.unit != DNS_UNIT:
            events, hosts = self._attribute(events, hosts, partial)
        # Only AI, candidate and unusable hosts need their classification joined back;
        # every other line just counts in the denominators (a cheap membership test
        # instead of a join over all lines).
        special = hosts.filter(pl.col("service_id").is_not_null() | pl.col("_candidate")
                               | pl.col("_host").is_null())
        unusable = special.filter(pl.col("_host").is_null())["host"].implode()
        host = pl.col("host")
        ev = events.lazy().with_columns(
            pl.when((pl.col("status") == 407) & pl.col("user").is_null())
            .then(pl.lit(AUTH_CHALLENGE))
            .when(host.is_null() | host.is_in(unusable)).then(pl.lit(NO_HOST))
            .otherwise(pl.lit(None, dtype=pl.String)).alias("_not_usage"))
        usage = ev.filter(pl.col("_not_usage").is_null())
        marked = usage.filter(host.is_in(special["host"].implode())).join(
            special.lazy(), on="host", how="inner")
        if "answers" in events.columns:
            partial.answers.append(_compact(
                marked.filter(pl.col("service_id").is_not_null()
                              & pl.col("answers").is_not_null())
                .select("ts", "client_ip", pl.col("answers").str.split(",").alias("ip"),
                        "_host", "service_id")
                .explode("ip").filter(pl.col("ip").str.contains(IP_LITERAL))
                .unique().collect()))
        bounds, days, skipped, traffic, ai, candidates = pl.collect_all([
            ev.select(pl.col("ts").min().alias("lo"), pl.col("ts").max().alias("hi")),
            ev.group_by("day").agg(pl.len().alias("events")),
            ev.filter(pl.col("_not_usage").is_not_null()).group_by(
                "_not_usage", pl.col("day").dt.strftime("%Y-%m")).agg(
                pl.len(), pl.col(LINE_COLUMN).min()),
            usage.group_by("day", "user", "client_ip").agg(pl.len().alias("requests")),
            marked.filter(pl.col("service_id").is_not_null()).select(
                "ts", "day", "user", "client_ip", "_host", "service_id", "action",
                "bytes_up", "bytes_down"),
            marked.filter(pl.col("_candidate"))
            .group_by("day", "_host").agg(pl.len().alias("requests")),
        ])
        lo, hi = bounds.row(0)
        partial.first_ts = lo if partial.first_ts is None else min(partial.first_ts, lo)
        partial.last_ts = hi if partial.last_ts is None else max(partial.last_ts, hi)
        for reason, mon, count, first in skipped.iter_rows():
            partial.count("not_usage", reason, mon, count, first)
        partial.days.append(days)
        partial.traffic.append(_compact(traffic))
        partial.ai.append(_compact(self._with_episodes(ai, partial).group_by(
            "day", "user", "client_ip", "_host", "service_id").agg(
                pl.len().alias("requests"),
                (pl.col("action") == BLOCKED).sum().alias("blocked"),
                _sum_or_null("bytes_up"), _sum_or_null("bytes_down"),
                pl.col("_start").sum().alias("episodes"))))
        partial.candidates.append(_compact(candidates))

    def _attribute(self, events: pl.DataFrame, hosts: pl.DataFrame,
                   partial: _Partial) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Sessions that carry only a destination IP take the host a DNS server answered
        for that IP to the same client shortly before (same month's DNS logs); the others
        are counted as unattributed. Never guessed from address ranges."""
        literal = hosts.filter(pl.col("_host").str.contains(IP_LITERAL))
        if literal.height == 0:
            return events, hosts
        if not self._have_answers():  # the common case: count, skip the join
            ip_only = events.filter(pl.col("host").is_in(literal["host"].implode()))
            for (mon,), part in ip_only.group_by(pl.col("day").dt.strftime("%Y-%m")):
                partial.count("attribution", UNATTRIBUTED, mon, part.height)
            return events, hosts
        rows = events.join(literal.select("host", pl.col("_host").alias("_ip")), on="host")
        rows = rows.select(LINE_COLUMN, "ts", "client_ip", "_ip", "day").with_columns(
            pl.col("day").dt.strftime("%Y-%m").alias("_month"))
        matched = []
        for (month,), part in rows.group_by("_month"):
            answers = self._answers(month)
            if answers.height == 0:
                continue
            clients = part.select("client_ip").unique().drop_nulls()
            clients = clients.with_columns(pl.Series("client", [
                self.pseudonymise(month, f"ip:{ip}") for ip in clients["client_ip"]],
                dtype=pl.String))
            part = part.join(clients, on="client_ip").sort("ts")
            matched.append(part.join_asof(
                answers.rename({"ip": "_ip", "ts": "_answered"}), left_on="ts",
                right_on="_answered", by=["client", "_ip"], strategy="backward",
                tolerance=ATTRIBUTION_WINDOW, check_sortedness=False)
                .filter(pl.col("host").is_not_null())
                .select(LINE_COLUMN, pl.col("host").alias("_attributed")))
        found = pl.concat(matched) if matched else pl.DataFrame(
            schema={LINE_COLUMN: pl.Int64, "_attributed": pl.String})
        attributed = rows.with_columns(
            pl.col(LINE_COLUMN).is_in(found[LINE_COLUMN].implode()).alias("_found"))
        for mon, hit, count in attributed.group_by("_month", "_found").len().iter_rows():
            partial.count("attribution", ATTRIBUTED if hit else UNATTRIBUTED, mon, count)
        if found.height == 0:
            return events, hosts
        events = events.join(found, on=LINE_COLUMN, how="left").with_columns(
            pl.coalesce("_attributed", "host").alias("host")).drop("_attributed")
        return events, self._classify(events["host"].drop_nulls().unique())

    def _have_answers(self) -> bool:
        if self._any_answers is None:
            self._any_answers = bool(self.store.rows("SELECT count(*) FROM dns_answers")[0][0])
        return self._any_answers

    def _answers(self, month: str) -> pl.DataFrame:
        if month not in self._answer_cache:
            self._answer_cache[month] = self.store.frame("dns_answers_month", month=month)\
                .with_columns(pl.col("ts").dt.replace_time_zone("UTC").dt.cast_time_unit("us"))
        return self._answer_cache[month]

    def _identity(self, user: str | None, client_ip: str | None) -> str:
        """Who a line is about: the user, else the client address, else (a desktop client's
        own log, e.g. Proxifier, logs neither) the file itself: one person per file."""
        if user:
            return user
        if client_ip:
            return f"ip:{client_ip}"
        return f"file:{self._file}"

    def _with_episodes(self, ai: pl.DataFrame, partial: _Partial) -> pl.DataFrame:
        """Mark the AI requests that start a usage episode: a person's first request to a
        service, or one after a gap of more than ``episode_gap`` since their previous one.
        The last request per (person, service) carries over to the next block."""
        people = ai.select("user", "client_ip").unique()
        people = people.with_columns(pl.Series("_who", [
            self._identity(normalise_user(u), ip) for u, ip in people.iter_rows()],
            dtype=pl.String))
        keyed = ai.join(people, on=["user", "client_ip"], how="left", nulls_equal=True)
        keyed = keyed.join(partial.last_seen, on=["_who", "service_id"], how="left")
        keyed = keyed.sort("_who", "service_id", "ts").with_columns(
            pl.col("ts").shift(1).over("_who", "service_id").fill_null(pl.col("_last"))
            .alias("_prev"))
        keyed = keyed.with_columns(
            (pl.col("_prev").is_null() | (pl.col("ts") - pl.col("_prev") > self.episode_gap))
            .alias("_start"))
        seen = keyed.group_by("_who", "service_id").agg(pl.col("ts").max().alias("_last"))
        partial.last_seen = _compact(pl.concat([partial.last_seen, seen]).group_by(
            "_who", "service_id").agg(pl.col("_last").max()))
        return keyed

    # -- identities -----------------------------------------------------------------------
    def _resolve(self, partial: _Partial) -> dict[str, pl.DataFrame]:
        traffic = _concat(partial.traffic, {"day": pl.Date, "user": pl.String,
                                            "client_ip": pl.String, "requests": pl.UInt32})
        month = pl.col("day").dt.strftime("%Y-%m").alias("month")
        people = traffic.select(month, "user", "client_ip").unique()
        resolved = []
        for m, user, ip in people.iter_rows():
            name = normalise_user(user)
            identity = self._identity(name, ip)
            resolved.append((m, user, ip, self.directory.department(name, ip),
                             self.pseudonymise(m, identity)))
        who = pl.DataFrame(resolved, orient="row", schema={
            "month": pl.String, "user": pl.String, "client_ip": pl.String,
            "department": pl.String, "pseudonym": pl.String})
        keys = ["month", "user", "client_ip"]

        def attach(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.with_columns(month).join(who, on=keys, how="left", nulls_equal=True)

        traffic_daily = attach(traffic).group_by("day", "department", "pseudonym").agg(
            pl.col("requests").sum().cast(pl.Int64))
        ai = _concat(partial.ai, {"day": pl.Date, "user": pl.String, "client_ip": pl.String,
                                  "_host": pl.String, "service_id": pl.String,
                                  "requests": pl.UInt32, "blocked": pl.UInt32,
                                  "bytes_up": pl.Int64, "bytes_down": pl.Int64,
                                  "episodes": pl.UInt32})
        ai_daily = attach(ai).group_by(
            "day", "department", "pseudonym", "service_id", pl.col("_host").alias("host")
        ).agg(pl.col("requests").sum().cast(pl.Int64), pl.col("blocked").sum().cast(pl.Int64),
              _sum_or_null("bytes_up"), _sum_or_null("bytes_down"),
              pl.col("episodes").sum().cast(pl.Int64))
        candidates = _concat(partial.candidates, {"day": pl.Date, "_host": pl.String,
                                                  "requests": pl.UInt32})
        candidates = candidates.group_by(month, pl.col("_host").alias("host")).agg(
            pl.col("requests").sum().cast(pl.Int64))
        days = _concat(partial.days, {"day": pl.Date, "events": pl.UInt32})
        file_days = days.group_by("day").agg(pl.col("events").sum().cast(pl.Int64)).sort("day")
        # Lines dated by nothing at all (a file without a single dated line) take the
        # file's first month, if it has one.
        first_month = (file_days["day"].min().strftime("%Y-%m")  # type: ignore[union-attr]
                       if file_days.height else None)
        file_lines = pl.DataFrame(
            [(kind, r, m or first_month, n, partial.first_line.get((kind, r, m)))
             for kind in ("rejected", "not_usage", "not_event", "closed", "attribution")
             for (r, m), n in getattr(partial, kind).items()],
            orient="row", schema={"kind": pl.String, "reason": pl.String, "month": pl.String,
                                  "lines": pl.Int64, "first_line": pl.Int64})
        file_lines = file_lines.group_by("kind", "reason", "month").agg(
            pl.col("lines").sum(), pl.col("first_line").min())
        return {"ai_daily": ai_daily, "traffic_daily": traffic_daily,
                "candidates": candidates, "file_days": file_days, "file_lines": file_lines,
                "dns_answers": self._answer_rows(partial)}

    def _answer_rows(self, partial: _Partial) -> pl.DataFrame:
        schema = {"month": pl.String, "client": pl.String, "ip": pl.String,
                  "host": pl.String, "service_id": pl.String, "ts": pl.Datetime("us")}
        if not partial.answers:
            return pl.DataFrame(schema=schema)
        self._answer_cache.clear()  # new answers: reload on next use
        self._any_answers = None
        rows = pl.concat(partial.answers).with_columns(
            pl.col("ts").dt.convert_time_zone(self.timezone).dt.strftime("%Y-%m")
            .alias("month"))
        keys = rows.select("month", "client_ip").unique().drop_nulls()
        keys = keys.with_columns(pl.Series("client", [
            self.pseudonymise(m, f"ip:{ip}") for m, ip in keys.iter_rows()], dtype=pl.String))
        return rows.join(keys, on=["month", "client_ip"]).select(
            "month", "client", "ip", pl.col("_host").alias("host"), "service_id",
            pl.col("ts").dt.replace_time_zone(None))


def _mark_closed(events: pl.DataFrame, closed: set[str]) -> pl.DataFrame:
    """Lines dated in a closed month become not-ingested lines (reason MONTH_CLOSED)."""
    month = pl.col("day").dt.strftime("%Y-%m")
    return events.with_columns(
        pl.when(pl.col(REJECT_COLUMN).is_null() & month.is_in(sorted(closed)))
        .then(pl.lit(MONTH_CLOSED)).otherwise(pl.col(REJECT_COLUMN)).alias(REJECT_COLUMN))


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """A copy whose strings own their bytes. Polars strings are views into the buffers
    they were cut from: a small aggregate kept across blocks would otherwise keep every
    block's whole text alive (measured: memory grew by ~100 MiB per million lines)."""
    strings = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(pl.col(strings) + "") if strings else frame


def _sum_or_null(column: str) -> pl.Expr:
    """A sum that stays null when the format does not log the field (not 0)."""
    col = pl.col(column)
    return pl.when(col.is_not_null().any()).then(col.sum()).otherwise(None).alias(column)


def _concat(frames: list[pl.DataFrame], schema: dict[str, Any]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, how="vertical_relaxed")


def _by_reason(counter: Counter[tuple[str, str | None]]) -> dict[str, int]:
    """Line counts by reason, all months together."""
    out: Counter[str] = Counter()
    for (reason, _month), n in counter.items():
        out[reason] += n
    return dict(sorted(out.items()))


def _reasons(counter: Counter[tuple[str, str | None]]) -> str:
    return ", ".join(f"{n} {r}" for r, n in Counter(_by_reason(counter)).most_common())


def _naive(ts: Any) -> Any:
    return ts.replace(tzinfo=None) if ts is not None else None


def _iso(ts: Any) -> str | None:
    return ts.isoformat().replace("+00:00", "Z") if ts is not None else None
