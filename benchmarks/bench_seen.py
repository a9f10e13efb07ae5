"""What a monthly run costs when nothing is new: a year of daily rotated, gzipped Squid
logs (365 files) ingested once, then the same folder again. The second run must skip
every file by its cheap signature (size, mtime, sampled bytes) without decompressing it.

    python benchmarks/bench_seen.py [--files 365] [--lines 20000] [--work DIR]

Prints: first ingest wall time, the "nothing new" run's wall time (median of 3), and, as
the reference of what the signature saves, the time to merely decompress every file.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_rotation import lines_for  # noqa: E402  (deterministic Squid lines)


def make_year(folder: Path, files: int, lines: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        day = n % 28 + 1
        text = "\n".join(lines_for(day, lines, seed=n)) + "\n"
        (folder / f"access.log-2026{n:04d}.gz").write_bytes(gzip.compress(text.encode(), 6))


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=365)
    ap.add_argument("--lines", type=int, default=20000, help="lines per file")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-seen-"))
    logs = work / "logs"
    make_year(logs, args.files, args.lines)
    size = sum(p.stat().st_size for p in logs.iterdir())
    cfg = work / "shadowai.toml"
    cfg.write_text(f'[store]\npath = "{work / "s.duckdb"}"\n[privacy]\n'
                   f'key_file = "{work / "k"}"\n', encoding="utf-8")
    shadowai = [sys.executable, "-m", "shadowai.cli", "--config", str(cfg), "ingest", str(logs)]
    first = timed(shadowai)
    again = [timed(shadowai) for _ in range(3)]
    started = time.perf_counter()
    for p in sorted(logs.iterdir()):
        with gzip.open(p, "rb") as fh:
            while fh.read(1 << 24):
                pass
    decompress = time.perf_counter() - started
    print(f"{args.files} files, {args.files * args.lines:,} lines, {size / 1e6:.0f} MB gzip")
    print(f"first ingest:               {first:7.2f} s")
    print(f"nothing new (median of 3):  {statistics.median(again):7.2f} s  "
          f"(runs: {', '.join(f'{x:.2f}' for x in again)})")
    print(f"decompress every file once: {decompress:7.2f} s  (what the signature saves)")


if __name__ == "__main__":
    main()
