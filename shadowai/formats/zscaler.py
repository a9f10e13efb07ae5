"""Zscaler Internet Access (ZIA) Nanolog Streaming Service (NSS / Cloud NSS) feeds.

An NSS feed's output format is a template the administrator writes with the documented
field names (``%s{login}``, ``%s{cip}``, ``%s{eurl}``…: help.zscaler.com, "NSS Feed
Output Format: Web Logs" and "…: DNS Logs"). This module reads the layouts that name their
fields, plus the default web CSV:

- ``zscaler-nss`` (web logs; counting unit: proxy request):
  - JSON, as the Splunk/HEC and Sentinel templates write it
    (``{"sourcetype":"zscalernss-web","event":{"time":…,"login":…}}``) or bare;
  - LEEF, the QRadar template (``LEEF:1.0|Zscaler|NSS|…|cat=Blocked devTime=…
    src=… usrName=… url=… srcBytes=… dstBytes=…``), TAB-separated (or spaces, as the
    documentation pages print it);
  - the default "Web Log" CSV (34 double-quoted fields: time, login, proto, url, action,
    appname, appclass, reqsize, respsize, …, cip (22nd), sip, reqmethod, respcode, …).
- ``zscaler-nss-dns`` (DNS logs; counting unit: DNS lookup): JSON
  (``"sourcetype":"zscalernss-dns"``) with ``datetime``, ``login``/``user``, ``clt_sip``,
  ``dns_req``, ``dns_reqtype``, ``reqaction``/``resaction`` (``…BLOCK…``: blocked).

Time: ``time``/``datetime`` (``Mon Oct 16 22:55:48 2023``) is written in the feed's time
zone, ``GMT`` unless the administrator changed it; a ``tz`` field, when the template has
one, says which. ``GMT``/``UTC`` or no ``tz``: UTC; another zone: the configured time zone
(run with the feed's zone). ``epochtime`` is used only when there is no textual time.
Users are ``login`` (e-mail form); URLs have no scheme (``www.example.com/path``,
``host:443`` for tunnels); ``action`` is ``Allowed``/``Blocked`` (``Caution``: a warning
page, counted as blocked).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    NULL_STR,
    any_url_host,
    canonical,
    concat_in_order,
    epoch_to_utc,
    is_empty,
    json_fields,
    null_if,
    tab_value,
    text_time_to_utc,
    with_leef_attributes,
)
from shadowai.schema import ALLOWED, BLOCKED

_WEB_JSON = (r'\{(?:.*"sourcetype"\s*:\s*"zscalernss-web'
             r'|(?=.*"cip"\s*:)(?=.*"e?url"\s*:)(?=.*"action"\s*:))')
_LEEF = r"LEEF:[12]\.0\|Zscaler\|NSS(?:WebLog)?\|"
_CSV = r'"(?:\w{3} ){2}[ \d]\d \d{2}:\d{2}:\d{2} \d{4}","[^"]*","[A-Z_0-9]*","'
_WEB_SIGNATURE = re.compile(rf"^(?:[^{{]*{_WEB_JSON}|.*?{_LEEF}|{_CSV})")
_DNS_SIGNATURE = re.compile(
    r'^[^{]*\{.*"(?:sourcetype"\s*:\s*"zscalernss-dns|dns_req"\s*:.*"clt_sip"\s*:)')
_BLOCKED = ("blocked", "block", "caution", "denied")
_NO_VALUE = ("None", "NA", "N/A")
#: Default web feed CSV: field name -> position.
_CSV_FIELDS = {"time": 0, "login": 1, "proto": 2, "url": 3, "action": 4, "reqsize": 7,
               "respsize": 8, "cip": 21, "reqmethod": 23, "respcode": 24}
_CSV_MIN_FIELDS = 25


def nss_time(text: pl.Expr, tz: pl.Expr, timezone: str) -> pl.Expr:
    """An NSS textual time in the feed's zone: ``tz`` GMT/UTC or absent -> UTC, else the
    configured time zone."""
    utc = tz.is_null() | tz.str.to_uppercase().is_in(("GMT", "UTC"))
    return pl.when(utc).then(text_time_to_utc(text, timezone, "UTC")).otherwise(
        text_time_to_utc(text, timezone))


def _clean(expr: pl.Expr) -> pl.Expr:
    return null_if(expr.str.strip_chars(), *_NO_VALUE)


def _json_record(frame: pl.LazyFrame, names: tuple[str, ...]) -> tuple[pl.LazyFrame, dict]:
    """Each field from ``$.event.<name>`` (HEC wrapper) or ``$.<name>`` (bare JSON)."""
    start = LINE.str.find("{", literal=True)
    f = frame.with_columns(LINE.str.slice(start).alias("_rec"))
    paths = {}
    for n in names:
        paths[f"_e_{n}"] = f"$.event.{n}"
        paths[f"_b_{n}"] = f"$.{n}"
    f = json_fields(f, "_rec", paths)
    f = f.with_columns(_clean(pl.coalesce(pl.col(f"_e_{n}"), pl.col(f"_b_{n}"))).alias(f"_{n}")
                       for n in names)
    return f, {n: pl.col(f"_{n}") for n in names}


class ZscalerNssWeb:
    name = "zscaler-nss"
    description = "Zscaler NSS web log feed (JSON, LEEF or the default CSV)"
    unit = "proxy request"
    #: LEEF records of this vendor|product are this format's, not the generic LEEF's.
    leef_products = ("Zscaler|NSS", "Zscaler|NSSWebLog")

    def detect(self, lines: list[str]) -> float:
        return share_matching(_WEB_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        is_leef = LINE.str.contains("LEEF:", literal=True)
        is_json = LINE.str.contains(r"^[^{]*\{") & ~is_leef
        is_csv = LINE.str.starts_with('"') & ~is_json
        return concat_in_order([
            self._json(frame.filter(is_json), timezone),
            self._leef(frame.filter(is_leef), timezone),
            self._csv(frame.filter(is_csv), timezone),
            self._other(frame.filter(~(is_json | is_leef | is_csv).fill_null(False)
                                     | LINE.is_null())),
        ])

    @staticmethod
    def _events(f: pl.LazyFrame, timezone: str, c: dict[str, pl.Expr],
                url: pl.Expr, host: pl.Expr, tz: pl.Expr, epoch: pl.Expr,
                malformed: tuple[pl.Expr, str] | None = None) -> pl.LazyFrame:
        ts = pl.coalesce(nss_time(c["time"], tz, timezone),
                         epoch_to_utc(epoch.cast(pl.Float64, strict=False)))
        f = f.with_columns(ts.alias("_ts"))
        blocked = c["action"].str.to_lowercase().is_in(_BLOCKED).fill_null(False)
        reject = reject_when([
            (is_empty(), "empty line"),
            *([malformed] if malformed else []),
            (c["time"].is_null() & epoch.is_null() & url.is_null(),
             "not a zscaler nss web record"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (c["cip"].is_null() & c["login"].is_null(), "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["login"],
            client_ip=c["cip"],
            host=pl.coalesce(host, any_url_host(url)),
            method=c["reqmethod"],
            status=c["respcode"],
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["reqsize"],
            bytes_down=c["respsize"],
        )

    def _json(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        names = ("time", "datetime", "tz", "epochtime", "login", "user", "cip", "clientip",
                 "eurl", "url", "hostname", "ehost", "host", "action", "reqmethod",
                 "respcode", "reqsize", "respsize")
        f, j = _json_record(frame, names)
        c = {"time": pl.coalesce(j["time"], j["datetime"]),
             "login": pl.coalesce(j["login"], j["user"]),
             "cip": pl.coalesce(j["cip"], j["clientip"]),
             **{k: j[k] for k in ("action", "reqmethod", "respcode", "reqsize", "respsize")}}
        host = pl.coalesce(j["hostname"], j["ehost"], j["host"])
        return self._events(f, timezone, c, pl.coalesce(j["eurl"], j["url"]), host, j["tz"],
                            j["epochtime"])

    def _leef(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = with_leef_attributes(frame, "_attrs")
        keys = ("devTime", "src", "usrName", "url", "cat", "action", "reqmethod", "respcode",
                "srcBytes", "dstBytes", "hostname")
        f = f.with_columns(_clean(tab_value(pl.col("_attrs"), k)).alias(f"_{k}") for k in keys)
        a = {k: pl.col(f"_{k}") for k in keys}
        c = {"time": a["devTime"], "login": a["usrName"], "cip": a["src"],
             "action": pl.coalesce(a["action"], a["cat"]), "reqmethod": a["reqmethod"],
             "respcode": a["respcode"], "reqsize": a["srcBytes"], "respsize": a["dstBytes"]}
        # devTime carries its zone (devTimeFormat "… z"): no separate tz.
        return self._events(f, timezone, c, a["url"], a["hostname"], pl.lit("UTC"), NULL_STR)

    def _csv(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        parts = LINE.str.strip_chars().str.strip_prefix('"').str.strip_suffix('"').str.split(
            '","')
        f = frame.with_columns(parts.alias("_f"))
        c = {k: _clean(pl.col("_f").list.get(i, null_on_oob=True))
             for k, i in _CSV_FIELDS.items()}
        few = pl.col("_f").list.len() < _CSV_MIN_FIELDS
        return self._events(f, timezone, c, c["url"], NULL_STR, NULL_STR, NULL_STR,
                            (few, "wrong number of fields"))

    @staticmethod
    def _other(frame: pl.LazyFrame) -> pl.LazyFrame:
        reject = reject_when([(is_empty(), "empty line"),
                              (pl.lit(True), "not a zscaler nss web record")])
        return canonical(frame, reject, action=pl.lit(ALLOWED))


class ZscalerNssDns:
    name = "zscaler-nss-dns"
    description = "Zscaler NSS DNS log feed (JSON)"
    unit = "DNS lookup"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_DNS_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        names = ("datetime", "time", "tz", "epochtime", "login", "user", "clt_sip", "dns_req",
                 "dns_reqtype", "reqaction", "resaction")
        f, j = _json_record(frame, names)
        text = pl.coalesce(j["datetime"], j["time"])
        ts = pl.coalesce(nss_time(text, j["tz"], timezone),
                         epoch_to_utc(j["epochtime"].cast(pl.Float64, strict=False)))
        f = f.with_columns(ts.alias("_ts"))
        actions = pl.concat_str([j["reqaction"], j["resaction"]], separator=" ",
                                ignore_nulls=True).str.to_uppercase()
        reject = reject_when([
            (is_empty(), "empty line"),
            (j["dns_req"].is_null(), "not a zscaler nss dns record"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=pl.coalesce(j["login"], j["user"]),
            client_ip=j["clt_sip"],
            host=j["dns_req"],
            method=j["dns_reqtype"].str.replace(r"\s+record$", ""),
            action=pl.when(actions.str.contains("BLOCK", literal=True)).then(pl.lit(BLOCKED))
            .otherwise(pl.lit(ALLOWED)),
        )


register(ZscalerNssWeb())
register(ZscalerNssDns())
