#!/usr/bin/env python3
"""Benchmark the full ``shadowai ingest`` against the naive reference loop, on one file.

``shadowai ingest`` does the real work (parse, classify hosts, departments, pseudonyms,
store); ``naive_host_count.py`` (shared bench folder) only splits lines and counts hosts.
Both read the same synthetic Squid log, written once by ``gen_squid.py`` and cached in
``--workdir``. Each measured command runs as a direct child of this script and
``os.wait4`` returns that child's own peak RSS and CPU time: no external tool, no mixing
of children.

Markdown tables go to stdout, progress to stderr. Standard library only.

Examples:
    python3 benchmarks/bench_ingest.py --lines 1 --repeat 1
    python3 benchmarks/bench_ingest.py --lines 10 --repeat 3
    python3 benchmarks/bench_ingest.py --lines 10 --repeat 1 --gzip
    python3 benchmarks/bench_ingest.py --memory-series --repeat 1
    python3 benchmarks/bench_ingest.py --lines 10 --repeat 3 --issue-table
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
USERS = 5000
SEED = 7
MEMORY_SERIES = (1, 2, 5, 10)  # millions of lines
MIB = 1 << 20
# gen_squid.py injects 0.1 % malformed lines by design, right at shadowai's default
# tolerance (0.001): raise it so exit code 2 means a real problem, not the generator's noise.
MAX_REJECTED_RATIO = 0.01
EXIT_PARTIAL = 2


@dataclass(frozen=True)
class Dataset:
    """A generated log with its ground truth and the user map shadowai reads."""

    log: Path
    truth: Path  # gen_squid.py's ground truth
    generated_users: Path  # gen_squid.py's user,department,client_ip
    users: Path  # the same as shadowai's user,department map
    lines: int

    @property
    def size(self) -> int:
        return self.log.stat().st_size


@dataclass(frozen=True)
class Measure:
    """One finished child process."""

    wall: float  # seconds, time.perf_counter around spawn and wait
    cpu: float  # user + system seconds of the child
    peak_rss_kib: int  # ru_maxrss of the child (KiB on Linux)
    others_cpu: float  # CPU seconds the rest of the machine burnt meanwhile (interference)
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Summary:
    """Repetitions of one command reduced to the figures of the table."""

    wall: float  # median
    cpu: float  # median
    peak_rss_mib: float  # highest over repetitions
    walls: tuple[float, ...]
    others_cpu: tuple[float, ...]

    @classmethod
    def of(cls, runs: Sequence[Measure]) -> Summary:
        return cls(wall=statistics.median(r.wall for r in runs),
                   cpu=statistics.median(r.cpu for r in runs),
                   peak_rss_mib=max(r.peak_rss_kib for r in runs) / 1024,
                   walls=tuple(r.wall for r in runs),
                   others_cpu=tuple(r.others_cpu for r in runs))


# -- measuring ------------------------------------------------------------------------------

def machine_busy_seconds() -> float:
    """CPU seconds spent by all processes since boot (every core), from /proc/stat.

    The machine is shared: comparing this before and after a run with the child's own CPU
    time tells how much other work competed with it, so a noisy figure can be spotted.
    """
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(argv: list[str], scratch: Path) -> Measure:
    """Run ``argv`` as a direct child and return its wall time, CPU time and peak RSS.

    posix_spawn + wait4 rather than subprocess: wait4 on that very pid gives the rusage of
    this child alone (RUSAGE_CHILDREN would mix every child of this script). Output goes
    to files so a chatty child cannot block on a full pipe while nobody reads it.
    """
    out, err = scratch / "stdout.txt", scratch / "stderr.txt"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 1, str(out), flags, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, str(err), flags, 0o644)]
    busy = machine_busy_seconds()
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, machine_busy_seconds() - busy - cpu)
    return Measure(wall=wall, cpu=cpu, peak_rss_kib=usage.ru_maxrss, others_cpu=others,
                   returncode=os.waitstatus_to_exitcode(status),
                   stdout=out.read_text(errors="replace"), stderr=err.read_text(errors="replace"))


def shadowai_executable() -> str:
    """The ``shadowai`` console script of this interpreter.

    Preferred over PATH because PATH may hold a wrapper (a pyenv shim is a bash script
    that forks ``pyenv`` before exec'ing Python): its start-up would be timed too.
    """
    beside = Path(sys.executable).parent / "shadowai"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("shadowai")
    if not found:
        sys.exit("shadowai is not installed for this Python: run pip install -e . first.")
    return found


# -- data -----------------------------------------------------------------------------------

def dataset_paths(workdir: Path, lines: int, gzip: bool) -> Dataset:
    """Names depend on every generator parameter, so a cached file is the right file."""
    base = workdir / f"squid_{lines}_u{USERS}_s{SEED}{'_gz' if gzip else ''}.log"
    log = Path(f"{base}.gz") if gzip else base
    return Dataset(log=log, truth=Path(f"{base}.truth.json"),
                   generated_users=Path(f"{base}.users.csv"),
                   users=Path(f"{base}.shadowai-users.csv"), lines=lines)


def is_cached(ds: Dataset, gzip: bool) -> bool:
    """gen_squid.py writes the truth after closing the log and the user CSV last, so a
    complete set of files with matching parameters means a finished run."""
    if not (ds.log.is_file() and ds.truth.is_file() and ds.generated_users.is_file()):
        return False
    params = json.loads(ds.truth.read_text())["params"]
    return (params["lines"], params["users"], params["seed"], params["gzip"]) == (
        ds.lines, USERS, SEED, gzip)


def ensure_dataset(workdir: Path, shared: Path, lines: int, gzip: bool) -> Dataset:
    """Generate the log once for these parameters, then reuse it."""
    ds = dataset_paths(workdir, lines, gzip)
    if not is_cached(ds, gzip):
        workdir.mkdir(parents=True, exist_ok=True)
        log(f"generating {ds.log.name} ({lines:,} lines; about 50 s per 10 M lines, "
            "plus 35 s with --gzip)")
        argv = [sys.executable, str(shared / "gen_squid.py"), "--lines", str(lines),
                "--users", str(USERS), "--seed", str(SEED), "--out", str(ds.log), "--quiet"]
        subprocess.run(argv + (["--gzip"] if gzip else []), check=True)
    if not ds.users.is_file():
        write_user_map(ds.generated_users, ds.users)
    return ds


def write_user_map(generated: Path, target: Path) -> None:
    """gen_squid.py writes ``user,department,client_ip``; shadowai's ``[directory] users``
    wants exactly ``user,department``."""
    with open(generated, newline="", encoding="utf-8") as src, \
            open(target, "w", newline="", encoding="utf-8") as dst:
        reader = csv.DictReader(src)
        writer = csv.writer(dst)
        writer.writerow(["user", "department"])
        writer.writerows((row["user"], row["department"]) for row in reader)


# -- the two commands -------------------------------------------------------------------------

def write_config(folder: Path, users: Path) -> Path:
    """A minimal shadowai.toml: a fresh store and key in ``folder``, the user map.
    JSON string literals are valid TOML basic strings for these paths."""
    config = folder / "shadowai.toml"
    config.write_text(
        "[store]\npath = \"shadowai.duckdb\"\n\n"
        "[privacy]\nkey_file = \"shadowai.key\"\n\n"
        f"[directory]\nusers = {json.dumps(str(users))}\n\n"
        f"[ingest]\nmax_rejected_ratio = {MAX_REJECTED_RATIO}\n",
        encoding="utf-8")
    return config


def run_shadowai(ds: Dataset, runs_dir: Path, keep: bool) -> tuple[Measure, dict[str, Any]]:
    """One ``shadowai ingest --json`` into a fresh store (and key: ingest creates it)."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="shadowai-", dir=runs_dir))
    try:
        config = write_config(folder, ds.users)
        m = measure([shadowai_executable(), "--config", str(config), "ingest", "--json",
                     str(ds.log)], folder)
        if m.returncode not in (0, EXIT_PARTIAL):
            fail("shadowai ingest", m)
        results = json.loads(m.stdout)
        if len(results) != 1 or results[0]["status"] != "ingested":
            fail("shadowai ingest (file not ingested)", m)
        if m.returncode == EXIT_PARTIAL:
            log("warning: shadowai ingest exited with 2 (partial); see its stderr:\n"
                + m.stderr[-2000:])
        return m, results[0]
    finally:
        if keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run_naive(ds: Dataset, shared: Path, runs_dir: Path) -> Measure:
    """The reference loop, with the same interpreter as shadowai."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="naive-", dir=runs_dir) as folder:
        m = measure([sys.executable, str(shared / "naive_host_count.py"), str(ds.log)],
                    Path(folder))
    if m.returncode != 0:
        fail("naive_host_count.py", m)
    return m


def fail(what: str, m: Measure) -> None:
    sys.exit(f"{what} failed with exit code {m.returncode}:\n{m.stderr[-4000:]}")


# -- sanity check -----------------------------------------------------------------------------

def catalog_matches(hosts: list[str]) -> dict[str, str | None]:
    """host -> shadowai service id (None when the catalog does not match it)."""
    if not hosts:
        return {}
    out = subprocess.run([shadowai_executable(), "domains", "check", "--json", *hosts],
                         check=True, capture_output=True, text=True).stdout
    return {row["host"]: row["service_id"] for row in json.loads(out)}


def sanity_rows(ds: Dataset, result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Ground truth next to what shadowai counted.

    The truth counts 407 challenges as AI requests; shadowai files them under not-usage
    (no user: the browser has not authenticated yet). The generator's AI list and
    shadowai's catalog may also differ: the expected figure keeps the generator's AI hosts
    that shadowai's catalog matches, minus their 407s.
    """
    truth = json.loads(ds.truth.read_text())
    by_host = truth["ai_by_host"]
    matched = catalog_matches(sorted(by_host) + sorted(truth["decoy_hosts_must_not_match"]))
    challenges = sum(h["auth_407"] for h in by_host.values())
    expected = sum(h["requests"] - h["auth_407"] for name, h in by_host.items()
                   if matched.get(name))
    unmatched = sorted(name for name in by_host if not matched.get(name))
    decoys = sorted(d for d in truth["decoy_hosts_must_not_match"] if matched.get(d))
    n = "{:,}".format
    return [
        ("lines", n(truth["lines_total"]), n(result["lines"])),
        # the generator's malformed lines include blank ones, which shadowai counts as
        # "not an event" rather than rejected
        ("malformed lines / rejected + blank (not an event)", n(truth["lines_malformed"]),
         f"{n(result['rejected'] + result['not_event'])} ({n(result['rejected'])} + "
         f"{n(result['not_event'])})"),
        ("AI requests, truth (`ai_requests_total`, 407 included)",
         n(truth["ai_requests_total"]), ""),
        ("  of which 407 challenges (not usage for shadowai)", n(challenges), ""),
        ("  AI hosts the shadowai catalog does not match", ", ".join(unmatched) or "none", ""),
        ("AI requests expected (truth - 407, catalogued hosts) / shadowai",
         n(expected), n(result["ai_requests"])),
        ("  difference (shadowai - expected; > 0: catalogued hosts the generator drew as "
         "ordinary traffic)", "", f"{result['ai_requests'] - expected:+,}"),
        ("not-usage lines (shadowai, by reason)", "",
         "; ".join(f"{k}: {n(v)}" for k, v in result["not_usage_by_reason"].items())),
        ("decoy hosts matched by shadowai (must be none)", "", ", ".join(decoys) or "none"),
    ]


# -- reporting --------------------------------------------------------------------------------

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def human_bytes(size: int) -> str:
    """Decimal units, as the shared bench README quotes sizes (1.29 GB)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.2f} {unit}"
    return f"{size} B"


def rate(lines: int, seconds: float) -> str:
    return f"{lines / seconds / 1e6:.2f} M"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def mem_total() -> str:
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / MIB:.1f} GiB"
    return "unknown"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version_of(package: str) -> str:
    """Installed version without importing the package (keeps this script stdlib-only)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def source_digest(package: str) -> str:
    """Short digest of the package's sources: the code changes under our feet while others
    work on it, so each result names the exact code it measured."""
    spec = importlib.util.find_spec(package)  # locates, does not import
    if spec is None or not spec.submodule_search_locations:
        return "unknown"
    root = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".sql")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine_facts() -> str:
    facts = [
        ("date", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("nproc", str(len(os.sched_getaffinity(0)))),
        ("CPU", cpu_model()),
        ("memory", mem_total()),
        ("kernel", platform.release()),
        ("Python", platform.python_version()),
        ("shadowai", f"{version_of('shadowai')} (sources {source_digest('shadowai')})"),
        ("polars", version_of("polars")),
        ("duckdb", version_of("duckdb")),
    ]
    return "\n".join(f"- {k}: {v}" for k, v in facts)


def comparison_table(ds: Dataset, tool: Summary, naive: Summary) -> str:
    header = ["lines", "file size", "shadowai wall s (median)", "shadowai lines/s",
              "shadowai CPU s", "shadowai peak RSS MiB", "naive wall s (median)",
              "naive lines/s", "naive CPU s", "naive peak RSS MiB", "ratio shadowai/naive"]
    row = [f"{ds.lines:,}", human_bytes(ds.size),
           f"{tool.wall:.2f}", rate(ds.lines, tool.wall), f"{tool.cpu:.1f}",
           f"{tool.peak_rss_mib:.0f}",
           f"{naive.wall:.2f}", rate(ds.lines, naive.wall), f"{naive.cpu:.1f}",
           f"{naive.peak_rss_mib:.0f}", f"{tool.wall / naive.wall:.2f}"]
    return table(header, [row])


# -- the benchmarks ---------------------------------------------------------------------------

def compare(args: argparse.Namespace, lines: int, gzip: bool | None = None
            ) -> tuple[Dataset, dict[str, Any], Summary, Summary]:
    """Main table: shadowai and the naive loop, interleaved so that any drift of the machine
    (page cache, thermal, neighbours) hits both alike."""
    ds = ensure_dataset(args.workdir, args.shared, lines, args.gzip if gzip is None else gzip)
    runs_dir = args.workdir / "runs"
    tool_runs: list[Measure] = []
    naive_runs: list[Measure] = []
    result: dict[str, Any] = {}
    for i in range(1, args.repeat + 1):
        m, result = run_shadowai(ds, runs_dir, args.keep)
        tool_runs.append(m)
        log(f"[{i}/{args.repeat}] shadowai ingest: {m.wall:.2f} s, "
            f"{m.peak_rss_kib / 1024:.0f} MiB, {result['ai_requests']:,} AI requests, "
            f"other processes {m.others_cpu:.1f} CPU s")
        m = run_naive(ds, args.shared, runs_dir)
        naive_runs.append(m)
        log(f"[{i}/{args.repeat}] naive loop: {m.wall:.2f} s, {m.peak_rss_kib / 1024:.0f} MiB, "
            f"other processes {m.others_cpu:.1f} CPU s")
    tool, naive = Summary.of(tool_runs), Summary.of(naive_runs)
    print(f"## shadowai ingest vs naive loop: {ds.log.name}, {args.repeat} repetition(s)\n")
    print(comparison_table(ds, tool, naive))
    print(f"\nwall s per repetition: shadowai {fmt_walls(tool.walls)}; "
          f"naive {fmt_walls(naive.walls)}  \n"
          "CPU s used by other processes meanwhile (interference; 0 on a quiet machine): "
          f"shadowai {fmt_walls(tool.others_cpu)}; naive {fmt_walls(naive.others_cpu)}\n")
    return ds, result, tool, naive


#: The targets of issue 15 ("twice as fast per core"), next to which --issue-table prints
#: the measured figures.
TARGET_PLAIN = 0.5
TARGET_GZIP = 0.45
TARGET_RSS_MIB = 500


def issue_table(args: argparse.Namespace, lines: int) -> list[tuple[Dataset, dict[str, Any]]]:
    """The table of issue 15 in one command: plain and gzip ratios (each side by side with
    the naive loop, alternating, ``--repeat`` times), peak RSS at 1 M lines and at
    ``--lines``, and the CPU seconds other processes used during each figure."""
    plain_ds, plain_result, plain, plain_naive = compare(args, lines, gzip=False)
    gz_ds, gz_result, gz, gz_naive = compare(args, lines, gzip=True)
    small = ensure_dataset(args.workdir, args.shared, 1_000_000, False)
    small_runs = [run_shadowai(small, args.workdir / "runs", args.keep)[0]
                  for _ in range(args.repeat)]
    log("1 M lines: peak RSS " + ", ".join(f"{m.peak_rss_kib / 1024:.0f}" for m in small_runs)
        + " MiB")
    small_rss = max(m.peak_rss_kib for m in small_runs) / 1024
    big_rss = max(plain.peak_rss_mib, gz.peak_rss_mib)

    def others(*summaries: Summary) -> str:
        return "; ".join(fmt_walls(s.others_cpu) for s in summaries)

    def ratio_row(name: str, tool: Summary, naive: Summary, target: float) -> list[str]:
        return [name, f"{tool.wall / naive.wall:.2f} × naive ({tool.wall:.2f} s / "
                f"{naive.wall:.2f} s)", f"{tool.cpu / naive.cpu:.2f} ({tool.cpu:.1f} / "
                f"{naive.cpu:.1f} CPU s)", f"≤ {target} × naive",
                "yes" if tool.wall / naive.wall <= target else "no",
                others(tool, naive)]

    millions = f"{lines / 1e6:g} M"
    rows = [ratio_row(f"{millions} Squid lines, plain", plain, plain_naive, TARGET_PLAIN),
            ratio_row(f"{millions} lines, gzip", gz, gz_naive, TARGET_GZIP),
            ["peak memory", f"{small_rss:.0f} MiB at 1 M, {big_rss:.0f} MiB at {millions}", "",
             f"≤ {TARGET_RSS_MIB} MiB, flat from 1 M to 10 M",
             "yes" if max(small_rss, big_rss) <= TARGET_RSS_MIB else "no",
             fmt_walls([m.others_cpu for m in small_runs])]]
    print(f"## Issue 15 table (median of {args.repeat} alternating runs each)\n")
    print(table(["input", "wall ratio (median)", "CPU ratio (median)", "target", "met",
                 "CPU s of other processes per run (shadowai; naive)"], rows))
    print("\nParse speed per format (FortiGate, PAN-OS, BIND, Zeek; target ≥ 1 M lines/s "
          "each): `python3 benchmarks/bench_formats.py --issue`.\n")
    return [(plain_ds, plain_result), (gz_ds, gz_result)]


def fmt_walls(walls: Sequence[float]) -> str:
    return ", ".join(f"{w:.2f}" for w in walls)


def memory_series(args: argparse.Namespace) -> None:
    """Peak RSS against file size: ingest streams blocks, so it should stay flat."""
    rows = []
    for millions in MEMORY_SERIES:
        ds = ensure_dataset(args.workdir, args.shared, millions * 1_000_000, args.gzip)
        m, _ = run_shadowai(ds, args.workdir / "runs", args.keep)
        log(f"memory series {millions} M: {m.wall:.2f} s, {m.peak_rss_kib / 1024:.0f} MiB, "
            f"other processes {m.others_cpu:.1f} CPU s")
        rows.append([f"{ds.lines:,}", human_bytes(ds.size), f"{m.wall:.2f}",
                     rate(ds.lines, m.wall), f"{m.cpu:.1f}", f"{m.peak_rss_kib / 1024:.0f}",
                     f"{m.others_cpu:.1f}"])
    print("## Peak memory against file size (shadowai ingest, once each)\n")
    print(table(["lines", "file size", "wall s", "lines/s", "CPU s", "peak RSS MiB",
                 "other processes CPU s"], rows))
    print()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Example: python3 benchmarks/bench_ingest.py --lines 10 --repeat 3",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--lines", type=float, default=10,
                        help="log size in millions of lines (0.1 for a quick try)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each command; the table shows the median wall time")
    parser.add_argument("--gzip", action="store_true", help="benchmark a gzip-compressed log")
    parser.add_argument("--workdir", type=Path, default=REPO / "benchmarks" / "data",
                        help="cache of generated logs and scratch space (git-ignored)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench",
                        help="folder holding gen_squid.py and naive_host_count.py")
    parser.add_argument("--keep", action="store_true",
                        help="keep each run's folder (config, key, store) in WORKDIR/runs")
    parser.add_argument("--issue-table", action="store_true",
                        help="plain and gzip comparisons, and peak RSS at 1 M lines: the "
                             "table of issue 15 (ignores --gzip)")
    parser.add_argument("--memory-series", action="store_true",
                        help=f"also ingest {', '.join(map(str, MEMORY_SERIES))} M line files "
                             "once each and print peak RSS against file size")
    args = parser.parse_args(argv)
    if args.lines <= 0 or args.repeat < 1:
        parser.error("--lines must be > 0 and --repeat >= 1")
    for script in ("gen_squid.py", "naive_host_count.py"):
        if not (args.shared / script).is_file():
            parser.error(f"{args.shared / script}: not found; pass --shared")
    args.workdir = args.workdir.resolve()
    args.shared = args.shared.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    digest = source_digest("shadowai")
    print("## Machine\n")
    print(machine_facts() + "\n")
    print("command: `python3 benchmarks/bench_ingest.py "
          + " ".join(sys.argv[1:] if argv is None else argv) + "`\n")
    lines = round(args.lines * 1_000_000)
    if args.issue_table:
        checked = issue_table(args, lines)
    else:
        ds, result, _, _ = compare(args, lines)
        checked = [(ds, result)]
    for ds, result in checked:
        print(f"## Sanity check against gen_squid.py's ground truth ({ds.log.name})\n")
        print(table(["what", "truth", "shadowai"], sanity_rows(ds, result)) + "\n")
    print("The truth counts 407 challenges (TCP_DENIED/407 without a user) as AI requests; "
          "shadowai deliberately excludes them (not usage: the browser has not "
          "authenticated yet).\n")
    if args.memory_series:
        memory_series(args)
    if (now := source_digest("shadowai")) != digest:
        print(f"**Warning: shadowai's sources changed during this benchmark ({digest} -> "
              f"{now}); the runs may have measured different code.**\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
