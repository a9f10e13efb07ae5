"""Every log format, through the registry: its own sample parses to golden canonical rows,
detection picks it and no other format claims it, real vendor files parse completely; then
the quirks, with inline input.

Samples are ``sample_logs/formats/<format>.log`` plus variants ``<format>--<variant>.log``
(another encoding or product of the same format); goldens are
``tests/expected/<sample stem>.json``. ``SHADOWAI_REGEN=1 pytest tests/test_formats.py``
rewrites the goldens: read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from shadowai import formats, transport
from shadowai.formats._base import MIN_SCORE
from shadowai.ingest import lines_frame
from shadowai.schema import EVENT_SCHEMA, LINE_COLUMN, OPTIONAL_SCHEMA, REJECT_COLUMN
from shadowai.sources import Source

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_logs" / "formats"
EXPECTED = REPO / "tests" / "expected"
REALDATA = REPO.parent / "shared" / "realdata"
REGEN = os.environ.get("SHADOWAI_REGEN") == "1"
TZ = "Europe/Paris"
OUTPUT_SCHEMA = {**EVENT_SCHEMA, LINE_COLUMN: pl.Int64(), REJECT_COLUMN: pl.String()}

SAMPLE_FILES = sorted(SAMPLES.glob("*.log"))


def format_of(sample: Path) -> str:
    return sample.stem.split("--", 1)[0]


REFERENCE = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def read(path: Path, fmt: formats.Format | None = None) -> tuple[formats.Format, pl.DataFrame]:
    """Detect and parse a file exactly as ingest does: detection on the head, the optional
    ``start_file`` hook, then ``parse`` block by block, in file order."""
    source = Source.open(path)
    if fmt is None:
        fmt = transport.detect(source.head(), path).format
    if start_file := getattr(fmt, "start_file", None):
        start_file()
    # A fixed reference time: samples with year-less syslog stamps must give the same
    # golden rows whatever today's date (the reference is the file's mtime in ingest).
    formats.set_file_context(formats.FileContext(str(path), REFERENCE))
    try:
        parts = [transport.parse(fmt, lines_frame(block, first, count).lazy(), TZ)
                 for first, count, block in source.blocks()]
    finally:
        formats.set_file_context(None)
    return fmt, pl.concat(parts, how="diagonal_relaxed")


def parse_lines(fmt: formats.Format, lines: list[str], first_line: int = 1) -> pl.DataFrame:
    block = ("\n".join(lines) + "\n").encode()
    return fmt.parse(lines_frame(block, first_line, len(lines)).lazy(), TZ).collect()


def real_files(folders: tuple[str, ...]) -> set[str]:
    """Every vendor file under these realdata folders, relative to the realdata root."""
    return {str(p.relative_to(REALDATA)) for folder in folders
            for p in (REALDATA / folder).rglob("*") if p.is_file() and "LICENSE" not in p.name}


def check_real_file(rel: str, expected: tuple, *required: str, root: Path = REALDATA) -> None:
    """A real vendor file is detected as ``expected[0]`` and every line is parsed or 'not
    an event', but for exactly the malformed lines expected; accepted rows have a time and
    every ``required`` column."""
    name, parsed, not_event, malformed = expected
    fmt, events = read(root / rel)
    assert fmt.name == name
    reasons = Counter(events[REJECT_COLUMN].drop_nulls().to_list())
    not_events = sum(n for r, n in reasons.items() if r.startswith("not an event"))
    bad = {r: n for r, n in reasons.items() if not r.startswith("not an event")}
    assert (events[REJECT_COLUMN].null_count(), not_events, bad) == (parsed, not_event, malformed)
    ok = events.filter(pl.col(REJECT_COLUMN).is_null())
    for column in ("ts", *required):
        assert ok[column].null_count() == 0, column
    assert set(ok["action"]) <= {"allowed", "blocked"}


def golden_rows(events: pl.DataFrame) -> list[dict[str, object]]:
    """Accepted lines in full; rejected lines as their number and reason only."""
    rows = []
    for row in events.sort(LINE_COLUMN).iter_rows(named=True):
        if row[REJECT_COLUMN] is not None:
            rows.append({LINE_COLUMN: row[LINE_COLUMN], REJECT_COLUMN: row[REJECT_COLUMN]})
            continue
        out = {LINE_COLUMN: row[LINE_COLUMN]}
        for name in EVENT_SCHEMA:
            value = row[name]
            out[name] = value.isoformat().replace("+00:00", "Z") if name == "ts" else value
        rows.append(out)
    return rows


def dump(rows: list[dict[str, object]]) -> str:
    """One row per line: goldens diff line by line."""
    body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    return f"[\n{body}\n]\n"


# -- every format, for free -------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(formats.REGISTRY))
def test_every_format_has_a_sample_and_a_golden(name: str) -> None:
    fmt = formats.REGISTRY[name]
    assert (SAMPLES / f"{name}.log").is_file(), f"write sample_logs/formats/{name}.log"
    assert REGEN or (EXPECTED / f"{name}.json").is_file(), "run with SHADOWAI_REGEN=1"
    assert fmt.name == name and fmt.description and fmt.unit
    assert name == name.lower() and " " not in name


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_parses_to_its_golden_rows(sample: Path) -> None:
    fmt, events = read(sample, formats.get(format_of(sample)))
    optional = {k: v for k, v in events.schema.items() if k in OPTIONAL_SCHEMA}
    assert optional == {k: OPTIONAL_SCHEMA[k] for k in optional}
    assert {k: v for k, v in events.schema.items() if k not in optional} == OUTPUT_SCHEMA
    lines = sample.read_bytes().count(b"\n")
    assert sorted(events[LINE_COLUMN].to_list()) == list(range(1, lines + 1))
    assert set(events.filter(pl.col(REJECT_COLUMN).is_null())["action"]) <= {
        "allowed", "blocked"}
    golden = EXPECTED / f"{sample.stem}.json"
    text = dump(golden_rows(events))
    if REGEN:
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_is_detected_as_its_format_and_no_other(sample: Path) -> None:
    head = Source.open(sample).head()
    assert formats.detect(head, sample).format.name == format_of(sample)
    lines = [x for x in head if x.strip()]
    others = {name: fmt.detect(lines) for name, fmt in formats.REGISTRY.items()
              if name != format_of(sample)}
    assert all(score < MIN_SCORE for score in others.values()), others


# -- real vendor files (/work/shared/realdata, read in place, never copied) --------------------

# file -> (format, events, "not an event" lines, lines rejected as malformed by reason).
# The malformed ones are malformed in the file itself:
# - isa2000_webproxy_w3c.log line 48 has the date "20081.6-11-16";
# - SOC-Zeek-Lab's ssl.log and http.log were written by processes writing into each other:
#   lines hold two or three records run together (more fields than the header), or one
#   record with another record's first digits in front of its "ts" ("171754311103.247");
#   each record is split at its ts/uid start and read (104 ssl lines: 175 handshakes; the
#   one http line: 2 requests), see test_zeek_records_run_together_are_split.
REAL = {
    "w3c_bluecoat_elff/sampleBluecoat.log": ("w3c", 29, 4, {}),
    "w3c_iis/ossec_iis6_w3c_extended.log": ("w3c", 3, 4, {}),
    "w3c_iis/test-iis10-access.log": ("w3c", 7, 0, {}),
    "w3c_ms_isa_tmg/isa2000_packetfilter_w3c.log": ("w3c", 32, 4, {}),
    "w3c_ms_isa_tmg/isa2000_webproxy_w3c.log": ("w3c", 75, 15, {"bad timestamp": 1}),
    "w3c_ms_isa_tmg/isa2004_firewall_w3c.log": ("w3c", 33, 4, {}),
    "w3c_ms_isa_tmg/isa2004_webproxy_w3c.log": ("w3c", 38, 4, {}),
    "zeek_tsv/wrccdc2018/dns.log": ("zeek-dns", 300, 8, {}),
    "zeek_tsv/wrccdc2018/ssl.log": ("zeek-ssl", 300, 8, {}),
    "zeek_tsv/SOC-Zeek-Lab/conn.log": ("zeek-conn", 242, 8, {}),
    "zeek_tsv/SOC-Zeek-Lab/dns.log": ("zeek-dns", 242, 8, {}),
    "zeek_tsv/SOC-Zeek-Lab/http.log": ("zeek-http", 2, 8, {}),
    "zeek_tsv/SOC-Zeek-Lab/ssl.log": ("zeek-ssl", 175, 8, {}),
    "zeek_json/wrccdc2018/dns.json": ("zeek-dns", 300, 0, {}),
    "zeek_json/wrccdc2018/ssl.json": ("zeek-ssl", 300, 0, {}),
    "zeek_json/elastic/test-conn.log": ("zeek-conn", 7, 0, {}),
    "zeek_json/elastic/test-http.log": ("zeek-http", 8, 0, {}),
    "suricata_eve/test-eve-small.log": ("suricata-eve", 7, 5, {}),
    "fortigate/test-fortinet.log": ("fortigate", 15, 4, {}),
    "fortigate/test-fortinet-7-4.log": ("fortigate", 21, 2, {}),
    # ISA Server 2000's own "ISA format" (comma separated, local time), not W3C: connections
    # are counted when closed; Bind, Listen and name lookups (GHBN) are no connection
    "w3c_ms_isa_tmg/isa2000_firewall_isaformat.log": ("isa-format", 11, 17, {}),
}
# Families covered here: every file in these folders must be listed above (or below).
REAL_FOLDERS = ("w3c_bluecoat_elff", "w3c_iis", "w3c_ms_isa_tmg", "zeek_tsv", "zeek_json",
                "suricata_eve", "fortigate")

needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="no shared realdata")


@needs_realdata
def test_every_real_file_of_the_covered_families_is_listed() -> None:
    assert real_files(REAL_FOLDERS) == set(REAL)


@needs_realdata
@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_file_parses_completely(rel: str) -> None:
    check_real_file(rel, REAL[rel], "action")


OTHER_REAL = sorted(str(p.relative_to(REALDATA)) for p in REALDATA.rglob("*")
                    if p.is_file() and p.suffix != ".md" and "LICENSE" not in p.name
                    and not p.relative_to(REALDATA).parts[0].startswith(REAL_FOLDERS)
                    ) if REALDATA.is_dir() else []
OWN = ("w3c", "zeek-http", "zeek-ssl", "zeek-dns", "zeek-conn", "suricata-eve", "fortigate")


@needs_realdata
@pytest.mark.parametrize("rel", OTHER_REAL)
def test_these_formats_do_not_claim_other_vendors_real_files(rel: str) -> None:
    lines = [x for x in Source.open(REALDATA / rel).head() if x.strip()]
    scores = {name: formats.get(name).detect(lines) for name in OWN}
    assert all(score < MIN_SCORE for score in scores.values()), scores


# -- quirks ----------------------------------------------------------------------------------

W3C = formats.get("w3c")
BLUECOAT = ("#Fields: date time c-ip cs-username cs-host cs-method sc-status s-action "
            "sc-filter-result cs(User-Agent)")


def test_w3c_block_without_header_reuses_the_previous_blocks_header() -> None:
    first = parse_lines(W3C, [BLUECOAT, '2026-10-08 07:15:02 10.1.0.10 alice chatgpt.com '
                              'CONNECT 200 TCP_TUNNELED OBSERVED "Edge"'])
    assert first[REJECT_COLUMN].to_list() == ["not an event: w3c directive", None]
    # the next block of the same file starts at line 3: no header in it
    second = parse_lines(W3C, ['2026-10-08 07:16:00 10.1.0.11 bob claude.ai GET 403 '
                               'TCP_DENIED DENIED "curl/8.5"'], first_line=3)
    assert second.select("user", "host", "status", "action", REJECT_COLUMN).row(0) == (
        "bob", "claude.ai", 403, "blocked", None)
    # another file: the old header does not apply, whether ingest said so (start_file) or
    # the block starts at line 1
    line = '2026-10-08 07:16:00 10.1.0.11 bob claude.ai GET 403 TCP_DENIED DENIED "curl/8.5"'
    W3C.start_file()
    assert parse_lines(W3C, [line], first_line=9)[REJECT_COLUMN].to_list() == [
        "no #Fields header before this line"]
    parse_lines(W3C, [BLUECOAT])
    assert parse_lines(W3C, [line])[REJECT_COLUMN].to_list() == [
        "no #Fields header before this line"]


def test_w3c_header_change_mid_block_applies_from_its_line() -> None:
    events = parse_lines(W3C, [
        "#Fields: date time c-ip cs-host",
        "2026-10-08 07:15:02 10.1.0.10 chatgpt.com",
        "#Fields: date time cs-host c-ip cs-username",
        "2026-10-08 07:15:03 claude.ai 10.1.0.11 bob",
    ])
    assert events.filter(pl.col(REJECT_COLUMN).is_null()).select(
        "client_ip", "host", "user").rows() == [
        ("10.1.0.10", "chatgpt.com", None), ("10.1.0.11", "claude.ai", "bob")]


def test_w3c_quoted_fields_keep_their_spaces_and_doubled_quotes() -> None:
    events = parse_lines(W3C, [
        "#Fields: date time c-ip cs(User-Agent) cs-username cs-categories cs-host sc-bytes",
        '2026-10-08 07:15:02 10.1.0.10 "Mozilla/5.0 (Windows NT 10.0; Win64; x64) '
        'Say ""hi""" "CORP\\alice" "Artificial Intelligence; Chat" chatgpt.com 5120',
    ])
    assert events.select("user", "host", "bytes_down", REJECT_COLUMN).row(1) == (
        "CORP\\alice", "chatgpt.com", 5120, None)


