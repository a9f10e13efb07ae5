"""Huawei HiSecEngine USG firewalls (USG6000/USG6000E, USG9500; VRP-based): logs sent over
syslog by the information center.

A line is ``[<pri>]TIMESTAMP HOSTNAME %%ddMODULE/SEVERITY/DIGEST(l):CONTENT`` ("Log
Reference", HiSecEngine USG6000E series, support.huawei.com: "Log Format"; the ``dd`` is a
version, ``(l)`` says it is a log, ``(s)`` a security log). The information center writes
the time as ``Mmm d yyyy hh:mm:ss`` by default, or ``yyyy/mm/dd``, ``yyyy-mm-dd`` or ISO
8601 (``info-center timestamp log format-date``), optionally with an offset; without one
it is the device's local time, read in the configured time zone. CONTENT is
``key=value`` pairs, comma-separated, in parentheses after a sentence for some messages.

Events (counting unit: firewall log record), each keyed by its digest:

- ``SECLOG/SESSION_TEARDOWN`` (session log, at the end of a session: ``SourceIP``,
  ``DestinationIP``, ``SendBytes``/``RcvBytes``);
- ``POLICY/POLICYPERMIT`` and ``POLICY/POLICYDENY`` (policy matching log:
  ``source-ip``, ``destination-ip``);
- ``URL/FILTER`` (URL filtering: ``SrcIp``, ``DstIp``, ``Host``, ``User``, ``Action``).

A record of another module, or without source and destination addresses, is ``not an
event``. Action: a ``POLICYDENY``, or ``Action`` block/deny/drop, is blocked.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    LINE,
    canonical,
    is_empty,
    local_to_utc,
    offset_to_utc,
    reject_first,
)
from shadowai.formats._syslog import syslog_to_utc
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(r"^.{0,120}?%%\d{2}[A-Z][A-Z0-9_]*/\d/[A-Z0-9_]+\([a-z]\):")
_MESSAGE = r"%%\d{2}([A-Z][A-Z0-9_]*)/\d/([A-Z0-9_]+)\([a-z]\):(.*)$"
_STAMP = (r"^(?:<\d{1,3}>)?(?:(\d{4}[/-]\d{1,2}[/-]\d{1,2}[ T]\d{2}:\d{2}:\d{2})"
          r"|([A-Z][a-z]{2} +\d{1,2} \d{4} \d{2}:\d{2}:\d{2})"
          r"|([A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}))(?:\.\d+)?"
          r"((?:Z|[+-]\d{2}:?\d{2}))?\s")
_KEYS = {
    "src": ("SrcIp", "SourceIP", "source-ip"),
    "dst": ("DstIp", "DestinationIP", "destination-ip"),
    "host": ("Host",),
    "user": ("User", "UserName", "user-name"),
    "action": ("Action",),
    "up": ("SendBytes",),
    "down": ("RcvBytes",),
    "proto": ("Protocol", "protocol"),
}
_EVENTS = ("SECLOG/SESSION_TEARDOWN", "POLICY/POLICYPERMIT", "POLICY/POLICYDENY",
           "URL/FILTER")
_BLOCKED = r"(?i)^(?:block|deny|denied|drop|reject)"


def _value(content: pl.Expr, names: tuple[str, ...]) -> pl.Expr:
    """The value of the first of ``names`` present in ``content`` (quotes removed)."""
    keys = "|".join(re.escape(n) for n in names)
    pattern = rf'(?:^|[\s,(])(?:{keys})=(?:"([^"]*)"|([^,)\s]*))'
    return pl.coalesce(content.str.extract(pattern, 1), content.str.extract(pattern, 2))


class HuaweiUsg:
    name = "huawei-usg"
    description = "Huawei USG / HiSecEngine firewalls (session, policy and URL filter logs)"
    unit = "firewall log record"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = frame.with_columns(LINE.str.extract_groups(_MESSAGE).alias("_m"),
                               LINE.str.extract_groups(_STAMP).alias("_t"))
        m, t = pl.col("_m"), pl.col("_t")
        f = f.with_columns(
            pl.concat_str(m.struct.field("1"), pl.lit("/"), m.struct.field("2")).alias("_kind"),
            m.struct.field("3").alias("_content"),
            t.struct.field("1").str.replace_all("/", "-").str.replace("T", " ", literal=True)
            .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False).alias("_n1"),
            t.struct.field("2").str.replace(r"\s+", " ").str.strptime(
                pl.Datetime("us"), "%b %d %Y %H:%M:%S", strict=False).alias("_n2"),
            t.struct.field("3").alias("_bsd"), t.struct.field("4").alias("_off"))
        naive = pl.coalesce("_n1", "_n2")
        ts = (pl.when(naive.is_null()).then(syslog_to_utc(pl.col("_bsd"), timezone))
              .when(pl.col("_off").is_null()).then(local_to_utc(naive, timezone))
              .otherwise(offset_to_utc(naive, pl.col("_off"), timezone)))
        content = pl.col("_content")
        f = f.with_columns(ts.alias("_ts"), *[_value(content, names).alias(f"_{k}")
                                              for k, names in _KEYS.items()])
        c = {k: pl.col(f"_{k}") for k in _KEYS}
        kind = pl.col("_kind")
        blocked = (kind == "POLICY/POLICYDENY") | c["action"].str.contains(_BLOCKED).fill_null(
            False)
        user = pl.when(c["user"].str.to_lowercase().is_in(("unknown", "", "-")))\
            .then(pl.lit(None, pl.String)).otherwise(c["user"])
        reject = reject_first([
            (is_empty(), "empty line"),
            (kind.is_null(), "not a huawei log"),
            (~kind.is_in(_EVENTS), pl.lit("not an event: huawei ") + kind),
            (c["src"].is_null() | c["dst"].is_null(), "not an event: no connection"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=user,
            client_ip=c["src"],
            host=pl.coalesce(c["host"], c["dst"]),
            method=c["proto"],
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["up"],
            bytes_down=c["down"],
        )


register(HuaweiUsg())
