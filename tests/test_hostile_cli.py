"""Hostile configurations, options, stores and signals through the real CLI (issue 9): every
failure is one line naming its cause, with the exit code the README promises, and never a
traceback."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import duckdb
import pytest
from click.testing import CliRunner

from shadowai.cli import cli
from shadowai.directory import Directory
from shadowai.ingest import Ingestor
from shadowai.pseudonym import Pseudonymiser
from shadowai.store import Store
from tests.conftest import REPO, at, native

DEMO = REPO / "sample_logs" / "demo" / "logs" / "2026-10"

GOOD = native(at(5), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT", "claude.ai:443", "alice")


def clean_failure(result, code: int, *fragments: str) -> str:
    """The result failed with ``code`` and exactly one line on stderr holding
    ``fragments``; no traceback anywhere."""
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exit_code == code, result.output
    lines = [x for x in result.stderr.strip().splitlines()  # a first run's notice is no error
             if not x.startswith(("Created secret key", "Created the key of"))]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def run(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


@pytest.mark.parametrize("content, fragment", [
    ("[privacy]\nk = 1e400\n", "privacy.k must be a whole number, got inf"),
    ("[privacy]\nk = 2.9\n", "privacy.k must be a whole number, got 2.9"),
    ("[privacy]\nk = true\n", "privacy.k must be a whole number"),
    ("[ingest]\nepisode_gap_minutes = inf\n", "must be a finite number, got inf"),
    ("[ingest]\nepisode_gap_minutes = nan\n", "must be a finite number, got nan"),
    ("[ingest]\nepisode_gap_minutes = -1\n", "must be positive"),
    ("[report]\nlang = 5\n", "report.lang must be text"),
    ("timezones = 5\n", "'timezones' must be a [timezones] table"),
    ("catalog = 5\n", "'catalog' must be a [catalog] table"),
    ("formats = 5\n", "'formats' must be a [formats] table"),
    ("[[formats]]\nname = \"x\"\n", "'formats' must be a [formats] table"),
    ("[timezones]\n\"*x*\" = 5\n", "is not a known IANA time zone"),
    ("[formats.x]\nkind = 5\n", "[formats.x]"),
    ("store = 5\n", "'store' must be a [section]"),
])
@pytest.mark.parametrize("command", [["status"], ["formats"], ["ingest", "x.log"]])
def test_bad_configs_are_one_line(tmp_path: Path, content: str, fragment: str,
                                  command: list[str], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "shadowai.toml"
    config.write_text(content)
    (tmp_path / "x.log").write_text(GOOD + "\n")
    clean_failure(run(config, *command), 1, fragment)


def test_whole_floats_and_environment_numbers(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "shadowai.toml"
    config.write_text("[privacy]\nk = 3.0\n")
    assert run(config, "formats").exit_code == 0
    monkeypatch.setenv("SHADOWAI_PRIVACY_K", "2.9")
    clean_failure(run(config, "formats"), 1, "SHADOWAI_PRIVACY_K", "whole number")


def test_contradictory_directory_maps_warn(tmp_path: Path) -> None:
    users = tmp_path / "users.csv"
    users.write_text("user,department\nalice,Finances\nALICE,Routes\n")
    networks = tmp_path / "networks.csv"
    networks.write_text("cidr,department\n10.0.0.0/8,A\n10.0.0.0/8,B\n")
    d = Directory.load(users, networks, None)
    assert d.department("alice", None) == "Routes"
    assert d.department(None, "10.1.2.3") == "A"
    assert d.warnings == [
        f"{users}:3: the user of line 2 is listed again, in 'Finances' there; this later "
        "line wins ('Routes').",
        f"{networks}:3: network 10.0.0.0/8 is listed again; the first line wins ('A').",
    ]


def test_directory_warnings_reach_the_user(shadowai, org: Path) -> None:
    (org.parent / "users.csv").write_text("user,department\nalice,Finances\nalice,Routes\n")
    log = org.parent / "a.log"
    log.write_text(GOOD + "\n")
    result = shadowai("ingest", str(log))
    assert result.exit_code == 0
    assert "Warning: " in result.stderr and "the user of line 2 is listed again" in result.stderr
    assert "alice" not in result.stderr  # a login is never printed: stderr goes to cron mail


def foreign_store(path: Path, sql: list[str]) -> None:
    with duckdb.connect(str(path)) as con:
        for statement in sql:
            con.execute(statement)


@pytest.mark.parametrize("sql, fragment", [
    (["CREATE TABLE files (x INTEGER)"], "not a shadowai store"),
    (["CREATE TABLE meta (key VARCHAR, value VARCHAR)",
      "INSERT INTO meta VALUES ('schema_version', 'abc')"], "not a shadowai store"),
    (["CREATE TABLE meta (key VARCHAR, value VARCHAR)",
      "INSERT INTO meta VALUES ('schema_version', '999')"], "newer than this shadowai"),
])
@pytest.mark.parametrize("command", [["status"], ["ingest", "x.log"],
                                     ["candidates", "--month", "2026-10"],
                                     ["report", "--month", "2026-10"]])
def test_foreign_stores_are_refused_cleanly(tmp_path: Path, org: Path, sql: list[str],
                                            fragment: str, command: list[str],
                                            monkeypatch) -> None:
    foreign_store(org.parent / "store.duckdb", sql)
    (org.parent / "x.log").write_text(GOOD + "\n")
    monkeypatch.chdir(org.parent)
    clean_failure(run(org, *command), 1, "store.duckdb", fragment)


@pytest.mark.parametrize("where", ["file", "proc"])
@pytest.mark.parametrize("how", ["option", "config"])
def test_a_bad_reports_folder_fails_before_any_ingest(org: Path, where: str, how: str) -> None:
    target = org.parent / "a-file" if where == "file" else Path("/proc/shadowai-reports")
    (org.parent / "a-file").write_text("not a folder\n")
    log = org.parent / "a.log"
    log.write_text(GOOD + "\n")
    args = ["run", "--month", "2026-10", str(log)]
    if how == "option":
        args[1:1] = ["--out", str(target)]
    else:
        org.write_text(org.read_text().replace('out = "reports"', f'out = "{target}"'))
    clean_failure(run(org, *args), 1, str(target), "cannot write reports there")
    assert not (org.parent / "store.duckdb").exists()  # nothing was ingested


def test_candidates_json(shadowai, org: Path) -> None:
    log = org.parent / "a.log"
    log.write_text("\n".join(native(at(5, 9, i), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT",
                                    "ai-helper.example.com:443", "alice")
                             for i in range(3)) + "\n")
    assert shadowai("ingest", str(log)).exit_code == 0
    result = shadowai("candidates", "--month", "2026-10", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"host": "ai-helper.example.com", "requests": 3}]


@pytest.mark.parametrize("args, fragment", [
    (["report", "--month", "2026-13"], "YYYY-MM"),
    (["report", "--lang", "de"], "'de' is not one of"),
    (["ingest"], "Missing argument 'PATHS"),
    (["run", "--month", "2026-10"], "Missing argument 'PATHS"),
    (["status", "--nope"], "No such option '--nope'"),
    (["nope"], "No such command 'nope'"),
    (["purge"], "Missing option '--before'"),
    (["purge", "--before", "last year"], "YYYY-MM"),
    (["trend", "--from", "2026"], "YYYY-MM"),
    (["candidates", "--month", "10-2026", "--json"], "YYYY-MM"),
    (["domains", "list", "--category", "nope"], "'nope' is not one of"),
    (["domains", "check"], "Missing argument 'HOSTS"),
    (["domains", "validate", "--dir", "x.log"], "is a file"),
    (["ingest", "--format", "nosuch", "x.log"], "unknown format 'nosuch'"),
])
def test_usage_errors_exit_1_with_one_line(org: Path, args: list[str], fragment: str,
                                           monkeypatch) -> None:
    (org.parent / "x.log").write_text(GOOD + "\n")
    monkeypatch.chdir(org.parent)
    clean_failure(run(org, *args), 1, fragment)


def test_a_trend_with_no_month_in_its_range_leaves_the_last_one(shadowai, org: Path) -> None:
    """`trend --from 2026-12 --to 2026-01` (the months swapped) exited 0 and wrote an empty
    trend over the last good one. Now it is one line, exit 1, the last trend kept."""
    log = org.parent / "a.log"
    log.write_text(GOOD + "\n")
    assert shadowai("run", "--month", "2026-10", str(log)).exit_code == 0
    assert shadowai("trend").exit_code == 0
    written = org.parent / "reports" / "trend" / "trend.json"
    good = written.read_text()
    assert json.loads(good)["months"]
    for args, said in ((["--from", "2026-12", "--to", "2026-01"], "is after --to"),
                       (["--from", "2027-01"], "no month between 2027-01 and the last")):
        clean_failure(shadowai("trend", *args), 1, said)
        assert written.read_text() == good


def test_an_unreadable_path_does_not_stop_the_others(shadowai, org: Path) -> None:
    good = org.parent / "good.log"
    good.write_text(GOOD + "\n")
    loop = org.parent / "loop.log"
    loop.symlink_to(loop)
    fifo = org.parent / "pipe.log"
    os.mkfifo(fifo)
    missing = org.parent / "missing.log"
    result = shadowai("ingest", str(missing), str(fifo), str(good), str(loop))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "missing.log: failed" in result.stdout and "no such file" in result.stdout
    assert "pipe.log: failed" in result.stdout and "not a regular file" in result.stdout
    assert "loop.log: failed" in result.stdout
    assert "1 file(s) ingested" in result.stdout and "3 failed" in result.stdout


def test_only_unreadable_paths_is_a_usage_error(shadowai, org: Path) -> None:
    clean_failure(shadowai("ingest", str(org.parent / "missing.log")), 1, "no such file")


def _commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


#: The least each command needs to get past click (a required option or argument).
_NEEDS = {("purge",): ["--before", "2026-01"], ("ingest",): ["x.log"],
          ("run",): ["--month", "2026-10", "x.log"], ("domains", "check"): ["chatgpt.com"]}


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
@pytest.mark.parametrize("config, args", [
    ("[privacy]\nk = 2.9\n", []),
    ("[ingest]\nepisode_gap_minutes = nan\n", []),
    ("formats = 5\n", []),
    ("[store]\npath = \"/proc/none/store.duckdb\"\n", []),
    ("", ["--nope"]),
    ("", ["--month", "2026-13", "--before", "1", "--from", "x", "--lang", "de"]),
], ids=["k", "nan", "formats", "store", "option", "values"])
def test_every_command_fails_in_one_line(tmp_path: Path, monkeypatch, command: tuple[str, ...],
                                         config: str, args: list[str]) -> None:
    """Every command, with a bad config or bad options: success or one line, never a
    traceback (commands that do not read the config may succeed)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.log").write_text(GOOD + "\n")
    (tmp_path / "shadowai.toml").write_text(config)
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "shadowai.toml"), *command,
                                      *args, *_NEEDS.get(command, [])])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code != 0:
        assert result.exit_code in (1, 2), result.output
        errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
        assert len(errors) == 1, result.stderr


