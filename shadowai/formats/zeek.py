"""Zeek (formerly Bro) network monitor logs: ``http.log``, ``ssl.log``, ``dns.log``,
``conn.log``.

Zeek 2.x to 8.x write each log stream to its own file, either as TSV with a ``#separator
\\x09`` / ``#fields`` / ``#types`` header (the default ASCII writer) or as JSON lines
(``LogAscii::use_json=T``, or the ``json-streaming-logs`` package, which adds ``_path``
and ``_write_ts`` and writes ISO 8601 times). Field layouts are documented per log in the
Zeek manual, "Log Files" (docs.zeek.org, e.g. ``base/protocols/ssl/main.zeek``
``SSL::Info``). ``ts`` is UTC: epoch seconds in TSV and default JSON, ISO 8601 with ``Z``
in ISO JSON.

One format per log type, each reading both encodings: the log type decides what a line
counts (an HTTP request, a TLS handshake, a DNS lookup, a connection) and which field is
the destination host, while TSV and JSON are two spellings of the same record, so the
field mapping is written once per type. The encoding is recognised per line (a JSON
record starts with ``{``). A JSON record of another log type (``_path``) is
``not an event``.

Destination host: http ``host`` (Host header), ssl ``server_name`` (SNI), dns ``query``.
A record without one falls back to the responder address ``id.resp_h`` (HTTP/1.0 without
Host, TLS without SNI), which is also all conn.log has: those count as activity but never
match the catalog. Zeek is a passive sensor: nothing is ever blocked. Users come from
HTTP basic auth only (``username``), so people are client addresses.

A JSON file mixing several log types (a Kafka or Metron feed: one record per line, each
wrapped under its type, ``{"http": {…}}``, which the transport layer turns into a record
with ``_path``) is read as its most frequent type of these four; the other records are
``not an event``.

Records written by a Splunk export (``{"preview":…,"result":{"_raw":"{…}"}}``) are
unwrapped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import polars as pl

from shadowai.formats._base import register, reject_when
from shadowai.formats._common import (
    LINE,
    NULL_STR,
    HeaderTracker,
    canonical,
    concat_in_order,
    epoch_to_utc,
    is_empty,
    iso_to_utc,
    json_fields,
    null_if,
)
from shadowai.schema import ALLOWED, LINE_COLUMN, REJECT_COLUMN

FIELDS = "#fields\t"
_PATH_LINE = re.compile(r"^#path\t(\S+)")
_JSON_PATH = re.compile(r'^\s*\{\s*"_path"\s*:\s*"([A-Za-z0-9_]{1,40})"')
_TYPES = ("http", "ssl", "dns", "conn")
_UNSET = ("-", "(empty)")

Getter = Callable[[str], pl.Expr]
Check = Callable[[Getter], pl.Expr]


def _http(get: Getter) -> dict[str, pl.Expr]:
    return {
        "user": get("username"),
        "host": pl.coalesce(get("host"), get("id.resp_h")),
        "method": get("method"),
        "status": get("status_code"),
        "bytes_up": get("request_body_len"),
        "bytes_down": get("response_body_len"),
    }


def _ssl(get: Getter) -> dict[str, pl.Expr]:
    return {"host": pl.coalesce(get("server_name"), get("id.resp_h")), "method": get("version")}


def _dns(get: Getter) -> dict[str, pl.Expr]:
    return {"host": get("query"), "method": get("qtype_name"), "status": get("rcode")}


def _conn(get: Getter) -> dict[str, pl.Expr]:
    return {
        "host": get("id.resp_h"),
        "method": pl.coalesce(get("service"), get("proto")),
        "bytes_up": get("orig_bytes"),
        "bytes_down": get("resp_bytes"),
    }


def _timestamp(raw: pl.Expr) -> pl.Expr:
    return pl.when(raw.str.contains("T", literal=True)).then(iso_to_utc(raw)).otherwise(
        epoch_to_utc(raw.cast(pl.Float64, strict=False)))


#: Where a record starts inside a damaged line: its ``ts`` (10 digits, 6 decimals, after
#: any digits of a record cut short) and ``uid`` (``C`` and base62), as Zeek writes them.
_RUN_START = r"\d*?(\d{10}\.\d{6}\tC[0-9A-Za-z]{10,22}\t)"
_RUN_SEP = "\x1e"


WRONG_FIELDS = "wrong number of fields"
_DAMAGED = [WRONG_FIELDS, "bad timestamp"]


def _names(header: str) -> list[str]:
    """The field names of a ``#fields`` header line."""
    return header.rstrip("\r").split("\t")[1:]


