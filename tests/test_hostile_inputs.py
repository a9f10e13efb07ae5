"""A table of hostile input files through the real CLI (issue 9). Each sits beside a good
log: the exit code is asserted, the hostile file gets one line naming it, no traceback, and
the good file is stored complete whatever happened to its neighbour."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import zstandard

from shadowai.sources import LONG_LINE
from tests.conftest import at, native

GOOD = native(at(5), "10.1.0.1", "TCP_TUNNEL/200", 1, "CONNECT", "claude.ai:443", "alice")
LINES = "".join(native(at(6, 9, i), f"10.1.0.{i}", "TCP_MISS/200", 100 + i, "GET",
                       f"http://exemple{i}.fr/page", "bob") + "\n" for i in range(50))


def _zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def _write(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path)


def _long_line(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.write(LINES.encode())
        fh.write(b"A" * (50 << 20) + b"\n")
        fh.write(LINES.encode())


_RANDOM = random.Random(9).randbytes(200_000)
_BODY = LINES.encode() * 40

#: name, how to make it, expected exit code, what the one line about it says (None: the
#: file is read, and ``lines``/``rejected`` are checked in the store).
CASES: list[tuple[str, Callable[[Path], None], int, str | None, tuple[int, int] | None]] = [
    ("zero.log", _write(b""), 0, "skipped, empty file", None),  # not a log: skipped
    ("random.log", _write(_RANDOM), 2, "Could not detect the format", None),
    ("nul.log", _write(b"\x00" * (1 << 20)), 2, "no line break in the first 256 KiB", None),
    ("blob.log", _write(b"x" * 100_000), 2, "no line break in the first 97 KiB", None),
    ("corrupt.log.gz", _write(b"\x1f\x8b\x08\x00" + _RANDOM[:5000]), 2,
     "corrupt or truncated gzip", None),
    ("corrupt.log.bz2", _write(b"BZh9" + _RANDOM[:5000]), 2, "corrupt or truncated bzip2", None),
    ("corrupt.log.xz", _write(b"\xfd7zXZ\x00" + _RANDOM[:5000]), 2,
     "corrupt or truncated xz", None),
    ("corrupt.log.zst", _write(b"\x28\xb5\x2f\xfd" + _RANDOM[:5000]), 2,
     "corrupt or truncated zstd", None),
    ("cut.log.gz", _write(gzip.compress(_BODY)[:-100]), 2, "corrupt or truncated gzip", None),
    ("cut.log.bz2", _write(bz2.compress(_BODY)[:-100]), 2, "corrupt or truncated bzip2", None),
    ("cut.log.xz", _write(lzma.compress(_BODY)[:-100]), 2, "corrupt or truncated xz", None),
    ("cut.log.zst", _write(_zst(_BODY)[:-100]), 2, "corrupt or truncated zstd", None),
    ("fifo.log", _fifo, 2, "not a regular file", None),
    ("loop.log", _loop, 2, "cannot read", None),
    ("latin1.log", _write(LINES.replace("page", "pagé").encode("latin-1")), 0, None, (50, 0)),
    ("badutf8.log", _write(LINES.encode() + GOOD.encode()[:40] + b"\xff\xfe\xc3\n"), 2,
     None, (51, 1)),
    ("utf16.log", _write(LINES.encode("utf-16-le")), 0, None, (50, 0)),
    ("nul-tail.log", _write(LINES.encode() + b"\x00" * 300_000), 2, None, (51, 1)),
    ("long-line.log", _long_line, 2, None, (101, 1)),
]


@pytest.mark.parametrize("name, make, code, message, counts", CASES,
                         ids=[c[0] for c in CASES])
def test_hostile_file_beside_a_good_one(shadowai, org: Path, name: str,
                                        make: Callable[[Path], None], code: int,
                                        message: str | None,
                                        counts: tuple[int, int] | None) -> None:
    logs = org.parent / "logs"
    logs.mkdir()
    (logs / "good.log").write_text(GOOD + "\n")
    hostile = org.parent / name
    make(hostile)
    result = shadowai("ingest", str(logs), str(hostile))
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exit_code == code, result.output
    with duckdb.connect(str(org.parent / "store.duckdb"), read_only=True) as con:
        stored = {Path(p).name: (n, r) for p, n, r in
                  con.execute("SELECT path, lines, rejected FROM files").fetchall()}
    assert stored.get("good.log") == (1, 0)
    about = [x for x in result.stderr.splitlines() if name in x]
    if message is not None:
        assert name not in stored
        assert len(about) == 1 and message in about[0], result.stderr
    else:
        assert stored.get(name) == counts, (stored, result.output)
        if counts and counts[1]:
            assert about and all(len(x) < 700 for x in about)  # excerpts are cut short


def test_a_long_line_is_rejected_with_its_reason(shadowai, org: Path) -> None:
    log = org.parent / "long.log"
    _long_line(log)
    result = shadowai("ingest", str(log))
    assert f"long.log:51: {LONG_LINE}" in result.stderr


def _peak_rss_kib(args: list[str]) -> int:
    """Run the CLI in a child process; its peak resident memory, in KiB."""
    proc = subprocess.Popen([sys.executable, "-m", "shadowai.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode in (0, 2)
    return usage.ru_maxrss


def test_memory_does_not_grow_with_a_line(tmp_path: Path, org: Path) -> None:
    """A valid log then 80 MB of NUL without a newline (an unclean shutdown): before,
    memory grew with the tail (1.3 GB peak for 200 MB, 3.7 GB for 500 MB); now it stays
    within a few blocks of a plain run."""
    plain = tmp_path / "plain.log"
    plain.write_text(LINES)
    tail = tmp_path / "tail.log"
    with open(tail, "wb") as fh:
        fh.write(LINES.encode())
        for _ in range(80):
            fh.write(b"\x00" * (1 << 20))
    base = _peak_rss_kib(["--config", str(org), "ingest", str(plain)])
    peak = _peak_rss_kib(["--config", str(org), "ingest", "--format", "squid-native",
                          str(tail)])
    assert peak - base < 150 << 10, (base, peak)
    with duckdb.connect(str(org.parent / "store.duckdb"), read_only=True) as con:
        assert con.execute("SELECT lines, rejected FROM files WHERE path LIKE '%tail.log'"
                           ).fetchall() == [(51, 1)]


def test_a_file_name_that_is_not_utf8_is_read_and_named_with_escapes(tmp_path: Path,
                                                                      org: Path) -> None:
    """Old shares hold Latin-1 file names (``accès.log`` as the byte e8): the log is read,
    the name is printed and stored as ``acc\\xe8s.log``, ``--json`` stays valid JSON on a
    UTF-8 terminal, and a non-log with such a name is skipped like any other."""
    logs = tmp_path / "logs"
    logs.mkdir()
    line = native(at(3), "10.1.0.7", "TCP_MISS/200", 900, "CONNECT", "chatgpt.com:443",
                  "alice")
    (logs / os.fsdecode(b"acc\xe8s.log")).write_text(line + "\n", encoding="utf-8")
    (logs / os.fsdecode(b"notes-caf\xe9.txt")).write_text("hello\n", encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
    done = subprocess.run([sys.executable, "-m", "shadowai.cli", "--config", str(org),
                           "ingest", "--json", str(logs)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    results = {Path(r["path"]).name: r["status"] for r in json.loads(done.stdout)}
    assert results == {"acc\\xe8s.log": "ingested", "notes-caf\\xe9.txt": "skipped"}
    with duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True) as con:
        (path,), = con.execute("SELECT path FROM files").fetchall()
        assert Path(path).name == "acc\\xe8s.log"
        assert con.execute("SELECT sum(requests) FROM ai_daily").fetchall() == [(1,)]
