"""Risk profiles (domains/risk.csv), catalog releases (bundle, import, diff) and the risk
block of the monthly report."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import at, native

from shadowai import catalog, release, risk
from shadowai.cli import cli
from shadowai.errors import CatalogError
from shadowai.metrics import risk_block

# Services with >= 1 % of the demo's October episodes (shadowai run on sample_logs/demo).
DEMO_MAIN = ["openai-chatgpt", "microsoft-copilot", "deepl-translator", "google-gemini",
             "mistral-le-chat", "anthropic-claude", "perplexity-ai", "google-notebooklm",
             "meta-ai", "xai-grok", "deepseek-chat", "github-copilot"]
HEADER = "service_id,factor,value,source,checked\n"


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "cat"
    shutil.copytree(catalog.default_dir(), d)
    return d


def _problems_with(tmp_path: Path, rows: str) -> list[str]:
    d = _copy(tmp_path)
    (d / "risk.csv").write_text(HEADER + rows, encoding="utf-8")
    return [p for p in catalog.validate(d) if "risk.csv" in p]


def test_shipped_profiles_cover_every_main_demo_service() -> None:
    profiles = catalog.load().meta.risk
    for sid in DEMO_MAIN:
        assert set(profiles[sid]) >= set(risk.PROFILE_FACTORS), sid
        for value in profiles[sid].values():
            assert value.value == "unknown" or value.source.startswith("https://")


def test_shipped_profiles_cover_four_fifths_of_the_catalog() -> None:
    # Issue 14's target: >= 80 % of all services profiled (every data-handling factor,
    # `unknown` allowed after a search). 965 of 969 on 2026-12-02, 238 with a known value;
    # the floors leave room for services added before their profile.
    cat = catalog.load()
    cov = risk.coverage(list(cat.services), cat.meta.risk)
    assert cov["services"] == len(cat.services)
    assert cov["profiled"] >= 0.8 * cov["services"], cov
    assert cov["with_known_value"] >= 230, cov


@pytest.mark.parametrize(("rows", "expected"), [
    ("openai-chatgpt,trains_on_inputs,yes,,2026-11-01\n", "has no source"),
    ("openai-chatgpt,trains_on_inputs,maybe,https://x.example,2026-11-01\n", "is not one of"),
    ("openai-chatgpt,colour,yes,https://x.example,2026-11-01\n", "factor 'colour'"),
    ("no-such-service,trains_on_inputs,yes,https://x.example,2026-11-01\n",
     "unknown service id"),
    ("openai-chatgpt,trains_on_inputs,yes,https://x.example,2099-01-01\n", "in the future"),
    ("openai-chatgpt,trains_on_inputs,yes,https://x.example,01/11/2026\n", "not a YYYY-MM-DD"),
    ("openai-chatgpt,trains_on_inputs,yes,ftp://x.example,2026-11-01\n", "has no source"),
    ("openai-chatgpt,training_opt_out,yes,https://x.example,2026-11-01\n"
     "openai-chatgpt,eu_data_residency,yes,https://x.example,2026-11-01\n", "not sorted"),
    ("openai-chatgpt,eu_data_residency,yes,https://x.example,2026-11-01\n"
     "openai-chatgpt,eu_data_residency,no,https://x.example,2026-11-01\n", "duplicate"),
    ("openai-chatgpt,secnumcloud,no,https://x.example,2026-11-01\n", "derived (no) for a US"),
])
def test_risk_validation_rules_bite(tmp_path: Path, rows: str, expected: str) -> None:
    problems = _problems_with(tmp_path, rows)
    assert any(expected in p for p in problems), problems
    assert all(":2:" in p or ":3:" in p for p in problems)


def test_unknown_needs_no_source_and_load_refuses_a_sourceless_value(tmp_path: Path) -> None:
    assert _problems_with(tmp_path, "openai-chatgpt,trains_on_inputs,unknown,,2026-11-01\n") \
        == []
    d = tmp_path / "cat"
    (d / "risk.csv").write_text(HEADER + "openai-chatgpt,trains_on_inputs,no,,2026-11-01\n",
                                encoding="utf-8")
    with pytest.raises(CatalogError, match=r"risk.csv:2: .*has no source"):
        catalog.load(d)


VENDOR_HEADER = "vendor,factor,value,source,checked\n"


def _vendor_problems(tmp_path: Path, rows: str) -> list[str]:
    d = _copy(tmp_path)
    (d / "risk_vendors.csv").write_text(VENDOR_HEADER + rows, encoding="utf-8")
    return [p for p in catalog.validate(d) if "risk_vendors.csv" in p]


def test_a_vendor_row_reaches_every_service_of_the_vendor_and_a_service_row_wins(
        tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "risk_vendors.csv").write_text(
        VENDOR_HEADER + "Baidu,enterprise_dpa,yes,https://vendor.example/dpa,2026-11-01\n"
        "Baidu,trains_on_inputs,no,https://vendor.example/privacy,2026-11-01\n",
        encoding="utf-8")
    (d / "risk.csv").write_text(
        HEADER + "baidu-ernie,trains_on_inputs,yes,https://vendor.example/ernie,2026-11-01\n",
        encoding="utf-8")
    assert catalog.validate(d) == []
    cat = catalog.load(d)
    baidu = sorted(s.id for s in cat.services.values() if s.vendor == "Baidu")
    assert len(baidu) >= 5
    for sid in baidu:
        dpa = cat.meta.risk[sid]["enterprise_dpa"]
        assert (dpa.value, dpa.source, dpa.scope) == ("yes", "https://vendor.example/dpa",
                                                      "vendor")
    own = cat.meta.risk["baidu-ernie"]["trains_on_inputs"]
    assert (own.value, own.scope) == ("yes", "service")
    assert cat.meta.risk["baidu-qianfan"]["trains_on_inputs"].value == "no"
    assert "deepseek-chat" not in cat.meta.risk or \
        cat.meta.risk["deepseek-chat"]["enterprise_dpa"].scope == "service"
    cov = catalog.stats(cat)["risk"]
    assert cov["from_vendor"] >= len(baidu) and cov["with_rows"] >= cov["profiled"]


@pytest.mark.parametrize(("rows", "expected"), [
    ("No Such Vendor,enterprise_dpa,yes,https://x.example,2026-11-01\n", "unknown vendor"),
    ("Baidu,enterprise_dpa,yes,,2026-11-01\n", "has no source"),
    ("Baidu,secnumcloud,no,https://x.example,2026-11-01\n", "derived (no) for a CN"),
    ("Baidu,trains_on_inputs,no,https://x.example,2026-11-01\n"
     "Baidu,enterprise_dpa,yes,https://x.example,2026-11-01\n", "not sorted"),
])
def test_vendor_row_validation_bites(tmp_path: Path, rows: str, expected: str) -> None:
    problems = _vendor_problems(tmp_path, rows)
    assert any(expected in p for p in problems), problems


def test_load_refuses_a_vendor_row_for_a_vendor_the_catalog_lacks(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "risk_vendors.csv").write_text(
        VENDOR_HEADER + "Nobody Inc,enterprise_dpa,unknown,,2026-11-01\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="risk_vendors.csv: unknown vendor"):
        catalog.load(d)


def test_vendor_rows_travel_in_a_release_and_show_in_its_diff(tmp_path: Path) -> None:
    old = release.make_bundle(catalog.default_dir(), tmp_path / "old.zip", "2026.12")
    with zipfile.ZipFile(old) as zf:
        assert "risk_vendors.csv" in zf.namelist()
    d = _copy(tmp_path)
    text = (d / "risk_vendors.csv").read_text(encoding="utf-8")
    (d / "risk_vendors.csv").write_text(
        text + "Tencent,enterprise_dpa,unknown,,2026-11-01\n", encoding="utf-8")
    new = release.make_bundle(d, tmp_path / "new.zip", "2027.01")
    added = release.diff(old, new)["risk_vendors.csv"]["added"]
    assert [(r["vendor"], r["factor"]) for r in added] == [("Tencent", "enterprise_dpa")]


def test_stats_show_vendor_wide_rows_and_known_shares() -> None:
    out = CliRunner().invoke(cli, ["domains", "stats"])
    assert out.exit_code == 0, out.output
    assert "from a vendor-wide row" in out.output
    assert "% of all services)" in out.output


def test_laws_are_derived_from_the_jurisdiction() -> None:
    assert "CLOUD Act (2018)" in risk.laws("US")
    assert risk.laws("CN") and risk.laws("FR") == [] and risk.laws("EU") == []
    assert "Investigatory Powers Act 2016" in risk.laws("OTHER", "United Kingdom; voice")
    assert risk.laws("OTHER", "Japan") == [] and risk.laws("OTHER", "") == []
    # the country may be followed by a colon or a parenthesis, not only by ";" or ","
    uk = "United Kingdom: London (Sifted AI 100, 2025); AI email assistant"
    assert "Investigatory Powers Act 2016" in risk.laws("OTHER", uk)
    assert risk.laws("OTHER", "Russia (a reseller); chat") == risk.laws("OTHER", "Russia")
    assert risk.laws("OTHER", "India") and risk.laws("OTHER", "Indiana; a US state") == []
    assert risk.secnumcloud("US", None).value == "no"
    assert risk.secnumcloud("FR", None).value == "unknown"


def test_every_catalogued_country_with_laws_is_recognised() -> None:
    """An OTHER service whose notes start with a country of ``COUNTRY_LAWS`` gets its laws,
    whatever punctuation follows the country's name."""
    cat = catalog.load()
    notes = {sid: cat.meta.notes.get(sid, "") for sid, s in cat.services.items()
             if s.jurisdiction == "OTHER"}
    with_laws = [sid for sid, n in notes.items() for country, laws in risk.COUNTRY_LAWS.items()
                 if laws and re.match(re.escape(country) + r"\b", n)]
    assert len(with_laws) >= 20  # Russia, United Kingdom, India, Israel, Australia, Vietnam
    assert [sid for sid in with_laws if not risk.laws("OTHER", notes[sid])] == []