def test_w3c_tab_separated_field_names_may_contain_spaces() -> None:
    events = parse_lines(W3C, [
        "#Fields: date\ttime\tsource\tdestination\toriginal client IP\taction\tbytes sent"
        "\tbytes received\tdestination name",
        "2026-10-08\t07:15:02\t10.1.0.10:50123\t203.0.113.40:443\t10.1.0.10\tDenied\t10\t0\t-",
    ])
    assert events.select("client_ip", "host", "action", "bytes_up", REJECT_COLUMN).row(1) == (
        "10.1.0.10", "203.0.113.40:443", "blocked", 10, None)


FORTIGATE = formats.get("fortigate")


def fortigate_line(date: str, time: str, extra: str = "") -> str:
    return (f'date={date} time={time} logid="0000000013" type="traffic" subtype="forward" '
            f'srcip=10.1.0.10 dstip=203.0.113.40 action="accept" {extra}').strip()


def test_fortigate_local_time_across_the_autumn_dst_change() -> None:
    """2026-10-25 in Europe/Paris: 02:00-03:00 happens twice (CEST then CET). A line
    without ``tz`` cannot say which: the earliest instant (CEST, UTC+2) is taken. Lines
    with ``tz`` are exact."""
    events = parse_lines(FORTIGATE, [
        fortigate_line("2026-10-25", "01:59:59"),
        fortigate_line("2026-10-25", "02:30:00"),
        fortigate_line("2026-10-25", "03:00:00"),
        fortigate_line("2026-10-25", "02:30:00", 'tz="+0100"'),
        fortigate_line("2026-03-29", "02:30:00"),  # spring gap: this wall time never existed
    ])
    assert [t and t.isoformat() for t in events["ts"].to_list()] == [
        "2026-10-24T23:59:59+00:00",
        "2026-10-25T00:30:00+00:00",
        "2026-10-25T02:00:00+00:00",
        "2026-10-25T01:30:00+00:00",
        None,
    ]
    assert events[REJECT_COLUMN].to_list() == [None] * 4 + ["bad timestamp"]


