"""Suricata EVE JSON (``eve.json``), Suricata 3.x to 8.x.

One JSON object per line with ``timestamp`` (ISO 8601 with offset), ``event_type``,
``src_ip``/``dest_ip`` and a protocol object. Documented in the Suricata user guide,
"EVE JSON Format" (docs.suricata.io, ``output/eve/eve-json-format``), and for DNS the
"8.0 DNS logging changes" upgrade note. Lines sent through syslog (``filetype: syslog``)
or with a ``prefix`` (``@cee: ``) are read from their first ``{``.

Events, one per record (counting unit: network event):

- ``http``: destination ``http.hostname`` (Host header), method, status, response
  ``length``;
- ``tls``: ``tls.sni``; ``quic`` (Suricata 7+): ``quic.sni``; without SNI the server
  address ``dest_ip`` (activity that never matches the catalog);
- ``dns``: requests only (``type`` ``query`` up to 7.x, ``request`` in 8.x), destination
  the queried name (``rrname``, or ``queries[0].rrname`` in 8.x). Answers and responses
  repeat the same lookup (DNS log format v1 even writes one record per answer) and, from
  8.x, carry the server as ``src_ip``: they are ``not an event``;
- ``flow``: ``dest_ip`` and the byte counters, except flows whose ``app_proto`` is
  http, tls, dns or quic: the EVE default configuration logs those protocols too, so the
  flow would count the same connection a second time.

Every other record (``alert``, ``fileinfo``, ``anomaly``, ``stats``, ``ssh``, ``drop``…)
is ``not an event: <event_type>``: alerts and file records repeat a transaction already
logged by its protocol record; stats are not traffic. Suricata in IDS mode blocks
nothing; in IPS mode drops appear as ``drop``/``alert`` records, so every event here is
``allowed``.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    NULL_STR,
    canonical,
    is_empty,
    iso_to_utc,
    json_fields,
    null_if,
)
from shadowai.schema import ALLOWED

_SIGNATURE = re.compile(r'^[^{]*\{\s*"timestamp"\s*:\s*"[^"]+".*"event_type"\s*:\s*"')
_EVENTS = ("http", "tls", "quic", "dns", "flow")
_DNS_REQUEST = ("query", "request")
_FLOW_COUNTED_ELSEWHERE = ("http", "tls", "dns", "quic", "http2")
_OTHER = "not an event: other event type"
_PATHS = {
    "timestamp": "$.timestamp",
    "event_type": "$.event_type",
    "src_ip": "$.src_ip",
    "dest_ip": "$.dest_ip",
    "proto": "$.proto",
    "app_proto": "$.app_proto",
    "http_host": "$.http.hostname",
    "http_method": "$.http.http_method",
    "http_status": "$.http.status",
    "http_length": "$.http.length",
    "tls_sni": "$.tls.sni",
    "tls_version": "$.tls.version",
    "quic_sni": "$.quic.sni",
    "dns_type": "$.dns.type",
    "dns_rrname": "$.dns.rrname",
    "dns_rrtype": "$.dns.rrtype",
    "dns_query": "$.dns.queries[0].rrname",
    "dns_query_type": "$.dns.queries[0].rrtype",
    "bytes_toserver": "$.flow.bytes_toserver",
    "bytes_toclient": "$.flow.bytes_toclient",
}


class SuricataEve:
    name = "suricata-eve"
    description = "Suricata EVE JSON (eve.json): http, tls, quic, dns requests, flows"
    unit = "network event"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        start = LINE.str.find("{", literal=True)
        f = frame.with_columns(
            pl.when(start > 0).then(LINE.str.slice(start)).otherwise(LINE).alias("_rec"))
        f = json_fields(f, "_rec", {f"_j_{k}": path for k, path in _PATHS.items()})
        f = f.with_columns(null_if(pl.col(f"_j_{k}")).alias(f"_{k}") for k in _PATHS)
        c = {k: pl.col(f"_{k}") for k in _PATHS}
        kind = c["event_type"]
        dest = c["dest_ip"]
        host = (
            pl.when(kind == "http").then(pl.coalesce(c["http_host"], dest))
            .when(kind == "tls").then(pl.coalesce(c["tls_sni"], dest))
            .when(kind == "quic").then(pl.coalesce(c["quic_sni"], dest))
            .when(kind == "dns").then(pl.coalesce(c["dns_query"], c["dns_rrname"]))
            .when(kind == "flow").then(dest)
            .otherwise(NULL_STR)
        )
        method = (
            pl.when(kind == "http").then(c["http_method"])
            .when(kind == "tls").then(pl.coalesce(c["tls_version"], c["proto"]))
            .when(kind == "dns").then(pl.coalesce(c["dns_query_type"], c["dns_rrtype"]))
            .otherwise(c["proto"])
        )
        is_flow = kind == "flow"
        flow_elsewhere = is_flow & c["app_proto"].is_in(_FLOW_COUNTED_ELSEWHERE)
        dns_answer = (kind == "dns") & ~c["dns_type"].is_in(_DNS_REQUEST).fill_null(False)
        f = f.with_columns(iso_to_utc(c["timestamp"]).alias("_ts"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (kind.is_null(), "not a suricata eve record"),
            (~kind.is_in(_EVENTS), _OTHER),
            (dns_answer, "not an event: dns answer"),
            (flow_elsewhere, "not an event: flow of an http, tls, dns or quic session"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        # reject_when takes fixed reasons: name the event type afterwards.
        reject = pl.when(reject == _OTHER).then(pl.lit("not an event: ") + kind).otherwise(reject)
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            client_ip=c["src_ip"],
            host=host,
            method=method,
            status=pl.when(kind == "http").then(c["http_status"]),
            action=pl.lit(ALLOWED),
            bytes_up=pl.when(is_flow).then(c["bytes_toserver"]),
            bytes_down=pl.when(is_flow).then(c["bytes_toclient"])
            .when(kind == "http").then(c["http_length"]),
        )


register(SuricataEve())
