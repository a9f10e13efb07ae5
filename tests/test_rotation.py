"""Unattended monthly runs on a real log server layout: whatever rotation, recompression,
renaming or re-run happened between runs, the store holds every line exactly once.

Each scenario writes a Squid log as a server does (appending, then rotating as logrotate
or Squid itself do), runs the real CLI between the steps as cron would, and compares the
store with one clean ingest of the folder's final files into a fresh store (same key).
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import zstandard
from bs4 import BeautifulSoup
from click.testing import CliRunner

from shadowai.cli import cli
from tests.conftest import at, native

USERS = ["alice", "bob", "carol", "-"]
CLIENTS = ["10.1.0.10", "10.1.0.11", "10.2.0.5", "10.2.9.7", "10.250.0.1"]
HOSTS = ["chatgpt.com:443", "claude.ai:443", "gemini.google.com:443", "www.example.org:443",
         "api.mistral.ai:443", "www.deepl.com:443"]
COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress,
    "zst": zstandard.ZstdCompressor().compress,
}


def lines_for(day: int, count: int, seed: int) -> list[str]:
    """``count`` Squid lines spread over one October day, deterministic per seed."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        minute = i * (1440 // count)
        out.append(native(at(day, minute // 60, minute % 60), rnd.choice(CLIENTS),
                          "TCP_TUNNEL/200", rnd.randint(100, 9000), "CONNECT",
                          rnd.choice(HOSTS), rnd.choice(USERS)))
    return out


class Server:
    """A log folder written as a proxy server writes it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.log = root / "access.log"
        self.log.touch()
        (root / "cache.log").write_text("2026/10/01 00:00:01| Starting Squid Cache\n")
        self.written = 0

    def write_days(self, first: int, last: int) -> None:
        with self.log.open("a", encoding="utf-8") as fh:
            for day in range(first, last + 1):
                lines = lines_for(day, 40, seed=day)
                fh.write("\n".join(lines) + "\n")
                self.written += len(lines)

    def _shift(self, suffix: str, start: int) -> None:
        """access.log.N<suffix> -> N+1, from the oldest down (as logrotate does)."""
        numbers = sorted((int(p.name.split(".")[2]) for p in self.root.glob("access.log.*")
                          if p.name.split(".")[2].isdigit()), reverse=True)
        for n in numbers:
            if n < start:
                continue
            for p in self.root.glob(f"access.log.{n}*"):
                p.rename(self.root / p.name.replace(f".{n}", f".{n + 1}", 1))

    def rotate_numbered(self, delaycompress: bool) -> None:
        self._shift("", 1 if not delaycompress else 2)
        if delaycompress:
            one = self.root / "access.log.1"
            if one.exists():
                (self.root / "access.log.2.gz").write_bytes(gzip.compress(one.read_bytes()))
                one.unlink()
            self.log.rename(self.root / "access.log.1")
        else:
            (self.root / "access.log.1.gz").write_bytes(gzip.compress(self.log.read_bytes()))
            self.log.unlink()
        self.log.touch()  # logrotate 'create'

    def rotate_dateext(self, stamp: str) -> None:
        (self.root / f"access.log-{stamp}.gz").write_bytes(gzip.compress(self.log.read_bytes()))
        self.log.unlink()
        self.log.touch()

    def rotate_copytruncate(self) -> None:
        self._shift("", 1)
        shutil.copy2(self.log, self.root / "access.log.1")
        with self.log.open("r+") as fh:  # same inode, emptied in place
            fh.truncate(0)

    def rotate_squid(self) -> None:
        """Squid's own 'logfile_rotate': plain files, access.log -> access.log.0."""
        numbers = sorted((int(p.suffix[1:]) for p in self.root.glob("access.log.*")),
                         reverse=True)
        for n in numbers:
            (self.root / f"access.log.{n}").rename(self.root / f"access.log.{n + 1}")
        self.log.rename(self.root / "access.log.0")
        self.log.touch()


def config(work: Path, keys: Path | None = None) -> Path:
    """A config in ``work``; ``keys``: another store's key ring, to compare pseudonyms."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / "shadowai.toml"
    path.write_text(f'[store]\npath = "{work / "store.duckdb"}"\n[privacy]\n'
                    f'key_ring = "{keys or work / "keys"}"\nk = 2\n'
                    f'[report]\nout = "{work / "reports"}"\n', encoding="utf-8")
    return path


def cli_run(cfg: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(cfg), *args], catch_exceptions=False)


def figures(cfg: Path) -> dict[str, object]:
    """Every figure the store holds, without file ids or paths."""
    con = duckdb.connect(str(cfg.parent / "store.duckdb"), read_only=True)
    try:
        out: dict[str, object] = {
            table: con.execute(f"SELECT * EXCLUDE (file_id) FROM {table} ORDER BY ALL")
            .fetchall() for table in ("ai_daily", "traffic_daily", "candidates")}
        out["file_days"] = con.execute(
            "SELECT day, sum(events) FROM file_days GROUP BY day ORDER BY day").fetchall()
        out["lines"] = con.execute("SELECT sum(lines), sum(rejected) FROM files").fetchall()
        out["people"] = con.execute(
            "SELECT count(DISTINCT pseudonym) FROM ai_daily").fetchall()
        return out
    finally:
        con.close()


def clean_ingest(folder: Path, keys: Path, work: Path) -> dict[str, object]:
    cfg = config(work, keys)
    result = cli_run(cfg, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    return figures(cfg)


def monthly_runs(tmp_path: Path, steps: list[Callable[[Server], None]]) -> tuple[Server, Path]:
    """Run each step on the server, then the monthly job as cron would."""
    server = Server(tmp_path / "var-log-squid")
    cfg = config(tmp_path / "incremental")
    for step in steps:
        step(server)
        result = cli_run(cfg, "run", "--month", "2026-10", str(server.root))
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
    return server, cfg


def assert_exactly_once(tmp_path: Path, server: Server, cfg: Path) -> None:
    got = figures(cfg)
    assert got["lines"] == [(server.written, 0)]  # every line written, counted once
    clean = clean_ingest(server.root, cfg.parent / "keys", tmp_path / "clean")
    assert got == clean


SCENARIOS: dict[str, list[Callable[[Server], None]]] = {
    "numbered, compress": [
        lambda s: s.write_days(1, 4),
        lambda s: (s.write_days(5, 7), s.rotate_numbered(False), s.write_days(8, 9)),
        lambda s: (s.write_days(10, 14), s.rotate_numbered(False), s.write_days(15, 18),
                   s.rotate_numbered(False)),
        lambda s: s.write_days(19, 20),
    ],
    "numbered, delaycompress": [
        lambda s: s.write_days(1, 4),
        lambda s: (s.write_days(5, 7), s.rotate_numbered(True), s.write_days(8, 9)),
        lambda s: (s.write_days(10, 14), s.rotate_numbered(True), s.write_days(15, 18)),
        lambda s: (s.rotate_numbered(True), s.write_days(19, 20)),
    ],
    "dateext": [
        lambda s: s.write_days(1, 4),
        lambda s: (s.write_days(5, 7), s.rotate_dateext("20261008"), s.write_days(8, 9)),
        lambda s: (s.write_days(10, 14), s.rotate_dateext("20261015")),
    ],
    "copytruncate": [
        lambda s: s.write_days(1, 4),
        lambda s: (s.write_days(5, 7), s.rotate_copytruncate(), s.write_days(8, 9)),
        lambda s: (s.write_days(10, 12), s.rotate_copytruncate(), s.write_days(13, 14)),
    ],
    "squid logfile_rotate": [
        lambda s: s.write_days(1, 4),
        lambda s: (s.write_days(5, 7), s.rotate_squid(), s.write_days(8, 9)),
        lambda s: (s.write_days(10, 12), s.rotate_squid(), s.rotate_squid()),
        lambda s: s.write_days(13, 14),
    ],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_rotation_counts_every_line_exactly_once(tmp_path: Path, name: str) -> None:
    server, cfg = monthly_runs(tmp_path, SCENARIOS[name])
    assert_exactly_once(tmp_path, server, cfg)


def test_a_renamed_then_appended_file_replaces_its_earlier_content(tmp_path: Path) -> None:
    def rename_and_append(s: Server) -> None:
        s.log.rename(s.root / "access.log.1")
        with (s.root / "access.log.1").open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines_for(9, 40, seed=9)) + "\n")
            s.written += 40

    server, cfg = monthly_runs(tmp_path, [lambda s: s.write_days(1, 3), rename_and_append])
    assert_exactly_once(tmp_path, server, cfg)


@pytest.mark.parametrize("codec", sorted(COMPRESS))
def test_a_file_and_its_compressed_copy_are_one_file(tmp_path: Path, codec: str) -> None:
    server = Server(tmp_path / "logs")
    server.write_days(1, 3)
    plain = server.log.read_bytes()
    (server.root / f"access.log.{codec}").write_bytes(COMPRESS[codec](plain))
    cfg = config(tmp_path / "work")
    result = cli_run(cfg, "ingest", "--json", str(server.root))
    statuses = {Path(r["path"]).name: r["status"] for r in json.loads(result.stdout)}
    assert statuses["access.log"] == "ingested"
    assert statuses[f"access.log.{codec}"] == "duplicate"
    assert figures(cfg)["lines"] == [(server.written, 0)]


def test_recompression_between_runs_adds_nothing(tmp_path: Path) -> None:
    """delaycompress: a file read plain one month is met gzipped the next."""
    server = Server(tmp_path / "logs")
    server.write_days(1, 5)
    cfg = config(tmp_path / "work")
    cli_run(cfg, "ingest", str(server.root))
    before = figures(cfg)
    (server.root / "access.log.2.gz").write_bytes(gzip.compress(server.log.read_bytes()))
    server.log.unlink()
    result = cli_run(cfg, "ingest", "--json", str(server.root))
    assert [r["status"] for r in json.loads(result.stdout)
            if r["path"].endswith(".gz")] == ["duplicate"]
    assert figures(cfg) == before


def test_the_same_folder_through_a_symlink_is_already_ingested(tmp_path: Path) -> None:
    server = Server(tmp_path / "logs")
    server.write_days(1, 3)
    link = tmp_path / "link"
    link.symlink_to(server.root, target_is_directory=True)
    cfg = config(tmp_path / "work")
    cli_run(cfg, "ingest", str(server.root))
    before = figures(cfg)
    again = cli_run(cfg, "ingest", "--json", str(link))
    assert {r["status"] for r in json.loads(again.stdout)} == {"unchanged", "skipped"}
    assert figures(cfg) == before


def test_unchanged_files_are_not_read_again(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    server = Server(tmp_path / "logs")
    for day in range(1, 6):
        server.write_days(day, day)
        server.rotate_dateext(f"202610{day:02d}")
    cfg = config(tmp_path / "work")
    cli_run(cfg, "ingest", str(server.root))
    from shadowai import sources

    def must_not_open(*_args, **_kwargs):
        raise AssertionError("an unchanged file was opened for reading")

    monkeypatch.setattr(sources.Source, "open", must_not_open)
    again = cli_run(cfg, "ingest", "--json", str(server.root))
    rows = json.loads(again.stdout)
    assert sorted(r["status"] for r in rows if r["path"].endswith(".gz")) == ["unchanged"] * 5


def test_a_file_rewritten_in_place_with_the_same_size_and_mtime_is_new_content(
        tmp_path: Path) -> None:
    server = Server(tmp_path / "logs")
    server.write_days(1, 3)
    cfg = config(tmp_path / "work")
    cli_run(cfg, "ingest", str(server.root))
    old = server.log.read_bytes()
    stat = server.log.stat()
    new = old.replace(b" alice ", b" carol ")  # same size, other people
    assert new != old and len(new) == len(old)
    with server.log.open("r+b") as fh:
        fh.write(new)
    os.utime(server.log, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert server.log.stat().st_size == stat.st_size
    result = cli_run(cfg, "ingest", "--json", str(server.root))
    assert [r["status"] for r in json.loads(result.stdout)
            if r["path"].endswith("access.log")] == ["ingested"]
    # the old content stays (a path holding other content is a new file): the store equals
    # one clean ingest of both contents
    both = tmp_path / "both"
    both.mkdir()
    (both / "old.log").write_bytes(old)
    (both / "new.log").write_bytes(new)
    assert figures(cfg) == clean_ingest(both, cfg.parent / "keys", tmp_path / "clean")


def test_a_real_squid_log_folder_exits_0_with_the_readme_cron_line(tmp_path: Path) -> None:
    """access.log, access.log.1, access.log.2.gz, cache.log*, an empty rotated file, the
    store and key inside the folder: logs are read, the rest is skipped with a reason."""
    server = Server(tmp_path / "squid")
    server.write_days(1, 3)
    server.rotate_numbered(True)
    server.write_days(4, 6)
    server.rotate_numbered(True)
    server.write_days(7, 8)
    (server.root / "cache.log.1").write_text("2026/10/02 00:00:01| kid1| Logfile rotated\n")
    (server.root / "store.log").write_text("1790000000.000 RELEASE -1 FFFFFFFF\n")
    (server.root / "access.log.3.gz").write_bytes(gzip.compress(b""))  # empty rotated file
    work = server.root  # the store and key live inside the log folder
    cfg = config(work)
    result = cli_run(cfg, "run", "--month", "2026-10", str(server.root))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "cache.log: skipped, not a log" in result.stderr
    html = BeautifulSoup((work / "reports" / "2026-10" / "index.html").read_text(),
                         "html.parser")
    # the report says why files were skipped, never their names (issue 12)
    skipped = sorted(tr.find_all("td")[1].text for tr in html.select("#skipped-table tbody tr"))
    assert "fichier vide" in skipped
    assert sum(r.startswith("pas un journal d'accès") for r in skipped) >= 2
    names = [tr.find_all("td")[0].text for tr in html.select("#skipped-table tbody tr")]
    assert names == [f"#{i}" for i in range(1, len(names) + 1)]
    listing = cli_run(cfg, "ingest", "--json", str(server.root))
    rows = {Path(r["path"]).name: r for r in json.loads(listing.stdout)}
    assert rows["cache.log"]["status"] == rows["cache.log.1"]["status"] == "skipped"
    assert rows["store.log"]["status"] == "skipped"
    assert rows["store.duckdb"]["status"] == "skipped"
    assert "own store" in rows["store.duckdb"]["message"]
    assert rows["2026-10.key"]["status"] == "skipped"
    assert {rows[n]["status"] for n in ("access.log", "access.log.1", "access.log.2.gz")} \
        == {"unchanged"}
    assert figures(cfg)["lines"] == [(server.written, 0)]
    key = (work / "keys" / "2026-10.key").read_text().strip()
    assert key not in result.output and key not in listing.output


def test_key_and_store_are_never_read_even_with_a_forced_format(tmp_path: Path) -> None:
    work = tmp_path / "w"
    cfg = config(work)
    server = Server(work / "logs")
    server.write_days(1, 2)
    cli_run(cfg, "ingest", str(server.root))
    (server.root / "copy-of-key").write_text((work / "keys" / "2026-10.key").read_text())
    shutil.copy(work / "store.duckdb", server.root / "backup.db")
    result = cli_run(cfg, "ingest", "--format", "squid-native", "--json", str(server.root))
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert rows["copy-of-key"]["status"] == "skipped"
    assert rows["backup.db"]["status"] == "skipped"
    key = (work / "keys" / "2026-10.key").read_text().strip()
    assert key not in result.output
    named = cli_run(cfg, "ingest", "--format", "squid-native", str(work / "keys" / "2026-10.key"))
    assert named.exit_code == 2 and "never read as a log" in named.stderr
    assert key not in named.output


def test_exclude_and_include_patterns(tmp_path: Path) -> None:
    server = Server(tmp_path / "logs")
    server.write_days(1, 2)
    (server.root / "access.log.old").write_bytes(server.log.read_bytes() + b"")
    (server.root / "other.log").write_text(lines_for(3, 5, 3)[0] + "\n")
    cfg = config(tmp_path / "w")
    with cfg.open("a") as fh:
        fh.write('[ingest]\nexclude = ["*.old"]\ninclude = ["access.log*"]\n')
    result = cli_run(cfg, "ingest", "--json", str(server.root))
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)}
    assert rows["access.log.old"]["message"] == "excluded by [ingest] exclude"
    assert rows["other.log"]["message"] == "not matched by [ingest] include"
    assert rows["access.log"]["status"] == "ingested"
    assert result.exit_code == 0


def _load_balanced(days: tuple[int, ...]) -> list[str]:
    """Alice and Bob each ask ChatGPT something every 5 minutes from 10:00 to 11:00 (one
    episode a day each), with other traffic in between, in time order."""
    out = []
    for day in days:
        for minute in range(0, 61, 5):
            for user, client in (("alice", "10.1.0.10"), ("bob", "10.1.0.11")):
                out.append(native(at(day, 10 + minute // 60, minute % 60), client,
                                  "TCP_TUNNEL/200", 800, "CONNECT", "chatgpt.com:443", user))
                out.append(native(at(day, 10 + minute // 60, minute % 60), client,
                                  "TCP_TUNNEL/200", 500, "CONNECT", "www.example.org:443", user))
    return out


def test_episodes_split_across_load_balanced_proxies_are_never_silent(tmp_path: Path) -> None:
    """Two proxies behind a load balancer each log every other request: each file holds a
    piece of every episode, and episodes are counted file by file. People and requests stay
    exact; the episode over-count is bounded, printed on stderr and shown in the report
    (it was silent: 4 episodes reported for 2 a day, exit 0). A copy stored twice (other
    line ends) shows the same person-days, each file holding as many requests: it is named
    as a likely copy, whose requests are counted twice too."""
    lines = _load_balanced((6, 7))
    one = tmp_path / "one"
    one.mkdir()
    (one / "access.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    two = tmp_path / "two"
    two.mkdir()
    # the balancer sends each 5-minute round of requests to the other proxy
    rounds = [lines[i:i + 4] for i in range(0, len(lines), 4)]
    for name, part in (("proxy-a.log", rounds[0::2]), ("proxy-b.log", rounds[1::2])):
        (two / name).write_text("".join(line + "\n" for r in part for line in r),
                                encoding="utf-8")

    def run(folder: Path) -> tuple[dict, str, BeautifulSoup]:
        cfg = config(tmp_path / f"work-{folder.name}")
        result = cli_run(cfg, "run", "--month", "2026-10", str(folder))
        assert result.exit_code == 0, result.output
        out = cfg.parent / "reports" / "2026-10"
        model = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        html = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
        return model, result.output, html

    ref, ref_out, ref_html = run(one)
    assert ref["totals"]["ai_episodes"] == 4  # two people, two days, one episode each
    assert ref["quality"]["split_episodes"] == {"person_days": 0, "episodes": 0,
                                                "excess": 0, "share": 0.0, "mirrored": 0,
                                                "copies_likely": False}
    assert "several files" not in ref_out and ref_html.find(id="split-banner") is None

    got, got_out, got_html = run(two)
    assert got["totals"]["ai_people"] == ref["totals"]["ai_people"] == 2
    assert got["totals"]["ai_requests"] == ref["totals"]["ai_requests"]
    counted = got["totals"]["ai_episodes"]
    assert counted == 8  # every episode counted once in each proxy's file
    split = got["quality"]["split_episodes"]
    assert split["person_days"] == 4 and split["episodes"] == 8
    assert counted - ref["totals"]["ai_episodes"] <= split["excess"] == 4
    assert split["share"] == 0.5
    # a balancer deals requests unevenly (7 rounds to one proxy, 6 to the other): no copy
    assert split["mirrored"] == 0 and split["copies_likely"] is False
    assert "up to 4 of the 8 may be counted twice" in got_out
    assert "stored twice" not in got_out
    banner = got_html.find(id="split-banner")
    assert banner is not None and "4" in banner.get_text()
    assert "Personnes et requêtes sont exactes" in banner.get_text()  # French by default

    # the same log again with Windows line ends: another file to shadowai, every line twice
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "access.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (copy / "access-win.log").write_bytes(("\r\n".join(lines) + "\r\n").encode())
    doubled, doubled_out, doubled_html = run(copy)
    assert doubled["totals"]["ai_requests"] == 2 * ref["totals"]["ai_requests"]
    split = doubled["quality"]["split_episodes"]
    assert split["person_days"] == split["mirrored"] == 4 and split["copies_likely"] is True
    assert "in 4 of them every file holds the same number of requests" in doubled_out
    banner = doubled_html.find(id="split-banner").get_text()
    assert "enregistrées deux fois" in banner and "sont exactes" not in banner
