"""Envelopes (syslog headers, relays, priorities, vendor prefixes, JSON wrappers) in front of
a representative format of each family, and the time rule when a line carries two times."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import polars as pl
import pytest

from shadowai import formats, transport
from shadowai.errors import InputError
from shadowai.ingest import lines_frame
from shadowai.schema import LINE_COLUMN, REJECT_COLUMN

UTC = dt.UTC

# One payload per family, as the device writes it (no envelope), and the UTC time it means
# when read in Europe/Paris (CEST, +02:00, on 2026-10-08).
PAYLOADS = {
    "squid-native": (
        "1791443702.125    120 10.1.0.10 TCP_TUNNEL/200 5120 CONNECT chatgpt.com:443 alice "
        "HIER_DIRECT/192.0.2.1 -", dt.datetime(2026, 10, 8, 7, 15, 2, 125000, tzinfo=UTC)),
    "fortigate": (
        'date=2026-10-08 time=09:15:02 devname="FGT-HQ" devid="FG100FTK00000001" '
        'logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" '
        'srcip=10.1.0.10 srcport=52000 srcintf="lan" dstip=203.0.113.40 dstport=443 '
        'dstintf="wan1" sessionid=1001 proto=6 action="close" policyid=12 service="HTTPS" '
        'duration=61 sentbyte=7200 rcvdbyte=95000 user="alice"',
        dt.datetime(2026, 10, 8, 7, 15, 2, tzinfo=UTC)),
    "bind-querylog": (
        "08-Oct-2026 09:15:01.512 queries: info: client @0x7f2c1c0f1b40 10.1.0.10#53211 "
        "(chatgpt.com): query: chatgpt.com IN A +E(0) (10.0.0.53)",
        dt.datetime(2026, 10, 8, 7, 15, 1, 512000, tzinfo=UTC)),
    "zeek-http": (
        '{"ts":1791443702.125,"uid":"CHt1a1","id.orig_h":"10.1.0.10","id.orig_p":51000,'
        '"id.resp_h":"203.0.113.30","id.resp_p":80,"trans_depth":1,"method":"POST",'
        '"host":"api.openai.com","uri":"/v1/chat","version":"1.1","request_body_len":4096,'
        '"response_body_len":802,"status_code":200,"status_msg":"OK","tags":[]}',
        dt.datetime(2026, 10, 8, 7, 15, 2, 125000, tzinfo=UTC)),
    "panos-json": (
        '{"TimeReceived":"2026-10-08T07:15:04.000000Z","LogType":"TRAFFIC","Subtype":"end",'
        '"TimeGenerated":"2026-10-08T07:15:03.000000Z","SourceAddress":"10.1.0.10",'
        '"DestinationAddress":"203.0.113.40","SourceUser":"alice","Application":"ssl",'
        '"Action":"allow","BytesSent":7200,"BytesReceived":95000,'
        '"TimeGeneratedHighResolution":"2026-10-08T07:15:02.250000Z"}',
        dt.datetime(2026, 10, 8, 7, 15, 2, 250000, tzinfo=UTC)),
    "suricata-eve": (
        '{"timestamp":"2026-10-08T09:15:01.900123+0200","flow_id":1001,"event_type":"http",'
        '"src_ip":"10.1.0.10","src_port":40000,"dest_ip":"203.0.113.30","dest_port":80,'
        '"proto":"TCP","http":{"hostname":"api.openai.com","url":"/v1","http_method":"POST",'
        '"status":200,"length":10}}', dt.datetime(2026, 10, 8, 7, 15, 1, 900123, tzinfo=UTC)),
}

# Envelopes as rsyslog, syslog-ng, relays and appliances write them; {p} is the payload.
# Their own times say the same instant as the payloads (so the rule changes nothing here).
ENVELOPES = {
    "rfc3164": "<134>Oct  8 09:15:03 fw-hq app[1234]: {p}",
    "rfc3164-no-priority-no-tag": "Oct  8 09:15:03 fw-hq {p}",
    "rfc3164-no-host": "<134>Oct  8 09:15:03 app: {p}",
    "rsyslog-iso": "2026-10-08T09:15:03.123456+02:00 fw-hq app: {p}",
    "rfc5424": '<134>1 2026-10-08T07:15:03.123Z fw-hq app 1234 ID47 [meta seq="1"] {p}',
    "rfc5424-no-sd": "<134>1 2026-10-08T09:15:03+02:00 fw-hq app - - - {p}",
    "relay-chain": "<38>Oct  8 09:15:04 10.55.0.1 <134>Oct  8 09:15:03 fw-hq app: {p}",
    "priority": "<134> {p}",
    "vendor-prefix": "<14>Oct  8 09:15:03 wsa ACCESS_LOGS: Info: {p}",
}
TZ = "Europe/Paris"
# Payloads whose time is local, and the envelopes whose time has an offset: there the
# envelope's time wins (see the time rule below).
LOCAL_PAYLOADS = {"fortigate", "bind-querylog"}
ENVELOPE_TIMES = {
    "rsyslog-iso": dt.datetime(2026, 10, 8, 7, 15, 3, 123456, tzinfo=UTC),
    "rfc5424": dt.datetime(2026, 10, 8, 7, 15, 3, 123000, tzinfo=UTC),
    "rfc5424-no-sd": dt.datetime(2026, 10, 8, 7, 15, 3, tzinfo=UTC),
}


def read(lines: list[str], timezone: str = TZ) -> tuple[formats.Format, pl.DataFrame]:
    """Detect and parse as ingest does, through the transport layer."""
    fmt = transport.detect(lines, "test.log").format
    formats.set_file_context(formats.FileContext("test.log", dt.datetime(2026, 11, 1, tzinfo=UTC)))
    try:
        block = ("\n".join(lines) + "\n").encode()
        return fmt, transport.parse(fmt, lines_frame(block, 1, len(lines)).lazy(), timezone)
    finally:
        formats.set_file_context(None)


def wrapped(fmt: str, envelope: str) -> str:
    payload = PAYLOADS[fmt][0]
    if fmt.startswith("zeek") and envelope == "json-wrapper":
        return '{"http": ' + payload + "}"
    return ENVELOPES[envelope].format(p=payload)


@pytest.mark.parametrize("envelope", [*ENVELOPES, None])
@pytest.mark.parametrize("fmt", list(PAYLOADS))
def test_every_envelope_in_front_of_every_family(fmt: str, envelope: str | None) -> None:
    line = PAYLOADS[fmt][0] if envelope is None else wrapped(fmt, envelope)
    found, events = read([line, line])
    assert found.name == fmt
    assert events[REJECT_COLUMN].to_list() == [None, None]
    expected = PAYLOADS[fmt][1]
    if fmt in LOCAL_PAYLOADS and envelope in ENVELOPE_TIMES:
        expected = ENVELOPE_TIMES[envelope]
    assert events["ts"].to_list() == [expected] * 2
    assert events["client_ip"].to_list() == ["10.1.0.10"] * 2


def test_kafka_json_wrapper_names_the_zeek_log_type() -> None:
    found, events = read([wrapped("zeek-http", "json-wrapper")] * 3)
    assert found.name == "zeek-http"
    assert events["host"].to_list() == ["api.openai.com"] * 3


# -- the time rule: payload with offset > envelope with offset > payload local time -------
PANOS = ("1,2026/05/20 13:36:15,013201001234,TRAFFIC,end,2561,2026/05/20 13:36:15,10.1.0.10,"
         "203.0.113.40,198.51.100.1,203.0.113.40,allow-web,alice,,ssl,vsys1,trust,untrust,"
         "ethernet1/2,ethernet1/1,fwd,2026/05/20 13:36:15,72568134,1,52000,443,40001,443,"
         "0x400053,tcp,allow,102200,7200,95000,22,2026/05/20 13:36:00,16,any,,1,0x0,"
         "10.0.0.0-10.255.255.255,United States,,12,10,tcp-fin,0,0,0,0,,PA-3220,from-policy,"
         ",,0,,0,,N/A,0,0,0,0")


@pytest.mark.parametrize(("offset", "expected_hour"), [
    ("+07:00", 6),   # east of UTC: Asia/Bangkok, the case (stored 7 h off before)
    ("-05:00", 18),  # west of UTC
    ("Z", 13),
])
def test_envelope_offset_wins_over_the_payload_local_time(offset: str,
                                                          expected_hour: int) -> None:
    line = f"2026-05-20T13:36:16{offset} FW {PANOS}"
    fmt, events = read([line])
    assert fmt.name == "panos"
    assert events["ts"].to_list() == [dt.datetime(2026, 5, 20, expected_hour, 36, 16,
                                                  tzinfo=UTC)]


def test_payload_offset_wins_over_the_envelope_offset() -> None:
    payload = PAYLOADS["suricata-eve"][0].replace("+0200", "+0900")
    line = f"<134>1 2026-10-08T09:15:03-05:00 ids suricata - - - {payload}"
    _, events = read([line])
    assert events["ts"].to_list() == [dt.datetime(2026, 10, 8, 0, 15, 1, 900123, tzinfo=UTC)]


def test_a_block_mixing_payload_offsets_and_local_times() -> None:
    """FortiGate writes tz= on some lines only: each line follows the rule on its own."""
    fortigate = PAYLOADS["fortigate"][0]
    with_tz = fortigate.replace('devname=', 'tz="+0900" devname=')
    lines = [f"<134>1 2026-10-08T09:15:03-04:00 fw app - - - {p}" for p in (with_tz, fortigate)]
    _, events = read(lines * 150)  # beyond the sample the decision is taken on
    assert events["ts"].to_list() == [dt.datetime(2026, 10, 8, 0, 15, 2, tzinfo=UTC),
                                      dt.datetime(2026, 10, 8, 13, 15, 3, tzinfo=UTC)] * 150


def test_local_times_across_a_dst_change_without_envelope_offset() -> None:
    """Europe/Paris moves from +01:00 to +02:00 on 2026-03-29: a BSD header has no offset,
    so the payload's local time is read in the configured zone on each side of the change."""
    before = PANOS.replace("2026/05/20", "2026/03/28")
    after = PANOS.replace("2026/05/20", "2026/03/30")
    _, events = read([f"<14>Mar 28 13:36:16 FW {before}", f"<14>Mar 30 13:36:16 FW {after}"])
    assert events["ts"].to_list() == [dt.datetime(2026, 3, 28, 12, 36, 15, tzinfo=UTC),
                                      dt.datetime(2026, 3, 30, 11, 36, 15, tzinfo=UTC)]


