"""k-anonymity beyond head counts, as a staff representative's trial read the report: the
counts beside a hidden head count (episodes >= people, so "1 episode" is one person), what
subtraction from the totals gives back, the trend under a higher k, blocked requests per
department, and a department whose every member used AI. Real Squid logs, the real CLI,
a real DuckDB store; k = 3."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from shadowai.store import Store
from tests.orgkit import csv_rows, hit, local, run_month, shadowai, write_log, write_org

K = 3
COUNTS = ("episodes", "requests", "blocked", "bytes_up", "bytes_down")


def _month(tmp_path: Path, uses: list[tuple[int, str, str]], k: int = K,
           headcount: dict[str, int] | None = None, month: tuple[int, int] = (2026, 10),
           users: dict[str, str] | None = None) -> tuple[Path, dict[str, Any]]:
    """uses: (day, user, service), one request (so one episode) each; a user's department
    is the part of its name before the dash. Returns the config and summary.json."""
    users = users or {u: u.split("-")[0] for _, u, _ in uses}
    config = write_org(tmp_path, k=k, users=users, headcount=headcount)
    lines = [hit(local(*month, day, 9 + i % 8, i // 8), user, service)
             for i, (day, user, service) in enumerate(uses)]
    name = f"access-{month[0]}{month[1]:02d}.log"
    return config, run_month(config, f"{month[0]}-{month[1]:02d}",
                             write_log(tmp_path / "logs" / name, lines))


def _hidden_rows_show_no_count(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        if r["people"] is None:
            assert all(r.get(c) is None for c in COUNTS), r


def _nothing_small_by_subtraction(rows: list[dict[str, Any]], total: int, k: int = K
                                  ) -> None:
    for count in ("episodes", "requests"):
        residual = total - sum(r[count] for r in rows if r[count] is not None)
        assert residual == 0 or residual >= k, (count, residual, rows)


def _trend_csv(folder: Path, name: str) -> list[dict[str, str]]:
    text = (folder / "reports/trend" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


# Four people on ChatGPT on days 1 and 2, three on Le Chat on day 3, one on Claude on
# day 4, one on DeepL on day 5: 13 episodes.
USES = [*((d, f"c-{i}", "openai-chatgpt") for d in (1, 2) for i in range(4)),
        *((3, f"l-{i}", "mistral-le-chat") for i in range(3)),
        (4, "a-1", "anthropic-claude"), (5, "d-1", "deepl-translator")]


def test_a_hidden_head_count_hides_its_episodes_and_what_subtraction_gives_back(
        tmp_path: Path) -> None:
    config, model = _month(tmp_path, USES)
    totals = model["totals"]
    assert (totals["ai_episodes"], totals["ai_requests"]) == (13, 13)
    services = {s["id"]: s for s in model["services"]}
    # one person each: nothing of the row, not "1 episode"
    for sid in ("anthropic-claude", "deepl-translator"):
        assert all(services[sid][c] is None for c in ("people", *COUNTS))
    # together 2 episodes < k: the smallest shown row (Le Chat, 3) is hidden with them,
    # its people still shown
    assert (services["mistral-le-chat"]["people"], services["mistral-le-chat"]["episodes"],
            services["mistral-le-chat"]["requests"]) == (3, None, None)
    assert services["openai-chatgpt"]["episodes"] == 8
    # US (ChatGPT 8 + Claude 1) minus ChatGPT would give Claude's 1 episode back: US's
    # counts are hidden, its people shown
    us = {j["id"]: j for j in model["jurisdictions"]}["US"]
    assert (us["people"], us["episodes"], us["requests"]) == (5, None, None)
    # no group minus its services shown gives a small count back (trial 10: DeepL API's
    # 1 episode was translation minus DeepL Translator)
    for table, key in (("categories", "category"), ("jurisdictions", "jurisdiction")):
        for g in model[table]:
            if g["episodes"] is not None:
                _nothing_small_by_subtraction(
                    [s for s in model["services"] if s[key] == g["id"]], g["episodes"])
    days = {d["day"]: d for d in model["daily"]}
    assert [days[f"2026-10-0{i}"]["episodes"] for i in range(1, 6)] == [4, 4, None, None,
                                                                        None]
    assert days["2026-10-04"]["people"] is None and days["2026-10-03"]["people"] == 3
    for table in ("services", "daily", "categories", "jurisdictions"):
        _hidden_rows_show_no_count(model[table])
        _nothing_small_by_subtraction(model[table], totals["ai_episodes"])
    # translation (1 person) alone is below k: chat assistants are hidden with it
    assert [(c["id"], c["people"], c["episodes"]) for c in model["categories"]] == [
        ("chat-assistant", 8, None), ("translation", None, None)]
    assert {a["category"]: a["episodes_to_move"] for a in model["alternatives"]}[
        "translation"] is None
    # the exports and the page say the same
    row = {r["id"]: r for r in csv_rows(config, "2026-10", "services.csv")}["deepl-translator"]
    assert (row["people"], row["episodes"], row["requests"], row["bytes_down"]) == \
        ("", "", "", "")
    assert {r["day"]: r["episodes"] for r in csv_rows(config, "2026-10", "daily.csv")}[
        "2026-10-04"] == ""
    page = BeautifulSoup((config.parent / "reports/2026-10/index.html").read_text(
        encoding="utf-8"), "html.parser")
    cells = [td.get_text() for td in page.select(
        "#services-table tr[data-id=anthropic-claude] td.num")]
    assert cells[:3] == ["< 3"] * 3, cells
    # a hidden day is no day without data, and its column says "< k", not a count
    assert page.select_one("rect.nodata[data-day='2026-10-04']") is None
    assert page.select_one("rect.col[data-day='2026-10-04'] title").get_text().endswith(
        ": < 3")


def test_the_trend_applies_its_k_to_a_month_closed_under_a_smaller_one(tmp_path: Path
                                                                       ) -> None:
    """September closed at k = 3 keeps its summary; the trend run at k = 5 shows none of
    its rows below 5 people (services, departments), nor their other counts, nor what
    September's totals minus the rows shown would give back."""
    uses = [*((d, f"finances-{i}", "openai-chatgpt") for d in (1, 2) for i in range(4)),
            *((d, f"routes-{i}", "mistral-le-chat") for d in (3, 4) for i in range(6)),
            *((5, f"routes-{i}", "anthropic-claude") for i in range(3))]
    config, september = _month(tmp_path, uses, month=(2026, 9))
    assert {s["id"]: s["people"] for s in september["services"]} == {
        "mistral-le-chat": 6, "openai-chatgpt": 4, "anthropic-claude": 3}
    assert shadowai(config, "close", "--month", "2026-09").exit_code == 0
    _month(tmp_path, [(1, f"routes-{i}", "mistral-le-chat") for i in range(6)], k=5,
           users={u: u.split("-")[0] for _, u, _ in uses})
    result = shadowai(config, "trend")
    assert result.exit_code == 0, result.output
    trend = json.loads((tmp_path / "reports/trend/trend.json").read_text(encoding="utf-8"))
    assert trend["k"] == 5
    sept = {table: {r["id"]: r["months"].get("2026-09") for r in trend[table]}
            for table in ("services", "departments")}
    assert sept["services"]["mistral-le-chat"] == {"people": 6, "episodes": 12,
                                                   "requests": 12}
    for sid in ("openai-chatgpt", "anthropic-claude"):  # 4 and 3 people: < 5
        assert sept["services"][sid] == {"people": None, "episodes": None,
                                         "requests": None}, sid
    assert sept["departments"]["finances"] == {"people": None, "episodes": None,
                                               "requests": None}
    # September's 10 AI users minus routes' 6 would give finances' 4 back: routes goes too
    # (finances' 8 hidden episodes alone would have kept it)
    assert sept["departments"]["routes"]["people"] is None
    (month,) = [m for m in trend["months"] if m["month"] == "2026-09"]
    for table in ("services", "departments", "categories", "jurisdictions"):
        rows = [r["months"]["2026-09"] for r in trend[table] if "2026-09" in r["months"]]
        _hidden_rows_show_no_count(rows)
        _nothing_small_by_subtraction(rows, month["ai_episodes"], 5)
    assert all(r["2026-09_people"] in ("", "6") for r in _trend_csv(tmp_path, "services.csv"))