class _InterruptingConnection:
    """A DuckDB connection that raises what DuckDB raises on Ctrl-C in the middle of the
    file's transaction (after its first insert)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql: str, *args):
        if sql.startswith("INSERT INTO traffic_daily"):
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.con, name)


def test_ctrl_c_inside_the_store_transaction_stops_the_run(tmp_path: Path) -> None:
    """DuckDB turns SIGINT into InterruptException, an Exception: the per-file handler
    swallowed it, and the run went on to the next file."""
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    for log in logs:
        log.write_text(GOOD + "\n")
    from shadowai import catalog
    with Store(tmp_path / "store.duckdb") as store:
        real = store.con
        store.con = _InterruptingConnection(real)  # type: ignore[assignment]
        ingestor = Ingestor(store, catalog.load(), Directory(), Pseudonymiser(b"k" * 32),
                            "Europe/Paris")
        with pytest.raises(KeyboardInterrupt):
            ingestor.ingest(logs)
        store.con = real
        assert store.rows("SELECT count(*) FROM files")[0][0] == 0
        assert store.rows("SELECT count(*) FROM ai_daily")[0][0] == 0


@pytest.fixture(scope="module")
def big_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny first file (committed at once), then eleven of 60,000 lines: the three
    processes run side by side, the last signalled must not have finished."""
    folder = tmp_path_factory.mktemp("signals") / "logs"
    folder.mkdir()
    (folder / "part00.log").write_text(GOOD + "\n")
    body = "".join(native(at(1 + i % 28, 8 + i % 10, i % 60), f"10.1.0.{i % 250}",
                          "TCP_MISS/200", i, "GET", f"http://site{i % 997}.example.fr/{i}",
                          f"user{i % 300}") + "\n" for i in range(60_000))
    for n in range(1, 12):
        (folder / f"part{n:02}.log").write_text(body.replace("10.1.0.", f"10.1.{n}."))
    return folder


