"""Firewall formats (PAN-OS, Check Point, Cisco ASA and FTD, Stormshield, Juniper SRX,
SonicWall, WatchGuard, pfSense): their real vendor files parse completely and are detected
as theirs, no other format claims them, they claim no other vendor's file; then the quirks,
with inline input: which record of a session counts, time zones, syslog years.

The registry-wide golden and detection tests are in ``test_formats.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from test_formats import REALDATA, TZ, check_real_file, parse_lines, real_files

from shadowai import formats
from shadowai.formats import FileContext, set_file_context
from shadowai.formats._base import MIN_SCORE
from shadowai.schema import REJECT_COLUMN
from shadowai.sources import Source

MINE = ("panos", "checkpoint", "cisco-asa", "cisco-ftd", "stormshield", "juniper-srx",
        "sonicwall", "watchguard", "pfsense")

# file -> (format, events, "not an event" lines, lines rejected as malformed by reason).
REAL = {
    "panos/test-panw-panos-threat-sample.log": ("panos", 6, 0, {}),
    # one TRAFFIC "start" log (the session is counted at its end)
    "panos/test-panw-panos-traffic-sample.log": ("panos", 17, 1, {}),
    # Two "drop" records of DHCP broadcasts (0.0.0.0 -> 255.255.255.255:67) were logged
    # without any "src:" field: a connection nobody can be attributed to.
    "checkpoint/ossec_checkpoint_legacy_syslog.log": ("checkpoint", 58, 0,
                                                      {"no source address": 2}),
    # System Monitor and a URL Filtering database update: no connection
    "checkpoint/test-checkpoint.log": ("checkpoint", 6, 2, {}),
    # a "Log Update" accounting record without addresses
    "checkpoint/test-r81x.log": ("checkpoint", 4, 1, {}),
    # 62 other messages: teardowns (counted at Built), permitted ACL hits (counted at Built),
    # NAT translations, ICMP, spoofing and no-connection denies, botnet filter, IPsec
    "cisco_asa/test-sample.log": ("cisco-asa", 30, 62, {}),
    # one 430002 connection start of an allowed connection (counted at its 430003 end)
    "cisco_ftd/test-security-connection.log": ("cisco-ftd", 7, 1, {}),
    # a lab VM: administration (server), system, statistics and one alarm
    "stormshield/stormshield.log": ("stormshield", 7, 45, {}),
    "stormshield/test-firewall.log": ("stormshield", 2, 5, {}),
    # every log family once; one filter match of a log-only rule (empty action)
    "stormshield/test-log-families.log": ("stormshield", 3, 19, {}),
    # a session create, and two AppTrack records repeating flow sessions
    "juniper_srx/test-flow.log": ("juniper-srx", 4, 3, {}),
    # antivirus and content filtering records
    "juniper_srx/test-utm.log": ("juniper-srx", 4, 2, {}),
    # two "Connection Opened" (counted when closed), ICMP dropped, an IPS alert
    "sonicwall/test-general.log": ("sonicwall", 9, 4, {}),
    # a connection end (3000-0151), application identified, three ProxyAllow audit records
    "watchguard/test-traffic.log": ("watchguard", 7, 5, {}),
    "pfsense/test-pfsense-bsd.log": ("pfsense", 19, 0, {}),
}
REAL_FOLDERS = ("panos", "checkpoint", "cisco_asa", "cisco_ftd", "stormshield", "juniper_srx",
                "sonicwall", "watchguard", "pfsense")
# A native Squid line relayed by pfSense's syslog (with a "(tel:…)" artefact of the page it
# was copied from): a proxy format's business, never a firewall's.
NOT_MINE = {"pfsense/test-pfsense-squid.log"}

needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="no shared realdata")


def sample_lines(path: Path) -> list[str]:
    return [x for x in Source.open(path).head() if x.strip()]


@needs_realdata
def test_every_real_file_of_these_families_is_listed() -> None:
    assert real_files(REAL_FOLDERS) == set(REAL) | NOT_MINE


@needs_realdata
@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_file_parses_completely(rel: str) -> None:
    check_real_file(rel, REAL[rel], "client_ip")


@needs_realdata
@pytest.mark.parametrize("rel", sorted(REAL))
def test_no_other_format_claims_these_real_files(rel: str) -> None:
    lines = sample_lines(REALDATA / rel)
    others = {n: f.detect(lines) for n, f in formats.REGISTRY.items() if n != REAL[rel][0]}
    assert all(score < MIN_SCORE for score in others.values()), others


OTHER_REAL = sorted(str(p.relative_to(REALDATA)) for p in REALDATA.rglob("*")
                    if p.is_file() and p.suffix != ".md" and "LICENSE" not in p.name
                    and str(p.relative_to(REALDATA)) not in REAL) if REALDATA.is_dir() else []


@needs_realdata
@pytest.mark.parametrize("rel", OTHER_REAL)
def test_these_formats_claim_no_other_real_file(rel: str) -> None:
    lines = sample_lines(REALDATA / rel)
    scores = {name: formats.get(name).detect(lines) for name in MINE}
    assert all(score < MIN_SCORE for score in scores.values()), scores


@pytest.fixture
def file_dated() -> Iterator[None]:
    """Syslog headers without a year: the file was last written on 2026-01-02 (in the
    past: a reference in the future is capped at now)."""
    set_file_context(FileContext("fw.log", dt.datetime(2026, 1, 2, 3, tzinfo=dt.UTC)))
    yield
    set_file_context(None)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def events_of(name: str, lines: list[str]) -> pl.DataFrame:
    """Parsed as ingest would, in the tests' time zone (Europe/Paris: UTC+2 in October
    before the 25th, UTC+1 in winter)."""
    assert TZ == "Europe/Paris"
    return parse_lines(formats.get(name), lines)


# -- Cisco ASA / FTD ---------------------------------------------------------------------------

ASA = "cisco-asa"
BUILT = ("%ASA-6-302013: Built outbound TCP connection 7 for outside:203.0.113.40/443 "
         "(203.0.113.40/443) to inside:10.1.0.10/52000 (198.51.100.1/40001)")
TEARDOWN = ("%ASA-6-302014: Teardown TCP connection 7 for outside:203.0.113.40/443 to "
            "inside:10.1.0.10/52000 duration 0:01:01 bytes 102200 TCP FINs")


def test_asa_session_counts_once_at_built_not_at_teardown() -> None:
    """Built and Teardown are both level 6: counting both would count every session twice.
    Built is kept: it says who initiated the connection; Teardown only totals its bytes."""
    events = events_of(ASA, [f"Oct 08 2026 09:15:02: {BUILT}", f"Oct 08 2026 09:16:03: {TEARDOWN}"])
    assert events.select("client_ip", "host", REJECT_COLUMN).rows() == [
        ("10.1.0.10", "203.0.113.40", None), (None, None, "not an event: asa 302014")]


def test_asa_initiator_follows_the_direction_not_the_order() -> None:
    inbound = ("%ASA-6-302013: Built inbound TCP connection 8 for vpn:10.8.0.5/51000 "
               "(10.8.0.5/51000)(LOCAL\\bob) to outside:203.0.113.80/443 (203.0.113.80/443)")
    events = events_of(ASA, [f"Oct 08 2026 09:15:02: {BUILT}", f"Oct 08 2026 09:15:03: {inbound}"])
    assert events.select("client_ip", "host", "user").rows() == [
        ("10.1.0.10", "203.0.113.40", None), ("10.8.0.5", "203.0.113.80", "bob")]


def test_asa_syslog_year_across_new_year(file_dated: None) -> None:
    events = events_of(ASA, [f"<166>Dec 31 23:59:58 fw-hq {BUILT}",
                             f"<166>Jan  1 00:00:03 fw-hq {BUILT}"])
    assert events["ts"].to_list() == [utc(2025, 12, 31, 22, 59, 58), utc(2025, 12, 31, 23, 0, 3)]


def test_asa_device_time_wins_over_the_relay_header_and_zone_names_apply() -> None:
    events = events_of(ASA, [
        f"Oct  8 07:15:09 relay Oct 08 2026 09:15:02 fw-hq : {BUILT}",  # device clock, Paris
        f"Oct 08 2026 03:15:02 EDT: {BUILT}",
        f"<166>1 2026-10-08T07:15:02Z fw-hq - - - - {BUILT}",
    ])
    assert events["ts"].to_list() == [utc(2026, 10, 8, 7, 15, 2)] * 3


FTD = "cisco-ftd"


def ftd(msg_id: str, action: str) -> str:
    return (f"2026-10-08T07:15:02Z fw %FTD-1-{msg_id}: AccessControlRuleAction: {action}, "
            "SrcIP: 10.1.0.10, DstIP: 203.0.113.40, SrcPort: 52000, DstPort: 443, Protocol: tcp, "
            "User: CORP\\alice, InitiatorBytes: 66, ResponderBytes: 0, URL: https://chatgpt.com/")


def test_ftd_connection_counts_at_its_end_unless_blocked_at_its_start() -> None:
    events = events_of(FTD, [ftd("430002", "Allow"), ftd("430003", "Allow"),
                             ftd("430002", "Block with reset")])
    assert events.select("host", "action", REJECT_COLUMN).rows() == [
        ("chatgpt.com", "allowed", "not an event: ftd 430002 connection start"),
        ("chatgpt.com", "allowed", None),
        ("chatgpt.com", "blocked", None)]


def test_ftd_reads_the_asa_messages_it_shares() -> None:
    events = events_of(FTD, [f"2026-10-08T07:15:02Z fw {BUILT}".replace("%ASA", "%FTD"),
                             f"2026-10-08T07:16:03Z fw {TEARDOWN}".replace("%ASA", "%FTD")])
    assert events[REJECT_COLUMN].to_list() == [None, "not an event: ftd 302014"]


# -- PAN-OS ------------------------------------------------------------------------------------

def panos(subtype: str, when: str, extra: str = "") -> str:
    fields = ["1", when, "013201001234", "TRAFFIC", subtype, "2561", when, "10.1.0.10",
              "203.0.113.40", "198.51.100.1", "203.0.113.40", "allow-web", "corp\\alice", "",
              "ssl", "vsys1", "trust", "untrust", "ethernet1/2", "ethernet1/1", "fwd", when,
              "1", "1", "52000", "443", "40001", "443", "0x400053", "tcp", "allow", "1300",
              "300", "1000", "12", when, "4", "any"]
    return "Oct  8 09:15:03 PA-3220 " + ",".join(fields) + extra


def test_panos_session_counts_at_its_end_and_local_time_is_read_in_the_zone() -> None:
    events = events_of("panos", [panos("start", "2026/10/08 09:15:02"),
                                 panos("end", "2026/10/08 09:16:10"),
                                 panos("end", "2026/10/25 02:30:00")])  # autumn overlap
    assert events.select("ts", "bytes_up", "bytes_down", REJECT_COLUMN).rows() == [
        (utc(2026, 10, 8, 7, 15, 2), 300, 1000, "not an event: session start"),
        (utc(2026, 10, 8, 7, 16, 10), 300, 1000, None),
        (utc(2026, 10, 25, 0, 30), 300, 1000, None)]


def test_panos_url_field_is_csv_quoted() -> None:
    line = panos("end", "2026/10/08 09:16:10").replace(
        ",TRAFFIC,end,", ",THREAT,url,").replace(
        ",allow,1300,", ',block-url,"claude.ai/new?a=1,b=""2""",(9999),')
    assert events_of("panos", [line]).select("host", "action").row(0) == ("claude.ai", "blocked")