def test_coverage_counts_complete_profiles() -> None:
    v = risk.RiskValue("yes", "https://x.example", "2026-11-01")
    u = risk.RiskValue("unknown", "", "2026-11-01")
    profiles = {"a-a": dict.fromkeys(risk.PROFILE_FACTORS, v),
                "b-b": dict.fromkeys(risk.PROFILE_FACTORS, u), "c-c": {"trains_on_inputs": v}}
    cov = risk.coverage(["a-a", "b-b", "c-c", "d-d"], profiles)
    assert (cov["profiled"], cov["with_known_value"], cov["profiled_share"]) == (2, 2, 0.5)
    assert cov["by_factor"]["trains_on_inputs"] == {"profiled": 3, "known": 2,
                                                   "known_share": 0.5,
                                                   "values": {"yes": 2, "unknown": 1}}
    assert (cov["with_rows"], cov["from_vendor"]) == (3, 0)


def _edited_release(tmp_path: Path, version: str, released: str = "2026-11-30") -> Path:
    """The shipped catalog with zencoder.ai replaced by a new host and one note changed."""
    d = _copy(tmp_path / version)
    lines = [x for x in (d / "domains.csv").read_text(encoding="utf-8").splitlines()
             if not x.startswith("zencoder.ai,")]
    # kept in sorted order wherever the new host falls (the catalog may hold zzz… names)
    new_row = "zzz-new-ai.example.org,zencoder-agent,web,2026-11-30,observed"
    lines = lines[:1] + sorted(lines[1:] + [new_row])
    (d / "domains.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    svc = (d / "services.csv").read_text(encoding="utf-8")
    (d / "services.csv").write_text(svc.replace("coding agents for IDEs", "coding agents"),
                                    encoding="utf-8")
    return release.make_bundle(d, tmp_path / f"{version}.zip", version, released)


def test_bundle_import_and_diff(tmp_path: Path) -> None:
    old = release.make_bundle(catalog.default_dir(), tmp_path / "old.zip", "2026.12")
    new = _edited_release(tmp_path, "2027.01")
    changes = release.diff(old, new)
    assert [r["domain"] for r in changes["domains.csv"]["added"]] == ["zzz-new-ai.example.org"]
    assert [r["domain"] for r in changes["domains.csv"]["removed"]] == ["zencoder.ai"]
    assert changes["services.csv"]["changed"] == [
        {"key": ["zencoder-agent"], "fields": {"notes": ["coding agents for IDEs",
                                                         "coding agents"]}}]
    assert changes["risk.csv"] == {"added": [], "removed": [], "changed": []}
    # A folder compares like a release.
    assert release.diff(catalog.default_dir(), new)["domains.csv"]["added"]

    store = tmp_path / "org" / "store.duckdb"
    shipped = catalog.load_configured(None, tmp_path, store)
    assert shipped.meta.origin == "shipped"
    done = release.install(new, store.parent / "catalog")
    assert done["version"] == "2027.01" and done["previous"] is None
    cat = catalog.load_configured(None, tmp_path, store)
    assert cat.meta.origin == "imported" and cat.meta.release == "2027.01"
    assert cat.meta.released == "2026-11-30"
    assert cat.match("www.zzz-new-ai.example.org").service.id == "zencoder-agent"
    assert cat.match("zencoder.ai").service is None
    # The trend's catalog-change flag compares versions: an import changes it.
    assert cat.version != shipped.version
    assert not (catalog.default_dir() / "current").exists()  # the package is untouched
    again = release.install(old, store.parent / "catalog")
    assert again["previous"] == "2027.01"
    assert catalog.load_configured(None, tmp_path, store).version == shipped.version


def test_tampered_or_broken_releases_are_refused(tmp_path: Path) -> None:
    good = release.make_bundle(catalog.default_dir(), tmp_path / "good.zip", "2026.12")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "domains.csv":
                data += b"evil.example.com,openai-chatgpt,web,2026-11-01,observed\n"
            dst.writestr(name, data)
    with pytest.raises(CatalogError, match="checksum mismatch for domains.csv"):
        release.install(tampered, tmp_path / "c")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CatalogError, match="cannot read the release"):
        release.read_bundle(junk)
    d = _copy(tmp_path)
    (d / "risk.csv").write_text(HEADER + "openai-chatgpt,trains_on_inputs,yes,,2026-11-01\n",
                                encoding="utf-8")
    invalid = release.make_bundle(d, tmp_path / "invalid.zip", "2027.02")
    with pytest.raises(CatalogError, match="problem\\(s\\) in the release"):
        release.install(invalid, tmp_path / "c")
    assert not (tmp_path / "c" / "current").exists()


