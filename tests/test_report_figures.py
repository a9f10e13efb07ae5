"""Every block of a month's summary.json (what the report, the exports and the workbook
show), for a month small enough to count by hand (k = 2). Real Squid lines, the real CLI,
a real store; September is reported first so that October has a previous month.

October, people and what they did (one Squid line each, Paris time):
  Finances (headcount 10): a1 ChatGPT 5th 10:00 and 10:10 (one episode), a1 a non-AI site
                           7th; a2 ChatGPT 5th 11:00, DeepL 7th
  Routes (headcount 20):   b1 Le Chat 6th, b1 an AI-looking unknown host 8th; b2 Le Chat
                           6th 10:00, Claude 6th 12:00
  plus one line Squid could not have written (rejected).
[catalog]: Le Chat is sanctioned and the alternative for chat assistants."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from shadowai import catalog
from tests.orgkit import hit, local, run_month, write_log, write_org

CANDIDATE = "chat.example-llm.io"


def _org(work: Path) -> Path:
    return write_org(
        work, k=2, users={"a1": "Finances", "a2": "Finances", "b1": "Routes", "b2": "Routes"},
        headcount={"Finances": 10, "Routes": 20},
        extra='[ingest]\nmax_rejected_ratio = 0.2\n[catalog]\nsanctioned = ["mistral-le-chat"]\n'
              '[catalog.alternatives]\nchat-assistant = "mistral-le-chat"\n')


# Function-scoped on purpose: mutation testing (scripts/mutation.sh) maps each test to the
# code it runs, and a module-scoped fixture's run would count for the first test only.
@pytest.fixture
def october(tmp_path: Path) -> dict[str, Any]:
    config = _org(tmp_path)
    september = write_log(tmp_path / "logs" / "2026-09" / "access.log", [
        hit(local(2026, 9, 30, 10), "a1", "openai-chatgpt")])
    run_month(config, "2026-09", september)
    log = write_log(tmp_path / "logs" / "2026-10" / "access.log", [
        hit(local(2026, 10, 5, 10, 0), "a1", "openai-chatgpt"),
        hit(local(2026, 10, 5, 10, 10), "a1", "openai-chatgpt"),
        hit(local(2026, 10, 5, 11, 0), "a2", "openai-chatgpt"),
        hit(local(2026, 10, 6, 10, 0), "b1", "mistral-le-chat"),
        hit(local(2026, 10, 6, 10, 0), "b2", "mistral-le-chat"),
        hit(local(2026, 10, 6, 12, 0), "b2", "anthropic-claude"),
        hit(local(2026, 10, 7, 10, 0), "a2", "deepl-translator"),
        hit(local(2026, 10, 7, 11, 0), "a1", "www.example.org"),
        hit(local(2026, 10, 8, 10, 0), "b1", CANDIDATE),
        "this is not a squid line",
    ])
    return run_month(config, "2026-10", log)


def test_totals_and_the_change_since_september(october: dict[str, Any]) -> None:
    t = october["totals"]
    assert (t["ai_requests"], t["ai_episodes"], t["ai_people"], t["blocked_requests"],
            t["active_people"], t["headcount"]) == (7, 6, 4, 0, 4, 30)
    assert (t["share_of_active"], t["share_of_headcount"]) == (1.0, 0.1333)
    assert (t["eu_share"], t["sanctioned_share"]) == (0.5, 0.3333)  # (2 + 1) / 6, 2 / 6
    assert october["previous_month"] == "2026-09"
    # September: one request of one person (below k: no count of people, no share)
    assert october["changes"] == {
        "ai_people": {"previous": None, "delta": None},
        "ai_episodes": {"previous": 1, "delta": 5},
        "ai_requests": {"previous": 1, "delta": 6},
        "share_of_headcount": {"previous": None, "delta": None},
        "share_of_active": {"previous": None, "delta": None},
        # its one episode is hidden (1 person < k): a share of it would say where it went
        "eu_share": {"previous": None, "delta": None},
        "sanctioned_share": {"previous": None, "delta": None},
        "blocked_requests": {"previous": 0, "delta": 0},
    }


def test_services_categories_and_jurisdictions(october: dict[str, Any]) -> None:
    rows = [(s["id"], s["name"], s["vendor"], s["category"], s["jurisdiction"],
             s["sanctioned"], s["people"], s["episodes"], s["requests"], s["blocked"])
            for s in october["services"]]
    assert rows == [  # most episodes, then most requests, then by id
        ("openai-chatgpt", "ChatGPT", "OpenAI", "chat-assistant", "US", False, 2, 2, 3, 0),
        # FR is hidden (with EU, below): its only service's counts would be FR's
        ("mistral-le-chat", "Le Chat", "Mistral AI", "chat-assistant", "FR", True, 2, None,
         None, None),
        # one person each: none of their counts (together 2 episodes, 2 requests: >= k)
        ("anthropic-claude", "Claude", "Anthropic", "chat-assistant", "US", False, None, None,
         None, None),
        ("deepl-translator", "DeepL Translator", "DeepL", "translation", "EU", False, None,
         None, None, None),
    ]
    assert october["new_services"] == ["mistral-le-chat", "anthropic-claude",
                                       "deepl-translator"]
    # translation's 1 episode would be the total minus chat assistants': hidden with it
    assert october["categories"] == [
        {"id": "chat-assistant", "people": 4, "episodes": None, "requests": None},
        {"id": "translation", "people": None, "episodes": None, "requests": None}]
    assert october["jurisdictions"] == [
        # US minus ChatGPT (shown) would give Claude's 1 episode back: US's counts go
        {"id": "US", "people": 3, "episodes": None, "requests": None},
        {"id": "FR", "people": 2, "episodes": None, "requests": None},  # hidden with EU
        {"id": "EU", "people": None, "episodes": None, "requests": None}]
    assert october["sanctioned"] == {
        "services": ["mistral-le-chat"],
        "sanctioned": {"people": 2, "episodes": 2, "requests": 2},
        "shadow": {"people": 3, "episodes": 4, "requests": 5}}


def test_departments_training_and_alternatives(october: dict[str, Any]) -> None:
    rows = [(d["name"], d["people"], d["requests"], d["episodes"],
             d["active_people"], d["headcount"], d["adoption_rate"], d["share_of_active"],
             d["top_services"], d["suppressed"]) for d in october["departments"]]
    assert rows == [
        # every person online in each used AI (homogeneous online): no share of the people
        # online, nor their number that would give it back, no top service; the headcount
        # is far above the AI users, so it and the adoption rate stay
        ("Finances", 2, 4, 3, None, 10, 0.2, None, [], False),
        ("Routes", 2, 3, 3, None, 20, 0.1, None, [], False)]
    assert [(d["other"], d["unassigned"], d["departments_folded"], d["folded_names"],
             d["includes_unassigned"]) for d in october["departments"]] == [
        (False, False, None, [], False)] * 2  # nothing folded at k = 2
    training = october["training"]
    # places = users + 10 % of the rest of the headcount, rounded up (2 + 0.8, 2 + 1.8);
    # sessions of 12; no category listed for a homogeneous department
    assert [(t["name"], t["places"], t["sessions"], t["categories"])
            for t in training["departments"]] == [("Finances", 3, 1, []), ("Routes", 4, 1, [])]
    assert (training["total_places"], training["total_sessions"]) == (7, 2)
    assert training["rule"] == {"users_share": 1.0, "others_share": 0.1, "group_size": 12}
    # Le Chat for chat assistants: a1 and a2 (ChatGPT) and b2 (Claude) would move; b1
    # already uses it. No alternative is configured for translation.
    assert october["alternatives"] == [
        {"category": "chat-assistant", "people": 4, "episodes": None,
         "alternative": "mistral-le-chat", "alternative_name": "Le Chat",
         "alternative_sanctioned": True, "people_to_move": 3, "episodes_to_move": 3},
        {"category": "translation", "people": None, "episodes": None, "alternative": None,
         "alternative_name": None, "alternative_sanctioned": False, "people_to_move": None,
         "episodes_to_move": None}]


def test_days_units_candidates_and_data_quality(october: dict[str, Any]) -> None:
    assert october["daily"] == [
        # the 7th (1 person) hides its counts, and the 5th's (fewest episodes) with them
        {"day": "2026-10-05", "requests": None, "episodes": None, "people": 2},
        {"day": "2026-10-06", "requests": 3, "episodes": 3, "people": 2},
        {"day": "2026-10-07", "requests": None, "episodes": None, "people": None}]
    assert october["unit"] == "proxy request"
    assert october["units"] == [{"unit": "proxy request", "files": 1, "lines": 10,
                                 "ai_people": 4, "ai_requests": 7, "source_of_record": True}]
    assert october["candidates"] == [{"host": CANDIDATE, "requests": 1}]
    version = october["catalog_version"]  # the shipped catalog's, with the overlay's mark
    assert version.startswith(catalog.load().version + "+org.")
    assert october["catalog_versions_used"] == [version]
    q = october["quality"]
    (f,) = q["files"]
    assert re.fullmatch(r"squid-native #\d+", f["name"])  # a label, never the file's name
    assert (f["format"], f["unit"], f["lines"], f["parsed"], f["rejected"],
            f["first_day"], f["last_day"], f["days_in_month"], f["catalog_version"]) == (
        "squid-native", "proxy request", 10, 9, 1, "2026-10-05",
        "2026-10-08", 4, version)
    assert sum(f["rejected_by_reason"].values()) == 1
    assert q["rejected_by_reason"] == f["rejected_by_reason"]
    assert (q["file_count"], q["units"], q["lines"], q["parsed"], q["rejected"]) == (
        1, ["proxy request"], 10, 9, 1)
    assert (q["days_with_data"], q["days_in_month"], q["coverage"]) == (4, 31, 0.129)
    october_days = [dt.date(2026, 10, d).isoformat() for d in range(1, 32)]
    assert q["missing_days"] == [d for d in october_days if d not in
                                 ("2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08")]
    # the four people are in users.csv: the user map placed all of them
    placed = {"total": 4, "users": {"count": 4, "share": 1.0},
              **{how: {"count": 0, "share": 0.0}
                 for how in ("networks", "unassigned", "unknown")}}
    coverage = q["directory_coverage"]
    assert (coverage["active"], coverage["ai"]) == (placed, placed)
    assert coverage["by_kind"]["user"] == {"users": 4, "networks": 0, "unassigned": 0,
                                           "unknown": 0}
    assert not any(coverage["by_kind"]["address"].values())
    assert q["directory_mismatches"] == []



def test_a_month_of_sanctioned_use_only_has_no_shadow_use(tmp_path: Path) -> None:
    config = _org(tmp_path)
    model = run_month(config, "2026-10", write_log(tmp_path / "access.log", [
        hit(local(2026, 10, 5, 10), "a1", "mistral-le-chat"),
        hit(local(2026, 10, 5, 11), "b1", "mistral-le-chat")]))
    assert model["sanctioned"] == {
        "services": ["mistral-le-chat"],
        "sanctioned": {"people": 2, "episodes": 2, "requests": 2},
        "shadow": {"people": 0, "episodes": 0, "requests": 0}}
    assert model["totals"]["sanctioned_share"] == 1.0
    assert model["risk"]["shadow_episodes"] == 0
    assert [s["sanctioned"] for s in model["services"]] == [True]


def test_files_skipped_as_not_logs_are_listed_by_label_with_their_reason(
        tmp_path: Path) -> None:
    config = _org(tmp_path)
    folder = tmp_path / "logs"
    write_log(folder / "access.log", [hit(local(2026, 10, 5, 10), "a1", "mistral-le-chat")])
    (folder / "notes.txt").write_text("to do: renew the proxy certificate\n")
    model = run_month(config, "2026-10", folder)
    (skipped,) = model["quality"]["skipped"]
    # a label, never the name: a skipped file can be named after a person
    assert re.fullmatch(r"#\d+", skipped["name"]) and set(skipped) == {"name", "reason"}
    assert skipped["reason"] and "to do" not in skipped["reason"]