def test_envelope_offsets_across_a_dst_change() -> None:
    """A relay writing ISO times with offsets: each line takes its own offset."""
    before = PANOS.replace("2026/05/20", "2026/10/24")
    after = PANOS.replace("2026/05/20", "2026/10/26")
    _, events = read([f"2026-10-24T13:36:16+02:00 FW {before}",
                      f"2026-10-26T13:36:16+01:00 FW {after}"], "UTC")
    assert events["ts"].to_list() == [dt.datetime(2026, 10, 24, 11, 36, 16, tzinfo=UTC),
                                      dt.datetime(2026, 10, 26, 12, 36, 16, tzinfo=UTC)]


# -- blank lines, bounded cost -------------------------------------------------------------
def test_blank_lines_are_not_events_nor_rejected() -> None:
    squid = PAYLOADS["squid-native"][0]
    _, events = read([squid, "", "   ", squid, ""])
    assert events.sort(LINE_COLUMN)[REJECT_COLUMN].to_list() == [
        None, transport.BLANK_LINE, transport.BLANK_LINE, None, transport.BLANK_LINE]


def test_peel_reports_the_envelope_time_with_its_offset_only() -> None:
    frame = pl.LazyFrame({"line": [
        "<14>1 2026-05-20T13:36:16.5+07:00 FW - - - - x",
        "2026-05-20T13:36:16 FW x",  # no offset: says nothing the payload does not
        "<14>May 20 13:36:16 FW x",
        "plain x"]})
    out = transport.peel(frame).collect()
    assert out["line"].to_list() == ["x", "x", "x", "plain x"]
    assert out[transport.ENV_TS].to_list() == [
        dt.datetime(2026, 5, 20, 6, 36, 16, 500000, tzinfo=UTC), None, None, None]


