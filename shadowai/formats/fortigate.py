"""Fortinet FortiGate (FortiOS 5.6 to 7.6) logs sent over syslog in the default
``key=value`` format.

A line is ``[<pri>][syslog header ]date=2026-10-08 time=09:15:02 [devname=…] logid="…"
type="traffic|utm|event" subtype="…" … key=value|key="quoted value"``. Documented in the
"FortiOS Log Message Reference" (docs.fortinet.com, one page per log ID with its fields)
and "FortiOS Log Types and Subtypes".

``date``/``time`` are the device's wall clock. When the line carries ``tz="+0200"``
(FortiOS 6.2 and later, when configured) that offset is used; otherwise the time is read
in the configured time zone (in the autumn overlap, the earliest instant). ``eventtime``
is not used: it is in seconds on some versions and nanoseconds on others.

Events (counting unit: firewall log record): ``traffic`` logs (forward, local, sniffer,
multicast: one per session) and ``utm`` logs (webfilter, app-ctrl, dns, ssl, virus, ips,
dlp…: one per request or detection). A session filtered by a UTM profile therefore
appears in several records; that is how FortiGate counts too. Destination host:
``hostname`` (web filter, application control), else ``qname`` (DNS filter), else the host
of an absolute ``url``, else ``dstname``, else ``dstip``. ``event`` logs (system, user,
vpn, ha…) are ``not an event``.

``action`` ``deny``/``block``/``blocked``/``dropped``/``reset``/``redirect`` (the DNS filter
redirects blocked names to its portal), or ``utmaction`` ``block``/``reset``, mean blocked;
``accept``, ``close``, ``timeout``, ``server-rst``/``client-rst`` (the session was allowed and
then closed), ``pass``, ``passthrough``… mean allowed.

Parsing (measured on 200,000 lines, ``benchmarks/bench_formats.py``): one regular
expression per key, each a pass over every line, is most of the cost and cannot be shared
(the keys come in any order, and a single pass with all the keys is slower: measured). So
each key is searched once, its raw value kept, and the rest works on those short values:
"no value" is told from the raw text, a coalesce (user, host) picks a raw value before it
is cleaned, and each step reads columns the step before materialised.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    NULL_STR,
    canonical,
    ipv4_without_port,
    local_to_utc,
    unquote,
    url_host,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r'^.*?(?:^|[\s>])date=\d{4}-\d{2}-\d{2}\s+time=\d{1,2}:\d{2}:\d{2}\b.*\slogid="?\d{10}"?')
_BLOCKED = ("deny", "block", "blocked", "dropped", "drop", "reset", "reset-client",
            "reset-server", "redirect")
_UTM_BLOCKED = ("block", "blocked", "reset")
#: Values that mean "no value".
_NO_VALUE = ("", "-", "N/A", "n/a")
_KEYS = ("date", "time", "tz", "type", "srcip", "user", "unauthuser", "hostname", "qname",
         "url", "dstname", "dstip", "action", "utmaction", "service", "sentbyte", "rcvdbyte")
#: A value: a double-quoted string (may hold spaces and ``\"``), or a run of non-spaces.
_VALUE = r'(?:"(?:[^"\\]|\\.)*"|\S*)'
#: Keys at the start of a line: listing every match (a scan of the whole line) is measured
#: faster than the first match there (half the time), and gives the same first match.
_EARLY = ("date", "time")


def _quoted(values: tuple[str, ...]) -> list[str]:
    """``values`` as they may be written: bare or in double quotes."""
    return [*values, *(f'"{v}"' for v in values)]


def _raw(spaced: pl.Expr, key: str) -> pl.Expr:
    """The value after the first ``key=`` that starts the line or follows a space or the
    ``<pri>`` of syslog (so ``user=`` does not match inside ``unauthuser=``), as written
    (quotes kept); null when the key is absent.

    ``spaced`` is the line behind one space, so exactly one character precedes the key: the
    value is the whole match (group 0) minus a prefix of known length. Measured twice as
    fast as the same regular expression returning a capture group."""
    pattern = rf"[\s>]{key}={_VALUE}"
    if key in _EARLY:
        match = spaced.str.extract_all(pattern).list.first()
    else:
        match = spaced.str.extract(pattern, 0)
    return match.str.slice(len(key) + 2)


def _given(raw: pl.Expr) -> pl.Expr:
    """``raw``, or null when it means "no value" (:data:`_NO_VALUE`, quoted or not). The
    same as testing the cleaned text, where an unescaped value still holds a quote or a
    backslash."""
    return pl.when(raw.is_in(_quoted(_NO_VALUE))).then(NULL_STR).otherwise(raw)


def _quoted_only(column: str) -> pl.Expr:
    """Column ``column`` where it starts with a double quote, else null: the values that
    :func:`_text` rewrites (``<column>_q``)."""
    value = pl.col(column)
    return pl.when(value.str.starts_with('"')).then(value).alias(f"{column}_q")


def _text(column: str) -> pl.Expr:
    """The text of raw values (column ``column``, and ``<column>_q`` from
    :func:`_quoted_only`): in a value that starts with a double quote, one pair of quotes
    removed and ``\\"`` and ``\\\\`` unescaped; any other value as it is."""
    unescaped = unquote(pl.col(f"{column}_q")).str.replace_many(
        ["\\\\", '\\"'], ["\\", '"'], leftmost=True)
    return pl.coalesce(unescaped, pl.col(column)).alias(column)


