"""Report figures that mutation testing showed no test pinned (issue 16): a month whose
files carry no usage at all, a service that left the catalog after its rows were stored,
a summary kept by an old release, the figures of each counting unit. Real Squid and Zeek
logs, the real CLI, a real DuckDB store."""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowai import metrics
from tests.conftest import native
from tests.orgkit import hit, local, shadowai, summary, write_log, write_org


def test_a_month_of_proxy_challenges_only_reports_zero_use(tmp_path: Path) -> None:
    # Every line is the proxy asking for credentials (407, no user yet): the month has a
    # file and days, but no usage line; its figures are zeros, not made up.
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    lines = [
        native(local(2026, 10, day), "10.9.0.1", "TCP_DENIED/407", 0, "CONNECT", "chatgpt.com:443")
        for day in (5, 6)
    ]
    log = write_log(tmp_path / "logs" / "access.log", lines)
    result = shadowai(config, "run", "--month", "2026-10", str(log))
    assert result.exit_code == 0, result.output
    model = summary(config, "2026-10")
    assert model["totals"] == {
        "ai_requests": 0,
        "ai_episodes": 0,
        "ai_people": 0,
        "blocked_requests": 0,
        "active_people": 0,
        "headcount": None,
        "share_of_active": None,
        "share_of_headcount": None,
        "sanctioned_share": None,
        "eu_share": None,
    }
    assert model["departments"] == [] and model["services"] == []
    assert model["addresses"] == {
        "counted_apart": False,
        "lines_with_user_share": None,
        "active": 0,
        "ai_people": 0,
        "ai_requests": 0,
        "ai_episodes": 0,
    }
    assert model["quality"]["file_count"] == 1 and model["quality"]["days_with_data"] == 2
    assert model["quality"]["not_usage"] == 2
    assert model["quality"]["not_usage_by_reason"] == {
        "proxy authentication challenge (407, no user)": 2
    }


GATEWAY = """[catalog]
[catalog.domains]
"gw.intra.example.fr" = "org-gw"
[[catalog.services]]
id = "org-gw"
name = "Passerelle"
vendor = "Département"
category = "api-platform"
jurisdiction = "FR"
"""


def test_a_service_gone_from_the_catalog_keeps_its_stored_use(tmp_path: Path) -> None:
    # October was ingested while the organisation declared its gateway; the declaration
    # is then removed. October's report still counts that use, under the service's id,
    # with nothing claimed about it (no vendor, category or jurisdiction).
    users = {"alice": "Finances", "bob": "Finances"}
    config = write_org(tmp_path, k=2, users=users, extra=GATEWAY)
    log = write_log(
        tmp_path / "logs" / "access.log",
        [
            hit(local(2026, 10, 5), "alice", "gw.intra.example.fr"),
            hit(local(2026, 10, 6), "bob", "gw.intra.example.fr"),
            hit(local(2026, 10, 7), "bob", "claude.ai"),
            hit(local(2026, 10, 8), "alice", "claude.ai"),  # k people: Claude is shown
        ],
    )
    assert shadowai(config, "ingest", str(log)).exit_code == 0
    write_org(tmp_path, k=2, users=users)  # the gateway is no longer declared
    result = shadowai(config, "report", "--month", "2026-10")
    assert result.exit_code == 0, result.output
    model = summary(config, "2026-10")
    gone = next(s for s in model["services"] if s["id"] == "org-gw")
    assert gone == {
        "id": "org-gw",
        "name": "org-gw",
        "vendor": None,
        "category": None,
        "jurisdiction": None,
        "sanctioned": False,
        "people": 2,
        "episodes": 2,
        "requests": 2,
        "blocked": 0,
        "bytes_up": None,
        "bytes_down": 2000,
    }
    assert model["totals"]["ai_requests"] == 4 and model["totals"]["ai_people"] == 2
    # the gone service has no risk profile: its use is where training is unknown (Claude
    # trains on consumer inputs by default, domains/risk.csv)
    assert model["risk"]["trains_unknown"] == {"episodes": 2, "share": 0.5}
    assert model["risk"]["trains_by_default"] == {"episodes": 2, "share": 0.5}
    # every line names its user: no address is counted apart
    assert model["addresses"] == {
        "counted_apart": False,
        "lines_with_user_share": 1.0,
        "active": 0,
        "ai_people": 0,
        "ai_requests": 0,
        "ai_episodes": 0,
    }


def test_a_summary_kept_by_an_old_release_shows_files_by_label_only() -> None:
    # shadowai < 0.2 kept file names (one may be a person's: jean.dupont.log) in the
    # summaries that outlive a month's close: reports show them by label.
    kept = {
        "month": "2026-03",
        "quality": {
            "files": [
                {"name": "/var/log/proxy/jean.dupont.log", "format": "squid-native"},
                {"name": "zscaler-nss #7", "format": "zscaler-nss"},
            ],
            "skipped": [{"name": "/var/log/proxy/notes.txt", "reason": "not a log"}],
        },
    }
    shown = metrics.neutral_file_names(kept)
    assert shown == {
        "month": "2026-03",
        "quality": {
            "files": [
                {"name": "squid-native #1", "format": "squid-native"},
                {"name": "zscaler-nss #7", "format": "zscaler-nss"},
            ],
            "skipped": [{"name": "#1", "reason": "not a log"}],
        },
    }
    assert metrics.neutral_file_names({"month": "2026-03"}) == {"month": "2026-03"}