def test_cli_import_diff_stats_and_stale_warning(tmp_path: Path, org: Path) -> None:
    runner = CliRunner()
    new = _edited_release(tmp_path, "2027.01", released="2026-01-15")
    out = runner.invoke(cli, ["--config", str(org), "domains", "import", str(new)])
    assert out.exit_code == 0, out.output
    assert "Installed catalog release 2027.01" in out.output
    assert (org.parent / "catalog" / "current").read_text().strip() == "2027.01"
    st = runner.invoke(cli, ["--config", str(org), "domains", "stats", "--json"])
    data = json.loads(st.output)
    assert data["origin"] == "imported" and data["release"] == "2027.01"
    assert data["risk"]["profiled"] >= len(DEMO_MAIN)
    d = runner.invoke(cli, ["domains", "diff", str(catalog.default_dir()), str(new)])
    assert "+ zzz-new-ai.example.org" in d.output and "- zencoder.ai" in d.output
    bad = runner.invoke(cli, ["--config", str(org), "domains", "import", str(org)])
    assert bad.exit_code != 0 and "Traceback" not in bad.output

    (org.parent / "logs").mkdir()
    lines = [native(at(day), "10.1.0.5", "TCP_MISS/200", 900, "CONNECT",
                    f"{host}:443", user) for day, host, user in
             [(2, "chatgpt.com", "alice"), (3, "chatgpt.com", "bob"),
              (4, "chat.deepseek.com", "alice"), (5, "chat.deepseek.com", "carol")]]
    (org.parent / "logs" / "access.log").write_text("\n".join(lines) + "\n")
    run = runner.invoke(cli, ["--config", str(org), "run", "--month", "2026-10",
                              str(org.parent / "logs")])
    assert run.exit_code == 0, run.output
    summary = json.loads((org.parent / "reports" / "2026-10" / "summary.json").read_text())
    r = summary["risk"]
    assert r["catalog"]["released"] == "2026-01-15" and r["catalog"]["stale"] is True
    # said on stderr too: a cron job's mail, not only the HTML
    assert (f"Warning: 2026-10: the catalog is {r['catalog']['age_days']} days old (more "
            "than [catalog] max_age_days = 120)") in run.stderr
    assert r["shadow_episodes"] == 4
    assert r["trains_by_default"] == {"episodes": 4, "share": 1.0}
    assert r["no_eu_offer"] == {"episodes": 2, "share": 0.5}
    page = BeautifulSoup((org.parent / "reports" / "2026-10" / "index.html").read_text(),
                         "html.parser")
    assert page.select_one("#catalog-stale") is not None
    rows = [tr["data-service"] for tr in page.select("#risk-table tr[data-service]")]
    assert rows == ["deepseek-chat", "openai-chatgpt"]  # riskiest first
    org.write_text(org.read_text() + "[catalog]\nmax_age_days = 100000\n"
                   'sanctioned = ["mistral-le-chat"]\n')
    rep = runner.invoke(cli, ["--config", str(org), "report", "--month", "2026-10"])
    assert rep.exit_code == 0, rep.output
    page = BeautifulSoup((org.parent / "reports" / "2026-10" / "index.html").read_text(),
                         "html.parser")
    assert page.select_one("#catalog-stale") is None and page.select_one("#risk")
    assert "days old" not in rep.stderr
    chat = page.select_one('#risk-table tbody[data-category="chat-assistant"] .alternative')
    assert chat is not None and "Le Chat" in chat.get_text()


