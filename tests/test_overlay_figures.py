"""The organisation's catalog overlay changes the figures it says it changes: an excluded
service is counted nowhere, a private service declared ``sanctioned = true`` is counted as
sanctioned use, not shadow AI. Real Squid logs, the real CLI, a real DuckDB store."""

from __future__ import annotations

from pathlib import Path

from tests.orgkit import hit, local, run_month, write_log, write_org

OVERLAY = """
[catalog]
exclude_services = ["deepl-translator"]
[catalog.domains]
"llm.intranet.example.fr" = "org-llm-gateway"
[[catalog.services]]
id = "org-llm-gateway"
name = "Passerelle IA interne"
category = "api-platform"
jurisdiction = "FR"
sanctioned = true
"""


def test_excluded_and_privately_sanctioned_services_in_the_figures(tmp_path: Path) -> None:
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances"},
                       extra=OVERLAY)
    log = write_log(tmp_path / "access.log", [
        hit(local(2026, 10, 5), "alice", "openai-chatgpt"),
        hit(local(2026, 10, 6), "bob", "openai-chatgpt"),
        *(hit(local(2026, 10, d), u, "llm.intranet.example.fr")
          for d, u in ((7, "alice"), (8, "bob"), (9, "alice"))),
        *(hit(local(2026, 10, d), "bob", "deepl-translator") for d in (12, 13, 14, 15)),
    ])
    model = run_month(config, "2026-10", log)
    services = {s["id"]: s for s in model["services"]}
    assert set(services) == {"openai-chatgpt", "org-llm-gateway"}  # DeepL excluded
    assert services["org-llm-gateway"]["sanctioned"] is True
    assert services["openai-chatgpt"]["sanctioned"] is False
    assert model["totals"]["ai_requests"] == 5 and model["totals"]["ai_episodes"] == 5
    assert model["sanctioned"]["services"] == ["org-llm-gateway"]
    assert model["sanctioned"]["sanctioned"] == {"people": 2, "episodes": 3, "requests": 3}
    assert model["sanctioned"]["shadow"] == {"people": 2, "episodes": 2, "requests": 2}
    assert model["totals"]["sanctioned_share"] == 0.6
    assert "+org." in model["catalog_version"]
    assert {j["id"]: j["episodes"] for j in model["jurisdictions"]} == {"FR": 3, "US": 2}


def test_without_the_overlay_the_same_logs_count_deepl_and_no_sanctioned_use(
        tmp_path: Path) -> None:
    """The control: the figures above come from the overlay, not from the logs."""
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances"})
    log = write_log(tmp_path / "access.log", [
        hit(local(2026, 10, 5), "alice", "openai-chatgpt"),
        *(hit(local(2026, 10, d), "bob", "deepl-translator") for d in (12, 13)),
    ])
    model = run_month(config, "2026-10", log)
    # one person each (k = 2): the services are listed, their counts hidden
    assert {s["id"]: s["requests"] for s in model["services"]} == {
        "openai-chatgpt": None, "deepl-translator": None}
    assert model["totals"]["ai_requests"] == 3
    assert model["sanctioned"]["services"] == []
    assert model["totals"]["sanctioned_share"] is None
