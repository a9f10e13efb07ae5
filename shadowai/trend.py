"""Month-by-month trends from the stored monthly summaries (already k-anonymous), with
changes in catalog or data coverage flagged so that they are not read as changes in
behaviour. Summaries survive ``purge``, so trends outlive the detailed data.

The trend's k applies to every month, a month summarised (closed) under a smaller k
included (``at_k``): a head count below it is hidden, and so are the other counts of its
row (episodes, requests), as in a monthly report; in each table whose rows add up to the
month's totals (services, categories, jurisdictions, departments), when the totals minus
the rows shown leave 0 < n < k episodes or requests, the shown rows with the fewest
episodes are hidden too; the EU and approved shares of such a month are hidden when a row
they count was hidden by the trend's k."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from typing import Any

from shadowai import __version__

TREND_SCHEMA_VERSION = 2
LOW_COVERAGE = 0.9  # share of the month's days with data under which a month is flagged
HEADLINE = ("ai_people", "ai_episodes", "ai_requests", "share_of_headcount", "eu_share",
            "blocked_requests", "sanctioned_share")
#: Ids of the folded group and of unassigned identities across months, whatever the
#: language or schema version each monthly summary was written in.
OTHER_ID, UNASSIGNED_ID = "__other__", "unassigned"


def build(summaries: list[dict[str, Any]], k: int, lang: str,
          organisation: str = "") -> dict[str, Any]:
    summaries = [at_k(s, k) for s in summaries]
    months = []
    previous: dict[str, Any] | None = None
    for s in summaries:
        for gap in _months_between(previous["month"], s["month"]) if previous else []:
            # A month without any data is a gap, never a zero.
            months.append({"month": gap, **{key: None for key in HEADLINE},
                           "catalog_versions": [], "days_with_data": 0,
                           "days_in_month": calendar.monthrange(int(gap[:4]), int(gap[5:]))[1],
                           "files": 0, "lines": 0, "rejected": 0, "flags": ["no_data"]})
        q = s["quality"]
        flags = []
        if previous and s.get("catalog_versions_used") != previous.get("catalog_versions_used"):
            flags.append("catalog_changed")
        if q["days_in_month"] and q["days_with_data"] / q["days_in_month"] < LOW_COVERAGE:
            flags.append("low_coverage")
        if previous and sorted(q.get("units", [])) != sorted(previous["quality"].get("units", [])):
            flags.append("sources_changed")
        if previous and previous["quality"]["file_count"] and abs(
                q["file_count"] - previous["quality"]["file_count"]
        ) / previous["quality"]["file_count"] > 0.3:
            flags.append("files_changed")
        if previous and _apart(s) != _apart(previous):
            flags.append("counting_changed")
        if previous and _departments_moved(previous, s):
            flags.append("departments_changed")
        months.append({
            "month": s["month"],
            **{key: s["totals"].get(key) for key in HEADLINE},
            "catalog_versions": s.get("catalog_versions_used", []),
            "days_with_data": q["days_with_data"], "days_in_month": q["days_in_month"],
            "files": q["file_count"], "lines": q["lines"], "rejected": q["rejected"],
            "flags": flags,
        })
        previous = s
    return {
        "schema_version": TREND_SCHEMA_VERSION,
        "generator": f"shadowai {__version__}",
        "generated_on": dt.date.today().isoformat(),
        "organisation": organisation,
        "k": k,
        "lang": lang,
        "from": months[0]["month"] if months else None,
        "to": months[-1]["month"] if months else None,
        "months": months,
        "services": _series(summaries, "services", ("name", "category", "jurisdiction")),
        "categories": _series(summaries, "categories", ()),
        "jurisdictions": _series(summaries, "jurisdictions", ()),
        "departments": _series(summaries, "departments", ("other", "unassigned"), key="name"),
    }


def _department_names(summary: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(departments shown, every department with AI users: shown or folded)."""
    shown = {d["name"] for d in summary.get("departments", [])
             if not d.get("other") and not d.get("unassigned")}
    folded = {n for d in summary.get("departments", []) for n in d.get("folded_names") or []}
    return shown, shown | folded