def test_blocked_requests_are_counted_organisation_wide_never_per_department(
        tmp_path: Path) -> None:
    """Finances (3 people, shown) with one blocked request to DeepSeek: per department,
    "blocked = 1" was one person's attempt. Only the month's total and the service's row
    say it."""
    uses = [*((d, f"finances-{i}", "openai-chatgpt") for d in (1, 2) for i in range(3)),
            *((3, f"routes-{i}", "mistral-le-chat") for i in range(3))]
    users = {u: u.split("-")[0] for _, u, _ in uses}
    config = write_org(tmp_path, k=K, users=users)
    lines = [hit(local(2026, 10, day, 10), user, service) for day, user, service in uses]
    lines.append(hit(local(2026, 10, 4, 10), "finances-0", "chat.deepseek.com", blocked=True))
    model = run_month(config, "2026-10", write_log(tmp_path / "access.log", lines))
    assert model["totals"]["blocked_requests"] == 1
    depts = {d["name"]: d for d in model["departments"]}
    assert depts["finances"]["people"] == 3
    assert all("blocked" not in d for d in model["departments"])
    exported = csv_rows(config, "2026-10", "departments.csv")
    assert {r["name"] for r in exported} == {"finances", "routes"}
    assert all("blocked" not in r for r in exported)


