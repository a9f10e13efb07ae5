"""Departments and headcounts that change while months are open or closed: each person
counts in one department, a month keeps the headcount it was reported with, and a
headcount file that cannot be right says so. A real store, real maps, the real CLI."""

from __future__ import annotations

from pathlib import Path

from tests.orgkit import hit, local, run_month, shadowai, summary, write_log, write_org

ALPHA = {f"a{i}": "Alpha" for i in range(1, 4)}
BETA = {f"b{i}": "Beta" for i in range(1, 4)}


def day_of_use(folder: Path, day: int, users: list[str]) -> Path:
    return write_log(folder / f"access-{day:02d}.log",
                     [hit(local(2026, 10, day, 10, i), u, "openai-chatgpt")
                      for i, u in enumerate(users)])


def departments(model: dict) -> dict[str, int | None]:
    return {d["name"]: d["people"] for d in model["departments"]}


def test_a_person_who_moved_between_two_ingests_counts_once(tmp_path: Path) -> None:
    config = write_org(tmp_path, k=2, users={**ALPHA, **BETA, "mover": "Alpha"})
    people = [*ALPHA, *BETA, "mover"]
    first = shadowai(config, "run", "--month", "2026-10",
                     str(day_of_use(tmp_path / "logs", 5, people)))
    assert first.exit_code == 0, first.output
    assert "more than one department" not in first.stderr
    assert departments(summary(config, "2026-10")) == {"Alpha": 4, "Beta": 3}
    # the mover changes department in the users map; the next ingest places them in Beta
    write_org(tmp_path, k=2, users={**ALPHA, **BETA, "mover": "Beta"})
    second = shadowai(config, "run", "--month", "2026-10", str(tmp_path / "logs"),
                      str(day_of_use(tmp_path / "more", 6, people)))
    assert second.exit_code == 0, second.output
    model = summary(config, "2026-10")
    assert model["totals"]["ai_people"] == 7
    assert departments(model) == {"Alpha": 3, "Beta": 4}  # latest ingest wins: 3 + 4 = 7
    assert model["quality"]["department_changes"] == 1
    warning = [line for line in second.stderr.splitlines() if "more than one department" in line]
    assert warning == ["Warning: 2026-10: 1 people were mapped to more than one department "
                       "this month (the users map changed between ingests): each is counted "
                       "once, in its latest department; `run --force` re-reads the month "
                       "with today's map."]
    assert "mover" not in second.stderr
    html = (tmp_path / "reports" / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert 'id="department-changes"' in html
    # the training block counts the same people
    assert sum(d["people"] for d in model["training"]["departments"]) == 7


def adoption(model: dict) -> dict[str, tuple[int | None, float | None]]:
    return {d["name"]: (d["headcount"], d["adoption_rate"]) for d in model["departments"]}


def test_a_month_keeps_the_headcount_it_was_reported_with(tmp_path: Path) -> None:
    config = write_org(tmp_path, k=2, users={**ALPHA, **BETA},
                       headcount={"Alpha": 10, "Beta": 10})
    logs = day_of_use(tmp_path / "logs", 5, [*ALPHA, *BETA])
    assert shadowai(config, "run", "--month", "2026-10", str(logs)).exit_code == 0
    assert adoption(summary(config, "2026-10")) == {"Alpha": (10, 0.3), "Beta": (10, 0.3)}
    # an open month's report reads today's file
    write_org(tmp_path, k=2, users={**ALPHA, **BETA}, headcount={"Alpha": 5, "Beta": 10})
    assert shadowai(config, "report", "--month", "2026-10").exit_code == 0
    assert adoption(summary(config, "2026-10")) == {"Alpha": (5, 0.6), "Beta": (10, 0.3)}
    # the file changes again (Beta renamed, Alpha recounted) before the month is closed:
    # the close keeps the headcount the month was last reported with
    write_org(tmp_path, k=2, users={**ALPHA, **BETA},
              headcount={"Alpha": 20, "Direction Beta": 10})
    closing = shadowai(config, "close", "--month", "2026-10")
    assert closing.exit_code == 0, closing.output
    report = shadowai(config, "report", "--month", "2026-10")
    assert report.exit_code == 0, report.output
    model = summary(config, "2026-10")
    assert model["closed_at"]
    assert adoption(model) == {"Alpha": (5, 0.6), "Beta": (10, 0.3)}
    assert model["totals"]["headcount"] == 15 and model["totals"]["share_of_headcount"] == 0.4


def test_a_department_listed_twice_in_the_headcount_file_is_an_error(tmp_path: Path) -> None:
    config = write_org(tmp_path, k=2, users={**ALPHA, **BETA}, headcount={})
    (tmp_path / "headcount.csv").write_text(  # two sites of Alpha, or Alpha recounted?
        "department,headcount\nAlpha,10\nBeta,30\nAlpha,20\n", encoding="utf-8")
    logs = day_of_use(tmp_path / "logs", 5, [*ALPHA, *BETA])
    result = shadowai(config, "run", "--month", "2026-10", str(logs))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'headcount.csv'}:4: department 'Alpha' is already listed on "
        "line 2; give each department's headcount once (add up its lines if they are parts "
        "of it)."]
    assert not (tmp_path / "reports" / "2026-10").exists()