def test_panos_every_way_of_splitting_a_line_gives_the_same_fields() -> None:
    # Lines are read by three paths (split at every comma; split, then unquoted; the CSV
    # field pattern): a quoted comma before ``bytes_received`` or a comma in the syslog
    # header must not shift a field, a quoted field without a comma must be unquoted.
    plain = panos("end", "2026/10/08 09:16:10")
    lines = [
        plain,
        plain.replace(",allow-web,", ',"allow-web",'),               # quoted, no comma
        plain.replace(",allow-web,", ',"allow, web",'),              # quoted comma, field 11
        plain.replace(",corp\\alice,", ',"corp\\martin, ""h""",'),  # field 12, doubled quotes
        plain.replace("PA-3220 ", "PA,3220 "),                       # comma in the header
        plain.replace(",any", ',"a,b"'),                             # quoted comma, late field
        plain[:plain.index(",ssl,")],                                # cut short
    ]
    events = events_of("panos", lines)
    assert events[REJECT_COLUMN][-1] == "wrong number of fields"
    assert events.head(6).select("user", "client_ip", "host", "bytes_up", "bytes_down",
                                 REJECT_COLUMN).rows() == [
        ("corp\\alice", "10.1.0.10", "203.0.113.40", 300, 1000, None),
        ("corp\\alice", "10.1.0.10", "203.0.113.40", 300, 1000, None),
        ("corp\\alice", "10.1.0.10", "203.0.113.40", 300, 1000, None),
        ('corp\\martin, "h"', "10.1.0.10", "203.0.113.40", 300, 1000, None),
        ("corp\\alice", "10.1.0.10", "203.0.113.40", 300, 1000, None),
        ("corp\\alice", "10.1.0.10", "203.0.113.40", 300, 1000, None),
    ]
    assert events["_line"].to_list() == list(range(1, len(lines) + 1))


