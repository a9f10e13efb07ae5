#!/usr/bin/env python3
"""Review v2fly domain-list-community's AI lists against the catalog (no network).

Source: https://github.com/v2fly/domain-list-community (MIT licence). Download it
yourself, then point this script at its ``data/`` directory:

    git clone --depth 1 https://github.com/v2fly/domain-list-community /tmp/v2fly
    python3 scripts/import_v2fly.py /tmp/v2fly/data
    python3 scripts/import_v2fly.py /tmp/v2fly/data --list category-ai-cn --verbose

The lists (``category-ai-!cn`` by default, which includes ``openai``, ``anthropic``,
``google-deepmind``…) are expanded through their ``include:`` lines. ``domain:`` and bare
lines are suffix rules like the catalog's; ``full:`` lines are exact hosts upstream (the
catalog would also match their subdomains: check that this is right); ``regexp:`` and
``keyword:`` lines cannot be expressed in the catalog and are listed apart. Entries tagged
``@ads`` (trackers) are skipped. Prints NEW / REFUSED / COVERED names (see
``import_common.py``); it never edits the catalog.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from import_common import Candidate, review

SOURCE = "https://github.com/v2fly/domain-list-community/blob/master/data/"
DEFAULT_LISTS = ["category-ai-!cn", "category-ai-cn"]


def expand(data: Path, name: str, seen: set[str] | None = None) -> tuple[list[Candidate],
                                                                       list[str]]:
    """Candidates of list ``name`` and its includes, and the unusable rules."""
    seen = seen if seen is not None else set()
    if name in seen:
        return [], []
    seen.add(name)
    path = data / name
    if not path.is_file():
        raise SystemExit(f"{path}: no such list (is {data} the data/ directory?)")
    out: list[Candidate] = []
    skipped: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        rule, *attrs = line.split()
        if "@ads" in attrs:
            continue
        if rule.startswith("include:"):
            sub, sub_skipped = expand(data, rule.removeprefix("include:"), seen)
            out += sub
            skipped += sub_skipped
        elif rule.startswith(("regexp:", "keyword:")):
            skipped.append(f"{rule}  # {name}")
        elif rule.startswith("full:"):
            out.append(Candidate(rule.removeprefix("full:"), name, "exact host upstream"))
        else:
            out.append(Candidate(rule.removeprefix("domain:"), name))
    return out, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the data/ directory of a local copy")
    parser.add_argument("--list", action="append", dest="lists",
                        help=f"list to review (repeatable; default {', '.join(DEFAULT_LISTS)})")
    parser.add_argument("--verbose", action="store_true", help="also list covered names")
    args = parser.parse_args(argv)
    candidates: list[Candidate] = []
    skipped: list[str] = []
    for name in args.lists or DEFAULT_LISTS:
        found, unusable = expand(args.data, name)
        candidates += [Candidate(c.domain, c.group, c.note) for c in found]
        skipped += unusable
    review(candidates, SOURCE + "<list>", verbose=args.verbose)
    if skipped:
        print("\n## NOT EXPRESSIBLE as catalog suffixes (review by hand)")
        print("\n".join(sorted(set(skipped))))
    print(f"\n# In `source`, replace <list> by the list named in the comment "
          f"(e.g. {SOURCE}openai).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