def _departments_moved(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """A department shown one month is nowhere the other (neither shown nor folded): a
    rename, a split or a merge in the users map, not people who stopped or started."""
    shown_before, all_before = _department_names(before)
    shown_after, all_after = _department_names(after)
    return bool(shown_before - all_after or shown_after - all_before)


def _apart(summary: dict[str, Any]) -> bool:
    """Whether a month counted client addresses apart from people (never before v3)."""
    return bool((summary.get("addresses") or {}).get("counted_apart"))


def _months_between(after: str, before: str) -> list[str]:
    """The months strictly between two YYYY-MM months."""
    out = []
    year, mon = int(after[:4]), int(after[5:7])
    while True:
        year, mon = year + mon // 12, mon % 12 + 1
        month = f"{year:04d}-{mon:02d}"
        if month >= before:
            return out
        out.append(month)


def _series(summaries: list[dict[str, Any]], table: str, keep: tuple[str, ...],
            key: str = "id") -> list[dict[str, Any]]:
    """One row per item with {month: {people, episodes, requests}} (null when hidden)."""
    rows: dict[str, dict[str, Any]] = {}
    for s in summaries:
        for item in s.get(table, []):
            ident = (OTHER_ID if item.get("other") else
                     UNASSIGNED_ID if item.get("unassigned") else item[key])
            row = rows.setdefault(ident, {"id": ident,
                                              **{k: item.get(k) for k in keep},
                                              "months": {}})
            row["months"][s["month"]] = {m: item.get(m) for m in
                                         ("people", "episodes", "requests")}
    ordered = sorted(rows.values(), key=lambda r: (
        bool(r.get("other")), bool(r.get("unassigned")),
        -sum((v["episodes"] or 0) for v in r["months"].values()), r["id"]))
    return ordered


#: The tables of a summary whose rows add up to its totals, and the counts they add up.
TABLES = ("services", "categories", "jurisdictions", "departments", "daily")
ADDITIVE = {"episodes": "ai_episodes", "requests": "ai_requests"}


def at_k(summary: dict[str, Any], k: int) -> dict[str, Any]:
    """The summary as a report of threshold ``k`` shows it (module docstring); a copy.
    Also what a monthly report of a kept summary shows (``report.write_month``): a month
    closed by an earlier release gets today's rules on the figures it holds (no count
    beside a hidden head count, no blocked count per department, homogeneous departments
    as ``metrics`` says); on a summary built by this release it changes nothing."""
    s = copy.deepcopy(summary)
    totals = s.get("totals", {})
    if totals.get("ai_people") and totals["ai_people"] < k:
        totals["ai_people"] = totals["share_of_headcount"] = None
    newly: set[str] = set()
    for table in TABLES:
        rows = s.get(table, [])
        for r in rows:
            if r.get("people") and r["people"] < k:  # 0 is no one: nothing to hide
                r["people"] = None
                newly.add(table)
        hidden = [r for r in rows if r.get("people") is None]
        shown = sorted((r for r in rows if r.get("people")),  # 0 people hold nothing
                       key=lambda r: (r.get("episodes") or 0, r.get("requests") or 0))
        # what the month's totals minus the rows shown give back
        while shown and any(0 < (totals.get(total) or 0) - sum(r.get(c) or 0 for r in shown)
                            < k for c, total in ADDITIVE.items()):
            hidden.append(shown.pop(0))
        for r in hidden:
            r.update({c: None for c in (*ADDITIVE, "blocked", "bytes_up", "bytes_down")
                      if c in r})
    _departments_at_k(s, k)
    _homogeneous(s, k)
    for row, people, counts in (
            *((u, "ai_people", ("ai_requests",)) for u in s.get("units", [])),
            *((a, "ai_people", ("ai_requests", "ai_episodes")) for a in
              ([s["addresses"]] if s.get("addresses") else [])),
            *((a, "people_to_move", ("episodes_to_move",)) for a in s.get("alternatives", []))):
        if row.get(people) is None and not row.get("source_of_record"):
            row.update({c: None for c in counts if c in row})
    hidden_categories = {c["id"] for c in s.get("categories", []) if c.get("episodes") is None}
    for a in s.get("alternatives", []):
        if a.get("category") in hidden_categories:
            a["episodes"] = None
    if "jurisdictions" in newly:
        totals["eu_share"] = None
    sides = s.get("sanctioned") or {}
    if any((sides.get(side) or {}).get("people") is not None
           and 0 < sides[side]["people"] < k for side in ("sanctioned", "shadow")):
        totals["sanctioned_share"] = None
    return s


def _departments_at_k(summary: dict[str, Any], k: int) -> None:
    """In place: each person counts in one department, so the departments' people add up
    to the month's AI users, and the month's total minus the departments shown gives the
    people of those hidden. While that is between 1 and k - 1, the smallest department
    shown is hidden too, its head count with it (a summary kept at a lower k: its report
    folded at that k, which the trend cannot undo)."""
    total = (summary.get("totals") or {}).get("ai_people")
    rows = summary.get("departments", [])
    shown = sorted((r for r in rows if r.get("people")), key=lambda r: r["people"])
    if not total or len(shown) == len(rows):
        return
    while shown and 0 < total - sum(r["people"] for r in shown) < k:
        r = shown.pop(0)
        r.update({c: None for c in ("people", *ADDITIVE, "active_people", "adoption_rate",
                                    "share_of_active") if c in r})
        r["top_services"] = []


def _homogeneous(summary: dict[str, Any], k: int) -> None:
    """In place: no blocked count per department, and a department where fewer than k of
    its staff or of its people online did not use AI shows no top service or training
    category, and hides each rate near 100 % with its denominator (``metrics`` module
    docstring)."""
    whole, staff = set(), set()
    for d in summary.get("departments", []):
        d.pop("blocked", None)
        people = d.get("people")
        near = {n: bool(people) and not d.get("unassigned") and not d.get("includes_unassigned")
                and d.get(n) is not None and 0 <= d[n] - people < k
                for n in ("headcount", "active_people")}
        if near["headcount"]:
            d.update({"headcount": None, "adoption_rate": None})
            staff.add(d.get("name"))
        if near["active_people"]:
            d.update({"active_people": None, "share_of_active": None})
        if any(near.values()):
            d.update({"top_services": [], "homogeneous": True})
        if d.get("homogeneous"):
            whole.add(d.get("name"))
            if d.get("headcount") is None:
                staff.add(d.get("name"))
    for t in (summary.get("training") or {}).get("departments", []):
        if t.get("name") in staff:
            t.update({"headcount": None, "adoption_rate": None})
        if t.get("name") in whole:
            t["categories"] = []
