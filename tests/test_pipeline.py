"""The monthly pipeline end to end on crafted Squid logs: counting rules, departments,
idempotence, atomicity, exit codes. Real files, a real DuckDB store, the real CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from shadowai import catalog
from shadowai import store as store_mod
from shadowai.directory import Directory
from shadowai.ingest import Ingestor
from shadowai.pseudonym import Pseudonymiser
from shadowai.store import Store
from tests.conftest import at, native
from tests.orgkit import zeek_dns_answer

LINES = [
    # alice (Finances, by user map) uses ChatGPT through a CONNECT tunnel, twice
    native(at(5), "10.1.0.10", "TCP_TUNNEL/200", 5000, "CONNECT", "chatgpt.com:443", "alice"),
    native(at(5, 11), "10.1.0.10", "TCP_TUNNEL/200", 7000, "CONNECT", "chatgpt.com:443",
           "CORP\\Alice"),
    # bob: a proxy auth challenge (not usage) then the real request, SSL-bumped URL
    native(at(6), "10.1.0.11", "TCP_DENIED/407", 300, "GET",
           "https://claude.ai/api/chat", "-"),
    native(at(6), "10.1.0.11", "TCP_MISS/200", 900, "GET", "https://claude.ai/api/chat",
           "bob@CORP.EXAMPLE"),
    # carol (Routes): DeepSeek refused by the proxy: usage AND blocked
    native(at(7), "10.2.0.5", "TCP_DENIED/403", 120, "CONNECT", "chat.deepseek.com:443",
           "carol"),
    # unauthenticated laboratory PC, resolved by network (most specific /24 wins)
    native(at(7), "10.2.9.7", "TCP_MISS/200", 800, "POST", "http://api.openai.com/v1/x"),
    # IPv6 client (Routes by network), plain web use of a non-AI host
    native(at(8), "2001:db8:42::17", "TCP_TUNNEL/200", 100, "CONNECT", "www.example.org:443"),
    # unknown server: unassigned; look-alikes that must not match
    native(at(8), "10.250.0.1", "TCP_TUNNEL/200", 100, "CONNECT", "notchatgpt.com:443"),
    native(at(8), "10.250.0.1", "TCP_TUNNEL/200", 100, "CONNECT", "claude.ai.example.net:443"),
    # an AI-looking host not in the catalog: a candidate
    native(at(9), "10.1.0.10", "TCP_TUNNEL/200", 100, "CONNECT", "chat.example-llm.io:443",
           "alice"),
    # no destination host
    native(at(9), "10.1.0.10", "NONE/400", 0, "NONE", "error:invalid-request", "alice"),
    # malformed lines
    "garbage",
    "",
    native(at(9), "10.1.0.10", "TCP_MISS/abc", 10, "GET", "http://x.example/", "alice"),
]


@pytest.fixture
def logfile(tmp_path: Path) -> Path:
    path = tmp_path / "logs" / "access.log.gz"
    path.parent.mkdir()
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(LINES) + "\n")
    return path


def tables(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        # file ids are renumbered when a file is re-ingested: compare rows without them
        out = {t: con.execute(f"SELECT * EXCLUDE (file_id) FROM {t} ORDER BY ALL").fetchall()
               for t in ("ai_daily", "traffic_daily", "candidates", "file_lines")}
        out["files"] = con.execute("SELECT path, fingerprint, lines FROM files").fetchall()
        return out
    finally:
        con.close()


def per_service(db: Path) -> dict[str, tuple[int, int]]:
    """Requests and blocked requests per service of people (not addresses) in the store:
    the report hides them for services of fewer than k people."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {sid: (int(r), int(b)) for sid, r, b in con.execute(
            "SELECT service_id, sum(requests), sum(blocked) FROM ai_daily "
            "WHERE NOT coalesce(address_only, false) GROUP BY ALL").fetchall()}