def test_a_headcount_below_its_ai_users_gives_no_rate_above_100_percent(
        tmp_path: Path) -> None:
    users = {**ALPHA, **BETA, "g1": "Gamma"}
    config = write_org(tmp_path, k=2, users=users,
                       headcount={"Alpha": 2, "Beta": 10, "Gamma": 8})
    logs = day_of_use(tmp_path / "logs", 5, [*ALPHA, *BETA])
    write_log(tmp_path / "logs" / "other.log",  # Gamma is seen, with no AI use
              [hit(local(2026, 10, 5, 11), "g1", "www.example.org")])
    result = shadowai(config, "run", "--month", "2026-10", str(logs.parent))
    assert result.exit_code == 0, result.output
    model = summary(config, "2026-10")
    # 3 AI users for a headcount of 2 would be 150 %: hidden, and said
    assert adoption(model)["Alpha"] == (2, None) and adoption(model)["Beta"] == (10, 0.3)
    assert model["quality"]["headcount_below_users"] == ["Alpha"]
    assert "Warning: 2026-10: headcount of Alpha is below its AI users: check the headcount " \
           "file (no adoption rate shown)." in result.stderr.splitlines()
    html = (tmp_path / "reports" / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert "L'effectif de Alpha est inférieur" in html.replace("&#39;", "'")
    # the organisation's share: every department seen has a headcount (6 / 20)
    assert model["totals"]["share_of_headcount"] == 0.3
    assert model["quality"]["headcount_incomplete"] is False
    # a headcount file without Gamma (seen, no AI user) gives no organisation-wide share:
    # its staff would be missing from the denominator
    write_org(tmp_path, k=2, users=users, headcount={"Alpha": 20, "Beta": 10})
    again = shadowai(config, "report", "--month", "2026-10")
    assert again.exit_code == 0, again.output
    model = summary(config, "2026-10")
    assert model["totals"]["headcount"] == 30 and model["totals"]["share_of_headcount"] is None
    assert model["quality"]["headcount_incomplete"] is True
    assert any("does not list every department seen this month" in line
               for line in again.stderr.splitlines())
    assert adoption(model)["Alpha"] == (20, 0.15)
    # a headcount of 0 is below its AI users too (it passed silently: 0 reads as false)
    write_org(tmp_path, k=2, users=users, headcount={"Alpha": 0, "Beta": 10, "Gamma": 8})
    zero = shadowai(config, "report", "--month", "2026-10")
    assert zero.exit_code == 0, zero.output
    model = summary(config, "2026-10")
    assert model["quality"]["headcount_below_users"] == ["Alpha"]
    assert adoption(model)["Alpha"] == (0, None) and "headcount of Alpha" in zero.stderr


def test_a_folded_group_with_a_department_missing_from_the_headcount_has_no_rate(
        tmp_path: Path) -> None:
    users = {**ALPHA, **BETA, "d1": "Delta", "e1": "Epsilon"}
    config = write_org(tmp_path, k=2, users=users,
                       headcount={"Alpha": 10, "Beta": 10, "Delta": 5})
    logs = day_of_use(tmp_path / "logs", 5, list(users))
    model = run_month(config, "2026-10", logs)
    other = next(d for d in model["departments"] if d["other"])
    assert other["folded_names"] == ["Delta", "Epsilon"] and other["people"] == 2
    # 2 people over Delta's 5 alone would say 40 %: Epsilon's staff are unknown
    assert (other["headcount"], other["adoption_rate"]) == (None, None)
    assert adoption(model)["Alpha"] == (10, 0.3)