def signal_when_reading(procs: dict[str, subprocess.Popen], names: tuple[str, ...]) -> None:
    """Send each process its signal as soon as it has one of ``names`` open. All are
    watched at once: waiting for them one after the other let the last ones finish first
    on a loaded machine."""
    waiting = dict(procs)
    deadline = time.monotonic() + 120
    while waiting and time.monotonic() < deadline:
        for signame, proc in list(waiting.items()):
            if proc.poll() is not None:
                pytest.fail(f"{signame}: the process ended (exit {proc.returncode}) before "
                            f"it opened any of {names}")
            with contextlib.suppress(OSError):
                fds = Path(f"/proc/{proc.pid}/fd")
                if any(os.readlink(fd).endswith(names) for fd in fds.iterdir()):
                    proc.send_signal(getattr(signal, signame))
                    del waiting[signame]
        time.sleep(0.002)
    if waiting:
        pytest.fail(f"{sorted(waiting)} never opened any of {names}")


def test_stop_signals_roll_back_and_exit_128_plus_signal(tmp_path: Path, org: Path,
                                                         big_logs: Path) -> None:
    """Real processes, real signals (one per signal, run side by side): one line, exit code
    128 + n, and each store holds a prefix of the files, each complete (none half-written,
    none started after the signal)."""
    procs = {}
    for signame in ("SIGINT", "SIGTERM", "SIGHUP"):
        config = tmp_path / f"{signame}.toml"
        # a store and a key ring each: a run destroys the keys of months it found no data
        # for, which would pull a shared key from under another run
        config.write_text(org.read_text().replace("store.duckdb", f"{signame}.duckdb")
                          .replace("secret.key", f"{signame}.key"))
        procs[signame] = subprocess.Popen(
            [sys.executable, "-m", "shadowai.cli", "--config", str(config), "ingest",
             "--format", "squid-native", str(big_logs)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    signal_when_reading(procs, tuple(f"part{n:02}.log" for n in range(2, 11)))
    for signame, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in out + err
        assert proc.returncode == 128 + getattr(signal, signame), (signame, out, err)
        lines = [x for x in err.strip().splitlines()
                 if not x.startswith(("Created secret key", "Created the key of"))]
        assert lines == [
            f"Interrupted ({signame}): the file being stored was rolled back and no other "
            "was started; the store is consistent. Run the same command again to finish."]
        store = tmp_path / f"{signame}.duckdb"
        with duckdb.connect(str(store), read_only=True) as con:
            rows = con.execute("SELECT path, lines FROM files ORDER BY path").fetchall()
            stored = [Path(p).name for p, _ in rows]
            print(signame, "stored before the signal:", stored)
            assert stored == [f"part{n:02}.log" for n in range(len(stored))]
            # the signal did stop the run (it may land while files are still being planned:
            # planning opens each file to sign it, so "part02 is open" is no proof that
            # part00 and part01 were committed)
            assert len(stored) < 12
            assert all(n == (1 if name == "part00.log" else 60_000)
                       for name, (_, n) in zip(stored, rows, strict=True))
            assert con.execute("SELECT count(*) FROM traffic_daily WHERE file_id NOT IN "
                               "(SELECT file_id FROM files)").fetchall() == [(0,)]


def test_disk_full_is_one_line_and_keeps_the_store(tmp_path: Path, org: Path) -> None:
    """A 3 MB tmpfs holds the store: the second run fills it."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()})")
    try:
        org.write_text(org.read_text().replace('path = "store.duckdb"',
                                               f'path = "{disk / "store.duckdb"}"'))
        first = DEMO / "proxy1" / "access.log-20261008.gz"
        assert run(org, "ingest", str(first)).exit_code == 0
        before = subprocess.run(["python", "-c", "import duckdb,sys; c=duckdb.connect(sys.argv"
                                 "[1], read_only=True); print(c.execute('select path from "
                                 "files').fetchall())", str(disk / "store.duckdb")],
                                capture_output=True, text=True).stdout
        result = run(org, "ingest", str(DEMO))
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert result.exit_code == 1, result.output
        errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
        assert errors == [f"Error: no space left on device writing {disk / 'store.duckdb'}; "
                          "that write was rolled back. Free some space (or raise the limit) "
                          "and run the command again."]
        with Store(disk / "store.duckdb", read_only=True) as store:
            paths = [p for p, in store.rows("SELECT path FROM files")]
        assert str(first.resolve()) in paths and str(first.resolve()) in before
        purge = run(org, "purge", "--before", "2027-01")
        assert "Traceback" not in purge.output
        assert purge.exit_code in (0, 1), purge.output
        if purge.exit_code == 1:
            assert purge.stderr.strip().splitlines()[-1].startswith(
                "Error: no space left on device writing"), purge.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=False)



def test_a_file_size_limit_stops_the_run_as_a_full_disk_does(tmp_path: Path,
                                                             org: Path) -> None:
    """`ulimit -f` (or a quota) on the store: each log file after the limit was blamed in
    turn ("internal error while reading this file... report it with the file's format") and
    the run went on. Now the run stops at once with one line; the store keeps whole files."""
    import resource

    def limit() -> None:  # 1 MiB for every file the run writes; the WAL of a day passes it
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    first = DEMO / "proxy1" / "access.log-20261008.gz"
    assert run(org, "ingest", str(first)).exit_code == 0
    store = org.parent / "store.duckdb"
    with Store(store, read_only=True) as s:
        before = s.rows("SELECT path, lines FROM files ORDER BY file_id")
    result = subprocess.run([sys.executable, "-m", "shadowai.cli", "--config", str(org), "ingest",
                             str(DEMO)], capture_output=True, text=True, preexec_fn=limit,
                            cwd=org.parent, timeout=300)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.returncode == 1, result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "file too large for this system's limit (ulimit -f)" in \
        errors[0] and "that write was rolled back" in errors[0], result.stderr
    with Store(store, read_only=True) as s:
        after = s.rows("SELECT path, lines FROM files ORDER BY file_id")
    assert set(before) <= set(after) and len(after) < 6  # whole files only, then it stopped
    again = run(org, "ingest", str(DEMO))  # without the limit: the rest, nothing twice
    assert again.exit_code == 0, again.output
    with Store(store, read_only=True) as s:
        assert s.rows("SELECT count(*), count(DISTINCT path) FROM files") == [(6, 6)]


def _stat(pid: int | str) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (state first), or [] when
    the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z"


def _live_children(parent: int) -> list[int]:
    """Processes whose parent is ``parent`` and that are not zombies."""
    return [int(p.name) for p in Path("/proc").glob("[0-9]*")
            if (fields := _stat(p.name)) and int(fields[1]) == parent and fields[0] != "Z"]


def _is_pool_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _busy(pid: int) -> bool:
    """Whether a worker has used a second of CPU: started, and scanning a file."""
    fields = _stat(pid)
    return bool(fields) and (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") >= 1.0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_end_when_the_run_is_killed_with_sigkill(tmp_path: Path, org: Path,
                                                          big_logs: Path) -> None:
    """SIGKILL of the run alone (not its process group) gives the pool no chance to stop its
    workers: each kept the other's end of the result pipe open, blocked writing a result
    nobody would read, and stayed for good with its memory. They now end by themselves."""
    config = tmp_path / "kill.toml"
    config.write_text(org.read_text())
    proc = subprocess.Popen(
        [sys.executable, "-m", "shadowai.cli", "--config", str(config), "ingest",
         "--workers", "2", "--format", "squid-native", str(big_logs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    try:  # kill once both workers are at work
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _live_children(proc.pid)
            workers = [w for w in workers if _is_pool_worker(w)]
            if len(workers) >= 2 and all(_busy(w) for w in workers):
                break
            time.sleep(0.01)
        assert proc.poll() is None and len(workers) >= 2, "the workers never got to work"
        proc.kill()
        proc.wait(timeout=30)
        gone_by = time.monotonic() + 20
        while time.monotonic() < gone_by and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
        assert not left, f"workers {left} outlived the killed run"
    finally:
        for w in workers:
            with contextlib.suppress(OSError):
                os.kill(w, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_sigterm_while_workers_start_prints_one_line_and_no_traceback(
        tmp_path: Path, org: Path, big_logs: Path) -> None:
    """SIGTERM to the run while its pool starts its workers: a worker cut while reading
    its start-up data from the pipe printed a Python traceback (5 runs of 5 at 1.7-2.3 s in
    a new user's trial). Stop signals now wait until the workers are started, which are
    then stopped with the run."""
    config = tmp_path / "term.toml"
    config.write_text(org.read_text())
    proc = subprocess.Popen(
        [sys.executable, "-m", "shadowai.cli", "--config", str(config), "ingest",
         "--workers", "2", "--format", "squid-native", str(big_logs)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not workers:
        workers = [w for w in _live_children(proc.pid) if _is_pool_worker(w)]
        time.sleep(0.002)
    assert workers, "no worker ever started"
    proc.send_signal(signal.SIGTERM)  # the first worker is starting
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in out + err, err
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.strip().splitlines()[-1].startswith("Interrupted (SIGTERM)")
    every = set(workers) | set(_live_children(proc.pid))
    gone_by = time.monotonic() + 20
    while time.monotonic() < gone_by and any(_alive(w) for w in every):
        time.sleep(0.1)
    assert not [w for w in every if _alive(w)]
