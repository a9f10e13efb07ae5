"""k-anonymity as a reader of the report meets it: a department of exactly k people is
shown, one of k-1 is folded, an "other departments" group of one person is never left
alone (its figures would follow by subtraction), and a hidden group publishes nothing.
Real Squid logs, the real CLI, a real DuckDB store; k = 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.orgkit import csv_rows, hit, local, run_month, write_log, write_org

K = 3


def _org(tmp_path: Path, people: dict[str, list[tuple[str, int, bool]]],
         staff: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """people: user -> [(service, requests, blocked)]; the user's department is the part
    of its name before the dash. Every request on its own day: one episode each. Each
    department of ``staff`` also has k people online who used no AI (so that it is not
    homogeneous: its AI users alone would be all its people online)."""
    idle = [f"{d}-idle{i}" for d in staff for i in range(K)]
    users = {u: u.split("-")[0] for u in [*people, *idle]}
    config = write_org(tmp_path, k=K, users=users)
    lines = [hit(local(2026, 10, 1), u, "www.example.org") for u in idle]
    day = 1
    for user, uses in people.items():
        for service, n, blocked in uses:
            for _ in range(n):
                lines.append(hit(local(2026, 10, day % 28 + 1), user, service, blocked))
                day += 1
    return config, write_log(tmp_path / "logs" / "access.log", lines)


def _name(d: dict[str, Any]) -> str:
    """A department's name; the folded and unassigned groups (named in the report's
    language) by their flags."""
    return "__other__" if d["other"] else "unassigned" if d["unassigned"] else d["name"]


def _departments(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {_name(d): d for d in model["departments"]}


def _nothing_follows_by_subtraction(model: dict[str, Any], people_by_dept: dict[str, int]
                                    ) -> None:
    """Subtracting every department published with figures from the organisation's
    totals leaves either nothing or at least k people."""
    published = [d for d in model["departments"] if d["people"] is not None]
    named = sum(people_by_dept.values())
    residual_people = named - sum(d["people"] for d in published)
    assert residual_people == 0 or residual_people >= K, (residual_people, published)
    for figure, total in (("requests", "ai_requests"), ("episodes", "ai_episodes")):
        residual = model["totals"][total] - sum(d[figure] for d in published)
        assert residual == 0 or residual_people >= K, (figure, residual)


def test_a_department_of_exactly_k_is_shown_and_one_of_k_minus_1_is_folded(
        tmp_path: Path) -> None:
    config, log = _org(tmp_path, {
        # Finances: exactly k people use ChatGPT; only 2 of them use Claude
        "finances-1": [("openai-chatgpt", 1, False), ("anthropic-claude", 1, False)],
        "finances-2": [("openai-chatgpt", 1, False), ("anthropic-claude", 1, False)],
        "finances-3": [("openai-chatgpt", 1, False)],
        # Routes: 4 people use Le Chat, 3 of them ChatGPT, 1 blocked DeepL request
        "routes-1": [("mistral-le-chat", 2, False), ("openai-chatgpt", 1, False)],
        "routes-2": [("mistral-le-chat", 1, False), ("openai-chatgpt", 1, False)],
        "routes-3": [("mistral-le-chat", 1, False), ("openai-chatgpt", 1, False),
                     ("deepl-translator", 1, True)],
        "routes-4": [("mistral-le-chat", 1, False)],
        # Culture: k-1 people, Sport: 1 person: folded together into 3 people
        "culture-1": [("openai-chatgpt", 1, False)],
        "culture-2": [("openai-chatgpt", 2, False)],
        "sport-1": [("openai-chatgpt", 1, True)],
    }, staff=("finances", "routes", "culture"))
    model = run_month(config, "2026-10", log)
    depts = _departments(model)
    assert list(depts) == ["routes", "finances", "__other__"]
    fin, routes, other = depts["finances"], depts["routes"], depts["__other__"]
    assert (fin["people"], fin["requests"], fin["episodes"]) == (3, 5, 5)
    assert (routes["people"], routes["requests"]) == (4, 9)
    assert (other["people"], other["requests"], other["departments_folded"]) == (3, 4, 2)
    # blocked requests: organisation-wide only (one person's attempt in Routes otherwise)
    assert not any("blocked" in d for d in depts.values())
    assert model["totals"]["blocked_requests"] == 2
    assert not any(d["suppressed"] for d in depts.values())
    # top services: those used by at least k people of the department, most used first
    assert fin["top_services"] == ["openai-chatgpt"]  # Claude: 2 people < k
    assert routes["top_services"] == ["mistral-le-chat", "openai-chatgpt"]
    assert other["top_services"] == ["openai-chatgpt"]  # 2 from Culture + 1 from Sport
    assert model["totals"]["ai_people"] == 10
    _nothing_follows_by_subtraction(model, {"finances": 3, "routes": 4, "culture": 2,
                                            "sport": 1})
    # the exports say the same: no row for the folded departments
    rows = {r["name"]: r for r in csv_rows(config, "2026-10", "departments.csv")}
    assert "culture" not in rows and "sport" not in rows
    assert rows["finances"]["people"] == "3" and rows["finances"]["requests"] == "5"


def test_an_other_group_of_one_person_takes_the_smallest_department_with_it(
        tmp_path: Path) -> None:
    """Sport alone would be "other departments" with one person: its figures would be the
    totals minus Finances minus Routes. The smallest shown department joins it."""
    config, log = _org(tmp_path, {
        **{f"finances-{i}": [("openai-chatgpt", 1, False)] for i in range(1, 4)},
        **{f"routes-{i}": [("mistral-le-chat", 2, False)] for i in range(1, 5)},
        "sport-1": [("anthropic-claude", 5, False), ("openai-chatgpt", 2, True)],
    })
    model = run_month(config, "2026-10", log)
    depts = _departments(model)
    assert list(depts) == ["routes", "__other__"]
    other = depts["__other__"]
    assert (other["people"], other["requests"], other["episodes"],
            other["departments_folded"]) == (4, 10, 10, 2)
    assert model["totals"]["ai_requests"] == 18
    _nothing_follows_by_subtraction(model, {"finances": 3, "routes": 4, "sport": 1})
    assert "finances" not in {r["name"] for r in csv_rows(config, "2026-10", "departments.csv")}


@pytest.mark.parametrize("people", [
    {"finances-1": [("openai-chatgpt", 3, False)],
     "routes-1": [("anthropic-claude", 2, True), ("anthropic-claude", 1, False)]},
    {"routes-1": [("anthropic-claude", 2, True), ("openai-chatgpt", 1, False)]},
], ids=["two people", "one person"])
def test_a_hidden_group_publishes_no_figure_at_all(
        tmp_path: Path, people: dict[str, list[tuple[str, int, bool]]]) -> None:
    """One or two people in the whole organisation (k = 3): every per-department figure
    is hidden, episodes, requests and people active online included, in
    summary.json and the CSV."""
    config, log = _org(tmp_path, people)
    model = run_month(config, "2026-10", log)
    (row,) = model["departments"]
    assert _name(row) == "__other__" and row["suppressed"] is True
    assert (row["people"], row["episodes"], row["requests"],
            row["top_services"], row["active_people"]) == (None, None, None, [], None)
    assert model["totals"]["ai_people"] is None
    assert all(s["people"] is None for s in model["services"])
    (exported,) = csv_rows(config, "2026-10", "departments.csv")
    # the people active online too (a new user's trial found "2" printed here)
    assert (exported["people"], exported["episodes"], exported["requests"],
            exported["active_people"]) == ("", "", "", "")
    assert model["training"]["departments"] == []  # no sizing from a hidden group


def test_the_figures_a_manager_reads_per_department(tmp_path: Path) -> None:
    """Adoption rates, shares and training places, with hand-computed values (k = 2):
    Culture (1 person) cannot stay alone in "other departments", Routes joins it."""
    users = {"finances-1": "finances", "finances-2": "finances", "finances-3": "finances",
             "finances-4": "finances", "finances-5": "finances", "routes-1": "routes",
             "routes-2": "routes", "routes-3": "routes", "routes-4": "routes",
             "culture-1": "culture"}
    config = write_org(tmp_path, k=2, users=users,
                       headcount={"finances": 40, "routes": 120, "culture": 10})
    lines = [hit(local(2026, 10, 5, 9 + i), u, "openai-chatgpt")
             for i, u in enumerate(["finances-1", "finances-2", "finances-3", "routes-1",
                                    "routes-2", "culture-1", "temp-1", "temp-2", "temp-3",
                                    "temp-4"])]
    for idle in ("finances-4", "finances-5", "routes-3", "routes-4"):  # active, no AI
        lines.append(hit(local(2026, 10, 6), idle, "www.example.org"))
    model = run_month(config, "2026-10", write_log(tmp_path / "access.log", lines))
    rows = [(_name(d), d["people"], d["active_people"], d["headcount"], d["adoption_rate"],
             d["share_of_active"], d["other"], d["unassigned"], d["departments_folded"])
            for d in model["departments"]]
    assert rows == [
        ("finances", 3, 5, 40, 0.075, 0.6, False, False, None),
        ("unassigned", 4, 4, None, None, 1.0, False, True, None),  # after, though larger
        ("__other__", 3, 5, 130, 0.0231, 0.6, True, False, 2),
    ]
    totals = model["totals"]
    assert (totals["ai_people"], totals["active_people"], totals["headcount"],
            totals["share_of_active"], totals["share_of_headcount"]) == (10, 14, 170, 0.7143,
                                                                         0.0588)
    training = model["training"]
    # places = people + 10 % of the rest of the headcount, in sessions of 12
    assert [(_name(t), t["places"], t["sessions"]) for t in training["departments"]] == [
        ("finances", 7, 1), ("unassigned", 4, 1), ("__other__", 16, 2)]
    assert (training["total_places"], training["total_sessions"]) == (27, 4)
    assert training["departments"][0]["categories"] == [{"id": "chat-assistant", "people": 3}]


def test_top_services_are_three_at_most_most_people_then_most_requests(tmp_path: Path
                                                                       ) -> None:
    """k = 2. Four services reach k people in Finances: the three shown are the one with
    the most people, then the two with the most requests; training lists each category
    used by at least k people."""
    # f-4 and f-5 use no AI: Finances is not homogeneous (all its people AI users)
    users = {f"f-{i}": "finances" for i in range(1, 6)}
    config = write_org(tmp_path, k=2, users=users)
    uses = [("f-1", "openai-chatgpt", 1), ("f-2", "openai-chatgpt", 1),
            ("f-3", "openai-chatgpt", 1),
            ("f-1", "anthropic-claude", 3), ("f-2", "anthropic-claude", 2),
            ("f-1", "mistral-le-chat", 2), ("f-3", "mistral-le-chat", 1),
            ("f-2", "deepl-translator", 1), ("f-3", "deepl-translator", 1)]
    lines = [hit(local(2026, 10, 1 + i), user, service)
             for user, service, n in uses for i in range(n)]
    lines += [hit(local(2026, 10, 1), u, "www.example.org") for u in ("f-4", "f-5")]
    model = run_month(config, "2026-10", write_log(tmp_path / "access.log", lines))
    (finances,) = model["departments"]
    assert finances["top_services"] == ["openai-chatgpt", "anthropic-claude",
                                        "mistral-le-chat"]
    (training,) = model["training"]["departments"]
    assert training["categories"] == [{"id": "chat-assistant", "people": 3},
                                      {"id": "translation", "people": 2}]
