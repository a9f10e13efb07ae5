#!/usr/bin/env python3
"""Review Nullgen's AI blocklist against the catalog (no network).

Source: https://github.com/nullgen-inc/ai-blocklist (public domain, CC0). Download the
plain domain list yourself (and, optionally, ``vendors.json`` for vendor names):

    curl -O https://raw.githubusercontent.com/nullgen-inc/ai-blocklist/main/lists/ai.domains.txt
    curl -O https://raw.githubusercontent.com/nullgen-inc/ai-blocklist/main/lists/vendors.json
    python3 scripts/import_nullgen.py ai.domains.txt --vendors vendors.json

Each entry of ``ai.domains.txt`` is a suffix rule, like the catalog's. Prints NEW /
REFUSED / COVERED names (see ``import_common.py``); it never edits the catalog.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from import_common import Candidate, review

SOURCE = "https://github.com/nullgen-inc/ai-blocklist/blob/main/lists/ai.domains.txt"


def read(domains: Path, vendors: Path | None) -> list[Candidate]:
    names: dict[str, str] = {}
    if vendors is not None:
        for vendor in json.loads(vendors.read_text(encoding="utf-8")).get("vendors", []):
            for host in vendor.get("hosts", []):
                names.setdefault(host, vendor.get("name", "?"))
    out = []
    for raw in domains.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(Candidate(line, names.get(line, "ai.domains.txt")))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("domains", type=Path, help="local copy of lists/ai.domains.txt")
    parser.add_argument("--vendors", type=Path, help="local copy of lists/vendors.json")
    parser.add_argument("--verbose", action="store_true", help="also list covered names")
    args = parser.parse_args(argv)
    review(read(args.domains, args.vendors), SOURCE, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
