"""How a log line travelled: the envelopes in front of its payload, stripped before
detection and parsing, so every format reads its records whatever delivered them.

A firewall's or proxy's log is rarely read on the device: it arrives through syslog, often
through one or two relays, each adding a header, or through a message bus that wraps it in
JSON. An *envelope* is one such layer. :data:`ENVELOPES` lists the layers shadowai knows, as
data (a name, an anchored regular expression matching the envelope, and one capturing its
time when it can carry an offset):

- ``rfc5424``: ``<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD...] MSG`` (RFC 5424);
- ``iso-syslog``: ``[<PRI>]2026-05-20T13:36:16.123456+07:00 HOST [TAG:] MSG`` (rsyslog's
  ``RSYSLOG_FileFormat``, syslog-ng's ``ts_format(iso)``);
- ``rfc3164``: ``[<PRI>]Mmm dd [yyyy ]HH:MM:SS [HOST] [TAG[PID]:] MSG`` (BSD syslog, the
  classic rsyslog/syslog-ng file format);
- ``priority``: a bare ``<PRI>`` (devices sending ``<134> id=firewall ...``);
- ``vendor-prefix``: a severity word some appliances put before the record (``Info:``);
- ``json-wrapper``: ``{"http": {...}}``, one record wrapped under its type (Kafka writers
  of Zeek/Bro); the type is kept as the record's ``_path``.

A file of pretty-printed JSON (one document over many lines, or an array of records, as
exports and API dumps write them) is read as one record per line too: each document (each
element of an array) becomes one compact line at the line number where it starts; the other
lines are ``not an event``. A document a block ends in the middle of is held for the
file's next block.

Layers are peeled one at a time (a relay chain is two syslog layers). Which depth to peel
is decided by the payload: a file is detected at every depth and the best score wins (the
shallower on a tie, so formats that read their own syslog header keep it); a block is
parsed at the depth where the detected format reads the most lines of a sample of the
block (on a tie the shallower, unless the deeper reveals an envelope time with an offset),
peeling only the kinds of envelope seen in that sample.

Time, when a line carries several (the rule the README states): **the payload's time with
its UTC offset > the envelope's time with its UTC offset > the payload's local time read
in the source's configured zone**. The envelope's time (``_env_ts``) only counts when it
has an offset; a payload time is "local" when it moves with the zone it is read in, which
:func:`parse` measures by reading the block in a second, probe zone.

A year-less syslog stamp (RFC 3164) takes its year from the dated lines of the same file,
as read (envelopes included): :func:`shadowai.formats._syslog.year_hints` adds each line's
hint before the format parses the block.

All of it is vectorised (polars expressions over the block's ``line`` column). polars'
regular expressions are finite automata (the Rust ``regex`` crate): matching is linear in
the line's length whatever the pattern, and the patterns below have no nested repetition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from shadowai import formats
from shadowai.errors import InputError
from shadowai.formats import _syslog
from shadowai.formats._syslog import year_hints
from shadowai.schema import LINE_COLUMN, REJECT_COLUMN

#: At most this many envelopes are peeled from a line (a device, a relay, a collector).
MAX_DEPTH = 3
ENV_TS = "_env_ts"
BLANK_LINE = "not an event: blank line"
IN_DOCUMENT = "not an event: inside a JSON document"
#: Lines of a block used to choose how deep to peel.
SAMPLE_LINES = 200
#: Zones no administration's logs are written in, to find payload times read as local.
PROBE_ZONES = ("Etc/GMT+12", "Etc/GMT-14")

_PRI = r"<\d{1,3}>"
_ISO = (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"
        r"(?:Z|[+-]\d{2}:?\d{2})?")
_BSD = r"[A-Z][a-z]{2} [ \d]?\d(?: \d{4})? \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?"
_HOST = r"[^\s:<\[\]=]+"
_TAG = r"[A-Za-z0-9_./()-]{1,64}(?:\[[^\]\s]{0,32}\])?:"
_SD = r"(?:-|(?:\[(?:[^\]\\]|\\.)*\])+)"


@dataclass(frozen=True)
class Envelope:
    """One kind of layer: ``prefix`` is an anchored regular expression matching the
    envelope alone (what follows is the payload); ``time``, when the layer can carry a time
    with an offset, captures it in group 1."""

    name: str
    prefix: str
    time: str | None = None


ENVELOPES: tuple[Envelope, ...] = (
    Envelope("rfc5424", rf"^{_PRI}\d{{1,2}} (?:{_ISO}|-) \S+ \S+ \S+ \S+ {_SD}(?: \x{{FEFF}}?)?",
             rf"^{_PRI}\d{{1,2}} ({_ISO}) "),
    Envelope("iso-syslog", rf"^(?:{_PRI})?{_ISO} {_HOST} (?:{_TAG} ?)?", rf"^(?:{_PRI})?({_ISO}) "),
    Envelope("rfc3164", rf"^(?:{_PRI})?{_BSD} (?:{_HOST} )?(?:{_TAG} ?)?"),
    Envelope("priority", rf"^{_PRI} ?"),
    Envelope("vendor-prefix", r"^(?:Info|Notice|Warning|Debug|Critical|Alert|Error|Emergency): "),
    # the whole line: the record's type, then the record (see :func:`peel`)
    Envelope("json-wrapper",
             r'^\s*\{\s*"([A-Za-z_][A-Za-z0-9_.-]{0,40})"\s*:\s*\{(.*)\}\s*\}\s*$'),
)
_WRAPPER = len(ENVELOPES) - 1
#: Any envelope at the start of a line (every prefix is anchored): a block whose sample
#: matches none has nothing to peel.
_ANY_ENVELOPE = "|".join(f"(?:{env.prefix})" for env in ENVELOPES)


def _envelope_time(text: pl.Expr) -> pl.Expr:
    """An envelope's ISO time WITH an offset -> UTC; anything else (no offset, BSD time,
    ``-``) -> null: a local envelope time says nothing the payload's local time does not."""
    fixed = (text.str.replace(",", ".", literal=True).str.replace(r"Z$", "+00:00")
             .str.replace(r"([+-]\d{2})(\d{2})$", "$1:$2"))
    has_offset = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$")
    return pl.when(has_offset).then(fixed.str.strptime(
        pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%.f%:z", strict=False))


def peel(frame: pl.LazyFrame, kinds: frozenset[int] | None = None) -> pl.LazyFrame:
    """Strip one envelope from every line that has one (the first kind that matches, among
    ``kinds``, indexes of :data:`ENVELOPES`: all by default); other lines are unchanged.
    ``_env_ts`` keeps the innermost envelope time that has an offset (null when none);
    ``_env_kind`` says which kind was stripped (null when none).

    A prefix is removed with a plain regex replacement (no capture groups: measured several
    times faster than extracting groups), and a time is extracted only for the kinds that
    can carry an offset."""
    line = pl.col("line")
    names = frame.collect_schema().names()
    used = [(i, e) for i, e in enumerate(ENVELOPES) if kinds is None or i in kinds]
    columns = []
    for i, env in used:
        if i == _WRAPPER:  # keep the record's type, as Zeek writes it
            g = line.str.extract_groups(env.prefix)
            body = g.struct.field("2")
            got = pl.concat_str(pl.lit('{"_path":"'), g.struct.field("1"), pl.lit('",'),
                                body.str.strip_chars_start(), pl.lit("}"))
            got = got.str.replace(r",\s*\}$", "}")  # an empty inner object
            columns.append(pl.when(body.is_not_null()).then(got).alias(f"_e{i}"))
        else:
            cut = line.str.replace(env.prefix, "")
            columns.append(pl.when(cut.str.len_bytes() < line.str.len_bytes()).then(cut)
                           .alias(f"_e{i}"))
        if env.time:
            columns.append(_envelope_time(line.str.extract(env.time, 1)).alias(f"_t{i}"))
    f = frame.with_columns(columns)
    rest = pl.lit(None, dtype=pl.String)
    ts = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    kind = pl.lit(None, dtype=pl.Int8)
    for i, env in reversed(used):
        matched = pl.col(f"_e{i}").is_not_null()
        rest = pl.when(matched).then(pl.col(f"_e{i}")).otherwise(rest)
        kind = pl.when(matched).then(pl.lit(i, pl.Int8)).otherwise(kind)
        ts = pl.when(matched).then(pl.col(f"_t{i}") if env.time else None).otherwise(ts)
    previous = pl.col(ENV_TS) if ENV_TS in names else pl.lit(None, pl.Datetime("us", "UTC"))
    temporary = [f"_e{i}" for i, _ in used] + [f"_t{i}" for i, e in used if e.time]
    return f.with_columns(
        pl.coalesce(rest, line).alias("line"),
        pl.coalesce(ts, previous).alias(ENV_TS),
        kind.alias("_env_kind"),
    ).drop(temporary)


@dataclass(frozen=True)
class Layer:
    """Sample lines with ``depth`` envelopes peeled: which kinds the last peel stripped,
    and whether an envelope time with an offset has been seen so far."""

    lines: list[str]
    kinds: frozenset[int]
    has_time: bool


def layers(lines: list[str]) -> list[Layer]:
    """``lines`` as read, then with one, two... envelopes peeled, while peeling changes
    something (at most :data:`MAX_DEPTH` envelopes)."""
    frame = pl.LazyFrame({"line": lines}, schema={"line": pl.String})
    out = [Layer(lines, frozenset(), False)]
    for _ in range(MAX_DEPTH):
        frame = peel(frame).collect().lazy()
        got = frame.select("line", "_env_kind", ENV_TS).collect()
        peeled = got["line"].to_list()
        if peeled == out[-1].lines:
            break
        out.append(Layer(peeled, frozenset(got["_env_kind"].drop_nulls().unique().to_list()),
                         got[ENV_TS].null_count() < got.height))
    return out


def _is_document_start(line: str | None) -> bool:
    """A line that opens a pretty-printed JSON document or array (not a JSON line)."""
    text = (line or "").strip()
    return text in ("{", "[") or (text.startswith("[") and text[1:].lstrip().startswith("{"))


#: The lines of a JSON document not finished at the end of a block, held for the next block
#: of the same file (keyed by the file context ingest sets), and the most held.
_PENDING: dict[formats.FileContext, pl.DataFrame] = {}
MAX_PENDING_LINES = 1_000_000


def documents(frame: pl.DataFrame) -> pl.DataFrame | None:
    """(``_line``, ``line``) of pretty-printed JSON -> one compact record per document (or
    array element) at the line where it starts, the other lines null; None when the block
    is not such JSON (its first non-blank line does not open a document, or nothing in it
    decodes). A document the block ends in the middle of is held for the file's next block
    (its lines are then left out of this block's result)."""
    key = formats.file_context()  # its value: an object id could be reused by the next file's
    starts = frame.height and frame[LINE_COLUMN][0] <= 1
    if key not in _PENDING or starts:
        _PENDING.clear()  # another file's unfinished document, or this file read again
    held = _PENDING.pop(key, None)
    if held is not None:
        frame = pl.concat([held, frame.select(held.columns)])
    else:  # the common case, a line format: decided on one line, nothing copied
        first = next((x for x in frame["line"].head(1000) if x and x.strip()), None)
        if not _is_document_start(first):
            return None
    text_lines = frame["line"].to_list()
    text = "\n".join(x or "" for x in text_lines)
    starts = [0]
    for x in text_lines[:-1]:
        starts.append(starts[-1] + len(x or "") + 1)
    records: dict[int, str] = {}
    decoder = json.JSONDecoder()
    pos, rows = 0, len(text_lines)
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,]":
            pos += 1
        if pos >= len(text):
            break
        if text[pos] == "[":  # an array of records: read its elements
            pos += 1
            continue
        try:
            value, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            rows = _row_of(starts, pos)  # unfinished here: the rest waits for more lines
            if rows == 0 and frame.height > MAX_PENDING_LINES:
                return None
            _PENDING[key] = frame.slice(rows)
            break
        records[_row_of(starts, pos)] = json.dumps(value, ensure_ascii=False,
                                                   separators=(",", ":"))
        pos = end
    if not records and held is None and rows == len(text_lines):
        return None
    lines = [records.get(i) for i in range(rows)]
    return frame.head(rows).with_columns(pl.Series("line", lines, dtype=pl.String))


def _row_of(starts: list[int], offset: int) -> int:
    """The index of the line holding character ``offset`` (``starts``: each line's first)."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if starts[mid] <= offset else (lo, mid - 1)
    return lo


def detect(lines: list[str], source: object) -> formats.Detection:
    """The best-scoring format for a file's first lines at any envelope depth (the
    shallower on a tie), or the clear error of :func:`formats.detect` on the lines as read."""
    if _is_document_start(next((x for x in lines if x and x.strip()), None)):
        docs = documents(pl.DataFrame({LINE_COLUMN: range(len(lines)), "line": lines},
                                      schema={LINE_COLUMN: pl.Int64, "line": pl.String}))
        _PENDING.pop(formats.file_context(), None)  # a head, not a block of the file
        if docs is not None:
            lines = docs["line"].to_list()
    sample = [x for x in lines if x and x.strip()]
    best: formats.Detection | None = None
    error: InputError | None = None
    for depth in layers(sample):
        try:
            found = formats.detect(depth.lines, source)
        except InputError as exc:
            error = error or exc
            continue
        if best is None or found.score > best.score:
            best = found
    if best is None:
        assert error is not None
        raise error
    return best


def _depth(fmt: formats.Format, frame: pl.DataFrame,
           timezone: str) -> list[frozenset[int]]:
    """Which envelopes to peel from this block, layer by layer: the depth where ``fmt``
    scores best on a sample of it and, among those, reads the most sample lines; on a tie
    the shallower, unless peeling deeper reveals an envelope time with an offset."""
    sample = frame.head(SAMPLE_LINES)
    # the common case, a log written straight to disk, told by one pattern (0.06 ms) rather
    # than by peeling the sample (2-3 ms a block, one thread)
    if not sample["line"].str.contains(_ANY_ENVELOPE).any():
        return []
    options = layers(sample["line"].to_list())
    if len(options) == 1:
        return []
    scores = [fmt.detect(x.lines) for x in options]
    top = max(scores)
    best, best_read = 0, -1
    for depth, (score, layer) in enumerate(zip(scores, options, strict=True)):
        if score < top:
            continue
        probe = sample.with_columns(pl.Series("line", layer.lines, dtype=pl.String))
        read = fmt.parse(probe.lazy(), timezone).select(
            pl.col(REJECT_COLUMN).is_null().sum()).collect().item()
        if read > best_read or (read == best_read and layer.has_time
                                and not options[best].has_time):
            best, best_read = depth, read
    return [layer.kinds for layer in options[1:best + 1]]


def parse(fmt: formats.Format, frame: pl.LazyFrame, timezone: str) -> pl.DataFrame:
    """``fmt.parse`` of a block of lines (``_line``, ``line``) after its envelopes are
    stripped, with the time rule applied; blank lines are ``not an event``."""
    block = frame.collect()
    if (docs := documents(block)) is not None:
        block = docs
        why = IN_DOCUMENT
    else:
        why = BLANK_LINE
    blank = _blank(block["line"])
    blanks = block.filter(blank).select(LINE_COLUMN, pl.lit(why).alias(REJECT_COLUMN))
    lines = block.filter(~blank) if blanks.height else block
    # year-less syslog stamps take their year from the file's dated lines, as read
    hinted = year_hints(lines)
    token = _syslog.hinted(hinted is not None)
    try:
        events = _parse_lines(fmt, lines if hinted is None else hinted, timezone)
    finally:
        _syslog.unhinted(token)
    if blanks.height:
        events = pl.concat([events, blanks], how="diagonal_relaxed").sort(LINE_COLUMN)
    return events


def _parse_lines(fmt: formats.Format, lines: pl.DataFrame, timezone: str) -> pl.DataFrame:
    """``fmt.parse`` of non-blank lines, envelopes peeled as :func:`_depth` decides, with
    the time rule applied. Columns other than ``line`` (a year hint) are kept for it."""
    peeled = lines.lazy()
    plan = _depth(fmt, lines, timezone)
    for kinds in plan:
        peeled = peel(peeled, kinds)
    if not plan:
        return fmt.parse(peeled, timezone).collect()
    peeled_frame = peeled.collect()
    payload = peeled_frame.drop(ENV_TS, "_env_kind")
    events = fmt.parse(payload.lazy(), timezone).collect()
    if peeled_frame[ENV_TS].null_count() < peeled_frame.height:
        events = _apply_envelope_time(fmt, events, peeled_frame, timezone)
    return events


def _blank(line: pl.Series) -> pl.Series:
    """Null, empty or whitespace-only lines. Only lines starting with whitespace need the
    regular expression (measured: 30 times cheaper than testing every line); they are
    found with one anchored pattern (three ``starts_with`` cost 7 times more)."""
    candidate = line.is_null() | (line.str.len_bytes() == 0)
    spaced = line.str.contains(r"^[ \t\r]")
    if not spaced.any():
        return candidate.fill_null(True)
    where = spaced.fill_null(False).arg_true()
    only_space = line.gather(where).str.contains(r"^\s*$")
    return candidate.fill_null(True).scatter(where, only_space)


def _apply_envelope_time(fmt: formats.Format, events: pl.DataFrame, peeled: pl.DataFrame,
                         timezone: str) -> pl.DataFrame:
    """Where the payload's time is local (it moves when the block is read in another zone)
    and the envelope's has an offset, the envelope's wins.

    Reading the whole block twice is avoided when a sample says all payload times are
    local (or none is): only a block mixing both (FortiGate lines with and without
    ``tz=``) is read again in full."""
    probe_zone = PROBE_ZONES[0] if timezone != PROBE_ZONES[0] else PROBE_ZONES[1]
    lines = peeled.drop(ENV_TS, "_env_kind")

    def local_rows(part: pl.DataFrame, read: pl.DataFrame) -> pl.DataFrame:
        probe = fmt.parse(part.lazy(), probe_zone).select(
            LINE_COLUMN, pl.col("ts").alias("_probe_ts")).collect()
        # a line may hold several records (Zeek records run together): one answer per line
        return read.select(LINE_COLUMN, "ts").join(probe, on=LINE_COLUMN).select(
            LINE_COLUMN, (pl.col("ts").is_not_null() & (pl.col("ts") != pl.col("_probe_ts")))
            .alias("_local")).unique(LINE_COLUMN, keep="first", maintain_order=True)

    sample = lines.head(SAMPLE_LINES)
    seen = local_rows(sample, events.join(sample.select(LINE_COLUMN), on=LINE_COLUMN))
    dated = seen.join(events.filter(pl.col("ts").is_not_null()).select(LINE_COLUMN),
                      on=LINE_COLUMN)
    if dated.height and not dated["_local"].any():
        return events  # every payload time has its own offset
    if dated.height and dated["_local"].all():
        local = events.select(LINE_COLUMN, pl.col("ts").is_not_null().alias("_local")).unique(
            LINE_COLUMN, keep="first", maintain_order=True)
    else:
        local = local_rows(lines, events)
    env = peeled.select(LINE_COLUMN, ENV_TS)
    joined = events.join(local, on=LINE_COLUMN, how="left").join(env, on=LINE_COLUMN,
                                                                  how="left")
    return joined.with_columns(
        pl.when(pl.col("_local").fill_null(False) & pl.col(ENV_TS).is_not_null())
        .then(pl.col(ENV_TS)).otherwise(pl.col("ts")).alias("ts")).select(events.columns)
