"""The demo organisation's month against the generator's own ground truth."""

from __future__ import annotations

import json
import re

from tests.conftest import DEMO

TRUTH = json.loads((DEMO / "truth" / "2026-10.json").read_text(encoding="utf-8"))


def summary(demo) -> dict:
    return json.loads((demo["fr"] / "summary.json").read_text(encoding="utf-8"))


def test_totals_match_ground_truth(demo) -> None:
    s = summary(demo)
    assert s["totals"]["ai_requests"] == TRUTH["ai_requests"]
    assert s["totals"]["ai_people"] == TRUTH["ai_people"]
    assert s["totals"]["blocked_requests"] == TRUTH["ai_blocked"]
    q = s["quality"]
    assert q["lines"] == TRUTH["lines_total"]
    assert q["rejected"] == TRUTH["malformed_lines"]
    assert q["not_usage_by_reason"] == {
        "proxy authentication challenge (407, no user)": TRUTH["auth_challenges"],
        "no destination host": TRUTH["no_host_lines"]}
    assert q["days_with_data"] == TRUTH["days_with_data"]
    assert q["missing_days"] == TRUTH["missing_days"]


def test_every_service_matches_ground_truth(demo) -> None:
    k = summary(demo)["k"]
    services = {x["id"]: x for x in summary(demo)["services"]}
    assert set(services) == set(TRUTH["services"])
    for sid, truth in TRUTH["services"].items():
        got = services[sid]
        assert (got["requests"], got["blocked"]) == (truth["requests"], truth["blocked"]), sid
        assert got["people"] == (truth["people"] if truth["people"] >= k else None), sid


def test_departments_match_ground_truth_with_small_ones_folded(demo) -> None:
    s = summary(demo)
    k = s["k"]
    shown = {d["name"]: d for d in s["departments"] if not d["other"]}
    small = {n for n, t in TRUTH["departments"].items() if t["ai_people"] < k}
    assert small, "the demo must exercise k-anonymity"
    for name, truth in TRUTH["departments"].items():
        if name in small:
            assert name not in shown
            continue
        assert (shown[name]["people"], shown[name]["requests"]) == (
            truth["ai_people"], truth["ai_requests"]), name
    other = [d for d in s["departments"] if d["other"]]
    assert len(other) == 1 and other[0]["people"] >= k
    assert sum(d["requests"] for d in s["departments"]) == TRUTH["ai_requests"]


def test_run_prints_a_summary_and_where_the_report_is(demo) -> None:
    assert f"{TRUTH['ai_requests']:,} AI requests" in demo["stdout"]
    assert "index.html" in demo["stdout"]
    # malformed lines are reported on stderr with their file and line number
    assert re.search(r"access-combined\.log\.gz:\d+: not a common/combined log line",
                     demo["stderr"])
    assert "Created secret key" in demo["stderr"]  # run without a key creates one, says so
