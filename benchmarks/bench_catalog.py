#!/usr/bin/env python3
"""Benchmark ``Catalog.classify`` on the distinct hosts of a busy month.

Builds ``--hosts`` distinct synthetic host names (default 500,000) with realistic label
counts: about 5 % under catalogued AI domains (``x.chatgpt.com``, regional cloud
endpoints…), 20 % under the shared platforms that also hold AI hosts (``*.googleapis.com``,
``*.amazonaws.com``, ``*.microsoft.com``, ``*.google.com``: they survive the first filter and
take the slow path) and the rest under ordinary registrable domains (``cdn3.shop-4821.fr``).
Times ``classify`` ``--repeat`` times on a fresh catalog each run (no warm cache), prints
the median, and checks on a sample that the result equals :meth:`Catalog.match`.

Example:
    python3 benchmarks/bench_catalog.py
    python3 benchmarks/bench_catalog.py --hosts 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import polars as pl

from shadowai import catalog as catalog_mod

TLDS = ["com", "fr", "net", "org", "io", "de", "eu", "co.uk", "gouv.fr", "cn", "ai", "app"]
WORDS = ["api", "cdn", "www", "static", "img", "auth", "login", "edge", "m", "mail", "eu",
         "assets", "media", "ws", "v2", "prod", "s3", "events", "telemetry", "app"]
PLATFORMS = ["googleapis.com", "amazonaws.com", "microsoft.com", "google.com", "azure.com",
             "cloudfront.net", "office.com", "github.com", "windows.net", "bing.com"]


def synthetic_hosts(n: int, cat: catalog_mod.Catalog, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    domains = sorted(cat.domains)
    out: set[str] = set()
    while len(out) < n:
        r = rnd.random()
        prefix = ".".join(rnd.choice(WORDS) + str(rnd.randrange(100))
                          for _ in range(rnd.choice((0, 1, 1, 1, 2, 3))))
        if r < 0.05:
            base = rnd.choice(domains)
        elif r < 0.25:
            base = f"{rnd.choice(WORDS)}{rnd.randrange(10_000)}.{rnd.choice(PLATFORMS)}"
        else:
            base = f"site-{rnd.randrange(2_000_000)}.{rnd.choice(TLDS)}"
        out.add(f"{prefix}.{base}" if prefix else base)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=500_000, help="distinct hosts")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median printed)")
    parser.add_argument("--check", type=int, default=20_000,
                        help="hosts checked against Catalog.match (0 to skip)")
    args = parser.parse_args(argv)

    base = catalog_mod.load()
    hosts = pl.Series("host", synthetic_hosts(args.hosts, base), dtype=pl.String)
    labels = hosts.str.count_matches(".", literal=True) + 1
    print(f"catalog {base.version}: {len(base.services)} services, {len(base.domains)} "
          f"domains; {hosts.len():,} distinct hosts, {labels.mean():.1f} labels on average",
          file=sys.stderr)
    times = []
    result = None
    for _ in range(args.repeat):
        cat = catalog_mod.load()  # fresh: no cached frames from a previous run
        start = time.perf_counter()
        result = cat.classify(hosts)
        times.append(time.perf_counter() - start)
    assert result is not None
    matched = result["service_id"].is_not_null().sum()
    print(f"runs: {', '.join(f'{t:.3f}' for t in times)} s", file=sys.stderr)
    print(f"classify {hosts.len():,} distinct hosts: median {statistics.median(times):.3f} s "
          f"over {args.repeat} runs ({matched:,} matched)")
    if args.check:
        got = {r["host"]: (r["service_id"], r["domain"]) for r in result.iter_rows(named=True)}
        for host in random.Random(2).sample(hosts.to_list(), min(args.check, hosts.len())):
            m = base.match(host)
            want = (m.service.id if m.service else None, m.domain)
            if got[host] != want:
                print(f"MISMATCH {host}: classify {got[host]} != match {want}", file=sys.stderr)
                return 1
        print(f"classify == match on {min(args.check, hosts.len()):,} sampled hosts",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
