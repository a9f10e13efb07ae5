"""Month-by-month trends from the stored monthly summaries (already k-anonymous), with
changes in catalog or data coverage flagged so that they are not read as changes in
behaviour. Summaries survive ``purge``, so trends outlive the detailed data."""

from __future__ import annotations

import calendar
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