def _splittable(fields: int) -> pl.Expr:
    """Whether a line may hold records run together, under a header of ``fields`` fields:
    more tabs than the header, or a ts longer than Zeek's 17 characters (10.6 digits)."""
    return ((LINE.str.count_matches("\t", literal=True) >= fields)
            | (LINE.str.find("\t", literal=True) > 17)).fill_null(False)


def _split_runs(frame: pl.LazyFrame, fields: int, needed: int) -> pl.LazyFrame:
    """Lines where two Zeek processes wrote into each other (records run together on one
    line, more fields than the header; or a ``ts`` with another record's first digits in
    front, ``171754309265.846570``) are split at each record's ``ts``/``uid`` start, the
    stray digits dropped. A line is split only when every record in it keeps the fields
    this log type reads (``needed``: its trailing fields may be lost) and none has more
    than the header: each record is then one event, all at the line's number (``_run``
    marks them); any other line stays whole, as it was read. ``frame``: the lines a first
    reading rejected (wrong number of fields, bad timestamp), after their header."""
    damaged = _splittable(fields)
    pieces = (LINE.str.replace_all(_RUN_START, _RUN_SEP + "$1")
              .str.strip_chars_start(_RUN_SEP).str.split(_RUN_SEP))
    f = frame.with_columns(damaged.alias("_run"), pl.when(damaged).then(pieces)
                           .otherwise(pl.concat_list(LINE)).alias("_pieces"))
    sizes = pl.element().str.count_matches("\t") + 1
    whole = pl.col("_pieces").list.eval(sizes.is_between(needed, fields)).list.all()
    run = pl.col("_run") & whole
    f = f.with_columns(run.alias("_run"), pl.when(run).then(pl.col("_pieces"))
                       .otherwise(pl.concat_list(LINE)).alias("_pieces"))
    return f.explode("_pieces").with_columns(pl.col("_pieces").alias("line")).drop("_pieces")


