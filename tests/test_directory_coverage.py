"""Directory coverage (which map placed each identity) and addresses without a user counted
apart from people, on crafted Squid logs through the real CLI and a real store; the HTML
is parsed and compared with summary.json. k = 2."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from shadowai.report.i18n import Translator
from tests.orgkit import hit, local, run_month, write_log, write_org

NETWORKS = "cidr,department\n10.1.0.0/16,Finances\n10.2.0.0/16,Routes\n"
USERS = {"alice": "Finances", "bob": "Finances", "carol": "Routes"}
HEADCOUNT = {"Finances": 10, "Routes": 10}
SITE = "www.example.org"  # ordinary browsing: activity, not AI


def _month(tmp_path: Path, lines: list[str], lang: str = "fr") -> tuple[dict, BeautifulSoup]:
    config = write_org(tmp_path, k=2, users=USERS, networks=NETWORKS, headcount=HEADCOUNT,
                       extra=f'lang = "{lang}"\n')
    model = run_month(config, "2026-10", write_log(tmp_path / "logs" / "access.log", lines))
    page = BeautifulSoup((tmp_path / "reports" / "2026-10" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    return model, page


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _identities() -> list[str]:
    """Eight identities: three in the user map (bob from an address no network knows),
    two user names only the network map places (frank seen from a known and an unknown
    network: placed once, by the network), one user name nobody places, and two client
    addresses without a user, one in a known network, one not. User names log 24 of the
    26 usage lines, the addresses one each."""
    who = [("alice", "10.1.0.5"), ("bob", "192.168.9.9"), ("carol", "10.2.0.3"),
           ("dave", "10.2.0.7"), ("frank", "10.1.0.9"), ("frank", "192.168.5.5"),
           ("erin", "192.168.1.1")]
    lines = [hit(local(2026, 10, d), u, SITE, client=ip) for u, ip in who for d in (1, 2)]
    lines += [hit(local(2026, 10, 3), u, SITE, client=ip) for u, ip in who[:5] + who[6:]]
    # AI use: two people placed by the user map, one by the network map, one unassigned,
    # and both addresses
    lines += [hit(local(2026, 10, 5), u, "openai-chatgpt", client=ip) for u, ip in
              (("alice", "10.1.0.5"), ("bob", "192.168.9.9"), ("dave", "10.2.0.7"),
               ("erin", "192.168.1.1"), ("-", "10.2.9.4"), ("-", "172.16.0.1"))]
    return lines


def test_coverage_gives_exact_shares_by_map_and_addresses_are_counted_apart(
        tmp_path: Path) -> None:
    model, page = _month(tmp_path, _identities())
    cov = model["quality"]["directory_coverage"]
    active = {how: cov["active"][how] for how in ("users", "networks", "unassigned")}
    assert cov["active"]["total"] == 8
    assert active == {"users": {"count": 3, "share": 0.375},
                      "networks": {"count": 3, "share": 0.375},
                      "unassigned": {"count": 2, "share": 0.25}}
    assert cov["active"]["unknown"] == {"count": 0, "share": 0.0}
    assert cov["by_kind"]["user"] == {"users": 3, "networks": 2, "unassigned": 1,
                                      "unknown": 0}
    assert cov["by_kind"]["address"] == {"users": 0, "networks": 1, "unassigned": 1,
                                         "unknown": 0}
    # AI users by placement: 2 + 2 + 2 of 6, every cell at k
    assert cov["ai"]["total"] == 6
    assert {h: cov["ai"][h]["count"] for h in ("users", "networks", "unassigned")} == {
        "users": 2, "networks": 2, "unassigned": 2}
    assert cov["ai"]["users"]["share"] == round(2 / 6, 4)

    # most lines carry a user (24 of 26 usage lines): the two addresses are counted apart
    a = model["addresses"]
    assert a["counted_apart"] is True
    assert a["lines_with_user_share"] == round(24 / 26, 4)
    assert (a["active"], a["ai_people"], a["ai_requests"]) == (2, 2, 2)
    totals = model["totals"]
    assert (totals["ai_people"], totals["ai_requests"], totals["active_people"]) == (4, 4, 6)
    # the departments count people only: Routes' one AI user is dave (the address in its
    # network is not a second one), so Routes is folded with the unassigned erin
    depts = {d["name"]: d for d in model["departments"]}
    assert depts["Finances"]["people"] == 2 and "Routes" not in depts
    other = next(d for d in model["departments"] if d["other"])
    assert other["people"] == 2 and other["folded_names"] == ["Routes"]
    assert sum(d["requests"] for d in model["departments"]) == 4

    # the annex table shows the same counts and shares
    t = Translator("fr", 2)
    rows = {tr["data-resolved"]: [_flat(td.get_text()) for td in tr.select("td")]
            for tr in page.select("#coverage-table tbody tr")}
    assert rows["users"][1:] == ["3", "0", "3", _flat(t.percent(0.375)), "2",
                                 _flat(t.percent(round(2 / 6, 4)))]
    assert rows["networks"][3:5] == ["3", _flat(t.percent(0.375))]
    assert rows["unassigned"][3:5] == ["2", _flat(t.percent(0.25))]
    assert "unknown" not in rows  # nothing ingested before v7
    assert rows["total"][3] == "8"
    # management reads why the addresses are apart; the method states the rule
    sentences = _flat(page.select_one("#summary-sentences").get_text())
    assert "S'y ajoutent 2 adresses sans utilisateur authentifié" in sentences
    assert "comptées à part" in sentences
    rule = _flat(page.select_one("#people-rule").get_text())
    assert rule == _flat(f"Ce mois-ci : {t.percent(round(24 / 26, 4))} des lignes portent "
                         "un nom d'utilisateur ; les adresses sans utilisateur sont comptées "
                         "à part.")


def test_a_hidden_ai_count_takes_the_next_smallest_with_it(tmp_path: Path) -> None:
    """One AI user placed by the user map (< k) would follow from the total minus the
    other placements: the next smallest count is hidden too."""
    lines = [hit(local(2026, 10, d), u, SITE, client=ip) for d in (1, 2) for u, ip in
             (("alice", "10.1.0.5"), ("dave", "10.2.0.7"), ("gina", "10.2.0.8"),
              ("erin", "192.168.1.1"), ("hugo", "192.168.1.2"), ("ines", "192.168.1.3"))]
    lines += [hit(local(2026, 10, 5), u, "openai-chatgpt", client=ip) for u, ip in
              (("alice", "10.1.0.5"), ("dave", "10.2.0.7"), ("gina", "10.2.0.8"),
               ("erin", "192.168.1.1"), ("hugo", "192.168.1.2"), ("ines", "192.168.1.3"))]
    model, page = _month(tmp_path, lines)
    ai = model["quality"]["directory_coverage"]["ai"]
    assert ai["total"] == 6
    assert ai["users"] == {"count": None, "share": None}
    assert ai["networks"] == {"count": None, "share": None}  # 2 < 3: the smaller one
    assert ai["unassigned"] == {"count": 3, "share": 0.5}
    row = page.select_one('#coverage-table tr[data-resolved="users"]')
    assert _flat(row.select("td")[5].get_text()) == "< 2"
    # no address at all: nothing is said about addresses
    assert model["addresses"]["counted_apart"] is False
    assert "adresse" not in page.select_one("#summary-sentences").get_text()


def test_when_most_lines_carry_no_user_addresses_are_the_unit(tmp_path: Path) -> None:
    """A firewall or a proxy without authentication: every address counts as a person
    and the report says so (management page and method)."""
    clients = ["10.1.0.5", "10.1.0.6", "10.2.0.3", "172.16.0.1"]
    lines = [hit(local(2026, 10, d), "-", SITE, client=ip) for ip in clients for d in (1, 2)]
    lines += [hit(local(2026, 10, 5), "-", "openai-chatgpt", client=ip) for ip in clients]
    lines += [hit(local(2026, 10, 6), "alice", "openai-chatgpt", client="10.1.0.7")]
    model, page = _month(tmp_path, lines, lang="en")
    a = model["addresses"]
    assert a["counted_apart"] is False and a["lines_with_user_share"] == round(1 / 13, 4)
    assert model["totals"]["ai_people"] == 5  # four addresses and alice
    assert model["totals"]["active_people"] == 5
    cov = model["quality"]["directory_coverage"]
    assert cov["by_kind"]["address"] == {"users": 0, "networks": 3, "unassigned": 1,
                                         "unknown": 0}
    assert cov["active"]["users"] == {"count": 1, "share": 0.2}
    sentences = _flat(page.select_one("#summary-sentences").get_text())
    t = Translator("en", 2)
    assert (f"This month's logs carry a user name on only {_flat(t.percent(round(1 / 13, 4)))}"
            " of the lines: each client address counts as one person") in sentences
    assert "each client address counts as one person" in _flat(
        page.select_one("#people-rule").get_text())
    # summary.json carries both blocks, and no address appears anywhere in it
    text = (tmp_path / "reports" / "2026-10" / "summary.json").read_text(encoding="utf-8")
    assert json.loads(text)["addresses"] == a
    assert not any(ip in text for ip in clients)


def test_a_summary_kept_before_v3_still_renders(tmp_path: Path) -> None:
    """A closed or purged month is rendered from its kept summary: one written before
    summary v3 has neither the addresses nor the coverage block, and still renders."""
    from shadowai.report.render import render_month_html

    model, _ = _month(tmp_path, _identities())
    old = {key: value for key, value in model.items() if key != "addresses"}
    old["quality"] = {key: value for key, value in model["quality"].items()
                      if key != "directory_coverage"}
    old["quality"]["identities"] = {"assigned": 6, "unassigned": 2}
    page = BeautifulSoup(render_month_html(old), "html.parser")
    assert page.select_one("#coverage-table") is None
    assert page.select_one("#people-rule") is None
    assert page.select_one("#directory") is not None
    assert "adresses sans utilisateur" not in page.select_one("#summary-sentences").get_text()


def test_trend_flags_a_month_whose_addresses_are_counted_differently(tmp_path: Path) -> None:
    """September's logs carry no user name (addresses are the people), October's mostly
    do (addresses apart): the trend flags October, so the drop is not read as behaviour."""
    from tests.orgkit import shadowai

    config = write_org(tmp_path, k=2, users=USERS, networks=NETWORKS, headcount=HEADCOUNT)
    september = [hit(local(2026, 9, d), "-", "openai-chatgpt", client=f"10.1.0.{i}")
                 for i in range(1, 5) for d in (1, 2)]
    sept = run_month(config, "2026-09", write_log(tmp_path / "logs" / "09.log", september))
    october = run_month(config, "2026-10", write_log(tmp_path / "logs" / "10.log",
                                                     _identities()))
    assert not sept["addresses"]["counted_apart"] and october["addresses"]["counted_apart"]
    result = shadowai(config, "trend")
    assert result.exit_code == 0, result.output
    trend = json.loads((tmp_path / "reports" / "trend" / "trend.json").read_text())
    flags = [m["flags"] for m in trend["months"]]  # both also have a few days only
    assert "counting_changed" not in flags[0] and "counting_changed" in flags[1]
    page = BeautifulSoup((tmp_path / "reports" / "trend" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    assert "adresses sans utilisateur comptées autrement" in page.get_text()


def test_a_department_seen_only_through_addresses_is_folded_with_its_headcount(
        tmp_path: Path) -> None:
    """A laboratory whose machines log without a user name (placed by the network map):
    its addresses are apart, yet the department was seen: it is folded, named, and its
    headcount counts in the group (training places), with no person in it."""
    config = write_org(tmp_path, k=2, users=USERS,
                       networks=NETWORKS + "10.3.0.0/16,Laboratoire\n",
                       headcount={**HEADCOUNT, "Laboratoire": 7})
    people = (("alice", "10.1.0.5"), ("bob", "10.1.0.6"), ("carol", "10.2.0.3"),
              ("dave", "10.2.0.4"))
    lines = [hit(local(2026, 10, d), u, "openai-chatgpt", client=ip) for d in (1, 2, 3)
             for u, ip in people]
    lines += [hit(local(2026, 10, 4), "-", "openai-chatgpt", client=ip)
              for ip in ("10.3.0.1", "10.3.0.2")]
    model = run_month(config, "2026-10", write_log(tmp_path / "logs" / "a.log", lines))
    assert model["addresses"]["counted_apart"] and model["addresses"]["ai_people"] == 2
    depts = {("other" if d["other"] else d["name"]): d for d in model["departments"]}
    assert (depts["Finances"]["people"], depts["Routes"]["people"]) == (2, 2)
    other = depts["other"]
    assert other["folded_names"] == ["Laboratoire"]
    assert (other["people"], other["headcount"], other["active_people"]) == (0, 7, 0)
    assert other["adoption_rate"] == 0.0
    lab = next(d for d in model["training"]["departments"] if d["other"])
    assert lab["places"] == 1  # 10 % of its 7 people, rounded up


def test_trend_flags_a_department_renamed_in_the_users_map(tmp_path: Path) -> None:
    """"Études" becomes "Prospective" in users.csv between September and October: the
    trend showed one series stopping and another starting with nothing said. October is
    flagged now; November, under the same map, is not."""
    from tests.orgkit import shadowai

    people = ["ana", "ben", "cat", "dan"]
    config = write_org(tmp_path, k=2, users={**{p: "Études" for p in people[:2]},
                                             **{p: "Finances" for p in people[2:]}})
    logs = tmp_path / "logs"

    def month(m: int) -> dict:
        lines = [hit(local(2026, m, d), p, "openai-chatgpt") for p in people for d in (3, 4)]
        return run_month(config, f"2026-{m:02d}", write_log(logs / f"{m}.log", lines))

    assert {d["name"] for d in month(9)["departments"]} == {"Études", "Finances"}
    (tmp_path / "users.csv").write_text(
        "user,department\nana,Prospective\nben,Prospective\ncat,Finances\ndan,Finances\n",
        encoding="utf-8")
    assert {d["name"] for d in month(10)["departments"]} == {"Prospective", "Finances"}
    month(11)
    assert shadowai(config, "trend").exit_code == 0
    trend = json.loads((tmp_path / "reports" / "trend" / "trend.json").read_text())
    flagged = [m["month"] for m in trend["months"] if "departments_changed" in m["flags"]]
    assert flagged == ["2026-10"]
    page = BeautifulSoup((tmp_path / "reports" / "trend" / "index.html").read_text(
        encoding="utf-8"), "html.parser")
    assert "directions renommées, scindées ou fusionnées" in page.get_text()
