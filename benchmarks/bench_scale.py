"""Scaling: wall time and CPU of `shadowai ingest` on 8 and 32 gzip files with --workers 1
and 2 and with Spark local[2], each into a fresh store.

    python benchmarks/bench_scale.py [--lines 50000] [--files 8,32] [--no-spark]

CPU is this process's children (the CLI and its workers; Spark's JVM included, as it is
a child of the CLI). The files are distinct (a unique first line each), so none is a
duplicate of another.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOSTS = ["chatgpt.com:443", "claude.ai:443", "www.google.com:443", "intranet.example:443",
         "gemini.google.com:443", "cdn.example.net:443", "mistral.ai:443"]


def make_files(folder: Path, files: int, lines: int) -> int:
    rng = random.Random(7)
    start = 1_791_000_000.0  # October 2026
    body = []
    for i in range(lines):
        user = f"user{rng.randrange(2000)}"
        body.append(f"{start + i * 2.5:.3f}    120 10.1.{rng.randrange(200)}.{rng.randrange(250)}"
                    f" TCP_TUNNEL/200 {rng.randrange(100, 90000)} CONNECT "
                    f"{rng.choice(HOSTS)} {user} HIER_DIRECT/192.0.2.1 -")
    text = "\n".join(body) + "\n"
    for n in range(files):
        first = (f"{start - 1 - n:.3f}    120 10.9.0.{n % 250} TCP_TUNNEL/200 1 CONNECT "
                 f"example.org:443 bench{n} HIER_DIRECT/192.0.2.1 -\n")
        with gzip.open(folder / f"access-{n:03d}.log.gz", "wt", compresslevel=1) as fh:
            fh.write(first + text)
    return files * (lines + 1)


def run(work: Path, logs: Path, *options: str) -> tuple[float, float]:
    config = work / "shadowai.toml"
    config.write_text('[store]\npath = "store.duckdb"\n[privacy]\nkey_file = "secret.key"\n')
    for f in work.glob("store.duckdb*"):
        f.unlink()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "shadowai.cli", "--config", str(config),
                           "ingest", *options, str(logs)], capture_output=True, text=True,
                          cwd=work)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 2):
        raise SystemExit(proc.stderr[-2000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--files", default="8,32")
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    engines = [("--workers 1", ["--workers", "1"]), ("--workers 2", ["--workers", "2"])]
    if not args.no_spark:
        engines.append(("spark local[2]", ["--engine", "spark", "--spark-master", "local[2]"]))
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    print("| files | lines | engine | wall s | CPU s | lines/s (wall) |")
    print("|---:|---:|---|---:|---:|---:|")
    for files in (int(x) for x in args.files.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            logs = Path(tmp) / "logs"
            logs.mkdir()
            total = make_files(logs, files, args.lines)
            for name, options in engines:
                wall, cpu = run(Path(tmp), logs, *options)
                print(f"| {files} | {total:,} | {name} | {wall:.1f} | {cpu:.1f} | "
                      f"{total / wall:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
