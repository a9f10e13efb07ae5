"""Sophos UTM web proxy and Sophos Firewall (XG / SFOS) logs, ``key="value"`` over syslog.

- ``sophos-utm``: Sophos UTM 9.x (ex-Astaro Security Gateway) "Web Filtering" log
  (``http.log``), one line per HTTP request or CONNECT tunnel:
  ``2023:03:08-15:00:00 host httpproxy[6267]: id="0001" severity="info" sys="SecureWeb"
  sub="http" name="http access" action="pass" method="GET" srcip="…" dstip="…"
  user="…" ad_domain="…" statuscode="200" size="311" url="https://…"``. The time is the
  appliance's local wall clock in UTM's own ``YYYY:MM:DD-HH:MM:SS`` form (a relay may put
  an RFC 3164 header in front). Documented in the Sophos UTM 9 administration guide
  ("Logging & Reporting > View Log Files") and the Sophos knowledge base article "UTM: Web
  filtering log file fields" (id=, action=, url=, size= …).
- ``sophos-xg``: Sophos XG Firewall / Sophos Firewall OS (SFOS 17.x to 21.x) syslog,
  ``device_name="SFW" … log_type="Content Filtering"|"Firewall"|… log_subtype="Allowed"
  |"Denied"|"Warned" … src_ip= dst_ip= user_name= url= domain=``. Up to 18.5 the time is
  ``date=2016-12-02 time=18:27:03 timezone="GMT"`` (or an offset, ``"+08"``, or an
  abbreviation, ``"CEST"``: the unambiguous ones are applied, others read in the
  configured zone); from SFOS 19 it is
  ``timestamp="2021-11-15T18:25:00-0600"`` (with offset). Documented in the "Sophos
  Firewall Log File Guide" (docs.sophos.com, one table per log type and component).

Events:

- UTM (counting unit: proxy request): ``httpproxy`` lines carrying an ``action`` (pass,
  block, warn). ``warn`` means the user got a warning page instead of the page: blocked;
  the follow-up "warned and proceeded" line (id 0072) and the proxy's own messages
  (id 0003: errors, with ``function=``/``file=``) are ``not an event``.
- XG (counting unit: firewall or web filter record): ``Content Filtering`` records (one
  per web request) and ``Firewall`` records. SFOS 19+ logs a firewall connection twice,
  ``con_event="Start"`` then ``"Stop"`` (with the byte counts): the start is
  ``not an event``. Every other log type (Event, System, Admin, IPS, Anti-Virus,
  Application Filter, SSL/TLS inspection…) is ``not an event``: detections and
  application records repeat a connection already logged. ``log_subtype`` ``Denied``,
  ``Warned``, ``Blocked``, ``Dropped``, ``Rejected`` mean blocked.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    SYSLOG_PRI,
    TZ_ABBREVIATIONS,
    canonical,
    ipv4_without_port,
    is_empty,
    iso_to_utc,
    local_to_utc,
    null_if,
    offset_to_utc,
    syslog_header_to_utc,
    unquote,
    url_host,
)
from shadowai.schema import ALLOWED, BLOCKED

_UTM_TIME = r"(\d{4}:\d{2}:\d{2}-\d{2}:\d{2}:\d{2})"
_UTM_SIGNATURE = re.compile(
    SYSLOG_PRI + r"(?:[A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2} \S+ )?" + _UTM_TIME
    + r' \S+ [\w-]+(?:\[\d+\])?: id="\d+" severity="\w+" sys="')
_XG_SIGNATURE = re.compile(r'^.*?(?:^|\s)device_name="?[^"\s]+"?\s.*\slog_type="[^"]+"')
_XG_BLOCKED = ("denied", "warned", "blocked", "dropped", "rejected", "deny", "drop", "block")
_XG_EVENTS = ("Content Filtering", "Firewall")


def _raw(key: str) -> pl.Expr:
    """The text after ``key=`` (a ``"quoted string"`` or a run of non-spaces); a key starts
    the line or follows a space, so ``user=`` does not match inside ``ad_user=``."""
    return LINE.str.extract(rf'(?:^|\s){key}=("(?:[^"\\]|\\.)*"|\S*)', 1)


def _values(frame: pl.LazyFrame, keys: tuple[str, ...]) -> tuple[pl.LazyFrame, dict]:
    """Each key's value, unquoted, null when empty or ``-``: materialised once."""
    f = frame.with_columns(_raw(k).alias(f"_raw_{k}") for k in keys)
    f = f.with_columns(null_if(unquote(pl.col(f"_raw_{k}")).str.strip_chars()).alias(f"_{k}")
                       for k in keys)
    return f, {k: pl.col(f"_{k}") for k in keys}