ZEEK_HEADER = """#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tdns
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool"""


def _lookup(day: int, client: str) -> str:
    when = local(2026, 10, day).timestamp()
    return "\t".join(
        [
            f"{when:.6f}",
            f"C{day}{client[-1]}",
            client,
            "40000",
            "10.0.0.53",
            "53",
            "udp",
            "1",
            "0.01",
            "chatgpt.com",
            "1",
            "C_INTERNET",
            "1",
            "A",
            "0",
            "NOERROR",
            "F",
            "F",
            "T",
            "T",
            "0",
            "203.0.113.40",
            "60.0",
            "F",
        ]
    )


def test_each_counting_unit_shows_its_own_people(tmp_path: Path) -> None:
    # Proxy requests (2 people) are the source of record; DNS lookups (3 client
    # addresses) are listed apart with their own figures, never the headline's. Lines are
    # the file's lines (the 7 of Zeek's header included).
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances"})
    proxy = write_log(
        tmp_path / "logs" / "access.log",
        [
            hit(local(2026, 10, 5), "alice", "claude.ai"),
            hit(local(2026, 10, 6), "bob", "claude.ai"),
        ],
    )
    dns = write_log(
        tmp_path / "logs" / "dns.log",
        [
            ZEEK_HEADER,
            *(_lookup(day, f"10.1.0.{n}") for day, n in ((5, 1), (6, 2), (7, 3), (8, 3))),
        ],
    )
    result = shadowai(config, "run", "--month", "2026-10", str(proxy), str(dns))
    assert result.exit_code == 0, result.output
    model = summary(config, "2026-10")
    # each file says why its lines were not events: the 7 lines of Zeek's header
    reasons = {f["format"]: f["not_event_by_reason"] for f in model["quality"]["files"]}
    assert reasons == {"squid-native": {}, "zeek-dns": {"not an event: zeek header": 7}}
    units = {u["unit"]: u for u in model["units"]}
    assert units == {
        "proxy request": {
            "unit": "proxy request",
            "files": 1,
            "lines": 2,
            "ai_people": 2,
            "ai_requests": 2,
            "source_of_record": True,
        },
        "DNS lookup": {
            "unit": "DNS lookup",
            "files": 1,
            "lines": 7 + 4,
            "ai_people": 3,
            "ai_requests": 4,
            "source_of_record": False,
        },
    }


def test_categories_tied_on_episodes_list_the_busier_first_and_unused_sanctioned_is_zero(
    tmp_path: Path,
) -> None:
    # Two episodes each (alice and bob: k people each): ChatGPT (chat, US) with 3 requests
    # in ten minutes then 1, DeepL (translation, EU) with 1 each. The approved Le Chat is
    # not used this month.
    config = write_org(
        tmp_path,
        k=2,
        users={"alice": "Finances", "bob": "Finances"},
        extra='[catalog]\nsanctioned = ["mistral-le-chat"]\n',
    )
    log = write_log(
        tmp_path / "logs" / "access.log",
        [
            *(
                hit(local(2026, 10, 5, 10, minute), "alice", "openai-chatgpt")
                for minute in (0, 5, 10)
            ),
            hit(local(2026, 10, 5, 12), "bob", "openai-chatgpt"),
            hit(local(2026, 10, 6), "bob", "deepl-translator"),
            hit(local(2026, 10, 6), "alice", "deepl-translator"),
        ],
    )
    result = shadowai(config, "run", "--month", "2026-10", str(log))
    assert result.exit_code == 0, result.output
    model = summary(config, "2026-10")
    assert [(c["id"], c["episodes"], c["requests"]) for c in model["categories"]] == [
        ("chat-assistant", 2, 4),
        ("translation", 2, 2),
    ]
    assert [(j["id"], j["episodes"], j["requests"]) for j in model["jurisdictions"]] == [
        ("US", 2, 4),
        ("EU", 2, 2),
    ]
    assert model["sanctioned"] == {
        "services": ["mistral-le-chat"],
        "sanctioned": {"people": 0, "episodes": 0, "requests": 0},
        "shadow": {"people": 2, "episodes": 4, "requests": 6},
    }
    assert model["totals"]["sanctioned_share"] == 0.0


ANON = "-"  # a Squid line without an authenticated user


