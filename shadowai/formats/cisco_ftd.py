"""Cisco Secure Firewall Threat Defense (FTD, formerly Firepower Threat Defense, 6.x to
7.x) syslog messages.

FTD writes ``%FTD-<level>-<id>: <message>`` lines with the ASA's syslog framing and, for
the ids it shares with the ASA (``302013``, ``106023``, ``304001``…), the ASA's message texts:
those are read by :mod:`shadowai.formats.cisco_asa`, with the same counting rules. Its own
connection events are ``430002`` (connection start) and ``430003`` (connection end): a
comma-separated ``Key: value`` list (``AccessControlRuleAction: Allow, SrcIP: …, DstIP: …,
User: …, InitiatorBytes: …, ResponderBytes: …, HTTPResponse: …, ReferencedHost: …, URL: …``).
Documented in "Cisco Secure Firewall Threat Defense Syslog Messages" (cisco.com), chapter
"Security Event Syslog Messages" (connection event fields), and "Connection Logging" in
the Management Center configuration guide.

Events (counting unit: firewall session):

- ``430003``: one per connection, at its end (the default and recommended logging), with
  its bytes (``InitiatorBytes`` up, ``ResponderBytes`` down) and HTTP status.
- ``430002``: connection start. Only blocked connections count (``Block``,
  ``Block with reset``, ``Interactive Block``…): FTD logs a blocked connection at its
  beginning only. An allowed connection logged at its start is logged again at its end:
  ``not an event``.

Destination host: the host of ``URL``, else ``ReferencedHost`` (HTTP Host), else
``DNSQuery`` (the name a DNS connection asked for), else ``DstIP``. ``User`` placeholders
(``No Authentication Required``, ``Not Found``, ``Unknown``, ``Pending``) are no user.
Intrusion, file and malware events (``430001``, ``430004``, ``430005``) and other ids are
``not an event``. Time stamps: as for the ASA (ISO 8601 with ``Z`` in the samples).
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, share_matching
from shadowai.formats._common import NULL_STR, null_if, url_authority
from shadowai.formats.cisco_asa import Message, asa_messages, parse_messages

_SIGNATURE = re.compile(r"^.*?%FTD-(?:[A-Za-z]+-)?\d-\d{6}\b")
_NO_USER = ("No Authentication Required", "No Authentication", "Not Found", "Unknown",
            "Pending")
_KEYS = ("AccessControlRuleAction", "SrcIP", "DstIP", "Protocol", "User", "InitiatorBytes",
         "ResponderBytes", "HTTPResponse", "ReferencedHost", "DNSQuery")


def _value(key: str) -> pl.Expr:
    """The value of ``Key: value`` in an FTD connection event (up to the next comma)."""
    return null_if(pl.col("_msg").str.extract(rf"(?:^|, ){re.escape(key)}: ([^,]*)", 1)
                   .str.strip_chars())


def _connection_event() -> Message:
    v = {k: _value(k) for k in _KEYS}
    # a URL holds no space; it may hold commas, so it runs to ", " or the end of the line
    url = pl.col("_msg").str.extract(r"(?:^|, )URL: (\S+?)(?:,\s|\s*$)", 1)
    blocked = v["AccessControlRuleAction"].str.to_lowercase().str.contains("block")
    return Message(
        ids=("430002", "430003"),
        columns={
            "client": v["SrcIP"],
            "host": pl.coalesce(url_authority(url), v["ReferencedHost"], v["DNSQuery"],
                                v["DstIP"]),
            "user": pl.when(v["User"].is_in(_NO_USER)).then(NULL_STR).otherwise(v["User"]),
            "method": v["Protocol"].str.to_lowercase(),
            "status": v["HTTPResponse"],
            "blocked": blocked.fill_null(False),
            "bytes_up": v["InitiatorBytes"],
            "bytes_down": v["ResponderBytes"],
        },
        parsed=v["SrcIP"].is_not_null(),
        skip=pl.when((pl.col("_id") == "430002") & ~blocked.fill_null(False))
        .then(pl.lit("not an event: ftd 430002 connection start")))


class CiscoFtd:
    name = "cisco-ftd"
    description = ("Cisco Firepower Threat Defense syslog: connection events (430002/430003) "
                   "and the ASA messages it shares")
    unit = "firewall session"

    def detect(self, lines: list[str]) -> float:
        return share_matching(_SIGNATURE, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        regexes, messages = asa_messages()
        return parse_messages(frame, timezone, regexes, [*messages, _connection_event()],
                              "cisco ftd")


register(CiscoFtd())