class SophosUtm:
    name = "sophos-utm"
    description = "Sophos UTM 9 web filtering log (httpproxy key=\"value\")"
    unit = "proxy request"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_UTM_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        keys = ("id", "sys", "action", "method", "srcip", "dstip", "user", "statuscode",
                "size", "url")
        f, c = _values(frame, keys)
        stamp = LINE.str.extract(SYSLOG_PRI + r"(?:.*? )?" + _UTM_TIME + r" \S+ [\w-]+", 1)
        local = local_to_utc(stamp.str.strptime(pl.Datetime("us"), "%Y:%m:%d-%H:%M:%S",
                                                strict=False), timezone)
        f = f.with_columns(pl.when(stamp.is_not_null()).then(local)
                           .otherwise(syslog_header_to_utc(LINE, timezone)).alias("_ts"))
        action = c["action"].str.to_lowercase()
        reject = reject_when([
            (is_empty(), "empty line"),
            (c["id"].is_null(), "not a sophos utm log line"),
            (c["action"].is_null(), "not an event: proxy message"),
            (c["url"].is_null() & c["srcip"].is_null(), "not an event: proxy message"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        host = pl.when(c["method"] == "CONNECT").then(
            pl.coalesce(url_host(c["url"]), c["url"])).otherwise(url_host(c["url"]))
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["user"],
            client_ip=c["srcip"],
            host=pl.coalesce(host, c["dstip"]),
            method=c["method"],
            status=c["statuscode"],
            action=pl.when(action.is_in(("block", "warn"))).then(pl.lit(BLOCKED))
            .otherwise(pl.lit(ALLOWED)),
            bytes_down=c["size"],
        )


class SophosXg:
    name = "sophos-xg"
    description = "Sophos Firewall / XG (SFOS) syslog: content filtering and firewall"
    unit = "firewall or web filter record"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_XG_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        keys = ("device_name", "date", "time", "timezone", "timestamp", "log_type",
                "log_subtype", "con_event", "user_name", "src_ip", "dst_ip", "url", "domain",
                "protocol", "sent_bytes", "recv_bytes", "bytes_sent", "bytes_received",
                "status_code", "http_method")
        f, c = _values(frame, keys)
        wall = pl.concat_str([c["date"], c["time"]], separator=" ").str.strptime(
            pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        zone = c["timezone"].str.strip_chars().str.to_uppercase()
        offset = (pl.when(zone.str.contains(r"^[+-]\d{1,2}(?::?\d{2})?$")).then(zone)
                  .otherwise(zone.replace_strict(TZ_ABBREVIATIONS, default=None,
                                                 return_dtype=pl.String)))
        ts = pl.coalesce(iso_to_utc(c["timestamp"]), offset_to_utc(wall, offset, timezone))
        f = f.with_columns(ts.alias("_ts"))
        kind = c["log_type"]
        reject = reject_when([
            (is_empty(), "empty line"),
            (c["device_name"].is_null() | kind.is_null(), "not a sophos firewall log line"),
            (~kind.is_in(_XG_EVENTS), "not an event: log type other than web or firewall"),
            (c["con_event"].str.to_lowercase() == "start",
             "not an event: connection start (counted at its end)"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (c["src_ip"].is_null() & c["user_name"].is_null(), "no source address"),
        ])
        blocked = c["log_subtype"].str.to_lowercase().is_in(_XG_BLOCKED).fill_null(False)
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["user_name"],
            client_ip=ipv4_without_port(c["src_ip"]),
            host=pl.coalesce(url_host(c["url"]), c["domain"], c["dst_ip"]),
            method=pl.coalesce(c["http_method"], c["protocol"]),
            status=c["status_code"],
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=pl.coalesce(c["sent_bytes"], c["bytes_sent"]),
            bytes_down=pl.coalesce(c["recv_bytes"], c["bytes_received"]),
        )


register(SophosUtm())
register(SophosXg())
