"""WatchGuard Firebox (Fireware OS 11.x to 12.x): traffic logs sent over syslog.

A line is ``<pri>Mmm dd HH:MM:SS host SERIAL (2024-01-10T09:49:05) firewall: msg_id="3000-0148"
Allow|Deny src_if dst_if [length] proto [hlen ttl] src dst [sport dport] … key="value" …
(policy-00)``: positional packet fields, then ``key="value"`` details (``sent_bytes``,
``rcvd_bytes``, ``dstname``, ``host``, ``op``, ``src_user``, ``msg``…). Documented in
"Read a Log Message" (watchguard.com help center, Fireware logging) and the "Fireware Log
Message Catalog" (one entry per ``msg_id``).

Time: the device clock in parentheses (ISO 8601 without offset: read in the configured
time zone), else the syslog header (year inferred from the file's date).

Events (counting unit: firewall session):

- ``3000-0148``: the packet filter's traffic log, one per connection of a policy with
  logging on (``Allow``), with its bytes when the Fireware version writes them;
- ``Deny`` (any message id: ``3000-0148``/``3000-0173`` denied packets, proxy denials
  ``ProxyDeny``/``ProxyDrop``): blocked;
- proxy traffic logs ``msg="HTTP request"`` (one per web request through the HTTP/HTTPS
  proxy, with ``op``, ``dstname``, ``arg`` and bytes): the request also belongs to a
  connection logged by ``3000-0148``, as FortiGate's UTM logs repeat its traffic logs.

Other allowed messages are ``not an event: watchguard <msg_id>``: ``3000-0151`` (the same
connection logged again at its end), ``3000-0149`` (application identified), proxy
``ProxyAllow`` audit records (the request has its ``HTTP request`` log), and every
message without ``Allow``/``Deny`` (system, authentication, VPN…).

Destination host: ``dstname``, else ``host`` (proxy), else ``sni``, else the destination
address. User: ``src_user`` (``domain\\user`` or ``user@domain``).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    LINE,
    canonical,
    is_empty,
    kv_columns,
    null_if,
    reject_first,
    with_header_time,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(r'^.*?\s[\w-]+(?:\[\d+\])?: msg_id="[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"')
_MESSAGE = (r'^(.*?)msg_id="([0-9A-Fa-f]{4}-[0-9A-Fa-f]{4})"\s+(?:[\w-]+="[^"]*"\s+)*'
            r"(?:(Allow|Deny)\s+(\S+)\s+(\S+)\s+(?:\d+\s+)?([a-z][\w-]*|\d+)\s+(?:\d+\s+\d+\s+)?"
            r"([0-9A-Fa-f.:]+)\s+([0-9A-Fa-f.:]+)(?:\s+(\d+)\s+(\d+))?)?")
_KEYS = ["msg", "dstname", "host", "sni", "op", "src_user", "sent_bytes", "rcvd_bytes"]
_PACKET_FILTER = "3000-0148"


class WatchGuard:
    name = "watchguard"
    description = "WatchGuard Firebox traffic logs (packet filter and HTTP proxy)"
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = kv_columns(frame, _KEYS).with_columns(LINE.str.extract_groups(_MESSAGE).alias("_m"))
        c = {k: null_if(pl.col(f"_{k}")) for k in _KEYS}

        def g(i: int) -> pl.Expr:
            return pl.col("_m").struct.field(str(i))

        msg_id, disposition = g(2), g(3)
        f = with_header_time(f, g(1), timezone)
        request = c["msg"].str.to_lowercase().str.contains(r"^https? request").fill_null(False)
        counted = (disposition == "Deny") | (msg_id == _PACKET_FILTER) | request
        reject = reject_first([
            (is_empty(), "empty line"),
            (msg_id.is_null(), "not a watchguard log line"),
            (disposition.is_null() | ~counted, pl.lit("not an event: watchguard ") + msg_id),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (g(7).is_null(), "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["src_user"],
            client_ip=g(7),
            host=pl.coalesce(c["dstname"], c["host"], c["sni"], g(8)),
            method=pl.coalesce(c["op"], g(6)),
            action=pl.when(disposition == "Deny").then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["sent_bytes"],
            bytes_down=c["rcvd_bytes"],
        )


register(WatchGuard())
