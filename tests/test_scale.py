"""Scale: the pure per-file step, the process pool and Spark give the store one run in
one process gives (golden test over every sample log), and months without a key stay
closed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from shadowai import catalog
from shadowai.cli import cli
from shadowai.directory import Directory
from shadowai.ingest import MONTH_CLOSED, Ingestor, RunContext, scan_file
from shadowai.pseudonym import Pseudonymiser, derive_month_key
from shadowai.store import Store
from tests.conftest import DEMO, REPO, at, native
from tests.orgkit import demo_config, zeek_dns_answer
from tests.sparkkit import spark_unavailable

# Spark's driver and executors talk over loopback only (not the machine's own address).
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

#: Columns that say when a row was written, not what it holds.
WHEN = {"file_id", "ingested_at", "written_at", "created_at", "seen_at"}


def store_tables(db: Path) -> dict[str, list[tuple]]:
    """Every table of a store, sorted, without row ids and write times."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = 'main' ORDER BY 1").fetchall():
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall() if c not in WHEN]
            names = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(con.execute(f"SELECT {names} FROM {table}").fetchall(),
                                key=repr)
        return out
    finally:
        con.close()


def differences(a: object, b: object, where: str = "") -> list[str]:
    """Where two JSON values differ (paths), for a readable failure."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in differences(a.get(k), b.get(k), f"{where}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"[:300]]


def _config(work: Path) -> Path:
    config = demo_config(work)
    # Every run compared gets the same month keys (random keys would differ per run):
    # one fixed key for each month the samples may hold.
    ring = work / "keys"
    ring.mkdir(mode=0o700)
    for year in range(2000, 2027):
        for month in range(1, 13):
            name = f"{year}-{month:02d}"
            (ring / f"{name}.key").write_text(derive_month_key(b"\xab" * 32, name).hex())
            (ring / f"{name}.key").chmod(0o600)
    return config


def run_all_samples(work: Path, dns: Path, *engine: str) -> dict[str, object]:
    """``shadowai run`` over all of sample_logs/ and the DNS sessions folder ``dns`` (see
    :func:`_dns_then_sessions`) with the engine options given."""
    config = _config(work)
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                 *engine, str(REPO / "sample_logs"), str(dns)],
                           catch_exceptions=False)
    assert result.exit_code in (0, 2), result.output  # 2: samples carry bad lines
    summary = json.loads((work / "reports" / "2026-10" / "summary.json").read_text())
    return {"tables": store_tables(work / "store.duckdb"), "summary": summary,
            "output": result.stdout, "store": work / "store.duckdb"}


@pytest.fixture(scope="module")
def dns_sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every run compared (paths are stored: they must be the same)."""
    logs = tmp_path_factory.mktemp("dns") / "logs"
    _dns_then_sessions(logs)
    return logs


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory, dns_sessions: Path) -> dict[str, object]:
    return run_all_samples(tmp_path_factory.mktemp("embedded"), dns_sessions, "--workers", "1")


def assert_same_store(other: dict[str, object], embedded: dict[str, object]) -> None:
    assert other["tables"]["files"], "nothing was ingested"  # type: ignore[index]
    assert len(other["tables"]["ai_daily"]) > 100  # type: ignore[index]
    for table, rows in embedded["tables"].items():  # type: ignore[attr-defined]
        if table == "month_headcounts":  # the same headcounts, saved at another instant
            saved = other["tables"][table]  # type: ignore[index]
            assert [r[:-1] for r in saved] == [r[:-1] for r in rows], table
        elif table != "month_summaries":  # the same JSON, compared below
            assert other["tables"][table] == rows, table  # type: ignore[index]
    diff = differences(other["summary"], embedded["summary"])
    assert diff == [], "\n".join(diff)


def test_a_process_pool_stores_what_one_process_stores(
        embedded: dict[str, object], dns_sessions: Path, tmp_path: Path) -> None:
    """Every sample and the DNS sessions: answers reach each worker (shared per stage)."""
    assert_same_store(run_all_samples(tmp_path, dns_sessions, "--workers", "2"), embedded)