# -- Check Point -------------------------------------------------------------------------------

def test_checkpoint_three_spellings_of_one_record() -> None:
    events = events_of("checkpoint", [
        '<134>1 2026-10-08T07:15:02Z gw CheckPoint 1 - [action:"Accept"; src:"10.1.0.10"; '
        'dst:"203.0.113.40"; service_id:"https"; src_user_name:"Alice Martin (alice)"]',
        '<85>1 2026-10-08T02:15:02--5:00 10.0.0.1 CP-GW - Log [Fields@1.3.6.1.4.1.2620 '
        'src="10.1.0.10" dst="203.0.113.40" service_id="https" src_user_name="alice" ]',
        "Oct  8 09:15:02 gw Checkpoint:  8Oct2026 09:15:02 accept 10.0.0.1 >eth1 "
        "service_id: https; src: 10.1.0.10; dst: 203.0.113.40; src_user_name: alice;",
    ])
    assert events.select("ts", "user", "client_ip", "host", "method", "action").unique().rows() \
        == [(utc(2026, 10, 8, 7, 15, 2), "alice", "10.1.0.10", "203.0.113.40", "https",
             "allowed")]


def test_checkpoint_key_inside_a_quoted_value_is_not_a_key() -> None:
    line = ('<134>1 2026-10-08T07:15:02Z gw CheckPoint 1 - [action:"Block"; '
            'portal_message:"blocked; src:\\"10.6.6.6\\"; dst:\\"x\\""; src:"10.1.0.10"; '
            'dst:"203.0.113.60"; resource:"https://chat.deepseek.com/a"]')
    row = events_of("checkpoint", [line]).row(0, named=True)
    assert (row["client_ip"], row["host"], row["action"]) == (
        "10.1.0.10", "chat.deepseek.com", "blocked")