def test_fortigate_keys_do_not_match_inside_other_keys_or_quoted_values() -> None:
    line = fortigate_line("2026-10-08", "09:15:02", 'unauthuser="mallory" msg="user=eve '
                          'said \\"hi\\"" hostname="chat.mistral.ai" user="frank"')
    row = parse_lines(FORTIGATE, [line]).row(0, named=True)
    assert (row["user"], row["host"], row[REJECT_COLUMN]) == ("frank", "chat.mistral.ai", None)


def test_zeek_tsv_block_without_header_reuses_the_previous_blocks_header() -> None:
    ssl = formats.get("zeek-ssl")
    header = "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tserver_name"
    parse_lines(ssl, ["#separator \\x09", "#path\tssl", header])
    events = parse_lines(ssl, ["1791443702.5\tC1\t10.1.0.10\t52000\t203.0.113.40\t443\t"
                               "chatgpt.com"], first_line=4)
    assert events.select("client_ip", "host", REJECT_COLUMN).row(0) == (
        "10.1.0.10", "chatgpt.com", None)


def test_zeek_records_run_together_are_split() -> None:
    """Two Zeek processes writing into one file: records run together on a line, a record
    cut short (its last fields lost, stray digits of the next record's ts glued to it), a
    ts with stray digits in front. Each record is read at its ts/uid start; a line with a
    record too short to read stays whole and is rejected."""
    ssl = formats.get("zeek-ssl")
    header = ("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\t"
              "server_name\testablished")

    def record(ts: str, uid: str, host: str, tail: str = "\tT") -> str:
        return f"{ts}\t{uid}\t10.1.0.10\t52000\t203.0.113.40\t443\tTLSv13\t{host}{tail}"

    events = parse_lines(ssl, [
        "#separator \\x09", header,
        record("1791443702.125000", "CHdM3W2nk0utHenb41", "chatgpt.com", "\tT17")
        + record("1791443703.250000", "Cms77q21pBrSQW0nte", "claude.ai"),
        record("171791443704.500000", "CyAUaF62yL1Ed1Vp", "chat.mistral.ai"),
        record("1791443705.000000", "CDGouAIcCEPwzeFgf", "gemini.google.com")
        + "1791443706.000000\tC37YS43OiWfa8oO1yk\t10.1.0.10",  # lost its server_name
        "1791443707.000000\tC9\t10.1.0.10\t52000\t203.0.113.40\t443\tTLSv13\tx.ai",  # short
    ])
    ok = events.filter(pl.col(REJECT_COLUMN).is_null())
    ts = dt.datetime.fromtimestamp
    assert ok.select(LINE_COLUMN, "ts", "host").rows() == [
        (3, ts(1791443702.125, dt.UTC), "chatgpt.com"),
        (3, ts(1791443703.25, dt.UTC), "claude.ai"),
        (4, ts(1791443704.5, dt.UTC), "chat.mistral.ai")]
    assert events.filter(pl.col(LINE_COLUMN) > 4).select(LINE_COLUMN, REJECT_COLUMN).rows() == [
        (5, "wrong number of fields"), (6, "wrong number of fields")]


