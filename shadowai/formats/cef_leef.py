"""Generic CEF and LEEF records, for web gateways that export in a SIEM format.

- ``cef``: ArcSight Common Event Format, versions 0 and 1 ("Implementing ArcSight CEF",
  revision 25, Micro Focus / OpenText: header ``CEF:Version|Device Vendor|Device
  Product|Device Version|Device Event Class ID|Name|Severity|Extension``; the extension is
  space-separated ``key=value`` where values may hold spaces, ``\\=`` and ``\\\\`` are
  escapes, and ``\\|`` escapes a pipe in the header). Covers Forcepoint (Websense) Web
  Security / Forcepoint ONE ("SIEM integration", CEF format: ``act=permitted|blocked
  src= suser= dhost= request= requestMethod= in= out= rt=``) and Menlo Security
  ("Menlo Security Log Format", CEF export), and any other proxy writing the standard keys.
  FortiOS, Check Point, PAN-OS 6 and UniFi write ``CEF: 0|`` (a space after the colon).
- ``leef``: IBM QRadar Log Event Extended Format 1.0 and 2.0 ("LEEF format guide", IBM
  QRadar DSM documentation: header ``LEEF:Version|Vendor|Product|Version|EventID|`` with,
  in 2.0, a delimiter character; attributes ``key=value`` separated by TAB or that
  character). Keys ``devTime`` (+ ``devTimeFormat``), ``src``, ``usrName``, ``dst``,
  ``url``, ``srcBytes``/``dstBytes``, and ``action``/``act``/``cat`` for the action.

Both may follow a syslog header. Records of products that have their own format (a
registered format lists them in ``cef_products`` / ``leef_products``, e.g. Zscaler NSS)
are left to it: the generic detector does not count them.

Mapping (counting unit: gateway record, one per request or connection for web gateways):

- CEF: time ``rt`` (epoch milliseconds, ``MMM dd yyyy HH:mm:ss[.SSS] [zone]``, ISO 8601),
  else ``start``, else ``end``, else FortiOS's ``FTNTFGTeventtime`` (epoch, down to the
  nanosecond), else the syslog header (SonicOS writes no ``rt``); a year-less ``MMM dd HH:mm:ss``
  takes its year from the file. Without a zone the time is read in ``dtz`` when it is
  UTC/GMT, else in the configured time zone. Client ``src`` (else ``shost``), user
  ``suser`` (a ``LDAP://server OU=…/Name`` or ``WinNT://DOMAIN/name`` path is reduced to its
  last element), destination ``dhost``, else the host of ``request``, else
  ``destinationDnsDomain``, else ``dst``; method ``requestMethod``, else ``app``. Bytes:
  ``out`` is what the client sent, ``in`` what it received (the reading of Palo Alto,
  Forcepoint and ArcSight connectors for proxies; the CEF text words it relative to the
  source).
- LEEF: time ``devTime`` (epoch milliseconds or text with its zone), else the syslog
  header; client ``src``; user ``usrName``; destination host of ``url``, else
  ``dstHost``/``hostname``, else ``dst``; bytes ``srcBytes`` up, ``dstBytes`` down.

Action: ``act``/``action`` (and LEEF ``cat``) naming a block, deny, drop, reject, reset or
prevention are blocked; anything else (permitted, allowed, pass, observed, none) is
allowed. A record without a client and a destination (an audit or system event) is
``not an event``.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import REGISTRY, register, reject_when
from shadowai.formats._common import (
    LEEF_HEADER,
    LINE,
    any_url_host,
    canonical,
    is_empty,
    null_if,
    syslog_header_to_utc,
    tab_value,
    text_time_to_utc,
    with_leef_attributes,
)
from shadowai.formats._syslog import syslog_to_utc
from shadowai.schema import ALLOWED, BLOCKED

_H = r"((?:[^|\\]|\\.)*)"
_CEF_HEADER = rf"CEF: ?(\d+)\|{_H}\|{_H}\|{_H}\|{_H}\|{_H}\|{_H}\|(.*)$"
_CEF_PRODUCT = re.compile(r"CEF: ?\d+\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|")
_LEEF_PRODUCT = re.compile(r"LEEF:[12]\.\d+\|((?:[^|\\]|\\.)*)\|((?:[^|\\]|\\.)*)\|")
_BLOCKED = r"(?i)block|den(?:y|ied)|drop|reject|reset|prevent|refuse|forbid|quarantin"
_NO_VALUE = ("None", "NA", "N/A", "null")
_YEARLESS = r"^[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}"


def _share_unclaimed(pattern: re.Pattern[str], attribute: str, lines: list[str]) -> float:
    """Share of lines that are records of this kind and of no product a more specific
    registered format claims (``attribute``: ``cef_products`` or ``leef_products``)."""
    if not lines:
        return 0.0
    claimed = {p for f in REGISTRY.values() for p in getattr(f, attribute, ())}
    hits = 0
    for line in lines:
        m = pattern.search(line)
        if m and f"{m.group(1)}|{m.group(2)}" not in claimed:
            hits += 1
    return hits / len(lines)


def _unescape(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"\\(.)", "$1")


def _cef_pairs(extension: pl.Expr) -> pl.Expr:
    """The extension with a TAB before every key: a key is a run of word characters right
    after a space and before an unescaped ``=`` (``\\=`` is escaped, so ``OU\\=Users`` is
    no key), and values, which may hold spaces, run to the next key. One pass; each key is
    then a cheap TAB-bounded lookup. Escapes are undone after the TABs are placed (once for
    all keys: an unescaped ``=`` no longer matters then)."""
    return _unescape(extension.str.replace_all(r"\s+([\w.\[\]-]+)=", "\t$1="))


def _cef_value(pairs: pl.Expr, key: str) -> pl.Expr:
    """The value of ``key=`` in :func:`_cef_pairs`; null when empty."""
    return null_if(tab_value(pairs, key), *_NO_VALUE)


def _person(user: pl.Expr) -> pl.Expr:
    """``LDAP://10.0.0.1 OU=Users,DC=corp/Jane Doe`` or ``WinNT://CORP/jdoe`` -> the last
    path element; anything else unchanged."""
    path = user.str.contains(r"^(?i:ldap|winnt)://")
    return pl.when(path).then(user.str.extract(r"/([^/]+)$", 1)).otherwise(user)


def _action(*values: pl.Expr) -> pl.Expr:
    blocked = pl.any_horizontal([v.str.contains(_BLOCKED).fill_null(False) for v in values])
    return pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED))


class Cef:
    name = "cef"
    description = "ArcSight CEF (Forcepoint/Websense, Menlo Security and other gateways)"
    unit = "gateway record"

    def detect(self, lines: list[str]) -> float:
        return _share_unclaimed(_CEF_PRODUCT, "cef_products", lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        start = LINE.str.find("CEF:", literal=True)
        g = LINE.str.slice(start).str.extract_groups(_CEF_HEADER)
        f = frame.with_columns(g.struct.field("8").alias("_ext"))
        f = f.with_columns(_cef_pairs(pl.col("_ext")).alias("_pairs"))
        keys = ("rt", "start", "end", "FTNTFGTeventtime", "dtz", "src", "shost", "suser",
                "dhost", "request", "destinationDnsDomain", "dst", "requestMethod", "app",
                "act", "in", "out")
        f = f.with_columns(_cef_value(pl.col("_pairs"), k).alias(f"_{k}") for k in keys)
        c = {k: pl.col(f"_{k}") for k in keys}
        when = pl.coalesce(c["rt"], c["start"], c["end"], c["FTNTFGTeventtime"])
        utc_device = c["dtz"].str.to_uppercase().is_in(("UTC", "GMT", "ETC/UTC", "Z"))
        ts = (pl.when(when.str.contains(_YEARLESS) & ~when.str.contains(r"\d{4} \d"))
              .then(syslog_to_utc(when.str.extract(r"^(\S+ +\d+ \S+)", 1), timezone))
              .when(utc_device).then(text_time_to_utc(when, timezone, "UTC"))
              .otherwise(text_time_to_utc(when, timezone)))
        f = f.with_columns(pl.when(when.is_null()).then(syslog_header_to_utc(LINE, timezone))
                           .otherwise(ts).alias("_ts"))
        client = pl.coalesce(c["src"], c["shost"])
        host = pl.coalesce(c["dhost"], any_url_host(c["request"]), c["destinationDnsDomain"],
                           c["dst"])
        reject = reject_when([
            (is_empty(), "empty line"),
            (pl.col("_ext").is_null(), "not a cef record"),
            (host.is_null() | (client.is_null() & c["suser"].is_null()),
             "not an event: cef record without a connection"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=_person(c["suser"]),
            client_ip=client,
            host=host,
            method=pl.coalesce(c["requestMethod"], c["app"]),
            action=_action(c["act"]),
            bytes_up=c["out"],
            bytes_down=c["in"],
        )


class Leef:
    name = "leef"
    description = "IBM QRadar LEEF 1.0/2.0 (web gateways exporting to QRadar)"
    unit = "gateway record"

    def detect(self, lines: list[str]) -> float:
        return _share_unclaimed(_LEEF_PRODUCT, "leef_products", lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        is_leef = LINE.str.contains(LEEF_HEADER)
        f = with_leef_attributes(frame, "_attrs")
        keys = ("devTime", "src", "usrName", "url", "dstHost", "hostname", "dst", "action",
                "act", "cat", "srcBytes", "dstBytes", "method", "reqmethod", "proto",
                "status", "respcode")
        f = f.with_columns(null_if(tab_value(pl.col("_attrs"), k), *_NO_VALUE).alias(f"_{k}")
                           for k in keys)
        c = {k: pl.col(f"_{k}") for k in keys}
        ts = pl.when(c["devTime"].is_null()).then(syslog_header_to_utc(LINE, timezone)) \
            .otherwise(text_time_to_utc(c["devTime"], timezone))
        f = f.with_columns(ts.alias("_ts"))
        host = pl.coalesce(any_url_host(c["url"]), c["dstHost"], c["hostname"], c["dst"])
        reject = reject_when([
            (is_empty(), "empty line"),
            (~is_leef, "not a leef record"),
            (host.is_null() | (c["src"].is_null() & c["usrName"].is_null()),
             "not an event: leef record without a connection"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=_person(c["usrName"]),
            client_ip=c["src"],
            host=host,
            method=pl.coalesce(c["method"], c["reqmethod"], c["proto"]),
            status=pl.coalesce(c["status"], c["respcode"]),
            action=_action(c["action"], c["act"], c["cat"]),
            bytes_up=c["srcBytes"],
            bytes_down=c["dstBytes"],
        )


register(Cef())
register(Leef())