# -- Stormshield -------------------------------------------------------------------------------

def sns(time: str, extra: str) -> str:
    return (f'id=firewall time="{time}" fw="SN910" {extra} src=10.1.0.10 dst=203.0.113.40 '
            'dstname=chatgpt.com sent=1 rcvd=2 action=pass logtype="connection"')


def test_stormshield_tz_field_wins_over_the_configured_zone() -> None:
    events = events_of("stormshield", [sns("2026-10-08 09:15:02", "tz=+0100"),
                                       sns("2026-10-08 09:15:02", "")])
    assert events["ts"].to_list() == [utc(2026, 10, 8, 8, 15, 2), utc(2026, 10, 8, 7, 15, 2)]


def test_stormshield_object_names_are_not_hosts_and_quoted_keys_are_not_keys() -> None:
    line = sns("2026-10-08 09:15:02", 'tz=+0200 msg="user=eve dst=10.6.6.6"').replace(
        "dstname=chatgpt.com", "dstname=Firewall_out")
    row = events_of("stormshield", [line]).row(0, named=True)
    assert (row["user"], row["host"]) == (None, "203.0.113.40")


# -- Juniper SRX -------------------------------------------------------------------------------

def test_srx_session_counts_at_close_in_both_spellings() -> None:
    head = "2026-10-08T09:15:02+02:00 srx RT_FLOW: "
    events = events_of("juniper-srx", [
        head + "RT_FLOW_SESSION_CREATE: session created 10.1.0.10/52000->203.0.113.40/443 0x0 "
        "junos-https 198.51.100.1/40001->203.0.113.40/443 0x0 N/A N/A N/A N/A 6 p trust "
        "untrust 7 alice(N/A) ge-0/0/1.0 UNKNOWN UNKNOWN UNKNOWN",
        head + "RT_FLOW_SESSION_CLOSE: session closed TCP FIN: 10.1.0.10/52000->203.0.113.40/443 "
        "0x0 junos-https 198.51.100.1/40001->203.0.113.40/443 0x0 N/A N/A N/A N/A 6 p trust "
        "untrust 7 10(300) 12(1000) 68 UNKNOWN UNKNOWN alice(N/A) ge-0/0/1.0 No",
        '<14>1 2026-10-08T09:15:02+02:00 srx RT_FLOW - RT_FLOW_SESSION_CLOSE '
        '[junos@2636.1.1.1.2.129 source-address="10.1.0.10" destination-address="203.0.113.40"'
        ' service-name="junos-https" bytes-from-client="300" bytes-from-server="1000"'
        ' username="alice" roles="N/A"]',
    ])
    assert events.select("user", "client_ip", "method", "bytes_up", "bytes_down",
                         REJECT_COLUMN).rows() == [
        ("alice", "10.1.0.10", "junos-https", None, None, "not an event: session create"),
        ("alice", "10.1.0.10", "junos-https", 300, 1000, None),
        ("alice", "10.1.0.10", "junos-https", 300, 1000, None)]