def test_zeek_records_cut_short_keep_their_first_reading() -> None:
    """A block whose rejected lines are only records cut short (fewer fields, a bad ts of
    Zeek's length: nothing to split) is not read again: every line keeps its first reading,
    in line order."""
    conn = formats.get("zeek-conn")
    header = "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state"
    whole = "1791443702.125000\tC1\t10.1.0.10\t52000\t203.0.113.40\t443\ttcp\tSF"
    events = parse_lines(conn, [
        header, whole, whole.rsplit("\t", 3)[0], "1791443x02.125000" + whole[17:], whole])
    assert events.select(LINE_COLUMN, REJECT_COLUMN).rows() == [
        (1, "not an event: zeek header"), (2, None), (3, "wrong number of fields"),
        (4, "bad timestamp"), (5, None)]
    assert events.filter(pl.col(REJECT_COLUMN).is_null())["host"].to_list() == [
        "203.0.113.40"] * 2


def test_every_format_reads_an_empty_block() -> None:
    empty = pl.DataFrame({LINE_COLUMN: [], "line": []},
                         schema={LINE_COLUMN: pl.Int64, "line": pl.String})
    for fmt in formats.REGISTRY.values():
        schema = fmt.parse(empty.lazy(), TZ).collect().schema
        assert {k: v for k, v in schema.items() if k not in OPTIONAL_SCHEMA} == OUTPUT_SCHEMA, \
            fmt.name