@pytest.mark.parametrize(
    ("lines", "addresses"),
    [
        # 3 of 4 lines name their user: people are users, the bare address is counted apart
        (
            [("alice", "10.9.0.1")] * 3 + [(ANON, "10.9.0.7")],
            {
                "counted_apart": True,
                "lines_with_user_share": 0.75,
                "active": 1,
                "ai_people": None,  # one address: none of its counts either
                "ai_requests": None,
                "ai_episodes": None,
            },
        ),
        # no line names a user: addresses are the unit every figure counts
        (
            [(ANON, "10.9.0.7"), (ANON, "10.9.0.8")],
            {
                "counted_apart": False,
                "lines_with_user_share": 0.0,
                "active": 2,
                "ai_people": 2,
                "ai_requests": 2,
                "ai_episodes": 2,
            },
        ),
    ],
)
def test_the_share_of_lines_with_a_user_decides_who_is_counted(
    tmp_path: Path, lines: list[tuple[str, str]], addresses: dict
) -> None:
    config = write_org(tmp_path, k=2, users={"alice": "Finances"})
    log = write_log(
        tmp_path / "logs" / "access.log",
        [
            hit(local(2026, 10, day + 1), user, "openai-chatgpt", client=client)
            for day, (user, client) in enumerate(lines)
        ],
    )
    result = shadowai(config, "run", "--month", "2026-10", str(log))
    assert result.exit_code == 0, result.output
    model = summary(config, "2026-10")
    assert model["addresses"] == addresses
    # the directory coverage by kind of identity: every kind listed, zeros included
    by_kind = model["quality"]["directory_coverage"]["by_kind"]
    assert list(by_kind) == ["user", "address", "unknown"]
    assert by_kind["unknown"] == {"users": 0, "networks": 0, "unassigned": 0, "unknown": 0}


def test_file_names_are_shown_only_for_files_with_at_least_k_people(tmp_path: Path) -> None:
    # [report] show_file_names: a file is named (its last two path parts) when it holds
    # the AI use of at least k people; otherwise it keeps its neutral label.
    config = write_org(
        tmp_path,
        k=2,
        users={"alice": "Finances", "bob": "Finances"},
        extra="show_file_names = true\n",
    )
    shared = write_log(
        tmp_path / "logs" / "proxy" / "access.log",
        [
            hit(local(2026, 10, 5), "alice", "claude.ai"),
            hit(local(2026, 10, 6), "bob", "claude.ai"),
        ],
    )
    alone = write_log(
        tmp_path / "logs" / "alice" / "alice.log", [hit(local(2026, 10, 7), "alice", "claude.ai")]
    )
    result = shadowai(config, "run", "--month", "2026-10", str(shared), str(alone))
    assert result.exit_code == 0, result.output
    names = sorted(f["name"] for f in summary(config, "2026-10")["quality"]["files"])
    assert names == ["proxy/access.log", "squid-native #2"]


def test_unassigned_people_folded_with_small_departments_are_not_their_staff(
    tmp_path: Path,
) -> None:
    # k = 2. Routes (bob, carol) is shown; Finances (alice; dave browses elsewhere) and
    # zoe, who is in no map, are folded together. The folded group's active people are
    # the Finances staff only, and it gets no adoption rate.
    users = {"alice": "Finances", "dave": "Finances", "bob": "Routes", "carol": "Routes"}
    config = write_org(tmp_path, k=2, users=users)
    log = write_log(
        tmp_path / "logs" / "access.log",
        [
            hit(local(2026, 10, 5), "alice", "claude.ai"),
            hit(local(2026, 10, 6), "zoe", "claude.ai"),
            hit(local(2026, 10, 7), "bob", "claude.ai"),
            hit(local(2026, 10, 8), "carol", "claude.ai"),
            hit(local(2026, 10, 9), "dave", "www.example.org"),
        ],
    )
    result = shadowai(config, "run", "--month", "2026-10", str(log))
    assert result.exit_code == 0, result.output
    other = next(d for d in summary(config, "2026-10")["departments"] if d["other"])
    assert other["includes_unassigned"] and other["folded_names"] == ["Finances"]
    assert (other["people"], other["active_people"]) == (2, 2)
    assert other["adoption_rate"] is None and other["share_of_active"] is None


def test_the_risk_rows_show_secnumcloud_and_the_laws_of_the_vendors_country(
    tmp_path: Path,
) -> None:
    # Le Chat (FR): its stored SecNumCloud status (unknown), no extraterritorial law.
    # BotHub (OTHER, notes "Russia; ..."): SecNumCloud no by rule, Russia's laws.
    config = write_org(tmp_path, k=2, users={"alice": "Finances", "bob": "Finances"})
    log = write_log(
        tmp_path / "logs" / "access.log",
        [
            hit(local(2026, 10, 5), "alice", "chat.mistral.ai"),
            hit(local(2026, 10, 6), "bob", "bothub.chat"),
        ],
    )
    result = shadowai(config, "run", "--month", "2026-10", str(log))
    assert result.exit_code == 0, result.output
    (chat,) = [
        c for c in summary(config, "2026-10")["risk"]["categories"] if c["id"] == "chat-assistant"
    ]
    rows = {s["id"]: (s["secnumcloud"], s["laws"]) for s in chat["services"]}
    assert rows == {
        "mistral-le-chat": ("unknown", []),
        "bothub-chat": ("no", ["Federal Law 374-FZ (Yarovaya law)", "SORM interception system"]),
    }
