"""Cost of the transport layer: a format's parse alone against the same block read through
``shadowai.transport.parse`` (envelope detection and peeling, blank lines, time rule), in
lines per CPU second (process time: steadier than wall time on a shared machine).

Each case replicates a format's sample to ``--lines`` lines, optionally behind an envelope
written here, and reads it as one block. The median of ``--repeat`` runs is printed as a
markdown table.

    python3 benchmarks/bench_transport.py --lines 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from shadowai import formats, transport  # noqa: E402
from shadowai.ingest import lines_frame  # noqa: E402

SAMPLES = REPO / "sample_logs" / "formats"
#: (format, envelope written in front of every line, "" for none)
CASES = [
    ("squid-native", ""),
    ("squid-native", "<134>Oct  8 09:15:03 proxy squid[12]: "),
    ("squid-native", "<38>Oct  8 09:15:04 10.55.0.1 <134>Oct  8 09:15:03 proxy squid: "),
    ("fortigate", ""),
    ("panos", ""),
    ("panos", "<134>1 2026-10-08T09:15:03.123+02:00 fw panos 12 - - "),
]


def cpu_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| format | envelope | format alone (M lines/cpu-s) | through transport | ratio |")
    print("|---|---|---|---|---|")
    for name, envelope in CASES:
        sample = [x for x in (SAMPLES / f"{name}.log").read_text().split("\n")
                  if x.strip() and not x.startswith("#")]
        if envelope:  # the sample's own syslog headers go: one envelope, the one written here
            sample = [envelope + x.split(" ", 3)[-1] if name == "panos" else envelope + x
                      for x in sample]
        lines = (sample * (args.lines // len(sample) + 1))[:args.lines]
        frame = lines_frame(("\n".join(lines) + "\n").encode(), 1, len(lines))
        fmt = formats.get(name)
        alone = cpu_seconds(lambda: fmt.parse(frame.lazy(), "Europe/Paris").collect(),  # noqa: B023
                            args.repeat)
        through = cpu_seconds(lambda: transport.parse(fmt, frame.lazy(), "Europe/Paris"),  # noqa: B023
                              args.repeat)
        label = envelope.strip() or "none"
        print(f"| {name} | `{label}` | {len(lines) / alone / 1e6:.2f} | "
              f"{len(lines) / through / 1e6:.2f} | {through / alone:.2f} |")


if __name__ == "__main__":
    main()
