"""The monthly report: HTML parsed and checked against summary.json, both languages,
self-contained, k-anonymity with complementary suppression, hostile names as text."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from shadowai.cli import cli
from tests.conftest import at, native


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_headline_cards_show_the_summary_numbers(demo) -> None:
    s = json.loads((demo["fr"] / "summary.json").read_text())
    page = soup(demo["fr"] / "index.html")
    card = lambda key: page.select_one(f'[data-key="{key}"] .value').get_text()  # noqa: E731
    assert card("ai_people").replace("\u202f", "") == str(s["totals"]["ai_people"])
    assert card("ai_episodes").replace("\u202f", "") == str(s["totals"]["ai_episodes"])
    assert s["totals"]["ai_people"] < s["totals"]["ai_episodes"] < s["totals"]["ai_requests"]
    rows = page.select("#services-table tbody tr")
    assert [r["data-id"] for r in rows] == [x["id"] for x in s["services"]]
    first = [td.get_text() for td in rows[0].select("td")]
    assert first[0] == s["services"][0]["name"]
    assert [x.replace("\u202f", "") for x in first[4:7]] == [
        str(s["services"][0][k]) for k in ("people", "episodes", "requests")]
    dept_rows = page.select("#departments-table tbody tr")
    assert len(dept_rows) == len(s["departments"])


def test_french_and_english_are_complete(demo) -> None:
    fr, en = soup(demo["fr"] / "index.html"), soup(demo["en"] / "index.html")
    assert fr.html["lang"] == "fr" and en.html["lang"] == "en"
    assert "octobre 2026" in fr.h1.get_text() and "October 2026" in en.h1.get_text()
    assert fr.select_one("#missing-days").get_text() == "14 octobre 2026"
    assert "Autres directions" in fr.get_text() and "Other departments" in en.get_text()
    assert "Méthode et confidentialité" in fr.get_text()
    assert "Method and privacy" in en.get_text()
    assert "requête proxy" in fr.get_text() and "proxy request" not in fr.get_text()
    assert "défi d'authentification du proxy" in fr.select_one("#reasons-table").get_text()
    # French number formatting: narrow no-break space thousands separator, comma decimals
    value = fr.select_one('[data-key="ai_episodes"] .value').get_text()
    assert "\u202f" in value
    assert "," in fr.select_one('[data-key="share_of_headcount"] .value').get_text()


def test_report_is_self_contained(demo) -> None:
    page = soup(demo["fr"] / "index.html")
    assert not page.select("script, link, img, iframe, object, embed")
    assert not [t for t in page.find_all(src=True)]
    assert page.select("style") and page.select("svg.chart")
    assert "http://" not in page.style.get_text() and "https://" not in page.style.get_text()
    csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "default-src 'none'" in csp


def test_every_chart_has_its_values_in_one_table_and_none_repeats_a_visible_one(demo) -> None:
    page = soup(demo["fr"] / "index.html")
    for figure in page.select("figure"):
        details = figure.find_next_sibling("details")
        if figure.get("data-table"):
            # the values are in the visible table named by the chart: no hidden copy
            assert page.select(f'#{figure["data-table"]} tbody tr'), figure["id"]
            assert details is None or not details.select("table"), figure["id"]
        else:
            assert details is not None and details.select("table tbody tr"), figure["id"]
    assert "Tableau des valeurs" not in page.get_text()


def _org_with(tmp_path: Path, people: dict[str, int], extra: list[str] | None = None) -> Path:
    """An organisation where department D has people[D] ChatGPT users (k = 3)."""
    users, lines, n = ["user,department"], [], 0
    for dept, count in people.items():
        for _ in range(count):
            n += 1
            users.append(f"u{n},{dept}")
            lines.append(native(at(5), f"10.0.0.{n}", "TCP_TUNNEL/200", 100, "CONNECT",
                                "chatgpt.com:443", f"u{n}"))
    (tmp_path / "users.csv").write_text("\n".join(users) + "\n", encoding="utf-8")
    lines += extra or []
    (tmp_path / "access.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nk = 3\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      '[directory]\nusers = "users.csv"\n[report]\nout = "reports"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                      str(tmp_path / "access.log")])
    assert result.exit_code == 0, result.output
    return tmp_path / "reports" / "2026-10"


def test_small_departments_fold_and_complementary_suppression(tmp_path: Path) -> None:
    out = _org_with(tmp_path, {"Alpha": 6, "Beta": 4, "Gamma": 2})
    s = json.loads((out / "summary.json").read_text())
    names = {d["name"]: d for d in s["departments"]}
    # Gamma (2 < k) cannot stand alone; folding only Gamma would give an "other" of 2,
    # recoverable as total - shown: Beta, the smallest shown, joins it.
    # One name everywhere: the label of the report's language, in JSON, HTML and CSV.
    assert set(names) == {"Alpha", "Autres directions"}
    other = names["Autres directions"]
    assert other["other"] and names["Alpha"]["people"] == 6
    assert other["people"] == 6 and other["departments_folded"] == 2
    assert s["totals"]["ai_people"] == 12
    # The folded group names its departments, never their own figures.
    assert other["folded_names"] == ["Beta", "Gamma"]
    page = soup(out / "index.html")
    assert "Beta, Gamma" in page.select_one("#folded-names").get_text()
    rows = [tr.select_one("td").get_text() for tr in page.select("#departments-table tbody tr")]
    assert rows == ["Alpha", "Autres directions (2)"]
    assert "Beta" not in page.select_one("#departments-table").get_text()
    csv_text = (out / "departments.csv").read_text(encoding="utf-8-sig")
    assert "Gamma" not in csv_text and "\nAutres directions;6;" in csv_text
    assert "__other__" not in csv_text and "other departments" not in csv_text


def test_too_small_an_organisation_shows_no_department_figure(tmp_path: Path) -> None:
    out = _org_with(tmp_path, {"Alpha": 1, "Beta": 1})
    s = json.loads((out / "summary.json").read_text())
    assert s["totals"]["ai_people"] is None
    assert all(d["people"] is None and d["requests"] is None for d in s["departments"])


def test_hostile_department_names_render_as_text(tmp_path: Path) -> None:
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    extra = [  # hostile host names and user names in the log itself
        native(at(5), "10.0.0.99", "TCP_MISS/200", 1, "GET",
               "http://<script>alert(3)</script>/", '"><img/src=x/onerror=alert(4)>'),
        native(at(5), "10.0.0.99", "TCP_TUNNEL/200", 1, "CONNECT",
               "chat.<b>evil</b>.ai:443", "<script>alert(5)</script>"),
    ]
    out = _org_with(tmp_path, {evil.replace(",", ";"): 5, "Beta": 5}, extra)
    page = soup(out / "index.html")
    assert not page.select("script, img, b")
    assert evil.replace(",", ";") in page.select_one("#departments-table").get_text()
    assert "alert(3)" not in page.get_text() and "alert(4)" not in page.get_text()
    assert "alert(5)" not in page.get_text()  # user names never reach a report


def test_management_summary_and_training_needs(demo) -> None:
    s = json.loads((demo["en"] / "summary.json").read_text())
    page = soup(demo["en"] / "index.html")
    sentences = [li.get_text() for li in page.select("#summary-sentences li")]
    people = f"{s['totals']['ai_people']:,}"
    assert sentences[0].startswith(f"{people} people used at least one public generative-AI")
    assert any("Note, days without data: October 14, 2026" in x for x in sentences)
    training = s["training"]
    assert training["rule"] == {"users_share": 1.0, "others_share": 0.1, "group_size": 12}
    for d in training["departments"]:
        others = max((d["headcount"] or d["people"]) - d["people"], 0)
        assert d["places"] == math.ceil(d["people"] + 0.1 * others)
        assert d["sessions"] == math.ceil(d["places"] / 12)
        assert all(c["people"] >= s["k"] for c in d["categories"])
    rows = page.select("#training-table tbody tr")
    assert len(rows) == len(training["departments"])
    csv_rows = (demo["en"] / "training.csv").read_text().splitlines()
    assert csv_rows[0] == "name,people,headcount,adoption_rate,categories,places,sessions"
    assert len(csv_rows) == len(training["departments"]) + 1


def test_changes_since_last_month_and_new_services(tmp_path: Path) -> None:
    users = "user,department\n" + "".join(f"u{i},Finances\n" for i in range(12))
    (tmp_path / "users.csv").write_text(users)
    sep = [native(at(5).replace(month=9), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT",
                  "chatgpt.com:443", f"u{i}") for i in range(6)]
    oct_ = [native(at(5), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT",
                   "chatgpt.com:443", f"u{i}") for i in range(9)]
    oct_ += [native(at(6), f"10.0.0.{i}", "TCP_TUNNEL/200", 1, "CONNECT",
                    "chat.mistral.ai:443", f"u{i}") for i in range(5)]
    (tmp_path / "sep.log").write_text("\n".join(sep) + "\n")
    (tmp_path / "oct.log").write_text("\n".join(oct_) + "\n")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      '[directory]\nusers = "users.csv"\n[report]\nout = "r"\nlang = "en"\n')
    runner = CliRunner()
    base = ["--config", str(config)]
    assert runner.invoke(cli, [*base, "run", "--month", "2026-09",
                               str(tmp_path / "sep.log")]).exit_code == 0
    assert runner.invoke(cli, [*base, "run", "--month", "2026-10",
                               str(tmp_path / "oct.log")]).exit_code == 0
    s = json.loads((tmp_path / "r" / "2026-10" / "summary.json").read_text())
    assert s["changes"]["ai_people"] == {"previous": 6, "delta": 3}
    assert s["new_services"] == ["mistral-le-chat"]
    page = soup(tmp_path / "r" / "2026-10" / "index.html")
    text = page.select_one("#summary").get_text()
    assert "That is 3 more than in September 2026 (6)." in text
    assert "New services seen: Le Chat." in text
    assert "+3 compared with September 2026" in page.select_one('[data-key="ai_people"]').text


OVERLAY = '''
[catalog]
sanctioned = ["mistral-le-chat", "org-llm-gateway"]
exclude_categories = ["translation"]
[catalog.domains]
"llm.intranet.example.fr" = "org-llm-gateway"
[[catalog.services]]
id = "org-llm-gateway"
name = "Passerelle IA interne"
vendor = "Conseil départemental"
category = "api-platform"
jurisdiction = "FR"
'''


def test_sanctioned_tools_are_shown_apart_from_shadow_use(tmp_path: Path) -> None:
    users = "user,department\n" + "".join(f"u{i},Finances\n" for i in range(20))
    (tmp_path / "users.csv").write_text(users)
    lines = []
    for i, host in enumerate(["chat.mistral.ai"] * 5 + ["llm.intranet.example.fr"] * 5
                             + ["chatgpt.com"] * 6 + ["www.deepl.com"] * 5):
        lines.append(native(at(5), "10.0.0.1", "TCP_TUNNEL/200", 1, "CONNECT", f"{host}:443",
                            f"u{i % 20}"))
    (tmp_path / "a.log").write_text("\n".join(lines) + "\n")
    config = tmp_path / "shadowai.toml"
    config.write_text('[privacy]\nkey_file = "k.key"\n[store]\npath = "s.duckdb"\n'
                      '[directory]\nusers = "users.csv"\n[report]\nout = "r"\nlang = "en"\n'
                      + OVERLAY)
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                 str(tmp_path / "a.log")])
    assert result.exit_code == 0, result.output
    s = json.loads((tmp_path / "r" / "2026-10" / "summary.json").read_text())
    ids = {x["id"]: x for x in s["services"]}
    assert "deepl-translator" not in ids  # excluded category: not counted at all
    assert ids["org-llm-gateway"]["sanctioned"] and ids["mistral-le-chat"]["sanctioned"]
    assert not ids["openai-chatgpt"]["sanctioned"]
    assert s["sanctioned"]["sanctioned"] == {"people": 10, "episodes": 10, "requests": 10}
    assert s["sanctioned"]["shadow"] == {"people": 6, "episodes": 6, "requests": 6}
    assert s["totals"]["sanctioned_share"] == round(10 / 16, 4)
    page = soup(tmp_path / "r" / "2026-10" / "index.html")
    assert "Passerelle IA interne" in page.select_one('#sanctioned-table tr[data-id="sanctioned"]'
                                                      ).get_text()
    assert "of the episodes go to the approved tools" in page.select_one("#summary").get_text()
    # the chart tells approved tools from shadow use (a class the legend's swatch explains)
    bars = {b.select_one(".hbar-label").get_text(): "sanctioned" in b["class"]
            for b in page.select("#services-chart .hbar")}
    assert bars == {"Le Chat (approved)": True, "Passerelle IA interne (approved)": True,
                    "ChatGPT": False}
    assert page.select_one("#services .legend .swatch.sanctioned") is not None
    check = runner.invoke(cli, ["--config", str(config), "domains", "check", "--json",
                                "llm.intranet.example.fr"])
    assert json.loads(check.stdout)[0]["sanctioned"] is True


def test_a_bad_overlay_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "shadowai.toml"
    config.write_text('[catalog]\nsanctioned = ["no-such-service"]\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "domains", "check", "x.fr"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "shadowai.toml [catalog]" in lines[0]
    assert "no-such-service" in lines[0]


def test_data_quality_lists_each_file_with_its_reasons(demo) -> None:
    s = json.loads((demo["fr"] / "summary.json").read_text())
    files = {f["name"]: f for f in s["quality"]["files"]}
    combined = next(f for f in files.values() if f["format"] == "squid-common")
    assert combined["name"].startswith("squid-common #")  # a label, not the file's name
    assert combined["format"] == "squid-common" and combined["unit"] == "proxy request"
    assert combined["rejected_by_reason"] == {"not a common/combined log line": 3}
    assert sum(sum(f["rejected_by_reason"].values()) for f in files.values()) == \
        s["quality"]["rejected"]
    row = next(tr for tr in soup(demo["fr"] / "index.html").select("#files-table tbody tr")
               if combined["name"] in tr.get_text())
    assert "ligne non conforme au format common/combined : 3" in row.get_text()
    # reasons have their own heading, not "Jours sans données" (which lists days only)
    page = soup(demo["fr"] / "index.html")
    heading = page.select_one("#reasons-table").find_previous(["h2", "h3"])
    assert heading.get_text() == "Lignes écartées, par motif"
    assert page.select_one("#missing-days").get_text() == "14 octobre 2026"
