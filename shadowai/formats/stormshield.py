"""Stormshield Network Security (SNS, formerly NETASQ) firewalls, SNS 3.x and 4.x: audit
logs sent over syslog.

A line is ``[syslog header ]id=firewall time="2024-03-08 17:29:30" fw="…" tz=+0100
startime="…" … logtype="connection"``: WELF-compatible ``key=value`` pairs, values
optionally double-quoted. Documented in "Description of Audit logs" (documentation.stormshield.eu,
SNS v4: "Understanding audit logs", then the fields common to all logs and those specific to
each log file, ``l_connection``, ``l_web``, ``l_filter``…; ``logtype`` names the file).

``time`` is the firewall's wall clock; ``tz`` (``+0100``) is its UTC offset at that time and
is applied. A line without ``tz`` is read in the configured time zone.

Events (counting unit: firewall session):

- ``connection``: one per TCP/UDP connection, at its end (``sent``/``rcvd`` bytes);
- ``filter``: packets and connections matched by a filter rule whose log option writes to
  the filter log (block rules by default): one per logged flow;
- ``web``: one per HTTP request seen by the HTTP proxy or URL filtering (``op`` method,
  ``result`` status, ``arg`` path). Such a request also belongs to a connection logged in
  ``connection``, as FortiGate's UTM logs repeat its traffic logs.

Every other log type is ``not an event: <logtype> log`` (alarm, plugin, ssl, smtp, pop3,
ftp, vpn, xvpn, auth, server, system, monitor, filterstat, count…): they describe
administration, statistics, or repeat a connection (alarms, application plugins). A filter
match with an empty ``action`` (a rule whose action is only "log") decides nothing and is
``not an event`` either.

Destination host: ``dstname`` for web requests; for connections, ``dstname`` when it is a
host name (it may also be an object name such as ``Firewall_out``), else ``dst``.
``action`` ``block`` means blocked, ``pass`` allowed (a connection without action was
passed).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    NULL_STR,
    canonical,
    is_empty,
    kv_columns,
    null_if,
    offset_to_utc,
    reject_first,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r'^.*?(?:^|\s)id=firewall\s+time="\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"\s+fw=')
_KEYS = ["time", "tz", "logtype", "src", "dst", "dstname", "user", "action", "sent", "rcvd",
         "proto", "ipproto", "op", "result"]
_EVENTS = ("connection", "filter", "web")
_HOST_NAME = r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$"


class Stormshield:
    name = "stormshield"
    description = "Stormshield SNS audit logs (connection, filter and web logs)"
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = kv_columns(frame, _KEYS)
        c = {k: pl.col(f"_{k}") for k in _KEYS}
        naive = c["time"].str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        f = f.with_columns(offset_to_utc(naive, null_if(c["tz"]), timezone).alias("_ts"))
        logtype = c["logtype"]
        web = logtype == "web"
        dstname = null_if(c["dstname"])
        host = (pl.when(web | dstname.str.contains(_HOST_NAME)).then(dstname).otherwise(NULL_STR))
        reject = reject_first([
            (is_empty(), "empty line"),
            (c["time"].is_null() | logtype.is_null(), "not a stormshield log line"),
            (~logtype.is_in(_EVENTS), pl.lit("not an event: ") + logtype + " log"),
            (c["action"] == "", "not an event: log-only rule"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (null_if(c["src"]).is_null(), "no source address"),
        ])
        blocked = c["action"].str.to_lowercase().is_in(["block", "drop", "reject"])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=null_if(c["user"]),
            client_ip=null_if(c["src"]),
            host=pl.coalesce(host, null_if(c["dst"])),
            method=pl.coalesce(pl.when(web).then(null_if(c["op"])), null_if(c["proto"]),
                               null_if(c["ipproto"])),
            status=pl.when(web).then(c["result"]),
            action=pl.when(blocked.fill_null(False)).then(pl.lit(BLOCKED))
            .otherwise(pl.lit(ALLOWED)),
            bytes_up=null_if(c["sent"]),
            bytes_down=null_if(c["rcvd"]),
        )


register(Stormshield())
