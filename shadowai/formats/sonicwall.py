"""SonicWall firewalls (SonicOS 5.x to 7.x, TZ/NSa/NSsp): syslog in the default
"enhanced syslog" ``key=value`` format.

A line is ``[<pri>][syslog header or sender address ]id=firewall sn=… time="2022-02-22
18:29:37[ UTC]" fw=… pri=6 c=1024 m=537 msg="Connection Closed" src=ip:port:iface[:name]
dst=ip:port:iface[:name] usr="…" proto=tcp/https sent=… rcvd=… …``. Documented in the
"SonicOS Log Events Reference Guide" (sonicwall.com; "Index of Syslog Tag Field
Descriptions" for the keys, the event index for the ``m`` message ids).

``time`` is the firewall's clock: UTC when it ends with ``UTC`` (SonicOS "Display UTC in
logs", the default for syslog in recent versions), else local time, read in the configured
time zone.

Events (counting unit: firewall session), by message id ``m``:

- ``537`` "Connection Closed": one per connection, at its end, with ``sent``/``rcvd``
  bytes. ``98`` "Connection Opened" is ``not an event``: the same connection is logged
  again when it closes, with its bytes;
- ``97`` "Web site hit" (Content Filtering): one per web request, ``dstname`` the host,
  ``result`` the HTTP status; ``14`` "Web site access denied": blocked. A web request also
  belongs to a connection (as FortiGate's UTM logs repeat its traffic logs);
- ``36``/``37`` "TCP/UDP packet dropped": connections refused by an access rule: blocked.

Every other message (``38`` ICMP dropped, IPS and botnet alerts, VPN, administration…) is
``not an event: sonicwall m=<id>``. A ``fw_action`` of ``drop``/``reject`` also means
blocked.

Client: the address of ``src`` (``srcV6`` for IPv6). Destination host: ``dstname``, else
the name SonicOS resolved into ``dst`` (its fourth part), else the address of ``dst``
(``dstV6``). User: ``usr`` (``Unknown (SSO failed)`` and other ``Unknown…`` values are no
user).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import (
    canonical,
    is_empty,
    kv_columns,
    null_if,
    offset_to_utc,
    reject_first,
)
from shadowai.schema import ALLOWED, BLOCKED

_SIGNATURE = re.compile(
    r'^.*?(?:^|[\s>])id=\S+ sn=\S+ time="\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: UTC)?"')
_KEYS = ["time", "m", "src", "dst", "srcV6", "dstV6", "dstname", "usr", "proto", "sent",
         "rcvd", "result", "fw_action"]
_EVENTS = {"537": False, "97": False, "14": True, "36": True, "37": True}


def _part(expr: pl.Expr, i: int) -> pl.Expr:
    """Part ``i`` of ``ip:port:interface[:name]`` (IPv4 only: IPv6 comes in ``srcV6``)."""
    return null_if(expr.str.split(":").list.get(i, null_on_oob=True))


class SonicWall:
    name = "sonicwall"
    description = "SonicWall enhanced syslog: closed connections, web site hits and denials"
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = kv_columns(frame, _KEYS)
        c = {k: pl.col(f"_{k}") for k in _KEYS}
        stamp = c["time"].str.extract_groups(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?: (UTC))?$")
        naive = stamp.struct.field("1").str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S",
                                                      strict=False)
        utc = stamp.struct.field("2").replace_strict({"UTC": "+0000"}, default=None,
                                                     return_dtype=pl.String)
        f = f.with_columns(offset_to_utc(naive, utc, timezone).alias("_ts"))
        m = c["m"]
        user = null_if(c["usr"])
        reject = reject_first([
            (is_empty(), "empty line"),
            (c["time"].is_null() | m.is_null(), "not a sonicwall log line"),
            (m == "98", "not an event: connection opened"),
            (~m.is_in(list(_EVENTS)), pl.lit("not an event: sonicwall m=") + m),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (pl.coalesce(_part(c["src"], 0), null_if(c["srcV6"])).is_null(),
             "no source address"),
        ])
        blocked = (m.replace_strict(_EVENTS, default=False, return_dtype=pl.Boolean)
                   | c["fw_action"].str.to_lowercase().is_in(["drop", "reject"]).fill_null(False))
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=pl.when(user.str.starts_with("Unknown")).then(None).otherwise(user),
            client_ip=pl.coalesce(_part(c["src"], 0), null_if(c["srcV6"])),
            host=pl.coalesce(null_if(c["dstname"]), _part(c["dst"], 3), _part(c["dst"], 0),
                             null_if(c["dstV6"])),
            method=null_if(c["proto"]),
            status=c["result"],
            action=pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
            bytes_up=c["sent"],
            bytes_down=c["rcvd"],
        )


register(SonicWall())