@pytest.mark.parametrize("line", [
    " " * 100_000,
    "<1>" + " " * 100_000,
    '{"a": {' + " " * 100_000,
    "Oct  8 09:15:03 " + "a:" * 50_000,
    "<134>1 2026-10-08T09:15:03Z h a p m " + "[" * 100_000,
])
def test_peeling_and_detection_stay_linear_on_long_lines(line: str) -> None:
    started = time.perf_counter()
    out = transport.layers([line] * 3)
    assert out[0].lines == [line] * 3
    with pytest.raises(InputError, match="Could not detect|empty file"):
        transport.detect([line] * 3, "long.log")
    assert time.perf_counter() - started < 2.0


# -- in-line offsets the formats read themselves ------------------------------------------
SOPHOS = ('device="SFW" date=2019-10-09 time=17:19:06 timezone="{zone}" device_name="XG210" '
          'device_id=A1 log_id=010101010101 log_type="Firewall" log_component="Firewall Rule" '
          'log_subtype="Allowed" status="Allow" src_ip=10.1.0.10 dst_ip=203.0.113.40 '
          'protocol="TCP" src_port=52000 dst_port=443 sent_bytes=10 recv_bytes=20')


@pytest.mark.parametrize(("zone", "hour"), [
    ("+08", 9), ("+0800", 9), ("-05:00", 22), ("CEST", 15), ("GMT", 17),
    ("XYZT", 15),  # an unknown abbreviation: the configured zone (Paris, CEST in October)
])
def test_sophos_timezone_offsets_and_abbreviations(zone: str, hour: int) -> None:
    fmt, events = read([SOPHOS.format(zone=zone)])
    assert fmt.name == "sophos-xg"
    assert events["ts"].to_list() == [dt.datetime(2019, 10, 9, hour, 19, 6, tzinfo=UTC)]