def _demo_file() -> Path:
    return DEMO / "logs" / "2026-10" / "proxy1" / "access.log-20261015.gz"


def test_scan_file_needs_no_store_and_only_the_months_keys(tmp_path: Path) -> None:
    """scan_file reads a file with a context alone; lines of a month without a key are
    counted as month_closed, never ingested; a key changes every pseudonym."""
    log = tmp_path / "two-months.log"
    lines = [native(at(30, 10), "10.1.0.10", "TCP_TUNNEL/200", 1, "CONNECT",
                    "chatgpt.com:443", "alice"),
             native(at(31, 10), "10.1.0.11", "TCP_TUNNEL/200", 1, "CONNECT",
                    "claude.ai:443", "bob"),
             native(at(31, 10).replace(month=11, day=2), "10.1.0.10", "TCP_TUNNEL/200", 1,
                    "CONNECT", "chatgpt.com:443", "alice")]
    log.write_text("\n".join(lines) + "\n")
    run = RunContext(catalog.load(), Directory(), "Europe/Paris")
    from shadowai.ingest import ScanContext

    def context(keys: dict[str, bytes]) -> ScanContext:
        return ScanContext(run, "squid-native", str(log), "Europe/Paris",
                           log.stat().st_mtime, frozenset(), keys)

    both = scan_file(str(log), context({"2026-10": b"o" * 32, "2026-11": b"n" * 32}))
    october = scan_file(str(log), context({"2026-10": b"o" * 32}))
    rekeyed = scan_file(str(log), context({"2026-10": b"x" * 32}))
    assert (both.lines, both.closed, october.closed) == (3, 0, 1)
    assert both.frame("ai_daily")["requests"].sum() == 3
    assert october.frame("ai_daily")["requests"].sum() == 2
    closed = october.frame("file_lines").filter(kind="month_closed").rows()
    assert closed == [("month_closed", MONTH_CLOSED, "2026-11", 1, 3)]
    assert october.rejected == 0  # not malformed: not counted against max_rejected_ratio
    assert set(october.frame("file_days")["day"].dt.month()) == {10}
    people = set(october.frame("traffic_daily")["pseudonym"])
    assert people.isdisjoint(rekeyed.frame("traffic_daily")["pseudonym"])
    for table in october.tables.values():  # plain Arrow types only (Spark 3.5 reads them)
        assert "string_view" not in str(table.schema)


def test_the_driver_gives_a_file_only_its_months_keys(org: Path, tmp_path: Path) -> None:
    """From the month before the head's first line to the file's modification time."""
    log = tmp_path / "october.log"
    log.write_text(native(at(12), "10.1.0.10", "TCP_TUNNEL/200", 1, "CONNECT",
                          "chatgpt.com:443", "alice") + "\n")
    stamp = at(20).replace(month=12).timestamp()  # last written in December
    os.utime(log, (stamp, stamp))
    key = Pseudonymiser(b"k" * 32)
    with Store(org.parent / "store.duckdb") as store:
        ingestor = Ingestor(store, catalog.load(), Directory(), key, "Europe/Paris")
        _, planned = ingestor.plan([log])
        context = ingestor.context(planned[0])
    assert sorted(context.month_keys) == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert context.month_keys["2026-10"] == key.month_key("2026-10")
    assert b"k" * 32 not in json.dumps(
        {m: k.hex() for m, k in context.month_keys.items()}).encode()


# -- Spark ----------------------------------------------------------------------------------

spark = pytest.mark.skipif(spark_unavailable() is not None,
                           reason=spark_unavailable() or "")