class FortiGate:
    name = "fortigate"
    description = "FortiGate key=value syslog (traffic, UTM web filter, DNS filter…)"
    unit = "firewall log record"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        # Each step reads columns materialised by the step before: an expression used
        # several times in the next one would otherwise be evaluated each time.
        spaced = pl.lit(" ") + LINE
        f = frame.with_columns(_raw(spaced, k).alias(f"_raw_{k}") for k in _KEYS)
        r = {k: pl.col(f"_raw_{k}") for k in _KEYS}
        given = {k: _given(r[k]) for k in ("srcip", "user", "unauthuser", "hostname",
                                            "qname", "dstname", "dstip", "service")}
        f = f.with_columns(
            unquote(r["date"]).alias("_date"),
            unquote(r["time"]).alias("_time"),
            unquote(r["tz"]).alias("_tz"),
            given["srcip"].alias("_srcip"),
            pl.coalesce(given["user"], given["unauthuser"]).alias("_user"),
            pl.coalesce(given["hostname"], given["qname"]).alias("_name"),
            pl.coalesce(given["dstname"], given["dstip"]).alias("_dst"),
            given["service"].alias("_service"),
        )
        f = f.with_columns(
            # date and time as written: a "no value" fails to parse, like a null.
            pl.concat_str([pl.col("_date"), pl.col("_time")], separator=" ").alias("_wall"),
            pl.col("_tz").str.extract(r"^([+-]\d{4})$", 1).alias("_offset"),
            # The url is only read when neither hostname nor qname is given.
            pl.when(pl.col("_name").is_null()).then(r["url"]).alias("_url"),
        )
        texts = ("_srcip", "_user", "_name", "_url", "_dst", "_service")
        f = f.with_columns(_quoted_only(c) for c in texts)
        f = f.with_columns(_text(c) for c in texts)
        # With an offset, the time is read with it; without, in the configured time zone.
        wall, offset = pl.col("_wall"), pl.col("_offset")
        with_offset = pl.concat_str([wall, offset], separator=" ").str.strptime(
            pl.Datetime("us", "UTC"), "%Y-%m-%d %H:%M:%S %z", strict=False)
        local = local_to_utc(pl.when(offset.is_null()).then(wall).str.strptime(
            pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False), timezone)
        f = f.with_columns(
            pl.coalesce(with_offset, local).alias("_ts"),
            pl.coalesce(pl.col("_name"), url_host(pl.col("_url")), pl.col("_dst")).alias("_host"),
        )
        missing = {k: r[k].is_null() | r[k].is_in(_quoted(_NO_VALUE))
                   for k in ("date", "time", "type", "user")}
        # action and utmaction are compared as written, with or without their quotes.
        blocked = (r["action"].str.to_lowercase().is_in(_quoted(_BLOCKED)).fill_null(False)
                   | r["utmaction"].str.to_lowercase().is_in(_quoted(_UTM_BLOCKED))
                   .fill_null(False))
        reject = reject_when([
            # A line with a date= is not empty: only the other lines are stripped.
            (LINE.is_null() | (pl.when(missing["date"]).then(LINE).str.strip_chars() == "")
             .fill_null(False), "empty line"),
            (missing["date"] | missing["time"] | missing["type"], "not a fortigate log line"),
            (r["type"].is_in(_quoted(("event",))), "not an event: event log"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (pl.col("_srcip").is_null() & missing["user"], "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=pl.col("_user"),
            client_ip=ipv4_without_port(pl.col("_srcip")),
            host=pl.col("_host"),
            method=pl.col("_service"),
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=unquote(r["sentbyte"]),
            bytes_down=unquote(r["rcvdbyte"]),
        )


register(FortiGate())
