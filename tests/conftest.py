"""Shared fixtures: a small organisation on disk and a way to write Squid lines."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from shadowai.cli import cli
from tests import browserkit, sparkkit

# The tests replay October 2026 long after its grace period: a month is closed only where
# a test asks for it (tests/test_closing.py), not by whichever command comes second.
os.environ["SHADOWAI_PRIVACY_CLOSE_AFTER_DAYS"] = "0"
# Tests read in process (monkeypatches reach the code); tests/test_scale.py runs the
# process pool and Spark explicitly.
os.environ.setdefault("SHADOWAI_INGEST_WORKERS", "1")

REPO = Path(__file__).resolve().parent.parent
PARIS = dt.timezone(dt.timedelta(hours=2))  # October 2026 before the DST change


def native(when: dt.datetime, client: str, code: str, size: int, method: str, url: str,
           user: str = "-", elapsed: int = 120) -> str:
    """One Squid native line, padded exactly as Squid pads it."""
    return (f"{when.timestamp():.3f} {elapsed:>6} {client} {code} {size} {method} {url} "
            f"{user} HIER_DIRECT/192.0.2.1 -")


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """A config with user, network and headcount maps in tmp_path; returns the config path."""
    (tmp_path / "users.csv").write_text(
        "user,department\nalice,Finances\nbob,Finances\ncarol,Routes\n", encoding="utf-8")
    (tmp_path / "networks.csv").write_text(
        "cidr,department\n10.1.0.0/16,Finances\n10.2.0.0/16,Routes\n10.2.9.0/24,Laboratoire\n"
        "2001:db8:42::/48,Routes\n", encoding="utf-8")
    (tmp_path / "headcount.csv").write_text(
        "department,headcount\nFinances,40\nRoutes,120\nLaboratoire,10\n", encoding="utf-8")
    config = tmp_path / "shadowai.toml"
    config.write_text(
        '[store]\npath = "store.duckdb"\n[privacy]\nkey_file = "secret.key"\nk = 2\n'
        '[directory]\nusers = "users.csv"\nnetworks = "networks.csv"\n'
        'headcount = "headcount.csv"\n[report]\nout = "reports"\n', encoding="utf-8")
    return config


@pytest.fixture
def shadowai(org: Path):
    """Run the real CLI with the org config; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--config", str(org), *args], catch_exceptions=False)

    return invoke


DEMO = REPO / "sample_logs" / "demo"


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo organisation's October, run once through the real CLI (fr and en)."""
    work = tmp_path_factory.mktemp("demo")
    config = work / "shadowai.toml"
    config.write_text(
        f'[store]\npath = "store.duckdb"\n[privacy]\nkey_file = "secret.key"\n'
        f'[directory]\nusers = "{DEMO / "users.csv"}"\nnetworks = "{DEMO / "networks.csv"}"\n'
        f'headcount = "{DEMO / "headcount.csv"}"\n[report]\nout = "reports"\n'
        "organisation = \"Conseil départemental de l'Exemple\"\n"
        '[catalog]\nsanctioned = ["mistral-le-chat"]\n'
        '[catalog.alternatives]\nchat-assistant = "mistral-le-chat"\n'
        'translation = "mistral-le-chat"\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                 str(DEMO / "logs" / "2026-10")])
    assert result.exit_code == 0, result.output
    en = runner.invoke(cli, ["--config", str(config), "report", "--month", "2026-10",
                             "--lang", "en", "--out", str(work / "reports-en")])
    assert en.exit_code == 0, en.output
    return {"work": work, "store": work / "store.duckdb", "config": config,
            "fr": work / "reports" / "2026-10", "en": work / "reports-en" / "2026-10",
            "stdout": result.stdout, "stderr": result.stderr}


_CONNECT = pytest.StashKey["sparkkit.Server"]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Boot the Spark Connect server now if a selected test needs it (see sparkkit)."""
    if session.config.option.collectonly:
        return
    if any("connect_server" in getattr(item, "fixturenames", ()) for item in session.items) \
            and sparkkit.unavailable() is None:
        session.config.stash[_CONNECT] = sparkkit.start()


@pytest.fixture(scope="session")
def connect_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The session's Spark Connect server (sc://127.0.0.1:port), once it listens."""
    reason = sparkkit.unavailable()
    if reason:
        pytest.skip(reason)
    server = request.config.stash.get(_CONNECT, None) or sparkkit.start()
    request.config.stash[_CONNECT] = server
    try:
        problem = server.wait()
        if problem:
            pytest.fail(problem)
        yield server.url
    finally:
        server.stop()
        del request.config.stash[_CONNECT]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A server booted for tests that were then not run (-x, Ctrl-C) is stopped too."""
    server = session.config.stash.get(_CONNECT, None)
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for every browser test (tests/browserkit.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browserkit.CHROMIUM, args=browserkit.FLAGS)
        yield b
        b.close()
