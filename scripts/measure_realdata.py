"""Measure shadowai on the shared real-data collections, as the real CLI sees them.

    python scripts/measure_realdata.py ../shared/realdata ../shared/realdata-wild

Runs ``shadowai ingest --json`` on the folders (store and key in a temporary directory,
report time zone UTC), then prints, per collection: files detected as their true format
(the folder directly under the collection names the format family), and the share of
event lines parsed (parsed, with those of months already closed, over parsed + rejected)
in the files detected right. Lines of
files not detected right count as not parsed in the "all files" share. Files damaged at
source (:data:`DAMAGED_AT_SOURCE`) are counted apart, with why.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

NOT_LOGS = ("SOURCES.md", "LICENSE")
#: Files no device wrote as they are (checked by the tests: undone, the damage reads): they
#: are listed apart, neither detected right nor a detection failure.
DAMAGED_AT_SOURCE = {
    "pfsense/test-pfsense-squid.log": "a web page turned Squid's time and elapsed fields "
                                      "into a markdown '[…](tel:…)' link before it was saved",
}


def true_family(folder: str) -> str:
    """Folder name -> the prefix every acceptable format name starts with."""
    special = {"infoblox_bind_querylog": "bind-querylog", "bind_querylog": "bind-querylog",
               "zeek_tsv": "zeek-", "zeek_json": "zeek-", "w3c_iis": "w3c",
               "w3c_bluecoat_elff": "w3c", "w3c_ms_isa_tmg": "w3c", "w3c_other": "w3c",
               "zscaler_nss": "zscaler-nss", "ecs_json": "ecs-json", "squid_native": "squid-",
               "squid_common": "squid-"}
    return special.get(folder, folder.replace("_", "-"))


def acceptable(rel: Path, fmt: str | None) -> bool:
    if fmt is None:
        return False
    family = true_family(rel.parts[0])
    if rel.name == "isa2000_firewall_isaformat.log":  # ISA's own format, not W3C
        return fmt == "isa-format"
    return fmt.startswith(family)


def main(roots: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "shadowai.toml"
        config.write_text(f'[store]\npath = "{tmp}/s.duckdb"\n[privacy]\n'
                          f'key_file = "{tmp}/k.key"\n[report]\ntimezone = "UTC"\n')
        (Path(tmp) / "k.key").write_text("ab" * 32)
        (Path(tmp) / "k.key").chmod(0o600)
        run = subprocess.run(["shadowai", "--config", str(config), "ingest", "--json", *roots],
                             capture_output=True, text=True, check=False)
    try:
        results = json.loads(run.stdout)
    except json.JSONDecodeError:
        sys.exit(f"no JSON from shadowai: {run.stderr[-2000:]}")
    files = results["files"] if isinstance(results, dict) else results
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    wrong, damaged = [], []
    for item in files:
        path = Path(item["path"]).resolve()
        root = next(Path(r).resolve() for r in roots if path.is_relative_to(Path(r).resolve()))
        rel = path.relative_to(root)
        if any(n in path.name for n in NOT_LOGS):
            continue
        stats = per[root.name]
        if str(rel) in DAMAGED_AT_SOURCE:
            stats["damaged"] += 1
            damaged.append(f"  {root.name}/{rel}: {item['status']}, damaged at source: "
                           f"{DAMAGED_AT_SOURCE[str(rel)]}")
            continue
        stats["files"] += 1
        lines = item.get("lines") or sum(1 for x in path.read_bytes().splitlines() if x.strip())
        # lines of a month already closed (old logs) were read right: the store keeps none
        read = item.get("parsed", 0) + item.get("month_closed", 0)
        events = read + item.get("rejected", 0)
        if acceptable(rel, item.get("format")) and item["status"] == "ingested":
            stats["right"] += 1
            stats["parsed"] += read
            stats["events"] += events
            stats["all_events"] += events
        else:
            stats["all_events"] += max(lines - item.get("not_event", 0), 0)
            wrong.append(f"  {root.name}/{rel}: {item['status']} {item.get('format')} "
                         f"{item.get('message', '')[:100]}")
    for name, s in per.items():
        share = s["parsed"] / s["events"] if s["events"] else 0
        share_all = s["parsed"] / s["all_events"] if s["all_events"] else 0
        apart = f" (+{s['damaged']} damaged at source)" if s["damaged"] else ""
        print(f"{name}: {s['right']}/{s['files']} files detected right{apart}; event lines "
              f"parsed {share:.1%} in those ({s['parsed']}/{s['events']}), "
              f"{share_all:.1%} over all files")
    print("\n".join(sorted(wrong) + sorted(damaged)))


if __name__ == "__main__":
    main(sys.argv[1:])