def test_a_catalog_imported_after_the_ingest_is_said_until_the_month_is_read_again(
        tmp_path: Path, org: Path) -> None:
    """After `domains import`, the footer named the new catalog while the month's figures
    were still those of the catalog its files were classified with at ingest, and nothing
    said so. The report warns now, naming both, until `run --force` reads them again."""
    runner = CliRunner()
    (org.parent / "logs").mkdir()
    log = org.parent / "logs" / "access.log"
    log.write_text("\n".join(native(at(day), "10.1.0.5", "TCP_MISS/200", 900, "CONNECT",
                                    "chatgpt.com:443", user)
                             for day, user in [(2, "alice"), (3, "bob")]) + "\n")
    first = runner.invoke(cli, ["--config", str(org), "run", "--month", "2026-10", str(log)])
    assert first.exit_code == 0 and "classified with catalog" not in first.stderr
    shipped = catalog.load().version
    new = _edited_release(tmp_path, "2027.01", released=dt.date.today().isoformat())
    assert runner.invoke(cli, ["--config", str(org), "domains", "import", str(new)]
                         ).exit_code == 0
    rep = runner.invoke(cli, ["--config", str(org), "report", "--month", "2026-10"])
    assert rep.exit_code == 0, rep.output
    assert (f"Warning: 2026-10: files of this month were classified with catalog {shipped} "
            "at their ingest, not with today's") in rep.stderr, rep.stderr
    again = runner.invoke(cli, ["--config", str(org), "run", "--force", "--month", "2026-10",
                                str(log)])
    assert again.exit_code == 0, again.output
    assert "classified with catalog" not in again.stderr


