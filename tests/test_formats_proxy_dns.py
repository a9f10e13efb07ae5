"""Proxy, SIEM-export and DNS-server formats (Zscaler NSS, Sophos UTM/XG, Proxifier, CEF,
LEEF, ECS JSON, BIND/Infoblox, Unbound, Windows DNS, dnsmasq, Squid custom logformat):
their real vendor files parse completely and are detected as theirs, no other format
claims them, and the quirks, with inline input.

The registry-wide golden and detection tests are in ``test_formats.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from test_formats import REALDATA, SAMPLES, check_real_file, parse_lines, read, real_files

from shadowai import formats
from shadowai.formats import FileContext, set_file_context
from shadowai.formats._base import MIN_SCORE
from shadowai.formats.squid_logformat import SquidLogformat, compile_logformat
from shadowai.schema import REJECT_COLUMN
from shadowai.sources import Source

MINE = ("zscaler-nss", "zscaler-nss-dns", "sophos-utm", "sophos-xg", "proxifier", "cef",
        "leef", "ecs-json", "bind-querylog", "unbound", "windows-dns", "dnsmasq",
        "squid-logformat")

# file -> (format, events, "not an event" lines, lines rejected as malformed by reason).
REAL = {
    "zscaler_nss/test-web.log": ("zscaler-nss", 6, 0, {}),
    "zscaler_nss/test-dns.log": ("zscaler-nss-dns", 2, 0, {}),
    # a LEEF line printed with spaces instead of TABs (a documentation page)
    "zscaler_nss/sumologic_zscaler_web_security_leef_sample.log": ("zscaler-nss", 1, 0, {}),
    # 0003: the proxy's own error messages; 0072: "warned and proceeded" (no request)
    "sophos_utm/test-sophos-utm-http.log": ("sophos-utm", 7, 3, {}),
    "sophos_xg/test-sophos-18-5-content-filtering-http.log": ("sophos-xg", 8, 0, {}),
    # two con_event="Start" records, counted at their Stop
    "sophos_xg/test-xg-firewall-new.log": ("sophos-xg", 3, 2, {}),
    # 956 "open" lines (counted at "close") and 80 errors that made no connection
    "proxifier/Proxifier_2k.log": ("proxifier", 964, 1036, {}),
    "ecs_json/squid_sample_event.ndjson": ("ecs-json", 1, 0, {}),
    # the same ECS document pretty-printed over 105 lines: read as one record
    "ecs_json/squid_sample_event.json": ("ecs-json", 1, 104, {}),
    "ecs_json/test-opnsense-squid.log": ("ecs-json", 5, 0, {}),
    # 16 named messages: query errors, RPZ rewrite and its CEF report, zone transfers,
    # notifies, DNSSEC validation, priming
    "infoblox_bind_querylog/test-dns.log": ("bind-querylog", 12, 16, {}),
    "unbound/test-pfsense-unbound.log": ("unbound", 2, 0, {}),
    # a "sendto failed" notice and two statistics lines
    "unbound/wazuh_unbound_samples.log": ("unbound", 1, 3, {}),
    # Lines 10 and 11 carry one more quoted column (the TLS SNI) than the other nine: the
    # file mixes two logformats (Elastic's hand-written test), and a Squid logformat always
    # writes every column ("-" when empty). The registered format is the nine lines' one.
    "squid_native/test-access-extensive.log": ("squid-logformat", 9, 0,
                                               {"wrong number of fields": 2}),
    # the native format (not mine): checks the custom logformat does not take it
    "squid_native/test-access.log": ("squid-native", 100, 0, {}),
}
REAL_FOLDERS = ("zscaler_nss", "sophos_utm", "sophos_xg", "proxifier", "ecs_json",
                "infoblox_bind_querylog", "unbound", "squid_native")

needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="no shared realdata")


def head(path: Path) -> list[str]:
    return [x for x in Source.open(path).head() if x.strip()]


@needs_realdata
def test_every_real_file_of_these_families_is_listed() -> None:
    assert real_files(REAL_FOLDERS) == set(REAL)


@needs_realdata
@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_file_is_detected_and_parses_completely(rel: str) -> None:
    check_real_file(rel, REAL[rel], "action", "host")


@needs_realdata
@pytest.mark.parametrize("rel", sorted(REAL))
def test_no_other_format_claims_the_real_file(rel: str) -> None:
    lines = head(REALDATA / rel)
    others = {n: f.detect(lines) for n, f in formats.REGISTRY.items() if n != REAL[rel][0]}
    assert all(score < MIN_SCORE for score in others.values()), others


OTHER_REAL = sorted(str(p.relative_to(REALDATA)) for p in REALDATA.rglob("*")
                    if p.is_file() and p.suffix != ".md" and "LICENSE" not in p.name
                    and not p.relative_to(REALDATA).parts[0].startswith(REAL_FOLDERS)
                    ) if REALDATA.is_dir() else []


@needs_realdata
@pytest.mark.parametrize("rel", OTHER_REAL)
def test_these_formats_do_not_claim_other_vendors_real_files(rel: str) -> None:
    lines = head(REALDATA / rel)
    scores = {name: formats.get(name).detect(lines) for name in MINE}
    assert all(score < MIN_SCORE for score in scores.values()), scores



# -- quirks ----------------------------------------------------------------------------------

def test_windows_dns_decodes_wire_format_names_and_keeps_only_client_queries() -> None:
    wdns = formats.get("windows-dns")
    line = ("10/8/2026 {t} 0E2C PACKET  000000C8A1B2C3D0 UDP {d} {ip}  a1f3 {r} Q "
            "[0001   D   NOERROR] A      {name}")
    events = parse_lines(wdns, [
        line.format(t="9:15:02 AM", d="Rcv", ip="10.1.0.10", r=" ",
                    name="(4)chat(6)openai(3)com(0)"),
        line.format(t="9:15:02 AM", d="Snd", ip="10.1.0.10", r="R",
                    name="(4)chat(6)openai(3)com(0)"),
        line.format(t="12:00:00 PM", d="Rcv", ip="10.1.0.11", r=" ",
                    name="(2)xn--bcher-kva(7)example(0)"),
        line.format(t="12:00:00 AM", d="Rcv", ip="10.1.0.12", r=" ", name="(0)"),
        "10/8/2026 9:15:02 AM 0E2C PACKET  000000C8A1B2C3D0 UDP Rcv 10.1.0.10 truncated",
    ])
    assert events.select("client_ip", "host", REJECT_COLUMN).rows() == [
        ("10.1.0.10", "chat.openai.com", None),
        ("10.1.0.10", "chat.openai.com",
         "not an event: dns response or packet sent by the server"),
        ("10.1.0.11", "xn--bcher-kva.example", None),
        ("10.1.0.12", None, None),  # the root: no host (ingest counts it as "no host")
        (None, None, "wrong number of fields"),
    ]
    # 9:15 AM, 12:00 PM (noon) and 12:00 AM (midnight), Paris summer time (UTC+2)
    assert [events["ts"][i].isoformat() for i in (0, 2, 3)] == [
        "2026-10-08T07:15:02+00:00", "2026-10-08T10:00:00+00:00", "2026-10-07T22:00:00+00:00"]


def test_windows_dns_reads_the_server_locale_date_orders() -> None:
    """US English writes M/D/YYYY with AM/PM; other locales a 24-hour clock, day first with
    slashes or dots, or year first."""
    wdns = formats.get("windows-dns")
    tail = (" 0E2C PACKET  000000C8A1B2C3D0 UDP Rcv 10.1.0.10  a1f3   Q "
            "[0001   D   NOERROR] A      (6)claude(2)ai(0)")
    events = parse_lines(wdns, [f"{d}{tail}" for d in (
        "3/4/2026 1:05:09 PM", "04/03/2026 13:05:09", "04.03.2026 13:05:09",
        "2026/03/04 13:05:09", "2026-03-04 13:05:09")])
    assert set(events["ts"].to_list()) == {dt.datetime(2026, 3, 4, 12, 5, 9, tzinfo=dt.UTC)}


def test_dnsmasq_year_comes_from_the_file_across_new_year() -> None:
    """A file written on 2 January holds the last lines of December (previous year)."""
    dnsmasq = formats.get("dnsmasq")
    lines = ["Dec 31 23:59:58 dnsmasq[7]: query[A] chatgpt.com from 10.1.0.10",
             "Dec 31 23:59:58 dnsmasq[7]: forwarded chatgpt.com to 192.0.2.53",
             "Jan  1 00:00:03 dnsmasq[7]: query[AAAA] claude.ai from 10.1.0.11",
             "Jan  1 00:00:03 dnsmasq[7]: cached claude.ai is NODATA-IPv6"]
    set_file_context(FileContext("pihole.log", dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC)))
    try:
        events = parse_lines(dnsmasq, lines)
    finally:
        set_file_context(None)
    assert [t and t.isoformat() for t in events["ts"].to_list()][::2] == [
        "2025-12-31T22:59:58+00:00", "2025-12-31T23:00:03+00:00"]
    assert events[REJECT_COLUMN].to_list() == [
        None, "not an event: dns reply or forward", None, "not an event: dns reply or forward"]


def test_dnsmasq_pihole_block_marks_the_query_it_answers() -> None:
    dnsmasq = formats.get("dnsmasq")
    events = parse_lines(dnsmasq, [
        "Oct  8 09:20:44 dnsmasq[7]: query[A] chat.deepseek.com from 10.2.0.5",
        "Oct  8 09:20:44 dnsmasq[7]: query[A] chatgpt.com from 10.1.0.10",
        "Oct  8 09:20:44 dnsmasq[7]: exactly denied chat.deepseek.com is 0.0.0.0",
        "Oct  8 09:20:45 dnsmasq[7]: query[A] chat.deepseek.com from 10.2.0.5",
        "Oct  8 09:20:45 dnsmasq[7]: cached chat.deepseek.com is 203.0.113.60",
    ])
    assert events.select("host", "action", REJECT_COLUMN).rows() == [
        ("chat.deepseek.com", "blocked", None),
        ("chatgpt.com", "allowed", None),
        (None, "allowed", "not an event: dns reply (blocked)"),
        ("chat.deepseek.com", "allowed", None),
        (None, "allowed", "not an event: dns reply or forward"),
    ]


def test_cef_escapes_in_header_and_extension() -> None:
    """``\\|`` in the header, ``\\=`` and ``\\\\`` in values, values with spaces, and a key
    name inside a value that is not a key (no ``=`` after it)."""
    cef = formats.get("cef")
    line = (r"CEF:0|Vendor\|Pipe|Gate\\way|1.0|100|Request allowed|3|"
            r"src=10.1.0.10 suser=CORP\\alice dhost=chatgpt.com "
            r"request=https://chatgpt.com/c?a\=1&b\=2 msg=user said dhost is x act=allow "
            r"cs1=a\=b c rt=1791443702000")
    row = parse_lines(cef, [line]).row(0, named=True)
    assert (row["user"], row["host"], row["action"], row[REJECT_COLUMN]) == (
        "CORP\\alice", "chatgpt.com", "allowed", None)
    assert row["ts"].isoformat() == "2026-10-08T07:15:02+00:00"
    # without dhost the URL's host is used; its escaped "=" are unescaped
    no_dhost = line.replace("dhost=chatgpt.com ", "").replace("act=allow", "act=Block")
    row = parse_lines(cef, [no_dhost]).row(0, named=True)
    assert (row["host"], row["action"]) == ("chatgpt.com", "blocked")


def test_generic_leef_leaves_zscaler_records_to_zscaler() -> None:
    line = ("LEEF:1.0|Zscaler|NSS|6.1|Allowed|cat=Allowed\tdevTime=Oct 08 2026 07:15:02 GMT\t"
            "src=10.1.0.10\tusrName=alice\turl=chatgpt.com/")
    assert formats.get("leef").detect([line]) == 0.0
    assert formats.detect([line], "inline").format.name == "zscaler-nss"
    other = line.replace("Zscaler|NSS", "Forcepoint|Web Security")
    assert formats.detect([other], "inline").format.name == "leef"


def test_unbound_replies_count_only_when_queries_are_not_logged() -> None:
    unbound = formats.get("unbound")
    reply = "[1791443701] unbound[4242:0] info: 10.1.0.10 chatgpt.com. A IN NOERROR 0.01 0 56"
    query = "[1791443701] unbound[4242:0] info: 10.1.0.10 chatgpt.com. A IN"
    alone = parse_lines(unbound, [reply])
    assert alone.select("host", "status", REJECT_COLUMN).row(0) == ("chatgpt.com", 0, None)
    both = parse_lines(unbound, [query, reply])
    assert both[REJECT_COLUMN].to_list() == [None, "not an event: dns reply (its query is logged)"]


def test_squid_logformat_is_data_the_native_format_reads_the_native_sample() -> None:
    """The default ``squid`` logformat, given as a string, reads the native sample like the
    hand-written squid-native parser (except the 407 challenge's missing user, same)."""
    native = SquidLogformat("squid-native-test", "%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru "
                            "%[un %Sh/%<a %mt", "test")
    columns = ["ts", "user", "client_ip", "host", "method", "status", "action", "bytes_down"]
    _, expected = read(SAMPLES / "squid-native.log", formats.get("squid-native"))
    _, got = read(SAMPLES / "squid-native.log", native)
    accepted = pl.col(REJECT_COLUMN).is_null()
    assert got.filter(accepted).select(columns).equals(expected.filter(accepted).select(columns))


def test_squid_logformat_codes_become_groups() -> None:
    pattern, groups = compile_logformat('%>a %[un "%{User-Agent}>h" %"ru %tl')
    assert list(groups) == [">a", "un", ">h{User-Agent}", "ru", "tl"]
    events = parse_lines(SquidLogformat("t", '%>a %[un "%{User-Agent}>h" %"ru %tl', "t"), [
        '10.1.0.10 alice "Mozilla/5.0 (X11; Linux)" "https://claude.ai/new" '
        '08/Oct/2026:09:15:02 +0200'])
    assert events.select("ts", "user", "client_ip", "host", REJECT_COLUMN).row(0) == (
        dt.datetime(2026, 10, 8, 7, 15, 2, tzinfo=dt.UTC), "alice", "10.1.0.10", "claude.ai",
        None)
    assert pattern.startswith("^")


def test_zscaler_time_follows_the_feed_time_zone() -> None:
    """NSS writes times in the feed's zone: GMT (the default, or no tz field) is exact,
    another zone is read in the configured time zone."""
    web = formats.get("zscaler-nss")
    record = ('{{"sourcetype":"zscalernss-web","event":{{"time":"Thu Oct 08 09:15:02 2026",'
              '{tz}"login":"alice","cip":"10.1.0.10","eurl":"chatgpt.com/","action":"Allowed"}}}}')
    events = parse_lines(web, [record.format(tz=""), record.format(tz='"tz":"GMT",'),
                               record.format(tz='"tz":"CEST",')])
    assert [t.isoformat() for t in events["ts"].to_list()] == [
        "2026-10-08T09:15:02+00:00", "2026-10-08T09:15:02+00:00", "2026-10-08T07:15:02+00:00"]


def test_proxifier_counts_a_connection_once_with_its_bytes() -> None:
    proxifier = formats.get("proxifier")
    set_file_context(FileContext("Log.txt", dt.datetime(2026, 10, 9, tzinfo=dt.UTC)))
    try:
        events = parse_lines(proxifier, [
            "[10.08 09:15:02] chrome.exe *64 - chatgpt.com:443 open through proxy p:8080 HTTPS",
            "[10.08 09:16:03] chrome.exe *64 - chatgpt.com:443 close, 1190 bytes (1.16 KB) "
            "sent, 5242880 bytes (5.00 MB) received, lifetime 01:01",
        ])
    finally:
        set_file_context(None)
    assert events.select("host", "bytes_up", "bytes_down", REJECT_COLUMN).rows() == [
        ("chatgpt.com:443", None, None,
         "not an event: connection opened (counted when it closes)"),
        ("chatgpt.com:443", 1190, 5242880, None),
    ]
    assert events["ts"][1].isoformat() == "2026-10-08T07:16:03+00:00"



# -- a real file damaged at source ----------------------------------------------------------

PFSENSE_SQUID = REALDATA / "pfsense" / "test-pfsense-squid.log"
# What a web page's phone-number auto-linking did to Squid's first two fields before the
# line was copied into the test file: "[1598040493.253 325](tel:1598040493.253 325)".
TEL_LINK = r"\[([^\]]*)\]\(tel:\1\)"


@pytest.mark.skipif(not PFSENSE_SQUID.is_file(), reason="no shared realdata")
def test_the_pfsense_squid_line_is_damaged_at_source_and_said_so(shadowai) -> None:
    """Squid's time and elapsed fields were turned into a markdown link before the line
    was saved: no Squid writes that, so it is not read; undone, the same line is read."""
    import json
    import re

    line = PFSENSE_SQUID.read_text(encoding="utf-8").rstrip("\n")
    assert re.search(TEL_LINK, line)
    # ingest: not recognised, one clear line naming the file, nothing stored
    result = shadowai("ingest", "--json", str(PFSENSE_SQUID))
    [got] = json.loads(result.stdout)
    assert (result.exit_code, got["status"], got["format"]) == (2, "failed", None)
    assert got["message"] == (
        f"Could not detect the format of {PFSENSE_SQUID} (first 1 lines). Pass --format; "
        "'shadowai formats' lists them.")
    assert "Traceback" not in result.stderr
    # forced as Squid: the line is rejected, with its reason
    forced = shadowai("ingest", "--json", "--format", "squid-native", str(PFSENSE_SQUID))
    [got] = json.loads(forced.stdout)
    assert (forced.exit_code, got["status"], got["parsed"]) == (2, "failed", 0)
    assert f"{PFSENSE_SQUID}:1: wrong number of fields: '<999>xxx 99 " in got["message"]
    # the artefact undone, it is an ordinary Squid line relayed by pfSense's syslog
    repaired = re.sub(TEL_LINK, r"\1", line)
    fmt, events = read_lines([repaired])
    assert fmt == "squid-native"
    assert events.select("ts", "host", REJECT_COLUMN).row(0) == (
        dt.datetime(2020, 8, 21, 20, 8, 13, 253000, tzinfo=dt.UTC), "github.com", None)


def read_lines(lines: list[str]) -> tuple[str, pl.DataFrame]:
    from test_transport import read as through_transport

    fmt, events = through_transport(lines)
    return fmt.name, events


@pytest.mark.parametrize(("last", "suffixed"), [
    ('"-" "Mozilla/5.0"', True), ('"-" "Mozilla/5.0" \t ', True), ("[a] [b]", True),
    ("[a] [b]\r", True), ("text/html", False), ('"x" text/html', False), ("-", False)])
def test_squid_native_suffix_check_sees_a_quote_or_bracket_before_trailing_blanks(
        last: str, suffixed: bool) -> None:
    # the cheap check decides whether the suffix patterns run at all: a miss would keep
    # the headers or user agent in the last field and shift every field before it
    from shadowai.formats.squid import _has_suffix
    line = f"1791443702.125    120 10.1.0.10 TCP_MISS/200 900 GET http://a.example/ - {last}"
    frame = pl.LazyFrame({"line": [None, "1791443702.125 1 10.1.0.9 x", line]})
    assert _has_suffix(frame) is suffixed