def test_a_department_whose_every_member_used_ai_shows_no_rate_nor_service(
        tmp_path: Path) -> None:
    """Mission A: 3 staff (= k), all 3 used ChatGPT: "3 / 3 = 100 %, top service ChatGPT"
    named each of them. Finances: 3 AI users out of 10 stays as it was."""
    uses = [*((d, f"mission-{i}", "openai-chatgpt") for d in (1, 2) for i in range(3)),
            *((d, f"finances-{i}", "openai-chatgpt") for d in (1, 2) for i in range(3))]
    users = {u: u.split("-")[0] for _, u, _ in uses}
    users.update({f"finances-idle{i}": "finances" for i in range(3)})
    config = write_org(tmp_path, k=K, users=users,
                       headcount={"mission": 3, "finances": 10})
    lines = [hit(local(2026, 10, day, 10, i), user, service)
             for i, (day, user, service) in enumerate(uses)]
    lines += [hit(local(2026, 10, 3), f"finances-idle{i}", "www.example.org") for i in range(3)]
    model = run_month(config, "2026-10", write_log(tmp_path / "access.log", lines))
    depts = {d["name"]: d for d in model["departments"]}
    mission, finances = depts["mission"], depts["finances"]
    assert mission["people"] == 3
    assert (mission["adoption_rate"], mission["share_of_active"], mission["top_services"],
            mission["headcount"], mission["active_people"]) == (None, None, [], None, None)
    assert (finances["adoption_rate"], finances["share_of_active"],
            finances["top_services"], finances["headcount"]) == (0.3, 0.5, ["openai-chatgpt"],
                                                                 10)
    training = {t["name"]: t for t in model["training"]["departments"]}
    assert (training["mission"]["categories"], training["mission"]["places"]) == ([], 3)
    assert training["finances"]["categories"] == [{"id": "chat-assistant", "people": 3}]
    exported = {r["name"]: r for r in csv_rows(config, "2026-10", "departments.csv")}
    assert (exported["mission"]["adoption_rate"], exported["mission"]["top_services"],
            exported["mission"]["headcount"]) == ("", "", "")
    page = BeautifulSoup((config.parent / "reports/2026-10/index.html").read_text(
        encoding="utf-8"), "html.parser")
    (row,) = [tr for tr in page.select("tr") if tr.td and tr.td.get_text() == "mission"
              and len(tr.select("td")) == 8]
    cells = [td.get_text() for td in row.select("td")]
    assert cells[3] == "–" and cells[7] == "" and "ChatGPT" not in row.get_text()
    bars = {b.select_one(".hbar-label").get_text(): b.select_one(".hbar-value").get_text()
            for b in page.select("#adoption-chart .hbar")}
    assert "%" not in bars["mission"] and "%" in bars["finances"], bars


def test_a_summary_kept_by_an_earlier_release_is_shown_by_todays_rules(tmp_path: Path
                                                                       ) -> None:
    """A month summarised before these rules kept '1 episode' beside a hidden head count,
    a blocked count per department and a 100 % department: its report, written from the
    kept summary, shows none of them."""
    config, model = _month(tmp_path, USES)
    old = json.loads(json.dumps(model).replace("2026-10-", "2026-05-"))
    old["month"] = "2026-05"
    for table in ("services", "daily", "categories", "jurisdictions"):
        for r in old[table]:  # what the earlier release published beside hidden people
            if r["people"] is None:
                r.update(episodes=1, requests=1)
    for d in old["departments"]:
        d.update(blocked=1, headcount=d["people"], adoption_rate=1.0)
    with Store(tmp_path / "store.duckdb") as store:
        store.save_summary("2026-05", old)
    result = shadowai(config, "report", "--month", "2026-05")
    assert result.exit_code == 0, result.output
    shown = json.loads((tmp_path / "reports/2026-05/summary.json").read_text(encoding="utf-8"))
    for table in ("services", "daily", "categories", "jurisdictions"):
        _hidden_rows_show_no_count(shown[table])
        _nothing_small_by_subtraction(shown[table], shown["totals"]["ai_episodes"])
    assert shown["departments"] and all(
        "blocked" not in d and d["adoption_rate"] is None and d["headcount"] is None
        and d["top_services"] == [] for d in shown["departments"])
    assert all("blocked" not in r for r in csv_rows(config, "2026-05", "departments.csv"))


def test_a_trend_at_a_higher_k_completes_a_closed_months_departments(
        tmp_path: Path, monkeypatch) -> None:
    """A month closed at k = 2 shows a department of 2 people; the trend at k = 3 hid it,
    but the month's 7 AI users minus the 5 of the one department shown gave its 2 back,
    named. The shown department is hidden with it now."""
    uses = [(5, f"petite-{i}", "openai-chatgpt") for i in range(2)]
    uses += [(6, f"grande-{i}", "openai-chatgpt") for i in range(5)]
    config, model = _month(tmp_path, uses, k=2)
    assert sorted(d["people"] for d in model["departments"]) == [2, 5]
    assert shadowai(config, "close", "--month", "2026-10").exit_code == 0
    monkeypatch.setenv("SHADOWAI_PRIVACY_K", "3")
    assert shadowai(config, "trend").exit_code == 0
    trend = json.loads((config.parent / "reports" / "trend" / "trend.json").read_text())
    assert trend["k"] == 3 and trend["months"][0]["ai_people"] == 7
    people = {d["id"]: d["months"]["2026-10"]["people"] for d in trend["departments"]}
    assert people == {"petite": None, "grande": None}