def test_panos_high_resolution_timestamp_wins() -> None:
    """PAN-OS 10+ appends the generated time with milliseconds and its offset: exact,
    whatever the configured zone or the envelope say."""
    line = PANOS + ",0,2026-05-20T13:36:15.288-03:00,,,"
    for envelope in ("{p}", "2026-05-20T13:36:16+07:00 FW {p}"):
        _, events = read([envelope.format(p=line)])
        assert events["ts"].to_list() == [dt.datetime(2026, 5, 20, 16, 36, 15, 288000,
                                                      tzinfo=UTC)]


# -- CEF variants -----------------------------------------------------------------------
CEF_EXT = "src=10.1.0.10 dst=203.0.113.40 dhost=chatgpt.com act=allow"


@pytest.mark.parametrize(("line", "expected"), [
    # FortiOS: a space after "CEF:", the time only in FTNTFGTeventtime (epoch nanoseconds)
    (f"<189>Oct  8 09:15:03 fgt CEF: 0|Fortinet|Fortigate|v7.4|00013|traffic|5|"
     f"FTNTFGTeventtime=1791443702125000000 {CEF_EXT}",
     dt.datetime(2026, 10, 8, 7, 15, 2, 125000, tzinfo=UTC)),
    # SonicOS: no rt, the syslog header's time (local, Paris)
    (f"<134>Oct  8 09:15:03 sonic CEF:0|SonicWall|SonicOS|7.0|537|Connection Closed|3|{CEF_EXT}",
     dt.datetime(2026, 10, 8, 7, 15, 3, tzinfo=UTC)),
    # PAN-OS 6 over syslog, rt with a zone
    (f"<14>Oct  8 09:15:03 pa CEF: 0|Palo Alto Networks|PAN-OS|6.1|url|THREAT|1|"
     f"rt=Oct 08 2026 07:15:02 GMT {CEF_EXT}", dt.datetime(2026, 10, 8, 7, 15, 2, tzinfo=UTC)),
])
def test_cef_variants(line: str, expected: dt.datetime) -> None:
    fmt, events = read([line, line])
    assert fmt.name == "cef"
    assert events["ts"].to_list() == [expected] * 2
    assert events["host"].to_list() == ["chatgpt.com"] * 2


# -- JSON documents ---------------------------------------------------------------------
def test_a_json_array_of_records_is_one_record_per_element(tmp_path) -> None:
    doc = (PAYLOADS["suricata-eve"][0], PAYLOADS["suricata-eve"][0].replace("10.1.0.10",
                                                                              "10.1.0.11"))
    text = "[\n  " + ",\n  ".join(doc) + "\n]\n"
    lines = text.rstrip("\n").split("\n")
    fmt, events = read(lines)
    assert fmt.name == "suricata-eve"
    got = events.sort(LINE_COLUMN)
    assert got[REJECT_COLUMN].to_list() == [transport.IN_DOCUMENT, None, None,
                                            transport.IN_DOCUMENT]
    assert got["client_ip"].to_list()[1:3] == ["10.1.0.10", "10.1.0.11"]


