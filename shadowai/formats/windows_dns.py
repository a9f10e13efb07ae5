"""Microsoft Windows Server DNS debug log (``dns.log``; Windows Server 2003 to 2025, "Debug
Logging" tab of the DNS server properties, packets "Incoming", "Queries/Transfers",
"Request" at least).

    10/8/2026 9:15:02 AM 0E2C PACKET  000000C8A1B2C3D0 UDP Rcv 10.1.0.10       a1f3   Q
        [0001   D   NOERROR] A      (7)chatgpt(3)com(0)

(one line in the file). The file starts with a legend that names the fields: date, time,
thread id, context, internal packet identifier, UDP/TCP, Snd/Rcv, remote IP, xid (hex),
``R`` for a response or blank for a query, opcode (``Q`` standard query, ``N`` notify,
``U`` update), ``[`` flags (hex), flag letters, response code ``]``, question type,
question name. Documented by Microsoft ("DNS Logging and Diagnostics", Windows Server
docs; MS-DNSP 2.2.9.1.1 ``DNS_LOG_LEVELS``) and in the legend itself. The question name
is in wire format: each label is preceded by its length, ``(7)chatgpt(3)com(0)`` is
``chatgpt.com``.

Time: the server's local time written in the server's locale: ``M/D/YYYY h:mm:ss AM`` (US
English, 12-hour clock), ``YYYY/MM/DD`` or ``YYYY-MM-DD`` with a 24-hour clock,
``DD.MM.YYYY`` (German…), and ``DD/MM/YYYY`` with a 24-hour clock (a slashed date without
AM/PM is taken as day first: the en-GB and fr-FR order; US English always writes AM/PM).

Events (counting unit: DNS lookup): query packets received from a client (``Rcv``, not
``R``, opcode ``Q``); the client is the remote IP. Responses the server sends (``Snd``),
the recursive queries it sends to forwarders and their answers, notifies and updates are
``not an event``, as are the legend, blank lines, other server messages and the packet
detail lines of the "Details" option. No user; every lookup is ``allowed``.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import matching, register, reject_when
from shadowai.formats._common import LINE, NULL_STR, canonical, is_empty, local_to_utc
from shadowai.schema import ALLOWED

_DATE = r"(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}) (\d{1,2}:\d{2}:\d{2})(?: ([AP]M))?"
_PACKET_START = re.compile(r"^" + _DATE + r" +[0-9A-Fa-f]+ PACKET ")
_PACKET = (r"^" + _DATE + r" +[0-9A-Fa-f]+ PACKET +[0-9A-Fa-f]+ +(UDP|TCP) +(Rcv|Snd) +(\S+)"
           r" +[0-9A-Fa-f]+ +(R)? *([QNU?]) +\[[0-9A-Fa-f]+ +[ATDR ]*?([A-Z]+)\] +(\S+)"
           r" +(\S+)\s*$")
_LEGEND = re.compile(r"^(?:\s|$|DNS Server log|Log file wrap|Message logging key|Note:)")
_DATED = r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4} \d{1,2}:\d{2}:\d{2}"


def decode_name(wire: pl.Expr) -> pl.Expr:
    """``(7)chatgpt(3)com(0)`` -> ``chatgpt.com``; ``(0)`` (the root) -> null."""
    name = wire.str.replace_all(r"\(\d+\)", ".").str.strip_chars(".")
    return pl.when(name == "").then(NULL_STR).otherwise(name)


def local_time(day: pl.Expr, clock: pl.Expr, half: pl.Expr) -> pl.Expr:
    """The locale-dependent date and time of the log (see the module docstring), naive."""
    text = pl.concat_str([day, clock], separator=" ")
    with_half = pl.concat_str([text, half], separator=" ")

    def parse(fmt: str, value: pl.Expr = text) -> pl.Expr:
        return value.str.strptime(pl.Datetime("us"), fmt, strict=False)

    return (
        pl.when(half.is_not_null()).then(parse("%m/%d/%Y %I:%M:%S %p", with_half))
        .when(day.str.contains(r"^\d{4}/")).then(parse("%Y/%m/%d %H:%M:%S"))
        .when(day.str.contains(r"^\d{4}-")).then(parse("%Y-%m-%d %H:%M:%S"))
        .when(day.str.contains(".", literal=True)).then(parse("%d.%m.%Y %H:%M:%S"))
        .otherwise(parse("%d/%m/%Y %H:%M:%S"))
    )


class WindowsDns:
    name = "windows-dns"
    description = "Windows Server DNS debug log (dns.log)"
    unit = "DNS lookup"

    def detect(self, lines: list[str]) -> float:
        """Packet lines and the legend count; at least one must be a packet or the
        legend's title, so indented text alone is not enough."""
        if not lines:
            return 0.0
        packets = sum(matching(_PACKET_START, lines))
        if not packets and not any(x.startswith("Message logging key") for x in lines):
            return 0.0
        return (packets + sum(1 for x in lines if _LEGEND.match(x))) / len(lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        g = LINE.str.extract_groups(_PACKET)
        f = frame.with_columns(g.alias("_g")).unnest("_g")
        day, clock, half, _proto, direction, remote, response, opcode, _rcode, qtype, qname = (
            pl.col(str(i)) for i in range(1, 12))
        f = f.with_columns(local_to_utc(local_time(day, clock, half), timezone).alias("_ts"))
        is_packet = LINE.str.contains(_PACKET_START.pattern)
        query_in = (direction == "Rcv") & response.is_null() & (opcode == "Q")
        reject = reject_when([
            # the legend is separated by blank lines: part of the file's layout
            (is_empty(), "not an event: blank line"),
            (is_packet & direction.is_null(), "wrong number of fields"),
            (~is_packet & LINE.str.contains(_DATED), "not an event: dns server message"),
            (~is_packet, "not an event: log header or packet detail"),
            (~query_in, "not an event: dns response or packet sent by the server"),
            (pl.col("_ts").is_null(), "bad timestamp"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            client_ip=remote,
            host=decode_name(qname),
            method=qtype,
            action=pl.lit(ALLOWED),
        )


register(WindowsDns())
