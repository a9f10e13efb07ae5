"""Formats nobody foresaw (an Olfeo or proxy-appliance export, a SIEM extract): CSV or
JSON lines whose columns are mapped to the canonical event in ``shadowai.toml``::

    [formats.olfeo]                 # the format's name: --format olfeo
    type = "csv"                    # or "jsonl"
    delimiter = ";"                 # csv only (default ","); fields may be "quoted"
    header = true                   # csv: the first line names the columns (else `columns`)
    # columns = ["date", "ip", "user", "url", "action", "bytes"]
    unit = "proxy request"
    time = "date"                   # the column (jsonl: a dotted key such as "event.time")
    time_format = "%d/%m/%Y %H:%M:%S"   # strptime; or "epoch", "epoch_ms", "iso"
    # timezone = "Europe/Paris"     # for local times (default: [report] timezone)
    user = "user"
    client_ip = "ip"
    url = "url"                     # or host = "domain"
    action = "action"
    blocked = ["bloqué", "deny"]    # action values meaning blocked (case-insensitive)
    bytes_down = "bytes"

Not a module of its own format registry entry: ``register_mapped`` registers one format
per configured table when the configuration is loaded.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl

from shadowai.errors import ConfigError
from shadowai.formats._base import REGISTRY, register
from shadowai.formats._common import (
    NULL_STR,
    canonical,
    epoch_to_utc,
    iso_to_utc,
    json_fields,
    local_to_utc,
    url_host,
)
from shadowai.schema import ALLOWED, BLOCKED

FIELDS = ("user", "client_ip", "host", "url", "method", "status", "action", "bytes_up",
          "bytes_down")
KEYS = {"type", "delimiter", "header", "columns", "unit", "time", "time_format", "timezone",
        "blocked", *FIELDS}


class MappedFormat:
    """One configured CSV/JSON-lines format."""

    def __init__(self, name: str, spec: dict[str, Any], where: str) -> None:
        unknown = sorted(set(spec) - KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; expected "
                              f"{', '.join(sorted(KEYS))}.")
        self.name = name
        self.kind = spec.get("type", "csv")
        if self.kind not in ("csv", "jsonl"):
            raise ConfigError(f"{where}: type must be \"csv\" or \"jsonl\".")
        for required in ("time",):
            if required not in spec:
                raise ConfigError(f"{where}: '{required}' (the time column) is required.")
        if "host" not in spec and "url" not in spec:
            raise ConfigError(f"{where}: map 'host' or 'url' (the destination).")
        if "user" not in spec and "client_ip" not in spec:
            raise ConfigError(f"{where}: map 'user' or 'client_ip' (who).")
        self.spec = spec
        self.delimiter = spec.get("delimiter", ",")
        self.columns: list[str] | None = spec.get("columns")
        if self.kind == "csv" and not self.columns and not spec.get("header", False):
            raise ConfigError(f"{where}: a csv format needs header = true or columns = [...].")
        self.unit = spec.get("unit", "proxy request")
        self.description = f"{self.kind.upper()} mapped in the configuration ({where})"
        self._header: list[str] | None = None

    def start_file(self) -> None:
        self._header = None

    # -- detection ----------------------------------------------------------------------
    def detect(self, lines: list[str]) -> float:
        if self.kind == "jsonl":
            keys = [self.spec[f].split(".")[-1] for f in ("time", *FIELDS) if f in self.spec]
            hits = sum(1 for x in lines if x.lstrip().startswith("{")
                       and all(f'"{k}"' in x for k in keys))
            return hits / len(lines) if lines else 0.0
        wanted = [self.spec[f] for f in ("time", *FIELDS) if f in self.spec]
        if self.columns:
            n = len(self.columns)
            hits = sum(1 for x in lines if x.count(self.delimiter) == n - 1)
            return hits / len(lines) if lines else 0.0
        first = [c.strip().strip('"') for c in lines[0].split(self.delimiter)] if lines else []
        return 1.0 if all(w in first for w in wanted) else 0.0

    # -- parsing --------------------------------------------------------------------------
    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        tz = self.spec.get("timezone", timezone)
        if self.kind == "jsonl":
            paths = {f"_{k}": "$." + self.spec[k] for k in ("time", *FIELDS) if k in self.spec}
            f = json_fields(frame, "line", paths)
            not_record = pl.col("line").is_null() | ~pl.col("line").str.starts_with("{")
            return self._canonical(f, tz, not_record)
        names = self._names(frame)
        if names is None:
            return canonical(frame, pl.lit("not an event: no header before this line"))
        wanted = {f"_{k}": self.spec[k] for k in ("time", *FIELDS) if k in self.spec}
        missing = sorted(v for v in wanted.values() if v not in names)
        if missing:
            return canonical(frame, pl.lit(f"columns not in the header: {', '.join(missing)}"))
        index = {v: i for i, v in enumerate(names)}

        def split(df: pl.DataFrame) -> pl.DataFrame:
            # A real CSV reader on the block's lines: quoted fields may hold the delimiter.
            text = "\n".join(x if x is not None else "" for x in df["line"].to_list())
            cells = pl.read_csv(io.StringIO(text + "\n"), has_header=False,
                                separator=self.delimiter, infer_schema=False,
                                truncate_ragged_lines=True,
                                new_columns=[f"c{i}" for i in range(len(names))])
            if cells.height != df.height:  # blank lines dropped by the reader: go line-wise
                cells = pl.DataFrame([(x or "").split(self.delimiter) for x in df["line"]],
                                     orient="row", schema=[f"c{i}" for i in range(len(names))])
            return df.hstack(cells.select(
                pl.col(f"c{index[v]}").alias(k) for k, v in wanted.items()))

        schema = {**frame.collect_schema(), **dict.fromkeys(wanted, pl.String())}
        f = frame.map_batches(split, schema=schema)
        header_line = pl.col("line").str.starts_with(names[0]) & (
            pl.col("line").str.contains(names[-1], literal=True))
        return self._canonical(f, tz, pl.col("line").is_null() | header_line)

    def _names(self, frame: pl.LazyFrame) -> list[str] | None:
        if self.columns:
            return list(self.columns)
        first = frame.select("_line", "line").head(1).collect()
        if first.height and first["_line"][0] == 1 and first["line"][0]:
            self._header = [c.strip().strip('"') for c in
                            first["line"][0].lstrip("\ufeff").split(self.delimiter)]
        return self._header

    def _canonical(self, f: pl.LazyFrame, tz: str, not_record: pl.Expr) -> pl.LazyFrame:
        s = self.spec
        col = lambda k: pl.col(f"_{k}") if k in s else NULL_STR  # noqa: E731
        text = col("time")
        fmt = s.get("time_format", "iso")
        if fmt == "epoch":
            ts = epoch_to_utc(text.cast(pl.Float64, strict=False))
        elif fmt == "epoch_ms":
            ts = epoch_to_utc(text.cast(pl.Float64, strict=False) / 1000)
        elif fmt == "iso":
            ts = pl.coalesce(iso_to_utc(text), local_to_utc(
                text.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S%.f", strict=False), tz))
        else:
            ts = local_to_utc(text.str.strptime(pl.Datetime("us"), fmt, strict=False), tz)
        host = col("host") if "host" in s else url_host(col("url"))
        blocked_values = [v.lower() for v in s.get("blocked", ["blocked", "deny", "denied"])]
        action = pl.when(col("action").str.to_lowercase().is_in(blocked_values)).then(
            pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED))
        f = f.with_columns(ts.alias("_ts"))
        reject = (pl.when(not_record).then(pl.lit("not an event: header or blank line"))
                  .when(pl.col("_ts").is_null()).then(pl.lit("bad timestamp"))
                  .otherwise(pl.lit(None, dtype=pl.String)))
        return canonical(
            f, reject, ts=pl.col("_ts"), user=col("user"), client_ip=col("client_ip"),
            host=host, method=col("method"), status=col("status").cast(pl.Int32, strict=False),
            action=action, bytes_up=col("bytes_up").cast(pl.Int64, strict=False),
            bytes_down=col("bytes_down").cast(pl.Int64, strict=False))


def register_mapped(table: dict[str, Any] | None, where: str) -> list[str]:
    """Register each ``[formats.NAME]`` table; returns the names. Idempotent per name."""
    names = []
    for name, spec in (table or {}).items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: [formats.{name}] must be a table.")
        fmt = MappedFormat(name, spec, f"{where} [formats.{name}]")
        existing = REGISTRY.get(name)
        if existing is not None and not isinstance(existing, MappedFormat):
            raise ConfigError(f"{where}: [formats.{name}] has the name of a built-in format.")
        REGISTRY.pop(name, None)
        register(fmt)
        names.append(name)
    return names