class ZeekLog:
    """One Zeek log type, TSV or JSON."""

    def __init__(self, path: str, unit: str, mapping: Callable[[Getter], dict[str, pl.Expr]],
                 key_field: str, json_keys: tuple[str, ...]) -> None:
        self.path = path
        self.name = f"zeek-{path}"
        self.unit = unit
        self.description = f"Zeek {path}.log (TSV or JSON)"
        self._mapping = mapping
        self._key_field = key_field
        self._headers = HeaderTracker(FIELDS)
        keys = "|".join(re.escape(k) for k in json_keys)
        # Without _path, a record is recognised by fields only this log type has.
        self._json_keys = rf'"(?:{keys})":'
        self._json_sig = re.compile(
            rf'^\s*\{{(?=.*"id\.orig_h":)(?=.*(?:"_path":"{path}"|{self._json_keys}))')

    def start_file(self) -> None:
        """A new file begins: forget the header of the previous one."""
        self._headers.reset()

    # -- detection ------------------------------------------------------------------------
    def detect(self, lines: list[str]) -> float:
        if not lines:
            return 0.0
        fields = next((x for x in lines if x.startswith(FIELDS)), None)
        if fields is None:
            own = sum(1 for x in lines if self._json_sig.match(x)) / len(lines)
            paths = [m.group(1) for x in lines if (m := _JSON_PATH.match(x))]
            known = Counter(p for p in paths if p in _TYPES)
            if known and known.most_common(1)[0][0] == self.path:  # a mixed feed
                return max(own, len(paths) / len(lines))
            return own
        path = next((m.group(1) for x in lines if (m := _PATH_LINE.match(x))), None)
        names = _names(fields)
        if (path or self.path) != self.path or self._key_field not in names:
            return 0.0
        good = sum(1 for x in lines if x.startswith("#") or x.count("\t") + 1 == len(names))
        return good / len(lines)

    # -- parsing --------------------------------------------------------------------------
    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        is_json = LINE.str.starts_with("{")
        wrapped = is_json & LINE.str.contains('"_raw":"{', literal=True)
        counts = frame.select(is_json.sum().alias("json"), wrapped.sum().alias("wrapped"),
                              pl.len().alias("all")).collect().row(0, named=True)
        parts = []
        if counts["json"] > counts["wrapped"]:
            parts.append(self._json(frame.filter(is_json & ~wrapped), "line"))
        if counts["wrapped"]:
            unwrapped = json_fields(frame.filter(wrapped), "line", {"_raw": "$.result._raw"})
            parts.append(self._json(unwrapped, "_raw"))
        if counts["all"] == counts["json"]:
            return concat_in_order(parts)
        carried = self._headers.last
        tsv_lines = frame.filter(~is_json | is_json.is_null())
        tsv, headers = self._headers.split(tsv_lines)
        parts += [self._tsv(tsv.filter(pl.col("_hdr") == h), h) for h in headers]
        parts.append(self._tsv(tsv.filter(pl.col("_hdr").is_null()), None))
        # Lines two writers ran together are rejected by this first reading, then read
        # again split into their records: clean blocks pay one look at the reasons (a
        # check of every line cost 40% of the parse).
        got = concat_in_order(parts).collect()
        damaged = got.filter(pl.col(REJECT_COLUMN).is_in(_DAMAGED))[LINE_COLUMN]
        if damaged.is_empty():
            return got.lazy()
        # Most rejected lines are records cut short, which nothing splits: the block is
        # read again only when one of them may hold records run together (under the
        # narrowest header of the block: a superset of the lines _split_runs splits).
        narrowest = min((len(_names(h)) for h in headers), default=0)
        suspects = tsv_lines.filter(pl.col(LINE_COLUMN).is_in(damaged.implode()))
        if not suspects.select(_splittable(narrowest).any()).collect().item():
            return got.lazy()
        fixed = self._read_runs(tsv_lines, damaged, carried)
        if fixed.is_empty():  # rejected lines (a record cut short) with nothing to split
            return got.lazy()
        keep = ~pl.col(LINE_COLUMN).is_in(fixed[LINE_COLUMN].implode())
        return pl.concat([got.filter(keep), fixed], how="vertical_relaxed").sort(
            LINE_COLUMN, maintain_order=True).lazy()

    def _read_runs(self, tsv_lines: pl.LazyFrame, damaged: pl.Series,
                   carried: str | None) -> pl.DataFrame:
        """The ``damaged`` lines of a block read again, split (:func:`_split_runs`) under
        the header in effect for each (``carried``: the one the block started with)."""
        tracker = HeaderTracker(FIELDS)
        tracker.last = carried
        is_header = LINE.str.starts_with(FIELDS)
        tsv, headers = tracker.split(tsv_lines.filter(
            is_header | pl.col(LINE_COLUMN).is_in(damaged.implode())))
        parts = []
        for header in headers:
            names = _names(header)
            read = [i for i, n in enumerate(names) if n in self._fields()]
            if names[:2] == ["ts", "uid"] and read:
                # only the lines _split_runs may split: the others would read as before
                # (a block of records cut short read them all again: 40% of its parse)
                lines = tsv.filter((pl.col("_hdr") == header) & ~is_header
                                   & _splittable(len(names))).collect()
                if lines.height:
                    parts.append(self._tsv(_split_runs(lines.lazy(), len(names), max(read) + 1),
                                           header))
        return concat_in_order(parts).collect()

    def _fields(self) -> list[str]:
        """The Zeek fields this log type reads (asked of the mapping itself)."""
        names = ["ts", "id.orig_h", *(["answers"] if self.path == "dns" else [])]

        def record(name: str) -> pl.Expr:
            names.append(name)
            return NULL_STR

        self._mapping(record)
        return list(dict.fromkeys(names))

    def _events(self, f: pl.LazyFrame, raw: dict[str, pl.Expr],
                checks: list[tuple[Check, str]]) -> pl.LazyFrame:
        """``raw``: field -> expression of its text. Materialised once (then cleaned), since
        each field is used several times."""
        f = f.with_columns(e.alias(f"_raw {n}") for n, e in raw.items())
        f = f.with_columns(null_if(pl.col(f"_raw {n}"), *_UNSET).alias(f"_z {n}") for n in raw)

        def get(name: str) -> pl.Expr:
            return pl.col(f"_z {name}") if name in raw else NULL_STR

        f = f.with_columns(_timestamp(get("ts")).alias("_ts"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (LINE.str.starts_with("#"), "not an event: zeek header"),
            *[(cond(get), reason) for cond, reason in checks],
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        extra = None
        if self.path == "dns":  # the answered addresses attribute IP-only sessions
            extra = {"answers": get("answers").str.replace_all(r'[\[\]" ]', "")}
        return canonical(f, reject, extra, ts=pl.col("_ts"), client_ip=get("id.orig_h"),
                         action=pl.lit(ALLOWED), **self._mapping(get))

    def _tsv(self, frame: pl.LazyFrame, header: str | None) -> pl.LazyFrame:
        names = _names(header) if header else []
        index = {n: i for i, n in enumerate(names)}
        f = frame.with_columns(LINE.str.split("\t").alias("_f"))
        raw = {n: pl.col("_f").list.get(index[n], null_on_oob=True)
               for n in self._fields() if n in index}
        key_missing = self._key_field not in index
        count_ok = pl.col("_f").list.len() == len(names)
        if "_run" in frame.collect_schema().names():  # records split out of one line
            count_ok = count_ok | pl.col("_run")
        checks: list[tuple[Check, str]] = [
            (lambda _get: pl.lit(header is None), "no #fields header before this line"),
            (lambda _get: pl.lit(key_missing), f"fields are not those of a zeek {self.path} log"),
            (lambda _get: ~count_ok, WRONG_FIELDS),
        ]
        return self._events(f, raw, checks)

    def _json(self, frame: pl.LazyFrame, record: str) -> pl.LazyFrame:
        """``record``: the column holding the JSON text."""
        names = [*self._fields(), "_path"]
        f = json_fields(frame, record, {f"_json {n}": f'$."{n}"' for n in names})
        raw = {n: pl.col(f"_json {n}") for n in names}
        other_type = ~pl.col(record).str.contains(self._json_keys)
        checks: list[tuple[Check, str]] = [
            (lambda get: get("ts").is_null() & get("id.orig_h").is_null(),
             "not a zeek json record"),
            (lambda get: pl.when(get("_path").is_not_null()).then(get("_path") != self.path)
             .otherwise(other_type), f"not an event: zeek record of another log than {self.path}"),
        ]
        return self._events(f, raw, checks)


register(ZeekLog("http", "HTTP request", _http, "host",
                 ("trans_depth", "status_code", "request_body_len")))
register(ZeekLog("ssl", "TLS handshake", _ssl, "server_name",
                 ("server_name", "ssl_history", "established", "cipher")))
register(ZeekLog("dns", "DNS lookup", _dns, "query",
                 ("query", "qtype_name", "rcode_name", "trans_id")))
register(ZeekLog("conn", "connection", _conn, "conn_state", ("conn_state",)))
