"""The command line: help everywhere, init, and one clear line for every expected error."""

from __future__ import annotations

import gzip
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from shadowai.cli import cli
from tests.conftest import REPO, at, native


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"shadowai {' '.join(command)}" in readme
    if not isinstance(cli.commands.get(command[0]), click.Group) or len(command) > 1:
        assert "Example" in result.output


def test_init_writes_config_and_a_private_key_ring_and_never_overwrites(tmp_path: Path) -> None:
    config = tmp_path / "shadowai.toml"
    runner = CliRunner()
    first = runner.invoke(cli, ["--config", str(config), "init"])
    assert first.exit_code == 0, first.output
    ring = tmp_path / "shadowai.keys"
    assert stat.S_IMODE(ring.stat().st_mode) == 0o700
    assert "[privacy]" in config.read_text() and "k = 5" in config.read_text()
    log = tmp_path / "a.log"
    log.write_text(native(at(5), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT", "claude.ai:443",
                          "alice") + "\n")
    assert runner.invoke(cli, ["--config", str(config), "ingest", str(log)]).exit_code == 0
    key = ring / "2026-10.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    second = runner.invoke(cli, ["--config", str(config), "init"])
    assert second.exit_code == 0
    assert "exists, left as is" in second.stderr
    assert key.read_bytes() == before


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_input_file(shadowai, tmp_path: Path) -> None:
    one_line_error(shadowai("ingest", str(tmp_path / "nope.log")), "nope.log",
                   "no such file")


def test_unknown_format_name(shadowai, tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("x\n")
    one_line_error(shadowai("ingest", "--format", "nosuch", str(log)), "unknown format")


def test_bad_month(shadowai, tmp_path: Path) -> None:
    result = shadowai("report", "--month", "2026-13")
    assert result.exit_code == 1 and "YYYY-MM" in result.stderr  # usage error: 1, not 2


@pytest.mark.parametrize("content, fragment", [
    ("[privacy]\nk = 1\n", "privacy.k must be at least 2"),
    ("[privacy]\nk = \"many\"\n", "privacy.k must be a whole number"),
    ("[report]\ntimezone = \"Mars/Olympus\"\n", "not a known IANA time zone"),
    ("[report]\nlang = \"de\"\n", "report.lang must be one of"),
    ("[nope]\nx = 1\n", "unknown setting [nope] x"),
    ("[store\n", "not valid TOML"),
])
def test_bad_config_values(tmp_path: Path, content: str, fragment: str) -> None:
    config = tmp_path / "shadowai.toml"
    config.write_text(content)
    one_line_error(CliRunner().invoke(cli, ["--config", str(config), "status"]), fragment)


def test_malformed_user_map_names_file_and_line(shadowai, org: Path) -> None:
    (org.parent / "users.csv").write_text("user,department\nalice\n")
    log = org.parent / "a.log"
    log.write_text(native(at(5), "10.1.0.1", "TCP_MISS/200", 1, "GET", "http://a.fr/") + "\n")
    one_line_error(shadowai("ingest", str(log)), "users.csv:2", "expected 2 columns")


def test_corrupt_gzip_fails_and_a_non_log_in_a_folder_is_skipped(shadowai, org: Path) -> None:
    logs = org.parent / "logs"
    logs.mkdir()
    good = native(at(5), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT", "claude.ai:443", "alice")
    (logs / "good.log").write_text(good + "\n")
    (logs / "notes.txt").write_text("meeting notes\nnothing to see\n")
    (logs / "broken.log.gz").write_bytes(gzip.compress((good + "\n").encode() * 2000)[:500])
    result = shadowai("run", "--month", "2026-10", str(logs))
    assert result.exit_code == 2
    assert "notes.txt: skipped, format not recognised" in result.stderr
    assert "broken.log.gz: corrupt or truncated gzip" in result.stderr
    assert "Traceback" not in result.output
    assert "1 file(s) ingested" in result.stdout and "1 failed" in result.stdout
    assert "1 skipped (not logs)" in result.stdout
    # named on the command line, an unrecognised file is a failure
    named = shadowai("ingest", str(logs / "notes.txt"))
    assert named.exit_code == 2 and "Could not detect the format of" in named.stderr
    assert (org.parent / "reports" / "2026-10" / "index.html").exists()


def test_status_lists_months(shadowai, org: Path) -> None:
    log = org.parent / "a.log"
    log.write_text(native(at(5), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT",
                          "claude.ai:443", "alice") + "\n")
    shadowai("ingest", str(log))
    result = shadowai("status")
    assert result.exit_code == 0
    assert "2026-10: 1 file(s), 1 lines, 0 rejected, 1 AI requests" in result.stdout


def test_domains_check_explains(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["domains", "check", "COPILOT.microsoft.com:443",
                                      "www.microsoft.com", "--json"])
    assert result.exit_code == 0
    import json

    out = json.loads(result.stdout)
    assert out[0]["host"] == "copilot.microsoft.com"
    assert out[0]["service_id"] == "microsoft-copilot"
    assert out[0]["matched_domain"] == "copilot.microsoft.com"
    assert out[1]["service_id"] is None and out[1]["matched_domain"] is None


def test_an_internal_error_in_one_file_does_not_stop_the_run(
        shadowai, org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shadowai.formats import get

    good = org.parent / "good.log"
    good.write_text(native(at(5), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT",
                           "claude.ai:443", "alice") + "\n")
    odd = org.parent / "odd.log"
    odd.write_text('10.1.0.1 - - [05/Oct/2026:10:00:00 +0200] "GET http://a.fr/ HTTP/1.1" '
                   "200 1\n")

    def broken(frame, timezone):
        raise RuntimeError("simulated parser bug")

    monkeypatch.setattr(get("squid-common"), "parse", broken)
    result = shadowai("ingest", str(good), str(odd))
    assert result.exit_code == 2
    assert "odd.log: internal error while reading this file (RuntimeError: simulated" \
        in result.stderr
    assert "Traceback" not in result.output
    assert "1 file(s) ingested" in result.stdout
