"""Palo Alto Networks firewall logs as JSON: what Strata Logging Service (formerly Cortex
Data Lake) forwards with its HTTPS log format, and what its query API returns.

Two spellings of one record, both read, one JSON document per line (a pretty-printed file
or an array is split into records by :mod:`shadowai.transport`; a syslog header in front
of the record is stripped there too):

- **HTTPS forwarding** (Log Forwarding app, "HTTPS" format; Panorama/syslog "JSON"
  forwarding writes the same names): ``LogType``, ``Subtype`` (``SubType`` in some types),
  ``TimeGenerated`` and ``TimeGeneratedHighResolution`` (ISO 8601, ``Z``),
  ``SourceAddress``, ``DestinationAddress``, ``SourceUser``, ``Application``, ``Action``,
  ``BytesSent``, ``BytesReceived``, ``URL`` (host and path, no scheme).
  Field names: docs.paloaltonetworks.com, "Strata Logging Service Log Reference > Network
  Logs > Traffic / URL / Threat > … HTTPS Fields" (the EMAIL format pages use the same
  names and show whole records); real records: the Palo Alto NGFW raw event samples of
  Sekoia.io's integration documentation (``network_threat_alert_*``: THREAT/url records,
  ``TimeGenerated: "2024-06-25T21:30:00.000000Z"``, ``URL: "www.example.com/connecttest.txt"``).
- **Query API** (the names of the same reference's field tables and of Explore queries,
  returned by the Cortex Data Lake / Strata Logging Service query API): ``log_type.value``,
  ``sub_type.value``, ``time_generated`` (epoch seconds), ``source_ip.value``,
  ``dest_ip.value``, ``source_user``, ``app``, ``action.value``, ``bytes_sent``,
  ``bytes_received``, ``url_domain``. The ``.value`` fields are
  objects (``"source_ip": {"value": "10.0.0.1"}``), as Palo Alto's own Cortex XSOAR
  integration reads them (demisto/content, ``Packs/CortexDataLake``).

Events, as for the CSV syslog format (:mod:`shadowai.formats.panos`; counting unit:
firewall session): ``TRAFFIC`` logs at the end of a session (``start`` logs are ``not an
event``), destination host the destination address; ``THREAT`` logs of subtype ``url``
(and the query API's ``url`` log type): destination host from the URL or ``url_domain``.
Other threat subtypes and other log types (SYSTEM, DECRYPTION, CONFIG, USERID…) are
``not an event``. ``action`` ``allow``/``alert``/``continue``/``override`` mean allowed;
``deny``, ``drop*``, ``reset-*``, ``block-*``, ``sinkhole`` or a ``deny``/``drop`` traffic
subtype mean blocked.

Time: the high-resolution time when present, else the generated time, else the receive
time; they carry ``Z`` (an ISO time without an offset is read in the configured zone).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    JSON_RECORD,
    NULL_STR,
    canonical,
    is_empty,
    json_columns,
    reject_first,
    text_time_to_utc,
    url_authority,
)
from shadowai.schema import ALLOWED, BLOCKED

_BLOCKED_PREFIXES = ("deny", "drop", "reset", "block", "sinkhole")
_SIGNATURE = re.compile(
    r'^[^{]*\{(?:(?=.*"LogType"\s*:)(?=.*"(?:SourceAddress|TimeGenerated)"\s*:)'
    r'|(?=.*"log_type"\s*:\s*\{)(?=.*"(?:source_ip|time_generated)"\s*:))')

# column -> JSON paths, the HTTPS name first, then the query name
_FIELDS = {
    "kind": ("$.LogType", "$.log_type.value", "$.log_type"),
    "subtype": ("$.Subtype", "$.SubType", "$.sub_type.value", "$.sub_type"),
    "ts_high": ("$.TimeGeneratedHighResolution", "$.time_generated_high_res"),
    "ts": ("$.TimeGenerated", "$.time_generated"),
    "ts_received": ("$.TimeReceived", "$.receive_time", "$.log_time"),
    "src": ("$.SourceAddress", "$.source_ip.value", "$.source_ip"),
    "dst": ("$.DestinationAddress", "$.dest_ip.value", "$.dest_ip"),
    "user": ("$.SourceUser", "$.source_user"),
    "app": ("$.Application", "$.app"),
    "action": ("$.Action", "$.action.value", "$.action"),
    "sent": ("$.BytesSent", "$.bytes_sent"),
    "received": ("$.BytesReceived", "$.bytes_received"),
    "url": ("$.URL", "$.url_domain", "$.url"),
}


class PanOsJson:
    name = "panos-json"
    description = ("Palo Alto firewall logs as JSON (Strata Logging Service / Cortex Data "
                   "Lake HTTPS forwarding and query API): traffic and URL logs")
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = json_columns(frame.with_columns(JSON_RECORD.alias("_rec")), "_rec", _FIELDS, "null")
        c = {k: pl.col(f"_{k}") for k in _FIELDS}
        kind = c["kind"].str.to_uppercase()
        subtype = c["subtype"].str.to_lowercase()
        action = c["action"].str.to_lowercase()
        f = f.with_columns(
            kind.alias("_kind"), subtype.alias("_sub"), action.alias("_act"),
            pl.coalesce(text_time_to_utc(c["ts_high"], timezone),
                        text_time_to_utc(c["ts"], timezone),
                        text_time_to_utc(c["ts_received"], timezone)).alias("_ts"))
        kind, subtype, action = pl.col("_kind"), pl.col("_sub"), pl.col("_act")
        traffic = kind == "TRAFFIC"
        url = ((kind == "THREAT") & (subtype == "url")) | (kind == "URL")
        blocked = (pl.any_horizontal([action.str.starts_with(p) for p in _BLOCKED_PREFIXES])
                   | (traffic & subtype.is_in(["deny", "drop"]))).fill_null(False)
        reject = reject_first([
            (is_empty(), "empty line"),
            (kind.is_null(), "not a pan-os json record"),
            ((kind == "THREAT") & ~url,
             pl.lit("not an event: threat ") + subtype.fill_null("")),
            (~traffic & ~url, pl.lit("not an event: ") + kind.str.to_lowercase() + " log"),
            (traffic & (subtype == "start"), "not an event: session start"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (c["src"].is_null(), "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["user"],
            client_ip=c["src"],
            host=pl.when(url).then(pl.coalesce(url_authority(c["url"]), c["dst"]))
            .otherwise(c["dst"]),
            method=c["app"],
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=pl.when(traffic).then(c["sent"]).otherwise(NULL_STR),
            bytes_down=pl.when(traffic).then(c["received"]).otherwise(NULL_STR),
        )


register(PanOsJson())