def test_run_counts_by_the_rules(shadowai, org: Path, logfile: Path) -> None:
    result = shadowai("run", "--month", "2026-10", str(logfile))
    assert result.exit_code == 2, result.stderr  # 2 of 14 lines rejected: beyond tolerance
    summary = json.loads((org.parent / "reports/2026-10/summary.json").read_text())
    services = {s["id"]: s for s in summary["services"]}
    # alice alone: below k = 2, and none of the service's counts shown either
    assert (services["openai-chatgpt"]["people"], services["openai-chatgpt"]["requests"]) \
        == (None, None)
    stored = per_service(org.parent / "store.duckdb")
    assert stored["openai-chatgpt"] == (2, 0)
    assert stored["anthropic-claude"] == (1, 0)  # the 407 challenge is not usage
    assert stored["deepseek-chat"] == (1, 1)
    # 5 of the 9 usage lines carry a user name: the unauthenticated laboratory PC's call
    # to the OpenAI API is an address's, counted apart from people
    assert set(services) == {"openai-chatgpt", "anthropic-claude", "deepseek-chat"}
    assert summary["totals"]["ai_requests"] == 4
    assert summary["addresses"] == {
        "counted_apart": True, "lines_with_user_share": round(5 / 9, 4), "active": 3,
        "ai_people": None, "ai_requests": None, "ai_episodes": None}  # one address: < k
    assert summary["totals"]["blocked_requests"] == 1
    q = summary["quality"]
    # the blank line is not an event, not a rejected line
    assert (q["lines"], q["rejected"]) == (14, 2)
    assert q["rejected_by_reason"] == {"wrong number of fields": 1, "bad status": 1}
    assert q["not_usage_by_reason"] == {
        "proxy authentication challenge (407, no user)": 1, "no destination host": 1}
    assert q["days_with_data"] == 5 and q["days_in_month"] == 31
    # look-alikes are not usage, but they look like AI: listed for catalog review
    assert summary["candidates"] == [{"host": h, "requests": 1} for h in (
        "chat.example-llm.io", "claude.ai.example.net", "notchatgpt.com")]


def test_departments_user_map_then_networks(org: Path, logfile: Path) -> None:
    db = org.parent / "store.duckdb"
    directory = Directory.load(org.parent / "users.csv", org.parent / "networks.csv", None)
    with Store(db) as store:
        Ingestor(store, catalog.load(), directory, Pseudonymiser(b"k" * 32),
                 "Europe/Paris").ingest([logfile])
        rows = store.rows("SELECT department, service_id, sum(requests) FROM ai_daily "
                          "GROUP BY ALL ORDER BY ALL")
        people = store.rows("SELECT department, count(DISTINCT pseudonym) FROM traffic_daily "
                            "GROUP BY ALL ORDER BY ALL")
    assert rows == [("Finances", "anthropic-claude", 1), ("Finances", "openai-chatgpt", 2),
                    ("Laboratoire", "openai-api", 1), ("Routes", "deepseek-chat", 1)]
    # alice's two spellings are one person; the IPv6 client is Routes; the server unassigned
    assert people == [("Finances", 2), ("Laboratoire", 1), ("Routes", 2), ("unassigned", 1)]


def test_ingest_twice_changes_nothing(shadowai, org: Path, logfile: Path) -> None:
    shadowai("ingest", str(logfile))
    before = tables(org.parent / "store.duckdb")
    again = shadowai("ingest", str(logfile))
    assert "unchanged" in again.stdout
    forced = shadowai("ingest", "--force", str(logfile))
    assert "1 file(s) ingested" in forced.stdout
    after = tables(org.parent / "store.duckdb")
    assert after == before


def test_same_content_under_another_name_is_not_counted_twice(shadowai, org: Path,
                                                               logfile: Path) -> None:
    shadowai("ingest", str(logfile))
    copy = logfile.parent / "rotated-copy.log.gz"
    copy.write_bytes(logfile.read_bytes())
    result = shadowai("ingest", str(copy))
    assert "duplicate" in result.stdout
    assert len(tables(org.parent / "store.duckdb")["files"]) == 1


def test_a_file_that_grew_replaces_its_earlier_version(shadowai, org: Path,
                                                       tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(LINES[0] + "\n", encoding="utf-8")
    shadowai("ingest", str(log))
    log.write_text(LINES[0] + "\n" + LINES[1] + "\n", encoding="utf-8")
    shadowai("ingest", str(log))
    t = tables(org.parent / "store.duckdb")
    assert len(t["files"]) == 1
    assert sum(r[5] for r in t["ai_daily"]) == 2  # requests column


def test_interrupted_ingest_leaves_the_store_as_it_was(org: Path, logfile: Path,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = org.parent / "store.duckdb"
    second = tmp_path / "second.log"
    second.write_text("\n".join(LINES[:2]) + "\n", encoding="utf-8")
    with Store(db) as store:
        Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                 "Europe/Paris").ingest([logfile])
    before = tables(db)

    original = store_mod.Store.replace_file

    def crash_midway(self, record, frames, *args):
        frames = dict(frames)
        frames["candidates"] = None  # fails after files and ai_daily rows were inserted
        return original(self, record, frames, *args)

    monkeypatch.setattr(store_mod.Store, "replace_file", crash_midway)
    with Store(db) as store, pytest.raises(AttributeError):
        Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                 "Europe/Paris").ingest_file(second)
    assert tables(db) == before


