"""pfSense (CE 2.3 to 2.7, Plus 21.x to 24.x) and OPNsense packet filter logs:
``filterlog`` lines sent over syslog.

A line is ``[<pri>]Mmm dd HH:MM:SS [host ]filterlog[pid]: rule,subrule,anchor,tracker,
interface,reason,action,direction,ipversion,…`` (or an RFC 5424 header before
``filterlog pid - -``), then for IPv4 ``tos,ecn,ttl,id,offset,flags,protoid,proto,length,
src,dst`` and for IPv6 ``class,flowlabel,hoplimit,proto,protoid,length,src,dst``, then for
TCP and UDP the ports. Documented in "Raw Filter Log Format" (docs.netgate.com, pfSense
monitoring) and, for OPNsense, ``filterlog/description.txt`` in opnsense/ports.

Time: the syslog header; BSD headers carry no year (inferred from the file's date) and
are the firewall's local time, read in the configured time zone.

Events (counting unit: firewall session): every line is one packet matched by a rule with
logging on. For ``pass`` rules pf logs the packet that creates the state, so one line per
connection; ``block``/``reject`` rules (the default deny rule logs by default) log every
blocked packet, so a client retrying counts once per retry. There is no user, no host name
and no byte count (the packet length is not the session's volume): the destination host is
the destination address. A line of another program is ``not an event``.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    LINE,
    canonical,
    is_empty,
    null_if,
    reject_first,
    with_header_time,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(r"^.*?\bfilterlog(?:\[\d+\]:|:| \d+ - -)\s*\d*,")
_LINE = r"^(.*?)\bfilterlog(?:\[\d+\]:|:| \d+ - -)\s*(.*)$"
# another program's line in the same syslog stream (dhcpd, unbound, sshd…)
_SYSLOG = r"^(?:<\d+>)?(?:1 )?(?:[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T)"
ACTION, DIRECTION, IP_VERSION = 6, 7, 8
# (protocol name, source, destination) by IP version
_V4 = (16, 18, 19)
_V6 = (12, 15, 16)


class PfSense:
    name = "pfsense"
    description = "pfSense / OPNsense filterlog (packet filter rule matches)"
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        parts = LINE.str.extract_groups(_LINE)
        f = frame.with_columns(parts.alias("_p")).with_columns(
            pl.col("_p").struct.field("2").str.split(",").alias("_f"))
        f = with_header_time(f, pl.col("_p").struct.field("1"), timezone)
        fields = pl.col("_f")

        def field(i: int) -> pl.Expr:
            return null_if(fields.list.get(i, null_on_oob=True))

        version = field(IP_VERSION)
        v4, v6 = version == "4", version == "6"

        def by_version(i: int) -> pl.Expr:
            return pl.when(v4).then(field(_V4[i])).when(v6).then(field(_V6[i]))

        action = field(ACTION)
        reject = reject_first([
            (is_empty(), "empty line"),
            (pl.col("_p").struct.field("2").is_null() & LINE.str.contains(_SYSLOG),
             "not an event: other program"),
            (pl.col("_p").struct.field("2").is_null(), "not a filterlog line"),
            (~(v4 | v6) | ~action.is_in(["pass", "block", "reject"]), "malformed filterlog"),
            ((v4 & (fields.list.len() <= _V4[2])) | (v6 & (fields.list.len() <= _V6[2])),
             "wrong number of fields"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (by_version(1).is_null(), "no source address"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            client_ip=by_version(1),
            host=by_version(2),
            method=by_version(0).str.to_lowercase(),
            action=pl.when(action == "pass").then(pl.lit(ALLOWED)).otherwise(pl.lit(BLOCKED)),
        )


register(PfSense())