# -- SonicWall, WatchGuard, pfSense ------------------------------------------------------------

def test_sonicwall_time_is_utc_only_when_it_says_so() -> None:
    line = ('id=firewall sn=C0EA time="2026-10-08 09:15:02{}" fw=198.51.100.1 m=537 '
            'msg="Connection Closed" src=10.1.0.10:52000:X0 dst=203.0.113.40:443:X1 sent=1 rcvd=2')
    events = events_of("sonicwall", [line.format(" UTC"), line.format("")])
    assert events["ts"].to_list() == [utc(2026, 10, 8, 9, 15, 2), utc(2026, 10, 8, 7, 15, 2)]


def test_watchguard_device_clock_wins_and_the_header_year_is_inferred(file_dated: None) -> None:
    tail = ('firewall: msg_id="3000-0148" Allow 1-Trusted 0-External tcp 10.1.0.10 '
            "203.0.113.40 52000 443 (HTTPS-proxy-00)")
    events = events_of("watchguard", [f"<142>Dec 31 23:59:58 fb SN (2025-12-31T23:59:57) {tail}",
                                      f"<142>Jan  1 00:00:03 fb SN {tail}"])
    assert events["ts"].to_list() == [utc(2025, 12, 31, 22, 59, 57), utc(2025, 12, 31, 23, 0, 3)]


def test_pfsense_syslog_year_across_new_year_and_other_programs(file_dated: None) -> None:
    rule = "5,,,1000000103,igb0,match,pass,in,4,0x0,,64,1,0,DF,6,tcp,60,10.1.0.10,203.0.113.40,"
    events = events_of("pfsense", [f"<134>Dec 31 23:59:58 filterlog[1]: {rule}52000,443,0,S",
                                   f"<134>Jan  1 00:00:03 filterlog[1]: {rule}52001,443,0,S",
                                   "<30>Jan  1 00:00:04 dhcpd[9]: DHCPACK on 10.1.0.10"])
    assert events["ts"].to_list()[:2] == [utc(2025, 12, 31, 22, 59, 58),
                                          utc(2025, 12, 31, 23, 0, 3)]
    assert events[REJECT_COLUMN].to_list() == [None, None, "not an event: other program"]