def test_report_before_any_ingest_is_a_clear_error(shadowai) -> None:
    result = shadowai("report", "--month", "2026-10")
    assert result.exit_code == 1
    assert "no store yet" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("block_bytes", [None, 150])  # 150 bytes: about one line per block
def test_episodes_split_on_30_minute_gaps_even_across_blocks(
        org: Path, tmp_path: Path, block_bytes: int | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if block_bytes:
        monkeypatch.setattr("shadowai.sources.BLOCK_BYTES", block_bytes)
    times = [(10, 0), (10, 20), (10, 55), (11, 0)]  # 35 minutes between 10:20 and 10:55
    lines = [native(at(5, h, m), "10.1.0.10", "TCP_TUNNEL/200", 1, "CONNECT",
                    "chatgpt.com:443", "alice" if i % 2 else "CORP\\alice")
             for i, (h, m) in enumerate(times)]
    lines.insert(1, native(at(5, 10, 10), "10.1.0.10", "TCP_TUNNEL/200", 1, "CONNECT",
                           "claude.ai:443", "alice"))
    lines.append(native(at(6, 9, 0), "10.1.0.10", "TCP_TUNNEL/200", 1, "CONNECT",
                        "cdn.oaistatic.com:443", "alice"))  # next day, same service
    log = tmp_path / "episodes.log"
    log.write_text("\n".join(lines) + "\n")
    with Store(org.parent / "store.duckdb") as store:
        Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                 "Europe/Paris").ingest([log])
        rows = store.rows("SELECT day::VARCHAR, service_id, host, requests, episodes "
                          "FROM ai_daily ORDER BY ALL")
    assert rows == [("2026-10-05", "anthropic-claude", "claude.ai", 1, 1),
                    ("2026-10-05", "openai-chatgpt", "chatgpt.com", 4, 2),
                    ("2026-10-06", "openai-chatgpt", "cdn.oaistatic.com", 1, 1)]


class _CommentedSquid:
    """Squid native where '#' lines are valid records that carry no connection."""

    name, description, unit = "test-commented", "test", "proxy request"

    def detect(self, lines):
        return 0.0

    def parse(self, frame, timezone):
        import polars as pl

        from shadowai.formats import get

        parsed = get("squid-native").parse(frame, timezone)
        comment = pl.col("_line").is_in(
            frame.filter(pl.col("line").str.starts_with("#")).select("_line").collect()
            ["_line"].implode())
        return parsed.with_columns(pl.when(comment).then(pl.lit("not an event: comment"))
                                   .otherwise(pl.col("_reject")).alias("_reject"))


def test_not_an_event_lines_are_counted_apart_from_malformed(org: Path, tmp_path: Path) -> None:
    log = tmp_path / "commented.log"
    log.write_text("#Software: test\n#Date: today\n" + LINES[0] + "\ngarbage\n")
    with Store(org.parent / "store.duckdb") as store:
        result = Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                          "Europe/Paris").ingest_file(log, _CommentedSquid())
        kinds = store.rows("SELECT kind, reason, lines, first_line FROM file_lines "
                           "ORDER BY ALL")
    assert (result.lines, result.parsed, result.rejected, result.not_event) == (4, 1, 1, 2)
    assert result.not_event_by_reason == {"not an event: comment": 2}
    assert kinds == [("not_event", "not an event: comment", 2, 1),
                     ("rejected", "wrong number of fields", 1, 4)]


def test_units_are_never_added_together(shadowai, org: Path, logfile: Path) -> None:
    """A proxy log and a DNS log of the same month: the proxy is the source of record,
    DNS lookups are listed apart."""
    from tests.conftest import REPO

    dns = REPO / "sample_logs" / "formats" / "zeek-dns.log"
    result = shadowai("run", "--month", "2026-10", str(logfile), str(dns))
    assert result.exit_code == 2, result.output  # the crafted proxy log has 3 bad lines
    summary = json.loads((org.parent / "reports/2026-10/summary.json").read_text())
    assert summary["unit"] == "proxy request"
    units = {u["unit"]: u for u in summary["units"]}
    assert set(units) == {"proxy request", "DNS lookup"}
    assert units["proxy request"]["source_of_record"] and units["DNS lookup"]["ai_requests"] > 0
    # the proxy's row counts as the headline does (the laboratory PC's address apart)
    assert summary["totals"]["ai_requests"] == units["proxy request"]["ai_requests"] == 4
    assert {q["format"] for q in summary["quality"]["files"]} == {"squid-native", "zeek-dns"}

    config = org.read_text() + '\n[report]\nunit = "DNS lookup"\n'
    org.write_text(config.replace('[report]\nout = "reports"\n', "").replace(
        '[report]\nunit', '[report]\nout = "reports"\nunit'))
    shadowai("report", "--month", "2026-10")
    summary = json.loads((org.parent / "reports/2026-10/summary.json").read_text())
    assert summary["unit"] == "DNS lookup"
    assert summary["totals"]["ai_requests"] == units["DNS lookup"]["ai_requests"]


