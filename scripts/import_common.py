"""Shared review step of the ``import_*.py`` maintainer scripts.

An import never edits the catalog: it compares an upstream list (read from a local copy,
no network) with ``domains/domains.csv`` and prints what a maintainer has to review:

- ``NEW``: upstream names that no catalog entry matches, as ready-to-edit CSV rows
  (``service_id`` left empty) followed by the rule they break, if any;
- ``REFUSED``: upstream names that the catalog rules reject (over-broad platform domain,
  public suffix, invalid name): never add them;
- ``COVERED``: upstream names already matched by a catalog entry (with ``--verbose``).

Every row you keep must be checked against the rules of ``domains/README.md`` (does all
traffic under the name belong to one AI service?) and credited: its ``source`` column is
the upstream file's URL.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from shadowai import catalog as catalog_mod  # noqa: E402


@dataclass(frozen=True)
class Candidate:
    domain: str
    group: str  # upstream list, vendor or file the name comes from
    note: str = ""  # e.g. "exact host upstream"


def _reviewed(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["domain"]: row["reason"] for row in csv.DictReader(fh)}


def rule_problem(domain: str, overbroad: dict[str, str], exceptions: dict[str, str],
                 psl: tuple | None) -> str | None:
    """The catalog rule a candidate breaks (see ``catalog.validate``), or None."""
    problem = catalog_mod.domain_problem(domain)
    if problem:
        return f"{domain} {problem}"
    for bad, reason in overbroad.items():
        if bad == domain or bad.endswith("." + domain):
            return f"over-broad platform domain {bad} ({reason})"
    if psl is not None:
        icann, full = psl
        if icann.privatesuffix(domain) is None:
            return "no registrable domain (public suffix or unknown top-level domain)"
        if full.is_public(domain) and domain not in exceptions:
            return "private-section public suffix (names under it belong to different owners)"
    return None


def review(candidates: Iterable[Candidate], source: str, verbose: bool = False,
           directory: Path | None = None) -> int:
    """Print the review of ``candidates`` against the catalog; returns the number of NEW
    names."""
    directory = directory or catalog_mod.default_dir()
    cat = catalog_mod.load(directory)
    overbroad = _reviewed(directory / catalog_mod.OVERBROAD_FILE)
    exceptions = _reviewed(directory / catalog_mod.PSL_EXCEPTIONS_FILE)
    try:
        from publicsuffixlist import PublicSuffixList
        psl: tuple | None = (PublicSuffixList(only_icann=True, accept_unknown=False),
                             PublicSuffixList(accept_unknown=False))
    except ImportError:
        psl = None
        print("# publicsuffixlist is not installed: public suffixes are not checked "
              "(pip install -e '.[test]')", file=sys.stderr)
    by_domain: dict[str, Candidate] = {}
    for c in candidates:
        by_domain.setdefault(c.domain.strip().lower().rstrip("."), c)
    new, refused, covered = [], [], []
    for domain in sorted(by_domain):
        c = by_domain[domain]
        problem = rule_problem(domain, overbroad, exceptions, psl)
        m = cat.match(domain)
        if m.service is not None:
            covered.append((c, m))
        elif problem and ("over-broad" in problem or "public suffix" in problem
                          or "registrable" in problem or "normalised" in problem
                          or "bare label" in problem or "valid host" in problem):
            refused.append((c, problem))
        else:
            new.append((c, problem))
    today = dt.date.today().isoformat()
    print(f"# source: {source}")
    print(f"# {len(by_domain)} upstream names: {len(new)} NEW, {len(refused)} REFUSED, "
          f"{len(covered)} already COVERED by the catalog")
    print("\n## NEW: review each one, fill in service_id (and kind), then add it to "
          "domains/domains.csv")
    print(",".join(catalog_mod.DOMAIN_COLUMNS))
    for c, _ in new:
        note = f"  # {c.group}{'; ' + c.note if c.note else ''}"
        print(f"{c.domain},,web,{today},{source}{note}")
    print("\n## REFUSED by the catalog rules (never add these)")
    for c, problem in refused:
        print(f"{c.domain}  # {c.group}: {problem}")
    if verbose:
        print("\n## COVERED (already matched)")
        for c, m in covered:
            assert m.service is not None
            exact = "exact" if m.domain == c.domain else f"via {m.domain}"
            print(f"{c.domain}  # {c.group} -> {m.service.id} ({exact})")
    return len(new)
