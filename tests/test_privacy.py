"""No raw user name or client IP from the inputs reaches the store, the HTML, the JSON or
the CSV exports."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import duckdb

from tests.conftest import DEMO, REPO

MIN_LEN = 4  # shorter names would match ordinary words by chance


def identities() -> set[str]:
    """Every user name and client IP of the demo, as written in its maps and logs."""
    with open(DEMO / "users.csv", encoding="utf-8") as fh:
        users = {row["user"] for row in csv.DictReader(fh)}
    ips = set()
    for path in (DEMO / "logs").rglob("*.gz"):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            for i, line in enumerate(fh):
                if i > 5000:
                    break
                ips.update(re.findall(r"\b10\.\d+\.\d+\.\d+\b|\b2001:db8:[0-9a-f:]+\b", line))
    assert len(users) > 1000 and len(ips) > 500
    return {x for x in users | ips if len(x) >= MIN_LEN}


def store_text(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        parts = []
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables")\
                .fetchall():
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                parts.append(" ".join(str(v) for v in row))
        return "\n".join(parts)
    finally:
        con.close()


def assert_absent(text: str, where: str, secrets: set[str]) -> None:
    tokens = set(re.findall(r"[A-Za-z0-9_.:\\@-]+", text))
    leaked = sorted(s for s in secrets if s in tokens or s.lower() in tokens)
    assert not leaked, f"{where} contains raw identities: {leaked[:5]}"


def test_no_raw_identity_in_store_or_outputs(demo) -> None:
    secrets = identities()
    assert_absent(store_text(demo["store"]), "store", secrets)
    for folder in (demo["fr"], demo["en"]):
        outputs = list(folder.iterdir())
        assert {p.name for p in outputs} >= {"index.html", "summary.json", "services.csv",
                                            "departments.csv"}
        assert "report.xlsx" in {p.name for p in outputs}
        for path in outputs:
            assert_absent(output_text(path), str(path), secrets)


def output_text(path) -> str:
    """A report output as text; a workbook is a zip of XML parts, all of them read."""
    if path.suffix == ".xlsx":
        import zipfile

        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    return path.read_text(encoding="utf-8")


def test_the_check_itself_finds_a_leak(demo) -> None:
    """Guard against a scan that can never fail."""
    secrets = identities()
    some_user = sorted(s for s in secrets if not s[0].isdigit())[0]
    try:
        assert_absent(f"<td>{some_user}</td>", "crafted", secrets)
    except AssertionError:
        return
    raise AssertionError("a planted user name was not detected")


def _panos_url(when: str, client: str, user: str, url: str, header: str = "PA-3220") -> str:
    """A PAN-OS URL-filtering line (THREAT/url) as a firewall sends it over syslog."""
    fields = ["1", when, "013201001234", "THREAT", "url", "2561", when, client,
              "203.0.113.40", "198.51.100.1", "203.0.113.40", "allow-web", user, "", "ssl",
              "vsys1", "trust", "untrust", "ethernet1/2", "ethernet1/1", "fwd", when, "1",
              "1", "52000", "443", "40001", "443", "0x400053", "tcp", "alert", f'"{url}"',
              "(9999)", "artificial-intelligence", "informational", "client-to-server"]
    return f"Oct  5 10:00:00 {header} " + ",".join(fields)


def test_no_raw_identity_from_any_panos_path_or_a_forgotten_host_cache(
        shadowai, org, monkeypatch) -> None:
    """Session 4 changed how PAN-OS lines are split (three paths), the classified-host cache
    (bounded, forgotten between blocks) and the episode state (kept per person across
    blocks): user names and client addresses read by each path, in a file of many small
    blocks whose cache is forgotten every block, reach neither the store nor any output."""
    from shadowai import ingest, sources

    people = [("corp\\alice", "10.1.0.10"), ("corp\\carol", "10.2.0.21"),
              ('"corp\\martin, helene"', "10.1.0.33"), ("corp\\dominique", "10.2.0.44")]
    lines = []
    for i in range(48):
        user, client = people[i % len(people)]
        when = f"2026/10/{5 + i % 3:02d} {9 + i % 8:02d}:{i % 60:02d}:00"
        url = ("chatgpt.com/c/1", "claude.ai/new", "www.example.org/x")[i % 3]
        header = "PA,3220" if i % 5 == 0 else "PA-3220"   # a comma in the syslog header
        lines.append(_panos_url(when, client, user, url, header))
    log = org.parent / "panos.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sources, "BLOCK_BYTES", 2048)   # several lines a block, many blocks
    monkeypatch.setattr(ingest, "HOST_CACHE_MAX", 1)    # the cache forgotten every block
    ingest._HOSTS.clear()
    result = shadowai("run", "--month", "2026-10", str(log))
    assert result.exit_code == 0, result.output
    secrets = {"alice", "carol", "martin", "helene", "dominique", "corp\\alice",
               "10.1.0.10", "10.2.0.21", "10.1.0.33", "10.2.0.44"}
    summary = (org.parent / "reports/2026-10/summary.json").read_text(encoding="utf-8")
    figures = json.loads(summary)
    assert figures["quality"]["lines"] == 48 and figures["quality"]["rejected"] == 0
    # every path read, nothing twice (the order of two services with as many requests goes by
    # episodes, which in this file of shuffled days depend on how lines are batched)
    assert {s["id"]: s["requests"] for s in figures["services"]} == {
        "openai-chatgpt": 16, "anthropic-claude": 16}
    assert_absent(store_text(org.parent / "store.duckdb"), "store", secrets)
    outputs = list((org.parent / "reports/2026-10").iterdir())
    assert {p.name for p in outputs} >= {"index.html", "summary.json", "services.csv"}
    for path in outputs:
        assert_absent(output_text(path), str(path), secrets)
    assert_absent(result.output, "run output", secrets)


def _zeek_http(ts: float, client: str, host: str, user: str) -> str:
    return "\t".join([f"{ts:.6f}", "CHx", client, "51000", "203.0.113.30", "443", "1", "POST",
                      host, "/v1/chat/completions", "-", "1.1", "curl/8.5", "-", "10", "20",
                      "200", "OK", "-", "-", "(empty)", user, "-", "-", "-", "-", "-", "-", "-",
                      "-"])


def test_no_raw_identity_from_zeek_records_cut_short_or_run_together(
        shadowai, org, monkeypatch) -> None:
    """Session 5 re-reads only the Zeek lines that may hold records run together and keeps
    the first reading of records cut short: the user names and client addresses of every
    kind of line, in many small blocks, reach neither the store, any output nor the
    warnings that quote a rejected line; each whole record is counted once."""
    from shadowai import sources

    header = [x for x in (REPO / "sample_logs" / "formats" / "zeek-http.log").read_text()
              .splitlines() if x.startswith("#") and not x.startswith("#close")]
    people = [("alice.martin", "10.1.0.10"), ("carol.durand", "10.2.0.21"),
              ("helene.petit", "10.1.0.33"), ("dominique.roux", "10.2.0.44")]
    start = 1791443702.0  # 2026-10-08
    lines, ai = list(header), 0
    for i in range(60):
        user, client = people[i % len(people)]
        host = ("api.openai.com", "claude.ai", "www.example.org")[i % 3]
        record = _zeek_http(start + 60 * i, client, host, user)
        if i % 10 == 3:    # cut short: a record that lost its last fields
            lines.append(record.rsplit("\t", 6)[0])
        elif i % 10 == 7:  # run together with another record (a lost newline)
            other_user, other_client = people[(i + 1) % len(people)]
            lines.append(record + _zeek_http(start + 60 * i + 30, other_client, "claude.ai",
                                             other_user))
        else:
            lines.append(record)
            ai += host != "www.example.org"
    log = org.parent / "http.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sources, "BLOCK_BYTES", 2048)   # many blocks, each with odd lines
    result = shadowai("run", "--month", "2026-10", str(log))
    # 2: partial, 12 of 68 lines rejected (above the default threshold), said in the output
    assert result.exit_code == 2, result.output
    assert "12 rejected" in result.output and "Traceback" not in result.output
    secrets = {"alice.martin", "carol.durand", "helene.petit", "dominique.roux",
               "10.1.0.10", "10.2.0.21", "10.1.0.33", "10.2.0.44"}
    report = org.parent / "reports/2026-10"
    figures = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    assert figures["quality"]["rejected"] == 12   # 6 cut short, 6 run together
    assert sum(s["requests"] for s in figures["services"]) == ai == 32
    assert_absent(store_text(org.parent / "store.duckdb"), "store", secrets)
    for path in report.iterdir():
        assert_absent(output_text(path), str(path), secrets)
    assert_absent(result.output, "run output", secrets)


def test_no_raw_identity_from_rejected_lines_counted_on_the_parse_thread(
        shadowai, org, monkeypatch) -> None:
    """Session 6 counts malformed lines on the parse thread and takes their month from the
    dated line before them (carried across blocks), else from the block's first dated line:
    in many small blocks, the user names and client addresses of malformed lines reach
    neither the store, the reports nor the warnings quoting them, and each month counts
    exactly its own rejected lines."""
    from shadowai import sources

    people = [("alice.martin", "10.1.0.10"), ("carol.durand", "10.2.0.21"),
              ("helene.petit", "10.1.0.33"), ("dominique.roux", "10.2.0.44")]
    october, november = 1791460800.0, 1794312000.0   # 2026-10-08 and 2026-11-10, 12:00 UTC

    def line(ts: float, i: int) -> str:
        user, client = people[i % len(people)]
        host = ("chatgpt.com:443", "claude.ai:443", "www.example.org:443")[i % 3]
        return (f"{ts + 60 * i:.3f}    120 {client} TCP_TUNNEL/200 4512 CONNECT {host} {user} "
                "HIER_DIRECT/203.0.113.9 -")

    def broken(i: int) -> str:
        user, client = people[i % len(people)]
        return f"{user} {client} lost half of this line"

    lines = [broken(i) for i in range(3)]   # before any dated line: the first month's
    rejected = {"2026-10": 3, "2026-11": 0}
    for month, start in (("2026-10", october), ("2026-11", november)):
        for i in range(30):
            lines.append(line(start, i))
            # after a dated line of the same month (maybe in the next block); the last one
            # of October also comes just before November's first
            if i % 7 == 6 or i == 29:
                lines.append(broken(i))
                rejected[month] += 1
    log = org.parent / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sources, "BLOCK_BYTES", 1024)   # about eight lines a block
    result = shadowai("run", "--month", "2026-10", str(log))
    assert result.exit_code == 2, result.output   # partial: 13 of 73 lines rejected
    assert "13 rejected" in result.output and "Traceback" not in result.output
    assert shadowai("report", "--month", "2026-11").exit_code == 0
    secrets = {name for name, _ in people} | {client for _, client in people}
    for month, count in rejected.items():
        report = org.parent / "reports" / month
        figures = json.loads((report / "summary.json").read_text(encoding="utf-8"))
        assert figures["quality"]["rejected"] == count, month
        assert sum(s["requests"] for s in figures["services"]) == 20, month
        for path in report.iterdir():
            assert_absent(output_text(path), str(path), secrets)
    assert rejected == {"2026-10": 8, "2026-11": 5}
    assert_absent(store_text(org.parent / "store.duckdb"), "store", secrets)
    assert_absent(result.output, "run output", secrets)


def test_no_raw_identity_when_blocks_are_aggregated_in_batches(
        shadowai, org, monkeypatch) -> None:
    """Session 7 aggregates several parsed blocks at once (``ingest.AGGREGATE_EVERY``): the
    raw user names and client addresses a batch holds until it is aggregated reach neither
    the store, the month's report files (HTML, JSON, CSV, workbook) nor the ``--json``
    output, with batches that end inside a person's day and across a month's end, and every
    request is counted once."""
    from shadowai import ingest, sources

    people = [("alice.martin", "10.1.0.10"), ("carol.durand", "10.2.0.21"),
              ("helene.petit", "10.1.0.33"), ("dominique.roux", "10.2.0.44")]
    start = 1793476800.0   # 2026-10-31 12:00 UTC: the file runs into November
    lines = []
    for i in range(120):
        user, client = people[i % len(people)]
        host = ("chatgpt.com:443", "claude.ai:443", "www.example.org:443")[i % 3]
        lines.append(f"{start + 397 * i:.3f}    120 {client} TCP_TUNNEL/200 4512 CONNECT "
                     f"{host} {user} HIER_DIRECT/203.0.113.9 -")
    log = org.parent / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(sources, "BLOCK_BYTES", 1024)   # about eight lines a block
    monkeypatch.setattr(ingest, "AGGREGATE_EVERY", 3)   # batches end at odd places
    ingest._HOSTS.clear()
    ingested = shadowai("ingest", "--json", str(log))
    assert ingested.exit_code == 0, ingested.output
    [got] = json.loads(ingested.stdout)
    assert (got["parsed"], got["rejected"], got["ai_requests"]) == (120, 0, 80)
    assert shadowai("report", "--month", "2026-10").exit_code == 0
    assert shadowai("report", "--month", "2026-11").exit_code == 0
    secrets = {name for name, _ in people} | {client for _, client in people}
    requests = 0
    for month in ("2026-10", "2026-11"):
        report = org.parent / "reports" / month
        assert {p.name for p in report.iterdir()} >= {"index.html", "summary.json",
                                                      "services.csv", "report.xlsx"}
        figures = json.loads((report / "summary.json").read_text(encoding="utf-8"))
        requests += sum(s["requests"] for s in figures["services"])
        for path in report.iterdir():
            assert_absent(output_text(path), str(path), secrets)
    assert requests == 80   # two in three lines go to ChatGPT or Claude, each counted once
    assert_absent(store_text(org.parent / "store.duckdb"), "store", secrets)
    assert_absent(ingested.output, "ingest --json output", secrets)


def test_no_raw_identity_in_what_session_8_added(shadowai, org, monkeypatch) -> None:
    """Session 8 added figures and messages about files: person-days read from several
    files (``quality.split_episodes``, a banner, a stderr warning, a likely stored copy),
    each file's day zone in the store and the refusal when it changed, and ``status``
    lines for closed months. None of them may carry a raw user name or client address:
    checked in the store, every report file, and everything ``run``, ``status`` and the
    refused ``report`` print."""
    people = [("alice.martin", "10.1.0.10"), ("carol.durand", "10.2.0.21"),
              ("helene.petit", "10.1.0.33"), ("dominique.roux", "10.2.0.44")]
    start = 1791450000.0   # 2026-10-08 in the morning (UTC)
    lines = []
    for i in range(160):   # every person asks ChatGPT every 5 minutes, rounds dealt in turn
        user, client = people[i % len(people)]
        lines.append(f"{start + 75 * i:.3f}    120 {client} TCP_TUNNEL/200 4512 CONNECT "
                     f"chatgpt.com:443 {user} HIER_DIRECT/203.0.113.9 -")
    folder = org.parent / "logs"
    folder.mkdir()
    rounds = [lines[i:i + 4] for i in range(0, len(lines), 4)]
    for name, part in (("proxy-a.log", rounds[0::2]), ("proxy-b.log", rounds[1::2])):
        (folder / name).write_text("".join(x + "\n" for r in part for x in r), encoding="utf-8")
    # and a copy of one proxy's file with Windows line ends: another file to shadowai
    (folder / "proxy-a-win.log").write_bytes(
        "".join(x + "\r\n" for r in rounds[0::2] for x in r).encode())
    ran = shadowai("run", "--month", "2026-10", str(folder))
    assert ran.exit_code == 0, ran.output
    report = org.parent / "reports" / "2026-10"
    figures = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    split = figures["quality"]["split_episodes"]
    assert split["person_days"] == 4 and split["excess"] > 0   # the new figures are there
    assert "person-days on a service were read from several files" in ran.output
    secrets = {name for name, _ in people} | {client for _, client in people}
    for path in report.iterdir():
        assert_absent(output_text(path), str(path), secrets)
    assert_absent(store_text(org.parent / "store.duckdb"), "store", secrets)
    assert_absent(ran.output, "run output", secrets)
    status = shadowai("status")
    assert status.exit_code == 0 and "2026-10" in status.output
    assert_absent(status.output, "status output", secrets)
    monkeypatch.setenv("SHADOWAI_REPORT_TIMEZONE", "America/Cayenne")
    refused = shadowai("report", "--month", "2026-10")
    assert refused.exit_code == 1 and "their days cut in Europe/Paris" in refused.output
    assert_absent(refused.output, "refused report's message", secrets)


def test_no_raw_identity_in_what_session_9_added(shadowai, org) -> None:
    """Session 9 added messages about the users and headcount maps (a person mapped to two
    departments in one month, a headcount below its AI users, a user listed twice), the
    catalog warnings, purge's and trend's new lines, and made the audit name where, never
    what, it found. None of them may carry a raw user name or client address: checked in
    the store, every report file, and everything run, status, audit, purge, trend and
    candidates print, with a log file named after a person last."""
    people = [("alice.martin", "10.1.0.10"), ("carol.durand", "10.2.0.21"),
              ("helene.petit", "10.1.0.33"), ("dominique.roux", "10.2.0.44")]
    users = org.parent / "users.csv"
    users.write_text("user,department\nalice.martin,Finances\ncarol.durand,Routes\n"
                     "helene.petit,Finances\ndominique.roux,Finances\n"
                     "carol.durand,Laboratoire\ncarol.durand,Routes\n", encoding="utf-8")
    (org.parent / "headcount.csv").write_text(
        "department,headcount\nFinances,40\nRoutes,1\nLaboratoire,10\n", encoding="utf-8")
    start = 1791450000.0   # 2026-10-08 in the morning (UTC)

    def log(name: str, rounds: range) -> Path:
        path = org.parent / "logs" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("".join(
            f"{start + 3600 * r + 60 * i:.3f}    120 {client} TCP_TUNNEL/200 4512 CONNECT "
            f"chatgpt.com:443 {user} HIER_DIRECT/203.0.113.9 -\n"
            for r in rounds for i, (user, client) in enumerate(people)), encoding="utf-8")
        return path

    first = shadowai("ingest", str(log("proxy-a.log", range(0, 3))))
    assert first.exit_code == 0, first.output
    # helene.petit moves to Routes between two ingests of the open month
    users.write_text(users.read_text(encoding="utf-8").replace("helene.petit,Finances",
                                                               "helene.petit,Routes"),
                     encoding="utf-8")
    ran = shadowai("run", "--month", "2026-10", str(org.parent / "logs"),
                   str(log("proxy-b.log", range(3, 6))))
    assert ran.exit_code == 0, ran.output
    assert "mapped to more than one department" in ran.output      # the new messages are
    assert "is listed again" in ran.output                          # there, without names
    assert "headcount of Routes is below its AI users" in ran.output
    secrets = {name for name, _ in people} | {client for _, client in people}
    report = org.parent / "reports" / "2026-10"
    for path in report.iterdir():
        assert_absent(output_text(path), str(path), secrets)
    assert_absent(store_text(org.parent / "store.duckdb"), "store", secrets)
    outputs = {"run": ran.output}
    for args in (["status"], ["trend"], ["candidates", "--month", "2026-10"],
                 ["purge", "--before", "2026-10", "--dry-run"], ["audit", "--json"]):
        result = shadowai(*args)
        assert result.exit_code == 0, (args, result.output)
        outputs[" ".join(args)] = result.output
    for path in (org.parent / "reports" / "trend").iterdir():
        assert_absent(output_text(path), str(path), secrets)
    # a log file named after a person: the audit fails while the month is open (the
    # registry holds its path), and says so without the login
    named = log("poste-dominique.roux.log", range(6, 7))
    assert shadowai("ingest", str(named)).exit_code == 0
    audit = shadowai("audit", "--json")
    assert audit.exit_code == 3 and "files.path: 1 value(s) hold a login" in audit.output
    outputs["audit after"] = audit.output
    for what, text in outputs.items():
        assert_absent(text, f"{what} output", secrets)