@pytest.mark.spark
@spark
def test_spark_executors_store_what_one_process_stores_though_one_dies_once(
        embedded: dict[str, object], dns_sessions: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """local-cluster[2,1,1024]: two real executor processes (JVMs with their own Python
    workers), every sample, DNS answers broadcast to both; the worker reading one demo file
    dies on its first attempt (exit 137), Spark retries the task, and the store and the
    report are the ones an in-process run makes. (local[N,F] mode: tests/test_s3.py.)"""
    marker = tmp_path / "crashed-once"
    monkeypatch.setenv("SHADOWAI_TEST_CRASH_ONCE", f"{_demo_file().name}:{marker}")
    try:
        sparked = run_all_samples(tmp_path / "work", dns_sessions, "--engine", "spark",
                                  "--spark-master", "local-cluster[2,1,1024]")
    except AssertionError as exc:
        if "local-cluster" in str(exc) and not marker.exists():
            pytest.skip(f"local-cluster did not start here: {str(exc)[-300:]}")
        raise
    assert marker.read_text().endswith(_demo_file().name)  # it did die once
    assert_same_store(sparked, embedded)


# -- DNS answers: sent once per stage, each file takes its months' rows -----------------------

def _dns_then_sessions(logs: Path) -> None:
    """A Zeek DNS log answering chatgpt.com to 10.1.0.10 (October), and three proxy files
    whose IP-only sessions its answers attribute (October) or cannot (November)."""
    zeek_dns_answer(logs / "dns.log", at(5, 10), "10.1.0.10", "chatgpt.com", ["203.0.113.40"])
    for n, (day, month) in enumerate([(5, 10), (5, 10), (3, 11)]):
        when = at(day, 10, 5 + n).replace(month=month)
        (logs / f"proxy{n}.log").write_text("\n".join(
            native(when.replace(minute=5 + n + i), "10.1.0.10", "TCP_TUNNEL/200", 10,
                   "CONNECT", "203.0.113.40:443", "alice") for i in range(3)) + "\n")


def test_dns_answers_attribute_their_months_sessions_only(embedded: dict[str, object],
                                                          dns_sessions: Path) -> None:
    """The three proxy files of :func:`_dns_then_sessions`: October's sessions attributed
    from the DNS log of the same run, November's not (no answer that month). The pool,
    Spark and Spark Connect stores equal this one (tests above and below)."""
    con = duckdb.connect(str(embedded["store"]), read_only=True)
    attributed = con.execute(
        "SELECT l.reason, l.month, l.lines FROM file_lines l JOIN files f USING (file_id) "
        "WHERE l.kind = 'attribution' AND starts_with(f.path, ?) ORDER BY ALL",
        [str(dns_sessions)]).fetchall()
    con.close()
    assert attributed == [("destination IP attributed from DNS answers", "2026-10", 3)] * 2 \
        + [("destination IP only, not attributed", "2026-11", 3)]


# -- Spark Connect (the server: tests/sparkkit.py, one per session) -------------------------

@pytest.mark.spark
@spark
def test_spark_connect_stores_what_one_process_stores(connect_server: str,
                                                      tmp_path: Path) -> None:
    """--spark-remote sc://...: the same store as one process, DNS answers included (Spark
    Connect has no broadcast: they go with the task function)."""
    _dns_then_sessions(tmp_path / "dns")
    inputs = [str(DEMO / "logs"), str(tmp_path / "dns")]
    (tmp_path / "one").mkdir()
    (tmp_path / "remote").mkdir()
    base = CliRunner().invoke(cli, ["--config", str(_config(tmp_path / "one")), "ingest",
                                    "--workers", "1", *inputs], catch_exceptions=False)
    assert base.exit_code == 0, base.output
    proc = subprocess.run(
        ["shadowai", "--config", str(_config(tmp_path / "remote")), "ingest", "--engine",
         "spark", "--spark-remote", connect_server, *inputs],
        capture_output=True, text=True, timeout=900, cwd=tmp_path / "remote",
        env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    remote = store_tables(tmp_path / "remote" / "store.duckdb")
    assert len(remote["files"]) == 10
    assert remote == store_tables(tmp_path / "one" / "store.duckdb")
