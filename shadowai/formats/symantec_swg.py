"""Symantec / Broadcom Edge SWG (formerly Blue Coat ProxySG, and ASG) access logs in the
``key=value`` layout sent to SIEMs over syslog.

The appliance's access log format is a custom one: the layout Splunk's add-on for ProxySG
asks for (``splunk_format``, sourcetype ``bluecoat:proxysg:access:kv``) is an RFC 5424
header with the UTC time, ``MSGID`` ``splunk_format``, then ``c-ip=… cs-bytes=… cs-host=…
cs-method=… cs-username=… sc-bytes=… sc-filter-result=… sc-status=… c-url="…" …``: the
ELFF field names of the access log (Edge SWG documentation, "Access Log Formats", ELFF
fields), values in double quotes when they may hold spaces. Without the header (a file
written by a collector that keeps only the message), ``date=`` and ``time=`` (UTC, as
ELFF writes them) give the time. Counting unit: proxy request.

Client ``c-ip``, user ``cs-username``, destination ``cs-host``, else the host of
``c-url``; method ``cs-method``, status ``sc-status``; bytes ``cs-bytes`` sent by the
client, ``sc-bytes`` received. ``sc-filter-result`` ``DENIED`` is blocked (``PROXIED``
and ``OBSERVED`` are allowed).
"""

from __future__ import annotations

import polars as pl

from shadowai.formats._base import register, reject_when
from shadowai.formats._common import (
    LINE,
    any_url_host,
    canonical,
    is_empty,
    kv_columns,
    null_if,
    syslog_header_to_utc,
)
from shadowai.schema import ALLOWED, BLOCKED

_KEYS = ["c-ip", "cs-username", "cs-host", "c-url", "cs-method", "sc-status",
         "sc-filter-result", "cs-bytes", "sc-bytes", "date", "time"]


class SymantecSwg:
    name = "symantec-swg"
    description = "Symantec / Broadcom Edge SWG (ProxySG) key=value access log (splunk_format)"
    unit = "proxy request"

    def detect(self, lines: list[str]) -> float:
        """Plain substring tests: linear in the line whatever it holds."""
        hits = sum(1 for x in lines if " c-ip=" in f" {x}" and "sc-filter-result=" in x
                   and ("cs-host=" in x or "c-url=" in x))
        return hits / len(lines) if lines else 0.0

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = kv_columns(frame, _KEYS)
        c = {k: null_if(pl.col(f"_{k}"), "-", "") for k in _KEYS}
        elff = pl.concat_str(c["date"], pl.lit(" "), c["time"]).str.strptime(
            pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False).dt.replace_time_zone("UTC")
        f = f.with_columns(pl.coalesce(syslog_header_to_utc(LINE, timezone), elff).alias("_ts"))
        result = c["sc-filter-result"].str.to_uppercase()
        reject = reject_when([
            (is_empty(), "empty line"),
            (c["c-ip"].is_null() & c["cs-username"].is_null(), "not an edge swg access record"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=c["cs-username"],
            client_ip=c["c-ip"],
            host=pl.coalesce(c["cs-host"], any_url_host(c["c-url"])),
            method=c["cs-method"],
            status=c["sc-status"],
            action=pl.when(result == "DENIED").then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["cs-bytes"],
            bytes_down=c["sc-bytes"],
        )


register(SymantecSwg())
