"""Elastic Common Schema (ECS 1.x to 8.x) documents, one JSON object per line.

What Elastic Agent / Filebeat / Logstash write when they forward or export parsed events
(NDJSON exports, ``output.file``, Logstash ``json_lines``), and what some products emit
natively (OPNsense's Squid "ECS" log, ``(squid-1)[pid]: {…}`` behind a syslog header: the
record is read from its first ``{``). Field reference: "ECS Field Reference"
(elastic.co/guide/en/ecs), sets ``source``, ``destination``, ``url``, ``http``,
``tls``, ``dns``, ``event``, ``user``.

Mapping (counting unit: ECS event; for proxy exports one per request, for DNS one per
lookup, for network flows one per connection):

- time ``@timestamp`` (ISO 8601, ``Z`` or an offset such as ``+0000``);
- user ``source.user.name``, else ``user.name``, else ``client.user.name``;
  client ``source.ip``, else ``client.ip``, else ``source.address``;
- destination host ``url.domain``, else ``destination.domain``, else
  ``tls.client.server_name`` (SNI), else ``dns.question.name``, else the host of
  ``url.original``/``url.full`` (``host:443`` for CONNECT), else ``destination.address``
  or ``destination.ip``;
- method ``http.request.method``, else ``dns.question.type``, else
  ``network.protocol``; status ``http.response.status_code`` (ECS 1.0 exporters such as
  OPNsense wrote ``http.response.body.status_code``; Elastic's Squid integration
  ``squid.status_code``);
- bytes ``source.bytes`` (else ``http.request.bytes``) up, ``destination.bytes`` (else
  ``http.response.bytes``) down;
- blocked when ``event.action`` names a block/deny/drop/reject/reset, ``event.type``
  contains ``denied``, or a Squid result code (``squid.result_code``,
  ``labels.request_status``) is ``…DENIED…``. ``event.outcome: failure`` is not a block
  (a 404 is a failure too).

Documents whose ``event.kind`` is not ``event`` (``alert``, ``metric``, ``state``,
``signal``, ``pipeline_error``…) are ``not an event``: alerts repeat a logged connection,
metrics and states are not traffic.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    JSON_RECORD,
    any_url_host,
    canonical,
    is_empty,
    iso_to_utc,
    json_columns,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r'^[^{]*\{(?=.*"@timestamp"\s*:\s*")'
    r'(?=.*"(?:source|destination|url|event|ecs|dns|tls|client|http)"\s*:\s*\{)')
_BLOCKED = r"(?i)block|den(?:y|ied)|drop|reject|reset|prevent|refuse"
_PATHS = {
    "ts": "$.@timestamp",
    "kind": "$.event.kind",
    "event_action": "$.event.action",
    "event_type": "$.event.type",
    "source_user": "$.source.user.name",
    "user": "$.user.name",
    "client_user": "$.client.user.name",
    "source_ip": "$.source.ip",
    "client_ip": "$.client.ip",
    "source_address": "$.source.address",
    "url_domain": "$.url.domain",
    "destination_domain": "$.destination.domain",
    "sni": "$.tls.client.server_name",
    "dns_name": "$.dns.question.name",
    "dns_type": "$.dns.question.type",
    "url_original": "$.url.original",
    "url_full": "$.url.full",
    "destination_address": "$.destination.address",
    "destination_ip": "$.destination.ip",
    "method": "$.http.request.method",
    "protocol": "$.network.protocol",
    "status": "$.http.response.status_code",
    "body_status": "$.http.response.body.status_code",
    "squid_status": "$.squid.status_code",
    "source_bytes": "$.source.bytes",
    "request_bytes": "$.http.request.bytes",
    "destination_bytes": "$.destination.bytes",
    "response_bytes": "$.http.response.bytes",
    "squid_result": "$.squid.result_code",
    "request_status": "$.labels.request_status",
}


class EcsJson:
    name = "ecs-json"
    description = "Elastic Common Schema JSON lines (Elastic exports, OPNsense Squid ECS)"
    unit = "ECS event"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = json_columns(frame.with_columns(JSON_RECORD.alias("_rec")), "_rec", _PATHS)
        c = {k: pl.col(f"_{k}") for k in _PATHS}
        f = f.with_columns(iso_to_utc(c["ts"]).alias("_ts"))
        host = pl.coalesce(c["url_domain"], c["destination_domain"], c["sni"], c["dns_name"],
                           any_url_host(c["url_original"]), any_url_host(c["url_full"]),
                           c["destination_address"], c["destination_ip"])
        blocked = (c["event_action"].str.contains(_BLOCKED).fill_null(False)
                   | c["event_type"].str.contains("denied", literal=True).fill_null(False)
                   | pl.coalesce(c["squid_result"], c["request_status"])
                   .str.contains("DENIED", literal=True).fill_null(False))
        reject = reject_when([
            (is_empty(), "empty line"),
            (pl.col("_j0 ts").is_null() & pl.col("_j0 kind").is_null()
             & c["source_ip"].is_null(), "not an ecs json record"),
            (c["kind"].is_not_null() & (c["kind"] != "event"),
             "not an event: ecs alert, metric or state"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=pl.coalesce(c["source_user"], c["user"], c["client_user"]),
            client_ip=pl.coalesce(c["source_ip"], c["client_ip"], c["source_address"]),
            host=host,
            method=pl.coalesce(c["method"], c["dns_type"], c["protocol"]),
            status=pl.coalesce(c["status"], c["body_status"], c["squid_status"]),
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=pl.coalesce(c["source_bytes"], c["request_bytes"]),
            bytes_down=pl.coalesce(c["destination_bytes"], c["response_bytes"]),
        )


register(EcsJson())
