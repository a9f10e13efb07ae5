"""Microsoft ISA Server 2000 logs in "ISA format" (the product's own text format, the
alternative to W3C extended, which :mod:`shadowai.formats.w3c` reads).

ISA Server 2000 help, "Firewall service log fields" and "Web Proxy service log fields":
one record per line, fields separated by a comma and a space, ``-`` when empty, no header,
date (``M/D/YYYY``) and time in the server's LOCAL time (W3C logs are in UTC). Field order,
the same for the Firewall (``fwsrv``) and Web Proxy (``w3proxy``) services:

    c-ip, cs-username, c-agent, sc-authenticated, date, time, s-svcname, s-computername,
    cs-referred, r-host, r-ip, r-port, time-taken, cs-bytes, sc-bytes, cs-protocol,
    cs-transport, s-operation, cs-uri, cs-mime-type, s-object-source, sc-status,
    s-cache-info, rule#1, rule#2[, session id, connection id]

Events (counting unit: connection): Firewall ``Connect`` (outbound) and
``Accept`` (inbound) operations once the connection is over (``sc-status`` other than 0;
the record written with status 0 opens it), and every Web Proxy request. ``Bind``,
``Listen`` and ``GHBN`` (a name lookup by the Firewall client) are ``not an event``.
Destination: ``r-host``, else the host of ``cs-uri``, else ``r-ip``. ISA logs no block in
these fields: every event is allowed.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    LINE,
    any_url_host,
    canonical,
    is_empty,
    local_to_utc,
    null_if,
    reject_first,
)
from shadowai.schema import ALLOWED

_FIELDS = ("c-ip", "cs-username", "c-agent", "sc-authenticated", "date", "time",
           "s-svcname", "s-computername", "cs-referred", "r-host", "r-ip", "r-port",
           "time-taken", "cs-bytes", "sc-bytes", "cs-protocol", "cs-transport", "s-operation",
           "cs-uri", "cs-mime-type", "s-object-source", "sc-status", "s-cache-info")
_SIGNATURE = re.compile(
    r"^[^,]{1,64}, [^,]*, [^,]*, [YN], \d{1,2}/\d{1,2}/\d{4}, \d{1,2}:\d{2}:\d{2}, "
    r"(?:fwsrv|w3proxy), ")
_SEP = ", "
_NOT_EVENTS = ("Bind", "Listen", "GHBN")


class IsaFormat:
    name = "isa-format"
    description = "Microsoft ISA Server 2000 Firewall and Web Proxy logs in ISA format"
    unit = "connection"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = frame.with_columns(LINE.str.split(_SEP).alias("_f"))
        field = {n: null_if(pl.col("_f").list.get(i, null_on_oob=True).str.strip_chars(), "-")
                 for i, n in enumerate(_FIELDS)}
        f = f.with_columns(e.alias(f"_{n}") for n, e in field.items())
        c = {n: pl.col(f"_{n}") for n in _FIELDS}
        naive = pl.concat_str(c["date"], pl.lit(" "), c["time"]).str.strptime(
            pl.Datetime("us"), "%m/%d/%Y %H:%M:%S", strict=False)
        f = f.with_columns(local_to_utc(naive, timezone).alias("_ts"))
        operation = c["s-operation"]
        firewall = c["s-svcname"] == "fwsrv"
        reject = reject_first([
            (is_empty(), "empty line"),
            (pl.col("_f").list.len() < len(_FIELDS), "wrong number of fields"),
            (firewall & operation.is_in(_NOT_EVENTS),
             pl.lit("not an event: isa ") + operation),
            (firewall & (c["sc-status"] == "0"),
             "not an event: connection opened (counted when closed)"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["cs-username"],
            client_ip=c["c-ip"],
            host=pl.coalesce(c["r-host"], any_url_host(c["cs-uri"]), c["r-ip"]),
            method=pl.coalesce(c["cs-protocol"], c["cs-transport"]),
            status=pl.when(firewall).then(pl.lit(None, pl.Int32)).otherwise(c["sc-status"]),
            action=pl.lit(ALLOWED),
            bytes_up=c["cs-bytes"],
            bytes_down=c["sc-bytes"],
        )


register(IsaFormat())