def test_a_log_without_user_or_client_is_one_person(org: Path) -> None:
    """A desktop client's own log (Proxifier) names neither user nor client address."""
    from tests.conftest import REPO

    sample = REPO / "sample_logs" / "formats" / "proxifier.log"
    with Store(org.parent / "store.duckdb") as store:
        result = Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                          "Europe/Paris").ingest([sample])[0]
        people = store.rows("SELECT count(DISTINCT pseudonym) FROM traffic_daily")[0][0]
    assert result.status == "ingested" and result.parsed > 0
    assert people == 1


def test_ip_only_sessions_are_attributed_from_dns_answers(shadowai, org: Path,
                                                           tmp_path: Path) -> None:
    """A DNS answer for chatgpt.com to a client attributes that client's sessions to the
    answered address within the hour; other clients and later sessions are not guessed."""
    dns = zeek_dns_answer(tmp_path / "dns.log", at(5, 10), "10.1.0.10", "chatgpt.com",
                          ["203.0.113.40", "2001:db8::40"])
    sessions = tmp_path / "proxy.log"
    sessions.write_text("\n".join([
        native(at(5, 10, 5), "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT",
               "203.0.113.40:443", "alice"),                      # attributed
        native(at(5, 10, 6), "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT",
               "[2001:db8::40]:443", "alice"),                    # attributed (IPv6)
        native(at(5, 10, 7), "10.2.0.5", "TCP_TUNNEL/200", 10, "CONNECT",
               "203.0.113.40:443", "carol"),                      # another client: no
        native(at(5, 12, 30), "10.1.0.10", "TCP_TUNNEL/200", 10, "CONNECT",
               "203.0.113.40:443", "alice"),                      # too late: no
    ]) + "\n")
    # the proxy file is named first: ingest still reads the DNS log before it
    result = shadowai("run", "--month", "2026-10", str(sessions), str(dns))
    assert result.exit_code == 0, result.output
    summary = json.loads((org.parent / "reports/2026-10/summary.json").read_text())
    assert summary["unit"] == "proxy request"
    assert [s["id"] for s in summary["services"]] == ["openai-chatgpt"]
    assert per_service(org.parent / "store.duckdb") == {"openai-chatgpt": (2, 0)}
    assert summary["quality"]["attribution_by_reason"] == {
        "destination IP attributed from DNS answers": 2,
        "destination IP only, not attributed": 2}
    page = (org.parent / "reports/2026-10/index.html").read_text()
    assert "destination IP attributed from DNS answers" in page or \
        "adresse de destination attribuée par les réponses DNS" in page


def test_a_source_in_another_time_zone(shadowai, org: Path, tmp_path: Path) -> None:
    """FortiGate logs local wall-clock time: a firewall in French Guiana (UTC-3) is read in
    its own zone while days stay those of the organisation (Europe/Paris)."""
    line = ('date=2026-10-05 time=22:30:00 devname="fw-cayenne" devid="FG100F" '
            'logid="0000000013" type="traffic" subtype="forward" level="notice" '
            'srcip=10.1.0.10 dstip=203.0.113.40 hostname="chatgpt.com" action="accept" '
            'user="alice" sentbyte=100 rcvdbyte=200')
    log = tmp_path / "fw-cayenne.log"
    log.write_text(line + "\n")
    org.write_text(org.read_text() + '\n[timezones]\n"*cayenne*" = "America/Cayenne"\n')
    result = shadowai("ingest", "--json", str(log))
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)[0]
    assert info["format"] == "fortigate"
    assert info["first_ts"] == "2026-10-06T01:30:00Z"  # 22:30 in Cayenne (UTC-3)
    with Store(org.parent / "store.duckdb", read_only=True) as store:
        days = store.rows("SELECT DISTINCT day::VARCHAR FROM ai_daily")
    assert days == [("2026-10-06",)]  # 03:30 in Paris
    org.write_text(org.read_text() + '"*other*" = "Mars/Olympus"\n')
    bad = shadowai("status")
    assert bad.exit_code == 1 and "not a known IANA time zone" in bad.stderr
