"""The canonical event schema every format produces. Names and types are a contract."""

from __future__ import annotations

import polars as pl

#: column -> polars dtype. ``ts`` is UTC; ``host`` is finalised by ingest (lower case, no port,
#: no trailing dot, IDN in punycode) on distinct values, which is far cheaper than per line.
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "ts": pl.Datetime("us", "UTC"),
    "user": pl.String(),
    "client_ip": pl.String(),
    "host": pl.String(),
    "method": pl.String(),
    "status": pl.Int32(),
    "action": pl.String(),
    "bytes_up": pl.Int64(),
    "bytes_down": pl.Int64(),
}

EVENT_COLUMNS: tuple[str, ...] = tuple(EVENT_SCHEMA)

#: Columns a format may add after ``_reject`` when it has them: ``answers``, the addresses
#: a DNS server answered for ``host`` (comma-separated), used to attribute firewall
#: sessions that only carry a destination IP.
OPTIONAL_SCHEMA: dict[str, pl.DataType] = {"answers": pl.String()}

#: Extra columns a parser adds next to the events: the line number within the file and,
#: when the line could not be used, why.
LINE_COLUMN = "_line"
REJECT_COLUMN = "_reject"
NOT_USAGE_COLUMN = "_not_usage"

ALLOWED = "allowed"
BLOCKED = "blocked"