@pytest.mark.parametrize("name", sorted(formats.REGISTRY))
def test_every_unit_is_ranked_and_translated(name: str) -> None:
    from shadowai.metrics import UNIT_PRIORITY
    from shadowai.report.i18n import UNIT_NAMES

    unit = formats.REGISTRY[name].unit
    assert unit in UNIT_PRIORITY, f"{name}: rank its unit {unit!r} in metrics.UNIT_PRIORITY"
    assert UNIT_NAMES[unit]["fr"] and UNIT_NAMES[unit]["en"]


def test_every_format_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [n for n in formats.REGISTRY if f"| `{n}` |" not in readme]
    assert not missing, f"formats missing from the README table: {missing}"


def test_a_directory_mixing_every_format_and_compression(tmp_path: Path) -> None:
    """shadowai ingest on one folder holding every sample, some compressed: each file is
    detected as its format and read without a failure."""
    import bz2
    import gzip
    import lzma

    import zstandard
    from click.testing import CliRunner

    from shadowai.cli import cli

    packers = [lambda b: b, gzip.compress, bz2.compress, lzma.compress,
               zstandard.ZstdCompressor().compress]
    suffixes = ["", ".gz", ".bz2", ".xz", ".zst"]
    expected = {}
    for i, sample in enumerate(SAMPLE_FILES):
        name = f"{sample.stem}.log{suffixes[i % 5]}"
        (tmp_path / "logs").mkdir(exist_ok=True)
        (tmp_path / "logs" / name).write_bytes(packers[i % 5](sample.read_bytes()))
        expected[name] = format_of(sample)
    config = tmp_path / "shadowai.toml"
    config.write_text('[store]\npath = "s.duckdb"\n[privacy]\nkey_file = "k.key"\n'
                      '[ingest]\nmax_rejected_ratio = 1\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "--json",
                                      str(tmp_path / "logs")])
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)}
    assert {n: f["status"] for n, f in files.items()} == dict.fromkeys(expected, "ingested")
    assert {n: f["format"] for n, f in files.items()} == expected
    assert all(f["lines"] == f["parsed"] + f["rejected"] + f["not_event"]
               for f in files.values())