def test_a_pretty_printed_document_across_two_blocks(tmp_path) -> None:
    """ingest reads a file block by block: a document cut by a block boundary is held and
    read with the next block, at the line where it starts."""
    import json

    record = json.loads(PAYLOADS["suricata-eve"][0])
    pretty = (json.dumps(record, indent=2) + "\n" + json.dumps(record, indent=2)).split("\n")
    fmt = formats.get("suricata-eve")
    formats.set_file_context(formats.FileContext("x.json", dt.datetime(2026, 11, 1,
                                                                        tzinfo=UTC)))
    try:
        cut = len(pretty) // 2 + 3  # inside the second document
        parts = []
        for first, chunk in ((1, pretty[:cut]), (cut + 1, pretty[cut:])):
            block = ("\n".join(chunk) + "\n").encode()
            parts.append(transport.parse(fmt, lines_frame(block, first, len(chunk)).lazy(),
                                         TZ))
    finally:
        formats.set_file_context(None)
    events = pl.concat(parts, how="diagonal_relaxed").sort(LINE_COLUMN)
    assert events[LINE_COLUMN].to_list() == list(range(1, len(pretty) + 1))
    ok = events.filter(pl.col(REJECT_COLUMN).is_null())
    assert ok[LINE_COLUMN].to_list() == [1, len(pretty) // 2 + 1]
    assert ok["ts"].to_list() == [PAYLOADS["suricata-eve"][1]] * 2


# -- real files behind an envelope written here -------------------------------------------
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


@pytest.mark.skipif(not REALDATA.is_dir(), reason="no shared realdata")
@pytest.mark.parametrize("rel", ["w3c_bluecoat_elff/sampleBluecoat.log",
                                 "squid_native/test-access.log",
                                 "fortigate/test-fortinet-7-4.log"])
def test_a_real_file_relayed_by_syslog_reads_as_the_original(rel: str) -> None:
    """Blue Coat ELFF relayed over syslog carries the header on every line, #Fields:
    included: the relayed file gives the same events as the original."""
    lines = (REALDATA / rel).read_text(encoding="utf-8").rstrip("\n").split("\n")
    relayed = [f"<38>Oct  8 09:15:04 10.55.0.1 <134>Oct  8 09:15:03 dev app: {x}"
               for x in lines]
    fmt, original = read(lines)
    fmt2, through = read(relayed)
    assert fmt2.name == fmt.name
    assert through.equals(original)


def test_cisco_wsa_access_log_pushed_by_syslog() -> None:
    line = ("1791443702.123 97 10.1.0.10 TCP_MISS/200 8187 GET https://chatgpt.com/backend-api/me"
            " jdupont DIRECT/chatgpt.com application/json DEFAULT_CASE_12-DefaultGroup-NONE-NONE"
            '-NONE-DefaultGroup <IW_aigen,7.3,-,"-",-,-,-,-,"-",-,-,-,"-",-,-,"-","-",-,-,'
            'IW_aigen,-,"Generative AI","-","Unknown","Unknown","-","-",675.21,0,-,"-","-",-,'
            '"-",-,-,"-","-"> -')
    relayed = f"<38>Sep 26 11:36:04 10.55.0.1 <14>Sep 26 11:36:06 ACCESS_LOGS: Info: {line}"
    fmt, events = read([relayed, relayed])
    assert fmt.name == "cisco-wsa"
    assert events["host"].to_list() == ["chatgpt.com"] * 2
    assert events[REJECT_COLUMN].to_list() == [None, None]


def test_ingest_reads_a_relayed_panos_file_with_its_envelope_offset(shadowai, org) -> None:
    """The real CLI on an rsyslog file: PAN-OS behind RFC 5424 headers at +07:00 (stored
    7 h off before), a trailing blank line (a rejected line before: exit 2 on a small file)."""
    log = org.parent / "panos-bangkok.log"
    line = f"<14>1 2026-05-20T13:36:16+07:00 FW - - - - {PANOS}"
    log.write_text(f"{line}\n{line}\n\n", encoding="utf-8")
    result = shadowai("ingest", "--json", str(log))
    assert result.exit_code == 0, result.stderr
    [got] = json.loads(result.stdout)
    assert (got["status"], got["format"], got["parsed"], got["rejected"]) == (
        "ingested", "panos", 2, 0)
    assert got["not_event_by_reason"] == {transport.BLANK_LINE: 1}
    assert got["first_ts"] == "2026-05-20T06:36:16Z"


def test_parsing_pathological_long_lines_stays_fast() -> None:
    lines = [" " * 100_000, "<1>" + " " * 100_000, '{"a": {' + " " * 100_000,
             "Oct  8 09:15:03 " + "a:" * 50_000]
    block = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    for name in ("squid-native", "fortigate", "zeek-http"):
        events = transport.parse(formats.get(name), lines_frame(block, 1, len(lines)).lazy(),
                                 TZ)
        assert events[REJECT_COLUMN].null_count() == 0
    assert time.perf_counter() - started < 3.0


@pytest.mark.parametrize(("first", "expected"), [
    ("2026-10-08T09:15:02+0200", dt.datetime(2026, 10, 8, 7, 15, 2, tzinfo=UTC)),
    ("2026-10-08T09:15:02.125-05:00", dt.datetime(2026, 10, 8, 14, 15, 2, 125000, tzinfo=UTC)),
    ("2026-10-08T09:15:02", dt.datetime(2026, 10, 8, 7, 15, 2, tzinfo=UTC)),  # local, Paris
])
def test_squid_native_layout_with_an_iso_time_first(first: str, expected: dt.datetime) -> None:
    line = PAYLOADS["squid-native"][0].replace("1791443702.125", first)
    fmt, events = read([line, line, line + ' "https://chatgpt.com/" "Mozilla/5.0 (X11)"'])
    assert fmt.name == "squid-native"
    assert events["ts"].to_list() == [expected] * 3


def test_squid_native_reads_an_iso_time_among_epoch_lines_of_one_block() -> None:
    """The ISO 8601 reading runs only for blocks where a first field holds a ``T``: one
    such line among epoch lines is still read, and a line whose first field only looks
    like a date (no ``T``) is still rejected for its time."""
    epoch, when = PAYLOADS["squid-native"]
    iso = epoch.replace("1791443702.125", "2026-10-08T09:15:02.125+0200")
    dateless = epoch.replace("1791443702.125", "2026-10-08")
    fmt, events = read([epoch] * 5 + [iso, dateless] + [epoch] * 3)
    assert fmt.name == "squid-native"
    assert events["ts"].to_list() == [when] * 6 + [None] + [when] * 3
    assert events[REJECT_COLUMN].to_list() == [None] * 6 + ["bad timestamp"] + [None] * 3
    _, only_epoch = read([epoch] * 4 + [dateless])
    assert only_epoch[REJECT_COLUMN].to_list() == [None] * 4 + ["bad timestamp"]


def test_an_unfinished_document_never_spills_into_the_next_file() -> None:
    """A file cut in the middle of a JSON document, then another file (or the same one
    read again, from line 1): the held lines are dropped, not read in front of it."""
    record = json.loads(PAYLOADS["suricata-eve"][0])
    pretty = json.dumps(record, indent=2).split("\n")
    fmt = formats.get("suricata-eve")

    def parse_file(path: str, lines: list[str]) -> pl.DataFrame:
        formats.set_file_context(formats.FileContext(path, dt.datetime(2026, 11, 1, tzinfo=UTC)))
        try:
            block = ("\n".join(lines) + "\n").encode()
            return transport.parse(fmt, lines_frame(block, 1, len(lines)).lazy(), TZ)
        finally:
            formats.set_file_context(None)

    for second in ("cut.json", "next.json"):
        cut = parse_file("cut.json", pretty[: len(pretty) // 2])  # its document never ends
        assert cut.height == 0
        events = parse_file(second, pretty)
        assert events[LINE_COLUMN].to_list() == list(range(1, len(pretty) + 1))
        assert events.filter(pl.col(REJECT_COLUMN).is_null())[LINE_COLUMN].to_list() == [1]
