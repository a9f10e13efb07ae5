"""What each audience reads: the management page first (headline figures, adoption by
department, what to do), then the detail, then an operator annex that can be left out;
locale through Babel; exports a spreadsheet opens correctly; directory checks. HTML is
parsed with selectors and compared with summary.json, never with a snapshot."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from shadowai.cli import cli
from shadowai.report.i18n import Translator
from tests.conftest import at, native


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_page_one_gives_management_its_figures_and_what_to_do(demo) -> None:
    s, page = summary(demo["fr"]), soup(demo["fr"] / "index.html")
    t = Translator("fr", s["k"])
    management = page.select_one("#management")
    # management comes first, then the detail, then the operator annex
    parts = [d["id"] for d in page.select("div.part")]
    assert parts == ["management", "detail", "annex"]
    card = lambda key: management.select_one(f'[data-key="{key}"] .value').get_text()  # noqa: E731
    assert card("ai_people") == t.number(s["totals"]["ai_people"])
    assert card("sanctioned_share") == t.percent(s["totals"]["sanctioned_share"])
    assert s["totals"]["sanctioned_share"] is not None and s["sanctioned"]["services"] == [
        "mistral-le-chat"]
    assert card("eu_share") == t.percent(s["totals"]["eu_share"])
    # adoption by department, highest rate first; the folded group last, people only
    rows = management.select("#adoption-chart .hbar")
    shown = [d for d in s["departments"] if d["adoption_rate"] is not None]
    ranked = sorted(shown, key=lambda d: (-d["adoption_rate"], -d["people"]))
    labels = [r.select_one(".hbar-label").get_text() for r in rows]
    assert labels[:len(ranked)] == [d["name"] for d in ranked]
    first = ranked[0]
    assert flat(rows[0].select_one(".hbar-value").get_text()) == flat(
        f"{t.percent(first['adoption_rate'])} · {t.number(first['people'])} pers.")
    other = next(d for d in s["departments"] if d["other"])
    assert labels[-1] == f"Autres directions ({other['departments_folded']})"
    assert "folded" in rows[-1]["class"]
    # what to do: training first where places are most needed, and the tool to offer
    training = sorted(s["training"]["departments"], key=lambda d: -d["places"])
    cells = [[td.get_text() for td in tr.select("td")]
             for tr in management.select("#actions-training tbody tr")]
    assert [c[0] for c in cells] == [d["name"] for d in training[:len(cells)]]
    assert cells[0][1] == t.number(training[0]["places"])
    chat = next(a for a in s["alternatives"] if a["category"] == "chat-assistant")
    assert chat["alternative"] == "mistral-le-chat" and chat["alternative_sanctioned"]
    assert 0 < chat["people_to_move"] < chat["people"]  # Le Chat users need no licence
    row = management.select_one('#alternatives-table tr[data-category="chat-assistant"]')
    assert "Le Chat" in row.get_text() and t.number(chat["people_to_move"]) in row.get_text()
    # candidate hosts are for the catalog's upkeep: never in the management or detail part
    for part in ("#management", "#detail"):
        text = page.select_one(part).get_text()
        assert "gemini.com" not in text and "mistral.fr" not in text
    assert "gemini.com" in page.select_one("#annex #candidates-table").get_text()


def test_audience_management_leaves_the_operator_annex_out(demo, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(demo["config"]), "report", "--month",
                                      "2026-10", "--out", str(tmp_path), "--audience",
                                      "management"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2026-10"
    page, s = soup(folder / "index.html"), summary(folder)
    assert page.select("#management") and page.select("#detail")
    assert not page.select("#annex, #candidates-table, #files-table, #reasons-table")
    assert "gemini.com" not in page.get_text() and "candidates" not in s
    assert s["audience"] == "management" and summary(demo["fr"])["audience"] == "full"


def test_partial_coverage_banner_and_the_gap_in_the_daily_chart(demo) -> None:
    s, page = summary(demo["fr"]), soup(demo["fr"] / "index.html")
    q = s["quality"]
    assert q["missing_days"] == ["2026-10-14"] and q["coverage"] == round(30 / 31, 4)
    banner = flat(page.select_one("#coverage-banner").get_text())
    assert "1 jour(s) sans données sur 31 (14 octobre 2026)" in banner and "96,8 %" in banner
    # the banner is the first thing after the title
    assert page.select_one("header.top").find_next_sibling()["id"] == "coverage-banner"
    gaps = page.select("#daily-chart rect.nodata")
    assert [g["data-day"] for g in gaps] == ["2026-10-14"]
    assert len(page.select("#daily-chart rect[data-day]")) == 31
    # rejected-line reasons have their own heading, not "Jours sans données"
    assert page.select_one("#missing-days").get_text() == "14 octobre 2026"
    heading = page.select_one("#reasons-table").find_parent("div").find_previous_sibling("h3")
    assert heading.get_text() == "Lignes écartées, par motif"


def test_a_complete_month_has_no_banner(tmp_path: Path) -> None:
    lines = [native(at(day), "10.0.0.1", "TCP_TUNNEL/200", 1, "CONNECT", "chatgpt.com:443",
                    "alice") for day in range(1, 32)]
    (tmp_path / "a.log").write_text("\n".join(lines) + "\n")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      '[report]\nout = "r"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                      str(tmp_path / "a.log")])
    assert result.exit_code == 0, result.output
    page = soup(tmp_path / "r" / "2026-10" / "index.html")
    assert summary(tmp_path / "r" / "2026-10")["quality"]["coverage"] == 1.0
    assert page.select_one("#coverage-banner") is None
    assert not page.select("#daily-chart rect.nodata")


def test_folded_group_and_unassigned_identities_are_told_apart(demo) -> None:
    s, page = summary(demo["fr"]), soup(demo["fr"] / "index.html")
    other = next(d for d in s["departments"] if d["other"])
    assert other["name"] == "Autres directions"
    # the Laboratoire's people log without a user name: addresses, counted apart, so the
    # department has no person in the figures, but is seen: folded, with its headcount
    assert other["folded_names"] == ["Archives départementales", "Cabinet du président",
                                     "Laboratoire départemental"]
    assert other["departments_folded"] == 3 and other["headcount"] == 9 + 13 + 34
    # unassigned identities are in the group's AI count (hiding them needs it) but not in
    # its activity, and the group gets no adoption rate: no more 61 active for 56 staff
    assert other["includes_unassigned"] and other["adoption_rate"] is None
    assert other["active_people"] <= other["headcount"]
    text = flat(page.select_one("#folded-names").get_text())
    assert "Archives départementales, Cabinet du président, Laboratoire départemental" in text
    # directory coverage in the annex: the servers and the unauthenticated sites are the
    # addresses; the network map places the field sites, nothing places the servers
    cov = s["quality"]["directory_coverage"]
    assert cov["by_kind"]["address"]["unassigned"] == 10  # the ten servers of 10.250.0.0/24
    assert cov["by_kind"]["address"]["networks"] == 135  # 105 field sites + 30 Laboratoire
    assert cov["by_kind"]["user"]["networks"] == 20  # the new hires missing from users.csv
    row = page.select_one('#coverage-table tr[data-resolved="unassigned"]')
    t = Translator("fr", s["k"])
    assert flat(row.select("td")[3].get_text()) == flat(t.number(
        cov["active"]["unassigned"]["count"]))
    en = summary(demo["en"])
    assert next(d for d in en["departments"] if d["other"])["name"] == "Other departments"
    for folder, name in ((demo["fr"], "Autres directions"), (demo["en"], "Other departments")):
        assert name in (folder / "departments.csv").read_text(encoding="utf-8-sig")
        assert "__other__" not in (folder / "departments.csv").read_text(encoding="utf-8-sig")
        assert "__other__" not in (folder / "index.html").read_text(encoding="utf-8")


def test_locale_comes_from_babel_with_french_elision() -> None:
    fr, en = Translator("fr", 5), Translator("en", 5)
    assert fr.number(1728) == "1\u202f728" and en.number(1728) == "1,728"
    assert fr.percent(0.1433) == "14,3\u00a0%" and en.percent(0.1433) == "14.3%"
    assert fr.day("2026-10-14") == "14 octobre 2026" and en.day("2026-10-14") == "October 14, 2026"
    assert fr.of_month("2026-10") == "d'octobre 2026" and fr.of_month("2026-08") == "d'août 2026"
    assert fr.of_month("2026-03") == "de mars 2026" and en.of_month("2026-10") == "October 2026"
    assert fr.size(123_456_789) == "123,5\u00a0Mo"


def test_run_prints_figures_with_separators(demo) -> None:
    s = summary(demo["fr"])
    assert f"{s['totals']['ai_requests']:,} AI requests" in demo["stdout"]
    assert re.search(r"\b\d{1,3}(,\d{3})+ lines", demo["stdout"])


def test_csv_for_a_french_spreadsheet_and_the_workbook(demo, tmp_path: Path) -> None:
    fr = (demo["fr"] / "departments.csv").read_bytes()
    assert fr.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    header, first = fr.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("name;people;episodes;")
    assert re.search(r";0,\d+;", first)  # decimal comma
    en = (demo["en"] / "departments.csv").read_text(encoding="utf-8")
    assert not en.startswith("\ufeff") and en.startswith("name,people,episodes,")
    # [report] csv_dialect overrides the language's default
    config = demo["work"] / "comma.toml"  # relative paths as in the demo's config
    config.write_text(demo["config"].read_text().replace(
        '[report]\n', '[report]\ncsv_dialect = "comma"\n'))
    result = CliRunner().invoke(cli, ["--config", str(config), "report", "--month", "2026-10",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "2026-10" / "departments.csv").read_bytes().startswith(b"name,")
    s = summary(demo["fr"])
    with zipfile.ZipFile(demo["fr"] / "report.xlsx") as book:
        workbook = book.read("xl/workbook.xml").decode()
        sheets = re.findall(r'<sheet name="([^"]+)"', workbook)
        assert sheets == ["services", "departments", "categories", "jurisdictions", "daily",
                          "training"]
        departments = book.read("xl/worksheets/sheet2.xml").decode()
        assert departments.count("<row ") == len(s["departments"]) + 1
        strings = book.read("xl/sharedStrings.xml").decode()
        assert "Autres directions" in strings and "Direction des routes" in strings


def test_bad_csv_dialect_and_alternatives_are_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "shadowai.toml"
    for body, words in (
            ('[report]\ncsv_dialect = "tabs"\n', ["csv_dialect", "semicolon"]),
            ('[catalog.alternatives]\nchat = "mistral-le-chat"\n', ["unknown category", "chat"]),
            ('[catalog.alternatives]\ntranslation = "nope"\n', ["nope", "domains list"])):
        config.write_text(body)
        result = CliRunner().invoke(cli, ["--config", str(config), "report", "--month",
                                          "2026-10"])
        assert result.exit_code == 1, body
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and all(w in lines[0] for w in words), lines


def test_directory_names_that_disagree_are_warned_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text(
        "user,department\n" + "".join(f"u{i},Direction des systèmes d'information\n"
                                      for i in range(6)) + "v1,Direction des routes\n")
    (tmp_path / "headcount.csv").write_text(
        "department,headcount\nDSI,40\nDirection des route,90\n")
    lines = [native(at(5), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT", "chatgpt.com:443",
                    f"u{i}") for i in range(6)]
    (tmp_path / "a.log").write_text("\n".join(lines) + "\n")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      '[directory]\nusers = "users.csv"\nheadcount = "headcount.csv"\n'
                      '[report]\nout = "r"\nlang = "en"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                      str(tmp_path / "a.log")])
    assert result.exit_code == 0, result.output
    assert ("department 'DSI' is in the headcount map but not in the users/networks map; "
            "did you mean \"Direction des systèmes d'information\"?") in result.stderr
    assert "did you mean 'Direction des routes'?" in result.stderr
    s = summary(tmp_path / "r" / "2026-10")
    found = {m["name"]: m["suggestion"] for m in s["quality"]["directory_mismatches"]}
    assert found["DSI"] == "Direction des systèmes d'information"
    assert found["Direction des route"] == "Direction des routes"
    table = soup(tmp_path / "r" / "2026-10" / "index.html").select_one("#mismatches-table")
    assert "DSI" in table.get_text() and "Direction des routes" in table.get_text()


def test_trend_draws_lines_with_flagged_months_and_small_multiples(tmp_path: Path) -> None:
    users = "user,department\n" + "".join(f"u{i},{'Finances' if i < 8 else 'Routes'}\n"
                                          for i in range(16))
    (tmp_path / "users.csv").write_text(users)
    sep = [native(at(day).replace(month=9), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT",
                  "chatgpt.com:443", f"u{i}") for i in range(10) for day in (3, 4)]
    oct_ = [native(at(day), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT",
                   "chatgpt.com:443", f"u{i}") for i in range(16) for day in range(1, 32)]
    (tmp_path / "sep.log").write_text("\n".join(sep) + "\n")
    (tmp_path / "oct.log").write_text("\n".join(oct_) + "\n")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      '[directory]\nusers = "users.csv"\n[report]\nout = "r"\n')
    runner = CliRunner()
    for month, log in (("2026-09", "sep.log"), ("2026-10", "oct.log")):
        result = runner.invoke(cli, ["--config", str(config), "run", "--month", month,
                                     str(tmp_path / log)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--config", str(config), "trend"])
    assert result.exit_code == 0, result.output
    trend = json.loads((tmp_path / "r" / "trend" / "trend.json").read_text())
    assert [m["flags"] for m in trend["months"]] == [["low_coverage"], []]
    page = soup(tmp_path / "r" / "trend" / "index.html")
    assert "d'août" not in page.get_text()
    assert "Rapport de tendance pseudonymisé, de septembre 2026 à octobre 2026" in \
        page.select_one("p.sub").get_text()
    for chart in ("line-people", "line-headcount", "line-sanctioned", "line-eu"):
        assert page.select_one(f"#{chart} svg"), chart
    points = page.select("#line-people circle.point")
    assert len(points) == 2 and "flagged" in points[0]["class"]
    assert "flagged" not in points[1]["class"]
    values = [t.get_text() for t in page.select("#line-people text.value")]
    assert values == ["10 !", "16"]
    multiples = page.select("#department-lines .multiple")
    # Routes had 2 users in September (< k): folded that month, its own line in October
    assert sorted(m["data-id"] for m in multiples) == ["Finances", "Routes", "__other__"]
    assert [m.h3.get_text() for m in multiples][-1] == "Autres directions"
    assert page.select_one("#months-table td.flags").get_text() == "données incomplètes"


def test_a_hostile_organisation_name_stays_text_in_html_and_page_css(tmp_path: Path) -> None:
    evil = '</style><script>alert(1)</script>"; } body { display: none } \\'
    lines = [native(at(5), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT", "chatgpt.com:443",
                    f"u{i}") for i in range(6)]
    (tmp_path / "a.log").write_text("\n".join(lines) + "\n")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      f"[report]\nout = \"r\"\norganisation = '''{evil}'''\n")
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                      str(tmp_path / "a.log")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "2026-10" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert not page.select("script")
    assert page.select_one("#organisation").get_text() == evil
    styles = page.select("style")
    assert len(styles) == 2 and "display: none" not in styles[1].get_text()
    assert "alert(1)" not in styles[1].get_text()  # escaped to CSS code points
