"""File -> format -> canonical events -> partial aggregates -> store.

Per-file work is a pure function of (file, catalog, directory, key): events are reduced
block by block to small partial aggregates (memory does not grow with the file), hosts are
finalised and classified once per distinct value, and identities are resolved and
pseudonymised once per distinct (month, user, client). The store then replaces the file's
rows in one transaction.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import fnmatch
import re
import time
import zoneinfo
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from shadowai import formats, transport
from shadowai.catalog import CANDIDATE_PATTERN, Catalog
from shadowai.directory import Directory, normalise_user
from shadowai.errors import STOPPED_BY, InputError, ShadowaiError, StoreError, printable
from shadowai.formats._mapped import register_mapped
from shadowai.pseudonym import Pseudonymiser, pseudonym
from shadowai.remote import ObjectPath, S3Options, UnreachableError, location, walk_objects
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
    content_prefixes,
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
    month_closed: int = 0  # lines of months without a key in the run (not ingested)
    ai_requests: int = 0
    first_ts: str | None = None
    last_ts: str | None = None
    seconds: float = 0.0
    message: str = ""
    replaced: int = 0  # stored files whose content this one extends (their rows replaced)
    months: list[str] = field(default_factory=list)  # months with dated lines in the file

    def __post_init__(self) -> None:
        self.path, self.message = printable(self.path), printable(self.message)

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
    month_closed: Counter[tuple[str, str | None]] = field(default_factory=Counter)
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
    raw_examples: list[str] = field(default_factory=list)
    #: (person, service) -> time of their last AI request so far (episodes span blocks)
    last_seen: dict[tuple[str, str], Any] = field(default_factory=dict)
    first_ts: Any = None
    last_ts: Any = None


MONTH_CLOSED = "month closed (no key for this month)"


def month_is_open(month: str | None, month_keys: Mapping[str, bytes]) -> bool:
    """Whether lines dated in ``month`` may be ingested: only months whose key the scan
    context carries. The driver decides which keys it hands out (:func:`month_keys_for`);
    a month it gives no key for (closed, purged, outside the file's span) is counted as
    ``month_closed`` in the file's quality and otherwise ignored."""
    return month is not None and month in month_keys


def month_keys_for(pseudonymiser: Pseudonymiser, months: list[str]) -> dict[str, bytes]:
    """The month keys a scan may use: made on the driver, the only keys sent to workers
    (never the secret key). The key ring (one random key per month) plugs in here."""
    return {m: pseudonymiser.month_key(m) for m in months}


@dataclass(frozen=True)
class RunContext:
    """What every file of a run shares, sent once to each worker: no key in it."""

    catalog: Catalog
    directory: Directory
    timezone: str
    episode_gap_minutes: float = 30
    #: [formats] tables of the configuration: mapped formats a worker registers itself.
    mapped_formats: dict[str, Any] | None = None
    mapped_where: str = "config"
    #: ``--show-raw``: also keep rejected lines as they are, for the operator's stderr only
    show_raw: bool = False
    #: how workers reach s3:// inputs (endpoint, region, timeout; keys only if configured)
    s3: S3Options | None = None

    @property
    def catalog_version(self) -> str:
        return self.catalog.version


@dataclass
class ScanContext:
    """Everything :func:`scan_file` needs besides the file: no store, no secret key."""

    run: RunContext
    format: Any  # a registered format's name (workers), or a Format object (in process)
    path: str  # the file's identity: its resolved path or URI
    source_timezone: str
    mtime: float
    prefix_lengths: frozenset[int] = frozenset()
    month_keys: dict[str, bytes] = field(default_factory=dict)
    #: DNS answers of the file's months already stored (month, client, ip, host, ts UTC),
    #: or None when the store holds none.
    dns_answers: pa.Table | None = None


@dataclass
class FilePartial:
    """What scanning one file gives the driver: plain Arrow tables (the store's rows
    without file_id), counters, warnings and the content's fingerprints."""

    path: str
    format: str
    unit: str
    tables: dict[str, pa.Table] = field(default_factory=dict)
    lines: int = 0
    rejected: int = 0
    not_event: int = 0
    not_usage: int = 0
    closed: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    not_event_by_reason: dict[str, int] = field(default_factory=dict)
    not_usage_by_reason: dict[str, int] = field(default_factory=dict)
    first_ts: dt.datetime | None = None
    last_ts: dt.datetime | None = None
    examples: list[str] = field(default_factory=list)
    #: the same lines unmasked, only with ``--show-raw``: printed on stderr, never stored
    raw_examples: list[str] = field(default_factory=list)
    #: set when not a single line could be read as the format: the file fails at commit
    unreadable: str | None = None
    fingerprint: str = ""
    raw_fingerprint: str = ""
    first_line_hash: str = ""
    content_bytes: int = 0
    compression: str = "none"
    size: int = 0
    prefix_hashes: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: set when the file could not be scanned at all (the message to show)
    error: str | None = None

    def frame(self, name: str) -> pl.DataFrame:
        return pl.from_arrow(self.tables[name])  # type: ignore[return-value]


@dataclass
class Planned:
    """A file to read, as decided on the driver."""

    path: Path
    format: formats.Format
    signature: str
    first_line_hash: str
    mtime: float
    months: list[str]


def scan_file(uri: str, context: ScanContext,
              progress: Callable[[str, int, int], None] | None = None) -> FilePartial:
    """Read, parse, aggregate and pseudonymise one file: a pure function of the file and
    its context (no store access), run on the driver or on any worker."""
    started = time.perf_counter()
    fmt = _format(context)
    source = Source.open(location(uri, context.run.s3))
    source.prefix_lengths = set(context.prefix_lengths)
    scanner = _Scanner(context, fmt, progress)
    partial = scanner.scan(source)
    tables = scanner.resolve(partial)
    rejected = sum(partial.rejected.values())
    not_event = sum(partial.not_event.values())
    out = FilePartial(
        context.path, fmt.name, fmt.unit, {k: _plain(v) for k, v in tables.items()},
        source.lines, rejected, not_event, sum(partial.not_usage.values()),
        sum(partial.month_closed.values()), _by_reason(partial.rejected),
        _by_reason(partial.not_event), _by_reason(partial.not_usage),
        partial.first_ts, partial.last_ts, partial.examples,
        fingerprint=source.fingerprint, raw_fingerprint=source.raw_fingerprint,
        first_line_hash=source.first_line_hash, content_bytes=source.content_bytes,
        compression=source.compression, size=source.size,
        prefix_hashes=dict(source.prefix_hashes), raw_examples=partial.raw_examples)
    if rejected and rejected + not_event == source.lines:
        out.unreadable = (f"{uri}: none of {source.lines} lines could be read as "
                          f"{fmt.name} (first problem: {partial.examples[0]}). "
                          "Pass the right --format; 'shadowai formats' lists them.")
    out.seconds = round(time.perf_counter() - started, 3)
    return out


def scan_file_safely(uri: str, context: ScanContext,
                     progress: Callable[[str, int, int], None] | None = None) -> FilePartial:
    """:func:`scan_file` for engines: a file that cannot be read gives a partial whose
    ``error`` says why (one line), never an exception (nor across processes)."""
    try:
        return scan_file(uri, context, progress)
    except ShadowaiError as exc:
        message = str(exc)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug must not cost the rest of the run
        message = (f"{uri}: internal error while reading this file "
                   f"({type(exc).__name__}: {exc}); the other files go on. "
                   "Please report it with the file's format.")
    name = context.format if isinstance(context.format, str) else context.format.name
    return FilePartial(uri, name, "", error=message)


def _format(context: ScanContext) -> formats.Format:
    if not isinstance(context.format, str):
        return context.format  # type: ignore[no-any-return]
    if context.format not in formats.REGISTRY and context.run.mapped_formats:
        register_mapped(context.run.mapped_formats, context.run.mapped_where)
    return formats.get(context.format)


def _plain(frame: pl.DataFrame) -> pa.Table:
    """An Arrow table with plain types (large_string, not string_view): what Spark 3.5
    and every Arrow reader accept."""
    return frame.to_arrow(compat_level=pl.CompatLevel.oldest())


def file_months(head: list[str], fmt: formats.Format, path: Path, mtime: float,
                source_timezone: str, timezone: str) -> list[str]:
    """The months (local to ``timezone``) a file's lines can fall in: from the month
    before its first dated line in the head (a margin for lines slightly out of order) to
    the month of its modification time, a day later (nothing is logged after the file was
    last written; the day covers clock skew). Without a dated line in the head, the
    twelve months before. At most ten years."""
    modified = dt.datetime.fromtimestamp(mtime, dt.UTC)
    last = (modified + dt.timedelta(days=1)).astimezone(zoneinfo.ZoneInfo(timezone)).date()
    first = None
    text = [line for line in head if line is not None]
    if text:
        try:
            start_file = getattr(fmt, "start_file", None)
            if start_file:
                start_file()
            formats.set_file_context(formats.FileContext(str(path), modified))
            block = ("\n".join(text) + "\n").encode("utf-8")
            events = fmt.parse(lines_frame(block, 1, len(text)).lazy(), source_timezone)\
                .filter(pl.col(REJECT_COLUMN).is_null()).select("ts").collect()
            lo = events["ts"].min()
            if lo is not None:
                first = lo.astimezone(zoneinfo.ZoneInfo(timezone)).date()  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the bound only widens; the scan reports problems
            first = None
    if first is not None and first > last:
        last = first
    start = _add_months(first, -1) if first is not None else _add_months(last, -12)
    start = max(start, _add_months(last, -120))
    months = []
    y, m = start.year, start.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


class SequentialEngine:
    """Scans files one after the other in this process (memory: one file's blocks)."""

    def __init__(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        self.progress = progress

    def scan(self, tasks: Iterable[tuple[str, ScanContext]]) -> Iterator[FilePartial]:
        for uri, context in tasks:
            yield scan_file_safely(uri, context, self.progress)

    def close(self) -> None:
        pass


class Ingestor:
    def __init__(self, store: Store, catalog: Catalog, directory: Directory,
                 pseudonymiser: Pseudonymiser, timezone: str,
                 warn: Callable[[str], None] = lambda _msg: None,
                 progress: Callable[[str, int, int], None] | None = None,
                 episode_gap_minutes: float = 30,
                 source_timezones: dict[str, str] | None = None,
                 closed_months: set[str] | None = None,
                 engine: Any = None, mapped_formats: dict[str, Any] | None = None,
                 mapped_where: str = "config", show_raw: bool = False,
                 s3: S3Options | None = None) -> None:
        self.store = store
        self.catalog = catalog
        self.pseudonymise = pseudonymiser
        self.timezone = timezone
        self.warn = warn
        self.source_timezones = source_timezones or {}
        self.closed_months = closed_months or set()
        self.run = RunContext(catalog, directory, timezone, episode_gap_minutes,
                              mapped_formats, mapped_where, show_raw, s3)
        #: scans files: in process (default), a process pool, or Spark (shadowai.engines)
        self.engine = engine or SequentialEngine(progress)

    # -- public ---------------------------------------------------------------------------
    def ingest(self, paths: list[Any], format_name: str | None = None,
               force: bool = False, exclude: tuple[str, ...] = (),
               include: tuple[str, ...] = (), own: tuple[Path, ...] = ()) -> list[FileResult]:
        """Ingest files and folders. Folders are walked: what is not a log is skipped
        with its reason (see :func:`shadowai.sources.walk`); a file named on the command
        line that cannot be read fails, and the others go on."""
        self._check_key()
        results, planned = self.plan(paths, format_name, force, exclude, include, own)
        # DNS logs first, as a stage of their own: firewall sessions of the same run are
        # attributed from their answers.
        for stage in ([p for p in planned if p.format.unit == DNS_UNIT],
                      [p for p in planned if p.format.unit != DNS_UNIT]):
            if stage:
                results.extend(self._ingest_stage(stage, force))
        return results

    def plan(self, paths: list[Any], format_name: str | None = None, force: bool = False,
             exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
             own: tuple[Path, ...] = ()) -> tuple[list[FileResult], list[Planned]]:
        """On the driver: walk the paths, settle what needs no reading (skipped, already
        seen, unreadable), detect formats; the files to read, in reading order."""
        fmt = formats.get(format_name) if format_name else None
        results: list[FileResult] = []
        planned: list[Planned] = []
        local = [p for p in paths if not isinstance(p, ObjectPath)]
        remote = [p for p in paths if isinstance(p, ObjectPath)]
        for found in (walk(local, exclude, include, own) if local else []) + \
                walk_objects(remote, exclude, include):
            outcome = self._plan_one(found, fmt, force)
            if isinstance(outcome, FileResult):
                results.append(outcome)
            else:
                planned.append(outcome)
        skipped = [(r.path, r.message) for r in results if r.status == "skipped"]
        for path, reason in skipped:
            self.warn(f"{path}: skipped, {reason}.")
        self.store.record_skipped(skipped)
        planned.sort(key=lambda item: item.format.unit != DNS_UNIT)
        return results, planned

    def _ingest_stage(self, stage: list[Planned], force: bool) -> list[FileResult]:
        """Scan a stage's files (with the engine) and commit each, in plan order."""
        answers: dict[str, pl.DataFrame] = {}
        any_answers = bool(self.store.rows("SELECT count(*) FROM dns_answers")[0][0])
        tasks = ((str(p.path), self.context(p, answers if any_answers else None))
                 for p in stage)
        results = []
        for item, partial in zip(stage, self.engine.scan(tasks), strict=True):
            if STOPPED_BY:
                raise KeyboardInterrupt
            started = time.perf_counter()
            try:
                if partial.error:
                    raise InputError(partial.error)
                result = self.commit(item, partial, force)
            except StoreError:  # the store failed (disk full) or the key does not match the
                raise           # month's: no other file can go on
            except ShadowaiError as exc:
                self.warn(str(exc))
                result = FileResult(str(item.path), "failed", message=str(exc))
            except (KeyboardInterrupt, SystemExit):
                raise
            except duckdb.InterruptException:  # DuckDB's form of Ctrl-C: stop, not next file
                raise KeyboardInterrupt from None
            except Exception as exc:  # a bug must not cost the rest of the run
                if STOPPED_BY:  # an interruption a library wrapped in its own error
                    raise KeyboardInterrupt from None
                message = (f"{item.path}: internal error while reading this file "
                           f"({type(exc).__name__}: {exc}); the other files go on. "
                           "Please report it with the file's format.")
                self.warn(message)
                result = FileResult(str(item.path), "failed", message=message)
            result.seconds = round(partial.seconds + time.perf_counter() - started, 3)
            results.append(result)
        return results

    def context(self, item: Planned,
                answers: dict[str, pl.DataFrame] | None = None) -> ScanContext:
        """The scan context of one planned file: its months' keys and stored DNS answers,
        the prefix lengths of the stored files it may extend."""
        # a closed month's key is destroyed: its lines are counted, never ingested
        keys = month_keys_for(self.pseudonymise,
                              [m for m in item.months if m not in self.closed_months])
        dns = None
        if answers is not None:
            for month in keys:
                if month not in answers:
                    answers[month] = self.store.frame("dns_answers_month", month=month)\
                        .with_columns(pl.lit(month).alias("month"))
            found = [answers[m] for m in keys if answers[m].height]
            if found:
                dns = _plain(pl.concat(found))
        lengths = frozenset(n for _, n, _ in
                            self.store.extension_candidates(item.first_line_hash))
        fmt: Any = item.format
        if formats.REGISTRY.get(fmt.name) is fmt:
            fmt = fmt.name  # workers look registered formats up by name
        return ScanContext(self.run, fmt, str(item.path.resolve()),
                           self.source_timezone(item.path), item.mtime, lengths, keys, dns)

    def ingest_file(self, path: Path, fmt: formats.Format | None = None,
                    force: bool = False, sig: str | None = None) -> FileResult:
        """Read one file and commit it: identical content already stored (under any name
        or compression) adds nothing; content that extends stored content replaces it."""
        source = Source.open(path)
        head = source.head()
        if fmt is None:
            fmt = formats.detect(head, path).format
        item = self._planned(path, fmt, sig or signature(path, source.compression),
                             source.first_line_hash, head)
        answers: dict[str, pl.DataFrame] | None = (
            {} if self.store.rows("SELECT count(*) FROM dns_answers")[0][0] else None)
        return self.commit(item, scan_file(str(path), self.context(item, answers)), force)

    def commit(self, item: Planned, partial: FilePartial, force: bool = False) -> FileResult:
        """On the driver, in plan order: identical content already stored adds nothing;
        content that extends stored files replaces them; else the file's rows are stored
        in one transaction, with the check values of the months' keys."""
        path, sig = item.path, item.signature
        holder = self.store.holder_of(partial.fingerprint, partial.raw_fingerprint)
        if holder and not force:
            self.store.add_signature(sig, holder[0])
            self._upgrade_legacy(holder[0], partial)
            return FileResult(str(path), "duplicate", partial.format, partial.unit,
                              partial.lines,
                              message=f"same content as {holder[1]}, already ingested",
                              months=self.store.months_of(holder[0]))
        if holder and partial.closed and partial.closed == (
                partial.lines - partial.rejected - partial.not_event):
            # --force on a file counted before its months closed: their summaries are
            # final and keep no rows to replace, so the file stays as the close left it.
            return FileResult(str(path), "unchanged", partial.format, partial.unit,
                              partial.lines,
                              message=f"counted before its month(s) closed, as {holder[1]}; "
                                      f"a closed month's figures are final, --force does "
                                      f"not re-read it",
                              months=self.store.months_of(holder[0]))
        candidates = self.store.extension_candidates(partial.first_line_hash)
        prefixes = dict(partial.prefix_hashes)
        missing = {n for _, n, _ in candidates
                   if n not in prefixes and n <= partial.content_bytes}
        if missing:  # stored after this file was planned (earlier in the same run)
            prefixes.update(content_prefixes(path, missing))
        replaces = [file_id for file_id, length, fingerprint in candidates
                    if prefixes.get(length) == fingerprint]
        if force and holder:
            replaces.append(holder[0])
        tables = {name: partial.frame(name) for name in partial.tables}
        days = tables["file_days"]["day"]
        months = sorted({d.strftime("%Y-%m") for d in days})
        result = FileResult(
            str(path), "ingested", partial.format, partial.unit, partial.lines,
            parsed=partial.lines - partial.rejected - partial.not_event - partial.closed,
            rejected=partial.rejected, rejected_by_reason=partial.rejected_by_reason,
            not_event=partial.not_event, not_event_by_reason=partial.not_event_by_reason,
            not_usage=partial.not_usage, not_usage_by_reason=partial.not_usage_by_reason,
            month_closed=partial.closed,
            ai_requests=int(tables["ai_daily"]["requests"].sum() or 0),
            first_ts=_iso(partial.first_ts), last_ts=_iso(partial.last_ts),
            replaced=len(replaces), months=months)
        if partial.unreadable:
            for example in partial.raw_examples:  # --show-raw: the operator's terminal only
                self.warn(f"{example} (raw)")
            raise InputError(partial.unreadable)
        record = {
            "fingerprint": partial.fingerprint, "path": printable(str(path.resolve())),
            "format": partial.format, "unit": partial.unit,
            "compression": partial.compression, "size": partial.size, "mtime": item.mtime,
            "lines": partial.lines, "parsed": result.parsed, "rejected": partial.rejected,
            "not_usage": partial.not_usage, "not_event": partial.not_event,
            "first_ts": _naive(partial.first_ts), "last_ts": _naive(partial.last_ts),
            "first_day": days.min(), "last_day": days.max(),
            "timezone": self.source_timezone(path), "day_timezone": self.timezone,
            "catalog_version": self.catalog.version,
            "content_bytes": partial.content_bytes, "first_line_hash": partial.first_line_hash,
        }
        self.store.replace_file(record, tables, replaces, sig,
                                {m: self.pseudonymise.key_check(m) for m in months})
        for example in partial.raw_examples or partial.examples:
            self.warn(example)
        if partial.rejected > len(partial.examples):
            self.warn(f"{path}: {partial.rejected} lines rejected in all "
                      f"({_reasons(partial.rejected_by_reason)}).")
        if partial.closed and not result.parsed:
            self.warn(f"{path}: all {partial.closed} dated lines are of closed months: this "
                      f"file came too late, no report will count it.")
        elif partial.closed:
            self.warn(f"{path}: {partial.closed} lines of closed months not ingested.")
        return result

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

    def _planned(self, path: Path, fmt: formats.Format, sig: str, first_line_hash: str,
                 head: list[str]) -> Planned:
        mtime = path.stat().st_mtime
        return Planned(path, fmt, sig, first_line_hash, mtime,
                       file_months(head, fmt, path, mtime, self.source_timezone(path),
                                   self.timezone))

    def _plan_one(self, found: Found, fmt: formats.Format | None,
                  force: bool) -> FileResult | Planned:
        """What to do with one path: a final result (skipped, unchanged, failed) or a
        file to read. Files whose cheap signature is known are not opened; formats are
        detected once, here."""
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
            source = Source.open(path)
            head = source.head()  # a corrupt file fails here, whoever named it
        except UnreachableError:  # the object store is down: so is every other object
            raise
        except ShadowaiError as exc:
            self.warn(str(exc))
            return FileResult(str(path), "failed", message=str(exc))
        except OSError as exc:
            message = f"{path}: cannot read ({exc.strerror or exc})."
            self.warn(message)
            return FileResult(str(path), "failed", message=message)
        if fmt is not None:
            return self._planned(path, fmt, sig, source.first_line_hash, head)
        if not any(line.strip() for line in head):  # e.g. a compressed empty file
            return FileResult(str(path), "skipped", message=EMPTY)
        try:
            detected = transport.detect(head, path).format
        except ShadowaiError as exc:
            if found.named:
                self.warn(str(exc))
                return FileResult(str(path), "failed", message=str(exc))
            # Found by walking a folder: not a log we read (its name only, never a line).
            return FileResult(str(path), "skipped", message=UNRECOGNISED)
        return self._planned(path, detected, sig, source.first_line_hash, head)

    def _upgrade_legacy(self, file_id: int, partial: FilePartial) -> None:
        self.store.upgrade_legacy(file_id, {
            "fingerprint": partial.fingerprint, "content_bytes": partial.content_bytes,
            "first_line_hash": partial.first_line_hash})


#: Classified hosts of one catalog, kept across files: (catalog, every raw host seen, the
#: classified rows that need a look: AI, candidate or unusable, the rows that are IPs).
#: The raw hosts are a Python set: testing a block's hosts against it costs the block's
#: size (~6 ms for 27,000 hosts), where polars' ``is_in`` hashed the whole cache again at
#: every block (2 ms with 40,000 hosts cached, 10-27 ms with 200,000, and growing with
#: every file of a run: a month of a large proxy holds hundreds of thousands).
_HOSTS: list[tuple[Catalog, set[str], pl.DataFrame, pl.DataFrame]] = []
#: Past this many raw hosts the cache starts again (it is only a cache): memory stays
#: bounded over a run of thousands of files (a firewall logs every destination address).
HOST_CACHE_MAX = 250_000
#: The hosts a line's classification must be joined back for (every other host only counts).
_SPECIAL = (pl.col("service_id").is_not_null() | pl.col("_candidate")
            | pl.col("_host").is_null())


class _Scanner:
    """The block scan of one file (what :func:`scan_file` runs)."""

    def __init__(self, context: ScanContext, fmt: formats.Format,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        self.context = context
        self.fmt = fmt
        self.catalog = context.run.catalog
        self.directory = context.run.directory
        self.timezone = context.run.timezone
        self.month_keys = context.month_keys
        self.episode_gap = dt.timedelta(minutes=context.run.episode_gap_minutes)
        self.progress = progress
        self._file = context.path
        self._answer_cache: dict[str, pl.DataFrame] = {}
        self._dns = (None if context.dns_answers is None
                     else pl.from_arrow(context.dns_answers))
        # Classified hosts are cached across files of one catalog (raw hosts repeat a lot).
        if not _HOSTS or _HOSTS[0][0] is not self.catalog:
            _HOSTS[:] = [self._empty_cache()]
        _, self._hosts, self._special, self._literal = _HOSTS[0]

    def _empty_cache(self) -> tuple[Catalog, set[str], pl.DataFrame, pl.DataFrame]:
        none = classify_hosts(pl.Series("host", [], dtype=pl.String), self.catalog)
        return self.catalog, set(), none, none

    def pseudonymise(self, month: str, identity: str) -> str:
        return pseudonym(self.month_keys[month], identity)

    def scan(self, source: Source) -> _Partial:
        fmt = self.fmt
        partial = _Partial(unit=fmt.unit)
        done = 0
        start_file = getattr(fmt, "start_file", None)
        if start_file:  # formats with per-file state (e.g. a W3C #Fields header)
            start_file()
        mtime = dt.datetime.fromtimestamp(self.context.mtime, dt.UTC)
        formats.set_file_context(formats.FileContext(str(source.path), mtime))
        latest = dt.datetime.now(dt.UTC) + FUTURE_SLACK
        try:
            held: list[pl.DataFrame] = []
            for size, lines, valid in self._parsed(source, latest, partial):
                held.append(valid)
                if len(held) == AGGREGATE_EVERY:
                    self._aggregate(_batch(held), partial)
                    held = []
                done += size
                if self.progress:
                    self.progress(str(source.path), done, lines)
            if held:
                self._aggregate(_batch(held), partial)
        finally:
            _HOSTS[:] = [(self.catalog, self._hosts, self._special, self._literal)]
        return partial

    def _parsed(self, source: Source, latest: dt.datetime,
                partial: _Partial) -> Iterator[tuple[int, int, pl.DataFrame]]:
        """(bytes, lines, valid events) of each block, in order, read one block ahead on a
        worker thread while the caller aggregates the previous one (polars releases the
        GIL: the two overlap on two cores). One worker reads the blocks in file order, in a
        copy of this thread's context (the file context formats read), so formats that keep
        state across blocks see them as before, and the line counts it keeps in ``partial``
        (rejected, closed months, examples) are its alone: the caller's are others."""
        context = contextvars.copy_context()
        blocks = source.blocks()
        pool = ThreadPoolExecutor(1, thread_name_prefix="parse")
        pending: deque[Future[tuple[int, int, pl.DataFrame]]] = deque()
        try:
            for first_line, count, block in blocks:
                pending.append(pool.submit(context.run, self._read_block, first_line,
                                           count, block, latest, source.path, partial))
                if len(pending) > 1:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            blocks.close()

    def _read_block(self, first_line: int, count: int, block: bytes, latest: dt.datetime,
                    path: Path, partial: _Partial) -> tuple[int, int, pl.DataFrame]:
        """One block -> its valid events of open months, its malformed lines and lines of
        closed months counted. Runs on the worker: the aggregating thread was the one
        the other waited for."""
        events = self._parse_block(first_line, count, block, latest)
        self._collect_rejects(events, block, first_line, path, partial)
        valid = self._drop_closed(events.filter(pl.col(REJECT_COLUMN).is_null()), partial)
        return len(block), events.height, valid

    def _parse_block(self, first_line: int, count: int, block: bytes,
                     latest: dt.datetime) -> pl.DataFrame:
        """One block's lines -> events with ``day``: over-long lines and lines without a
        plausible time rejected."""
        lines = lines_frame(block, first_line, count)
        too_long = lines.filter(pl.col("line").str.len_bytes() > MAX_LINE_BYTES)[LINE_COLUMN]
        if too_long.len():  # parsers never see them: bounded work per line
            lines = lines.with_columns(
                pl.when(pl.col(LINE_COLUMN).is_in(too_long.implode()))
                .then(None).otherwise(pl.col("line")).alias("line"))
        events = transport.parse(self.fmt, lines.lazy(), self.context.source_timezone)
        events = plausible(events, too_long, latest)
        return events.with_columns(local_day(events["ts"], self.timezone))

    def _drop_closed(self, events: pl.DataFrame, partial: _Partial) -> pl.DataFrame:
        """Lines of months the context has no key for are counted, never ingested."""
        # the block's few distinct days give its months (formatting every line's day cost
        # 4 ms a block)
        months = {d.strftime("%Y-%m") for d in events["day"].unique().drop_nulls().to_list()}
        closed = [m for m in sorted(months) if not month_is_open(m, self.month_keys)]
        if not closed:
            return events
        month = pl.col("day").dt.strftime("%Y-%m")
        shut = month.is_in(closed)
        for mon, count, first in events.filter(shut).group_by(month.alias("_m")).agg(
                pl.len(), pl.col(LINE_COLUMN).min()).iter_rows():
            partial.count("month_closed", MONTH_CLOSED, mon, count, first)
        return events.filter(~shut)

    def _collect_rejects(self, events: pl.DataFrame, block: bytes, first_line: int,
                         path: Path, partial: _Partial) -> None:
        valid = pl.col(REJECT_COLUMN).is_null()
        if events[REJECT_COLUMN].null_count() == events.height:
            last = events["day"].drop_nulls()
            if last.len():
                partial.last_month = last[-1].strftime("%Y-%m")
            return
        # A rejected line counts in the month of the valid line before it, else in the
        # month last seen, else in the block's first valid month. The days are carried
        # forward and only the rejected lines' days formatted (formatting every line's day
        # cost 4 ms a block).
        fallback = partial.last_month
        if fallback is None:
            firsts = events.filter(valid)["day"].drop_nulls()
            fallback = firsts[0].strftime("%Y-%m") if firsts.len() else None
        marked = events.select(LINE_COLUMN, REJECT_COLUMN, pl.when(valid).then(pl.col("day"))
                               .otherwise(pl.lit(None, dtype=pl.Date)).forward_fill()
                               .alias("_day"))
        if (last_day := marked["_day"][-1]) is not None:
            partial.last_month = last_day.strftime("%Y-%m")
        bad = marked.filter(pl.col(REJECT_COLUMN).is_not_null()).select(
            LINE_COLUMN, REJECT_COLUMN, pl.col("_day").dt.strftime("%Y-%m")
            .fill_null(pl.lit(fallback, dtype=pl.String)).alias("_month"))
        for reason, mon, count, first in bad.group_by(REJECT_COLUMN, "_month").agg(
                pl.len(), pl.col(LINE_COLUMN).min()).iter_rows():
            # a valid record that carries no connection is not a malformed line
            kind = "not_event" if reason.startswith(NOT_AN_EVENT) else "rejected"
            partial.count(kind, reason, mon, count, first)
        bad = bad.select(LINE_COLUMN, REJECT_COLUMN)
        room = EXAMPLES_PER_FILE - len(partial.examples)
        malformed = bad.filter(~pl.col(REJECT_COLUMN).str.starts_with(NOT_AN_EVENT))
        if room > 0 and malformed.height:
            text = block.split(b"\n")
            for line_no, reason in malformed.sort(LINE_COLUMN).head(room).iter_rows():
                raw = text[line_no - first_line].decode("utf-8", "replace").rstrip("\r")
                partial.examples.append(f"{path}:{line_no}: {reason}: {mask(raw[:80])!r}")
                if self.context.run.show_raw:
                    partial.raw_examples.append(f"{path}:{line_no}: {reason}: {raw[:200]!r}")

    def _classify(self, raw: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
        """classify_hosts with a cache across blocks and files (raw hosts repeat a lot):
        the classified hosts that need a look (:data:`_SPECIAL`) and those that are IP
        literals, each sorted out once per new host rather than over the whole cache at
        every block (measured: a quarter of the aggregation's time with 8 MiB blocks)."""
        if len(self._hosts) > HOST_CACHE_MAX:  # the three forget together: no host twice
            _, self._hosts, self._special, self._literal = self._empty_cache()
        new = set(raw.to_list()).difference(self._hosts)
        if new:
            got = _compact(classify_hosts(pl.Series("host", sorted(new), dtype=pl.String),
                                          self.catalog))
            self._hosts.update(new)
            self._special = pl.concat([self._special, got.filter(_SPECIAL)])
            self._literal = pl.concat([self._literal,
                                       got.filter(pl.col("_host").str.contains(IP_LITERAL))])
        return self._special, self._literal

    def _aggregate(self, events: pl.DataFrame, partial: _Partial) -> None:
        if events.height == 0:
            return
        special, literal = self._classify(events["host"].drop_nulls().unique())
        if partial.unit != DNS_UNIT:
            events, special = self._attribute(events, special, literal, partial)
        # Only AI, candidate and unusable hosts need their classification joined back;
        # every other line just counts in the denominators (a cheap membership test
        # instead of a join over all lines).
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
        if len(partial.traffic) >= FOLD_EVERY:  # a person's day spans several blocks
            partial.traffic = [_fold_traffic(partial.traffic)]
        partial.ai.append(_compact(self._with_episodes(ai, partial).group_by(
            "day", "user", "client_ip", "_host", "service_id").agg(
                pl.len().alias("requests"),
                (pl.col("action") == BLOCKED).sum().alias("blocked"),
                _sum_or_null("bytes_up"), _sum_or_null("bytes_down"),
                pl.col("_start").sum().alias("episodes"))))
        partial.candidates.append(_compact(candidates))

    def _attribute(self, events: pl.DataFrame, special: pl.DataFrame, literal: pl.DataFrame,
                   partial: _Partial) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Sessions that carry only a destination IP take the host a DNS server answered
        for that IP to the same client shortly before (same month's DNS logs); the others
        are counted as unattributed. Never guessed from address ranges."""
        if literal.height == 0:
            return events, special
        if not self._have_answers():  # the common case: count, skip the join
            ip_only = events.filter(pl.col("host").is_in(literal["host"].implode()))
            for (mon,), part in ip_only.group_by(pl.col("day").dt.strftime("%Y-%m")):
                partial.count("attribution", UNATTRIBUTED, mon, part.height)
            return events, special
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
            return events, special
        events = events.join(found, on=LINE_COLUMN, how="left").with_columns(
            pl.coalesce("_attributed", "host").alias("host")).drop("_attributed")
        return events, self._classify(events["host"].drop_nulls().unique())[0]

    def _have_answers(self) -> bool:
        return self._dns is not None and self._dns.height > 0

    def _answers(self, month: str) -> pl.DataFrame:
        if month not in self._answer_cache:
            assert self._dns is not None
            self._answer_cache[month] = self._dns.filter(pl.col("month") == month)\
                .select("client", "ip", "host", pl.col("ts").dt.replace_time_zone("UTC")
                        .dt.cast_time_unit("us"))
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
        pairs = keyed.select("_who", "service_id").unique()
        last = partial.last_seen
        pairs = pairs.with_columns(pl.Series("_last", [
            last.get(pair) for pair in pairs.iter_rows()], dtype=pl.Datetime("us", "UTC")))
        keyed = keyed.join(pairs, on=["_who", "service_id"], how="left")
        keyed = keyed.sort("_who", "service_id", "ts").with_columns(
            pl.col("ts").shift(1).over("_who", "service_id").fill_null(pl.col("_last"))
            .alias("_prev"))
        keyed = keyed.with_columns(
            (pl.col("_prev").is_null() | (pl.col("ts") - pl.col("_prev") > self.episode_gap))
            .alias("_start"))
        # only the pairs of this block change: the cost is the block's, not the file's
        for who, sid, ts in keyed.group_by("_who", "service_id").agg(
                pl.col("ts").max()).iter_rows():
            if ts is not None and (last.get((who, sid)) is None or ts > last[(who, sid)]):
                last[(who, sid)] = ts
        return keyed

    # -- identities -----------------------------------------------------------------------
    def resolve(self, partial: _Partial) -> dict[str, pl.DataFrame]:
        traffic = _concat(partial.traffic, {"day": pl.Date, "user": pl.String,
                                            "client_ip": pl.String, "requests": pl.UInt32})
        month = pl.col("day").dt.strftime("%Y-%m").alias("month")
        people = traffic.select(month, "user", "client_ip").unique()
        resolved = []
        for m, user, ip in people.iter_rows():
            name = normalise_user(user)
            identity = self._identity(name, ip)
            # how the identity was placed, and whether it is only a machine's address:
            # what the directory coverage and the counting of people apart need
            resolved.append((m, user, ip, *self.directory.resolve(name, ip),
                             self.pseudonymise(m, identity), identity.startswith("ip:")))
        who = pl.DataFrame(resolved, orient="row", schema={
            "month": pl.String, "user": pl.String, "client_ip": pl.String,
            "department": pl.String, "resolved_by": pl.String, "pseudonym": pl.String,
            "address_only": pl.Boolean})
        keys = ["month", "user", "client_ip"]

        def attach(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.with_columns(month).join(who, on=keys, how="left", nulls_equal=True)

        traffic_daily = attach(traffic).group_by("day", "department", "pseudonym",
                                                  "resolved_by", "address_only").agg(
            pl.col("requests").sum().cast(pl.Int64))
        ai = _concat(partial.ai, {"day": pl.Date, "user": pl.String, "client_ip": pl.String,
                                  "_host": pl.String, "service_id": pl.String,
                                  "requests": pl.UInt32, "blocked": pl.UInt32,
                                  "bytes_up": pl.Int64, "bytes_down": pl.Int64,
                                  "episodes": pl.UInt32})
        ai_daily = attach(ai).group_by(
            "day", "department", "pseudonym", "service_id", pl.col("_host").alias("host"),
            "address_only"
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
             for kind in ("rejected", "not_usage", "not_event", "attribution",
                         "month_closed")
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
        rows = pl.concat(partial.answers).with_columns(
            pl.col("ts").dt.convert_time_zone(self.timezone).dt.strftime("%Y-%m")
            .alias("month"))
        keys = rows.select("month", "client_ip").unique().drop_nulls()
        keys = keys.with_columns(pl.Series("client", [
            self.pseudonymise(m, f"ip:{ip}") for m, ip in keys.iter_rows()], dtype=pl.String))
        return rows.join(keys, on=["month", "client_ip"]).select(
            "month", "client", "ip", pl.col("_host").alias("host"), "service_id",
            pl.col("ts").dt.replace_time_zone(None))



_LETTERS = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                         "x" * 52 + "9" * 10)


def mask(line: str) -> str:
    """The shape of a rejected line, for messages and --json: letters become x, digits 9,
    punctuation and spacing stay. Enough to see a glued timestamp, a missing field or a
    bad status; no user name, address or host can be read from it (the line number points
    to the line itself in the operator's own file)."""
    return "".join(c if not c.isalnum() else ("9" if c.isdigit() else "x")
                   for c in line.translate(_LETTERS))


#: Parsed blocks aggregated together. Aggregating costs per distinct host and person of
#: the batch (classification, identities, episodes, per-day rows) more than per line: a
#: batch of four blocks does that work once where four blocks did it four times (10 M
#: Squid lines with 6 MiB blocks, alternating runs: CPU 18.9-21.7 s against 22.4-26.2 s
#: block by block with 8 MiB blocks; benchmarks/README.md, session 7). The results are the
#: same: every aggregate is a sum, a minimum or a first time over the batch's lines.
AGGREGATE_EVERY = 4


def _batch(frames: list[pl.DataFrame]) -> pl.DataFrame:
    return frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed")


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """A copy whose strings own their bytes. Polars strings are views into the buffers
    they were cut from: a small aggregate kept across blocks would otherwise keep every
    block's whole text alive (measured: memory grew by ~100 MiB per million lines)."""
    strings = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(pl.col(strings) + "") if strings else frame


#: Per-block traffic partials are folded into one every this many blocks: one row per
#: (day, user, client) instead of one per block that saw them (peak RSS at 10 M lines
#: grew ~100 MiB over 1 M without it).
FOLD_EVERY = 16


def _fold_traffic(parts: list[pl.DataFrame]) -> pl.DataFrame:
    return _compact(pl.concat(parts, how="vertical_relaxed").group_by(
        "day", "user", "client_ip").agg(pl.col("requests").sum()))


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


def _reasons(by_reason: dict[str, int]) -> str:
    return ", ".join(f"{n} {r}" for r, n in Counter(by_reason).most_common())


def _naive(ts: Any) -> Any:
    return ts.replace(tzinfo=None) if ts is not None else None


def _iso(ts: Any) -> str | None:
    return ts.isoformat().replace("+00:00", "Z") if ts is not None else None