def test_risk_block_figures_on_the_demo(demo: dict[str, Path]) -> None:
    summary = json.loads((demo["en"] / "summary.json").read_text(encoding="utf-8"))
    r = summary["risk"]
    services = summary["services"]
    # a service below k shows no episodes, and counts for none in the shares
    total = sum(s["episodes"] or 0 for s in services if not s["sanctioned"])
    profiles = catalog.load().meta.risk
    trains = sum(s["episodes"] or 0 for s in services if not s["sanctioned"]
                 and profiles.get(s["id"], {}).get("trains_on_inputs", risk.RiskValue(
                     "unknown", "", "")).value == "yes")
    assert r["shadow_episodes"] == total
    assert r["trains_by_default"]["episodes"] == trains > 0
    assert r["profiled"]["share"] == 1.0  # every service of the demo has a profile
    page = BeautifulSoup((demo["en"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Risk of the services used" in page.select_one("#risk").get_text()
    assert page.select_one("#risk-table tbody[data-category]") is not None


def _row(sid: str, category: str, jurisdiction: str, episodes: int,
         sanctioned: bool = False) -> dict[str, object]:
    """A service row of the month, as the report model passes it to risk_block."""
    return {"id": sid, "name": sid, "category": category, "jurisdiction": jurisdiction,
            "sanctioned": sanctioned, "episodes": episodes}


def test_risk_block_on_a_crafted_catalog() -> None:
    cat = catalog.load()
    services = [_row("openai-api", "api-platform", "US", 30),
                _row("deepseek-chat", "chat-assistant", "CN", 10),
                _row("mistral-le-chat", "chat-assistant", "FR", 60, sanctioned=True)]
    r = risk_block(services, cat)
    assert r["shadow_episodes"] == 40  # sanctioned Le Chat is not shadow AI
    assert r["trains_by_default"] == {"episodes": 10, "share": 0.25}
    assert r["no_eu_offer"] == {"episodes": 10, "share": 0.25}
    assert r["extraterritorial"]["episodes"] == 40
    assert [c["id"] for c in r["categories"]] == ["api-platform", "chat-assistant"]
    assert [c["alternatives"] for c in r["categories"]] == [[], []]
    approved = cat.with_overlay(sanctioned=["mistral-le-chat"])
    r = risk_block(services, approved)
    assert r["categories"][1]["alternatives"] == ["Le Chat"]


def test_risk_block_weighs_unknown_and_profile_coverage_by_episodes(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "risk.csv").write_text(
        HEADER + "google-labs,trains_on_inputs,unknown,,2026-11-01\n"
        "openai-api,trains_on_inputs,no,https://openai.com/enterprise-privacy,2026-11-01\n",
        encoding="utf-8")
    (d / "risk_vendors.csv").write_text(VENDOR_HEADER, encoding="utf-8")
    services = [_row("openai-api", "api-platform", "US", 30),
                _row("google-labs", "chat-assistant", "US", 10),
                _row("replicate-api", "api-platform", "US", 20)]
    r = risk_block(services, catalog.load(d))
    # Unknown and missing profiles both count as unknown; only profiled services count
    # towards the coverage, whatever their values.
    assert r["trains_unknown"] == {"episodes": 30, "share": 0.5}
    assert r["trains_by_default"]["episodes"] == 0
    assert r["profiled"]["episodes"] == 40


def test_risk_points_and_shares_computed_by_hand(tmp_path: Path) -> None:
    """Crafted profiles, one factor at a time, so that each weight of the ranking shows:
    trains by default 2, no opt-out 1, no EU offer 2, no DPA 1, each unknown 0.5,
    extraterritorial laws 1. Services of one category, ranked by points, three shown."""
    d = _copy(tmp_path)
    profiles = {  # service -> (trains_on_inputs, training_opt_out, eu_data_residency, dpa)
        "openai-chatgpt": ("yes", "yes", "yes", "yes"),       # 2
        "anthropic-claude": ("no", "no", "yes", "yes"),       # 1
        "deepseek-chat": ("no", "yes", "no", "yes"),          # 2
        "chatpdf-chat": ("no", "yes", "yes", "no"),           # 1
        "google-gemini": ("unknown", "yes", "unknown", "yes"),  # 1.0
        "perplexity-ai": ("no", "yes", "yes", "yes"),         # 0 (+1: a US vendor)
    }
    rows = sorted((sid, factor, value) for sid, values in profiles.items()
                  for factor, value in zip(risk.PROFILE_FACTORS, values, strict=True))
    (d / "risk.csv").write_text(HEADER + "".join(
        f"{sid},{factor},{value},{'' if value == 'unknown' else 'https://x.example'},"
        "2026-11-01\n" for sid, factor, value in rows), encoding="utf-8")
    cat = catalog.load(d)

    def svc(sid: str, episodes: int, jurisdiction: str = "FR", category: str = "chat-assistant",
            sanctioned: bool = False) -> dict:
        return {"id": sid, "name": sid.upper(), "category": category, "sanctioned": sanctioned,
                "jurisdiction": jurisdiction, "episodes": episodes}

    services = [svc("openai-chatgpt", 10), svc("anthropic-claude", 20),
                svc("deepseek-chat", 30), svc("chatpdf-chat", 40), svc("google-gemini", 50),
                svc("perplexity-ai", 60, "US", "search"),
                svc("meta-ai", 70, "US", "search"),  # no profile: 4 unknowns + laws = 3
                svc("mistral-le-chat", 1000, sanctioned=True)]
    r = risk_block(services, cat, today=dt.date(2026, 12, 1))
    points = {s["id"]: s["points"] for c in r["categories"] for s in c["services"]}
    assert points == {"openai-chatgpt": 2, "deepseek-chat": 2, "google-gemini": 1.0,
                      "meta-ai": 3.0, "perplexity-ai": 1}
    everyone = risk_block(services, cat, today=dt.date(2026, 12, 1), top=10)
    assert {s["id"]: s["points"] for c in everyone["categories"] for s in c["services"]} == {
        **points, "anthropic-claude": 1, "chatpdf-chat": 1}
    # chat-assistant: 2 points (deepseek before openai: more episodes), then gemini's 1.0
    # before the two other 1-pointers (more episodes); only three shown
    assert [(c["id"], [s["id"] for s in c["services"]]) for c in r["categories"]] == [
        ("chat-assistant", ["deepseek-chat", "openai-chatgpt", "google-gemini"]),
        ("search", ["meta-ai", "perplexity-ai"])]
    chat = r["categories"][0]["services"][0]
    assert (chat["trains_on_inputs"], chat["training_opt_out"], chat["eu_data_residency"],
            chat["enterprise_dpa"], chat["profiled"], chat["laws"]) == (
        "no", "yes", "no", "yes", True, [])
    meta = r["categories"][1]["services"][0]
    assert (meta["trains_on_inputs"], meta["profiled"], meta["secnumcloud"]) == (
        "unknown", False, "no")
    assert meta["laws"] == risk.laws("US")
    assert r["shadow_episodes"] == 280  # the sanctioned service is not shadow use
    assert r["trains_by_default"] == {"episodes": 10, "share": round(10 / 280, 4)}
    assert r["no_eu_offer"] == {"episodes": 30, "share": round(30 / 280, 4)}
    assert r["eu_offer_unknown"] == {"episodes": 120, "share": round(120 / 280, 4)}
    assert r["extraterritorial"] == {"episodes": 130, "share": round(130 / 280, 4)}
    assert r["profiled"] == {"episodes": 210, "share": 0.75}
    # the sanctioned alternative of the category, once approved by the organisation
    approved = cat.with_overlay(sanctioned=["mistral-le-chat", "chatpdf-chat"])
    alternatives = {c["id"]: c["alternatives"] for c in risk_block(services, approved)[
        "categories"]}
    assert alternatives == {"chat-assistant": ["ChatPDF", "Le Chat"], "search": []}


def test_the_catalog_is_stale_the_day_after_its_maximum_age() -> None:
    cat = catalog.load()
    released = dt.date.fromisoformat(cat.meta.released)
    limit = released + dt.timedelta(days=cat.meta.max_age_days)
    on_limit = risk_block([], cat, today=limit)["catalog"]
    assert (on_limit["age_days"], on_limit["stale"]) == (cat.meta.max_age_days, False)
    after = risk_block([], cat, today=limit + dt.timedelta(days=1))["catalog"]
    assert (after["age_days"], after["stale"]) == (cat.meta.max_age_days + 1, True)
    assert (after["released"], after["max_age_days"], after["origin"]) == (
        cat.meta.released, 120, "shipped")
