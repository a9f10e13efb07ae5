"""PAN-OS logs exported as JSON (Strata Logging Service / Cortex Data Lake): the quirks the
sample and its golden rows do not show, through the transport layer as ingest reads them."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
from test_transport import read

from shadowai import transport
from shadowai.schema import LINE_COLUMN, REJECT_COLUMN

UTC = dt.UTC

# Shaped like the records Strata Logging Service forwards with its HTTPS format (names
# from Palo Alto's "URL HTTPS Fields"/"Traffic HTTPS Fields"), values written here.
URL_RECORD = {
    "TimeReceived": "2026-10-08T07:16:11.000000Z", "DeviceSN": "013201000123",
    "LogType": "THREAT", "Subtype": "url", "ConfigVersion": "10.2",
    "TimeGenerated": "2026-10-08T07:16:10.000000Z", "SourceAddress": "10.1.0.11",
    "DestinationAddress": "104.18.32.47", "NATSource": "198.51.100.7",
    "Rule": "web-out", "SourceUser": "mairie\\bob", "DestinationUser": None,
    "Application": "ssl", "SessionID": 1787364, "SourcePort": 53610,
    "DestinationPort": 443, "Protocol": "tcp", "Action": "alert",
    "URL": "chatgpt.com/backend-api/conversation", "URLCategory": "artificial-intelligence",
    "HTTPMethod": "post", "DGHierarchyLevel1": 463, "SequenceNo": 7372845116442397960,
    "TimeGeneratedHighResolution": "2026-10-08T07:16:10.125000Z",
}
TRAFFIC_RECORD = {
    "TimeReceived": "2026-10-08T07:15:04.000000Z", "LogType": "TRAFFIC", "Subtype": "end",
    "TimeGenerated": "2026-10-08T07:15:03.000000Z", "SourceAddress": "10.1.0.10",
    "DestinationAddress": "104.18.32.47", "SourceUser": None, "Application": "ssl",
    "Action": "reset-both", "BytesSent": 4210, "BytesReceived": 12140,
}


def test_a_pretty_printed_array_of_exported_records() -> None:
    """What an export or an API dump writes: one array, records over many lines."""
    text = json.dumps([URL_RECORD, TRAFFIC_RECORD], indent=4)
    lines = text.split("\n")
    fmt, events = read(lines)
    assert fmt.name == "panos-json"
    ok = events.filter(pl.col(REJECT_COLUMN).is_null()).sort(LINE_COLUMN)
    starts = [i + 1 for i, x in enumerate(lines) if x.strip() == "{"]
    assert ok[LINE_COLUMN].to_list() == starts
    assert ok.select("ts", "host", "action", "bytes_up").rows() == [
        (dt.datetime(2026, 10, 8, 7, 16, 10, 125000, tzinfo=UTC), "chatgpt.com", "allowed",
         None),
        (dt.datetime(2026, 10, 8, 7, 15, 3, tzinfo=UTC), "104.18.32.47", "blocked", 4210)]
    others = set(events.filter(pl.col(REJECT_COLUMN).is_not_null())[REJECT_COLUMN])
    assert others == {transport.IN_DOCUMENT}


def test_json_records_forwarded_behind_a_syslog_header() -> None:
    """Panorama or a collector forwarding the JSON records over syslog (RFC 5424)."""
    record = json.dumps(URL_RECORD, separators=(",", ":"))
    line = f"<14>1 2026-10-08T09:16:11+02:00 panorama - - - - {record}"
    fmt, events = read([line, line.replace("10.1.0.11", "10.1.0.12")])
    assert fmt.name == "panos-json"
    assert events[REJECT_COLUMN].to_list() == [None, None]
    assert events["client_ip"].to_list() == ["10.1.0.11", "10.1.0.12"]
    assert events["ts"].to_list() == [dt.datetime(2026, 10, 8, 7, 16, 10, 125000,
                                                  tzinfo=UTC)] * 2


def test_a_time_without_offset_is_read_in_the_configured_zone() -> None:
    record = dict(TRAFFIC_RECORD, TimeGenerated="2026-10-08T09:15:03")
    fmt, events = read([json.dumps(record)] * 2)
    assert fmt.name == "panos-json"
    assert events["ts"].to_list() == [dt.datetime(2026, 10, 8, 7, 15, 3, tzinfo=UTC)] * 2


def test_records_that_are_not_traffic_say_why() -> None:
    decryption = dict(TRAFFIC_RECORD, LogType="DECRYPTION", Subtype="start")
    virus = dict(URL_RECORD, Subtype="virus")
    no_type = {k: v for k, v in TRAFFIC_RECORD.items() if k != "LogType"}
    fmt, events = read([json.dumps(TRAFFIC_RECORD), json.dumps(decryption),
                        json.dumps(virus), json.dumps(no_type), "{not json"])
    assert fmt.name == "panos-json"
    assert events.sort(LINE_COLUMN)[REJECT_COLUMN].to_list() == [
        None, "not an event: decryption log", "not an event: threat virus",
        "not a pan-os json record", "not a pan-os json record"]


def test_a_placeholder_under_one_name_gives_way_to_the_other_spelling() -> None:
    """Each field is the first of its candidate names that holds a value: an HTTPS name
    holding "null", "-" or blanks is absent, and the query name is read instead."""
    record = {**TRAFFIC_RECORD, "SourceUser": "null", "source_user": "alice",
              "SourceAddress": "  -  ", "source_ip": {"value": "10.1.0.13"},
              "Application": "", "app": "  web-browsing "}
    _, events = read([json.dumps(record)])
    assert events.select("user", "client_ip", "method").rows() == [
        ("alice", "10.1.0.13", "web-browsing")]
