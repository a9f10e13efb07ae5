"""Parsing speed of every registered format, in lines per second.

Each format's sample (``sample_logs/formats/<name>.log``) is replicated to about
``--lines`` lines (header lines kept once, at the top) and parsed the way ingest parses
a file: blocks of ``sources.BLOCK_BYTES`` framed by ``lines_frame``, then
``parse(...).collect()``. Only the parse is timed (no store, no aggregation); the median
of ``--repeat`` runs is printed as a markdown table with the machine facts, in wall time
and in CPU seconds of this process (all its threads: the steadier figure on a shared
machine; polars may use several cores, so lines per CPU s can be below lines/s).

    python3 benchmarks/bench_formats.py --lines 1000000 --repeat 3
    python3 benchmarks/bench_formats.py --issue    # issue 15's formats, against 1 M lines/s
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# shadowai before polars: it sets polars' allocator options, as when ingest runs
from shadowai import formats  # noqa: E402
from shadowai.ingest import lines_frame  # noqa: E402
from shadowai.sources import BLOCK_BYTES  # noqa: E402

SAMPLES = REPO / "sample_logs" / "formats"
#: Issue 15: FortiGate, PAN-OS, BIND and Zeek should each parse at least 1 M lines/s.
ISSUE_FORMATS = ("fortigate", "panos", "bind-querylog", "zeek-conn", "zeek-dns", "zeek-http",
                 "zeek-ssl")
ISSUE_TARGET = 1e6
BLOCK = BLOCK_BYTES


def replicate(sample: Path, lines: int) -> bytes:
    """Header/comment lines once, then the data lines repeated to about ``lines``."""
    text = sample.read_bytes().splitlines()
    head = [x for x in text if x.startswith(b"#")]
    body = [x for x in text if x and not x.startswith(b"#")]
    if not body:
        return b""
    copies = max(1, lines // len(body))
    return b"\n".join(head + body * copies) + b"\n"


def parse_all(fmt: formats.Format, data: bytes) -> int:
    """Parse ``data`` in ingest-sized blocks; returns the number of lines parsed."""
    start_file = getattr(fmt, "start_file", None)
    if start_file:
        start_file()
    done, line, offset = 0, 1, 0
    while offset < len(data):
        end = data.rfind(b"\n", offset, offset + BLOCK) + 1 or len(data)
        block = data[offset:end]
        count = block.count(b"\n")
        fmt.parse(lines_frame(block, line, count).lazy(), "Europe/Paris").collect()
        done, line, offset = done + count, line + count, end
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000, help="lines per format")
    ap.add_argument("--repeat", type=int, default=3, help="runs per format (median)")
    ap.add_argument("--only", nargs="*", help="format names (default: all with a sample)")
    ap.add_argument("--issue", action="store_true",
                    help=f"only issue 15's formats ({', '.join(ISSUE_FORMATS)}), with a "
                         "target column (>= 1 M lines/s)")
    args = ap.parse_args()
    if args.issue and not args.only:
        args.only = list(ISSUE_FORMATS)
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"polars {version('polars')}; {args.lines:,} lines per format, "
          f"median of {args.repeat}.\n")
    target = " target met (≥ 1 M/s) |" if args.issue else ""
    print("| format | unit | lines | median s | lines/s | CPU s | lines per CPU s |" + target)
    print("|---|---|---|---|---|---|---|" + ("---|" if args.issue else ""))
    for name in sorted(args.only or formats.REGISTRY):
        sample = SAMPLES / f"{name}.log"
        if not sample.exists():
            continue
        fmt = formats.REGISTRY[name]
        data = replicate(sample, args.lines)
        times, cpus, n = [], [], 0
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            n = parse_all(fmt, data)
            times.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        median, cpu = statistics.median(times), statistics.median(cpus)
        met = (" yes |" if n / median >= ISSUE_TARGET else " no |") if args.issue else ""
        print(f"| {name} | {fmt.unit} | {n:,} | {median:.2f} | {n / median / 1e6:.2f} M | "
              f"{cpu:.2f} | {n / cpu / 1e6:.2f} M |" + met, flush=True)


if __name__ == "__main__":
    main()
