"""Departments: user map first, then networks (most specific first), else unassigned."""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowai.directory import UNASSIGNED, Directory, normalise_user
from shadowai.errors import DirectoryError


@pytest.mark.parametrize("raw, expected", [
    ("jdupont", "jdupont"), ("JDupont", "jdupont"), ("CORP\\jdupont", "jdupont"),
    ("jdupont@CORP.EXAMPLE", "jdupont"), (" jdupont ", "jdupont"), ("-", None), ("", None),
    (None, None), ("Élodie", "élodie"), ("E\u0301lodie", "élodie"),
])
def test_user_names_fold_to_one_identity(raw: str | None, expected: str | None) -> None:
    assert normalise_user(raw) == expected


def test_user_map_first_then_longest_network(tmp_path: Path) -> None:
    users = tmp_path / "users.csv"
    users.write_text("user,department\nalice,Finances\n")
    nets = tmp_path / "networks.csv"
    nets.write_text("cidr,department\n10.0.0.0/8,Siège\n10.2.0.0/16,Routes\n"
                    "10.2.9.0/24,Laboratoire\n2001:db8::/32,Routes\n")
    d = Directory.load(users, nets, None)
    assert d.department("alice", "10.2.9.1") == "Finances"
    assert d.department(None, "10.2.9.1") == "Laboratoire"
    assert d.department(None, "10.2.8.1") == "Routes"
    assert d.department("unknown", "10.9.9.9") == "Siège"
    assert d.department(None, "2001:db8::1") == "Routes"
    assert d.department(None, "192.0.2.1") == UNASSIGNED
    assert d.department(None, "not-an-ip") == UNASSIGNED


@pytest.mark.parametrize("content, message", [
    ("cidr,department\n10.0.0.0/33,X\n", r"networks\.csv:2: '10\.0\.0\.0/33' is not a network"),
    ("cidr,dept\n", r"networks\.csv:1: header must be 'cidr,department'"),
    ("cidr,department\n10.0.0.0/8,X,extra\n", r"networks\.csv:2: expected 2 columns"),
])
def test_malformed_maps_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "networks.csv"
    path.write_text(content)
    with pytest.raises(DirectoryError, match=message):
        Directory.load(None, path, None)


def test_headcount_must_be_a_number(tmp_path: Path) -> None:
    path = tmp_path / "headcount.csv"
    path.write_text("department,headcount\nRoutes,12O\n")
    with pytest.raises(DirectoryError, match=r"headcount\.csv:2: headcount '12O'"):
        Directory.load(None, None, path)


def test_ldap_distinguished_names_fold_to_the_common_name() -> None:
    assert normalise_user("CN=Hélène Martin,OU=DSI,DC=cd-exemple,DC=fr") == "hélène martin"
    assert normalise_user("cn=jdupont,ou=Users") == "jdupont"


def test_ldap_escaped_commas_keep_two_people_apart() -> None:
    """RFC 4514: ``\\,`` is a comma inside the name, not the end of the CN. Two Martins
    were one person (``martin``) before."""
    helene = normalise_user("CN=Martin\\, Hélène,OU=DSI,DC=cd-exemple,DC=fr")
    paul = normalise_user("CN=Martin\\, Paul,OU=DSI,DC=cd-exemple,DC=fr")
    assert (helene, paul) == ("martin, hélène", "martin, paul")
    # hex escapes are UTF-8 bytes; the value ends at an unescaped ',' or '+'
    assert normalise_user("CN=H\\C3\\A9l\\C3\\A8ne Martin,OU=DSI") == "hélène martin"
    assert normalise_user("CN=E\\CC\\81lodie,OU=DSI") == normalise_user("Élodie")
    assert normalise_user("CN=jdupont+UID=42,OU=Users") == "jdupont"
    assert normalise_user("CN=Dupont\\+Fils\\\\SA,OU=X") == "dupont+fils\\sa"


def test_ldap_namesakes_are_two_people_in_the_report(tmp_path: Path) -> None:
    """Through the real CLI: the two Martins of the same department count as two."""
    from tests.orgkit import ecs_hit, local, run_month, write_log, write_org

    config = write_org(tmp_path, k=2, networks="cidr,department\n10.9.0.0/16,DSI\n")
    log = write_log(tmp_path / "access.json", [
        ecs_hit(local(2026, 10, 5), "CN=Martin\\, Hélène,OU=DSI,DC=cd-exemple,DC=fr",
                "openai-chatgpt"),
        ecs_hit(local(2026, 10, 6), "CN=Martin\\, Paul,OU=DSI,DC=cd-exemple,DC=fr",
                "openai-chatgpt"),
    ])
    model = run_month(config, "2026-10", log)
    assert model["totals"]["ai_people"] == 2
    assert [(d["name"], d["people"]) for d in model["departments"]] == [("DSI", 2)]


def test_blank_and_comment_lines_in_the_middle_of_a_map_are_skipped(tmp_path: Path) -> None:
    """Everyone after a blank or '#' line is still resolved (not "unassigned")."""
    users = tmp_path / "users.csv"
    users.write_text("user,department\nalice,Finances\n\n# agents arrivés en octobre\n"
                     "bob,Routes\n ,\n#carol,Culture\ndave,Culture\n", encoding="utf-8")
    nets = tmp_path / "networks.csv"
    nets.write_text("cidr,department\n# sites\n\n10.1.0.0/16,Finances\n\n10.2.0.0/16,Routes\n",
                    encoding="utf-8")
    heads = tmp_path / "headcount.csv"
    heads.write_text("department,headcount\n\nFinances,40\n# pending\nRoutes,120\n",
                     encoding="utf-8")
    d = Directory.load(users, nets, heads)
    assert d.users == {"alice": "Finances", "bob": "Routes", "dave": "Culture"}
    assert d.department("dave", None) == "Culture"
    assert d.department("carol", None) == UNASSIGNED  # commented out
    assert d.department(None, "10.2.0.1") == "Routes"
    assert d.headcount == {"Finances": 40, "Routes": 120}


def test_ipv6_prefix_with_an_odd_last_bit(tmp_path: Path) -> None:
    """2001:db8:43::/48 ends in a 1 bit: a mask one bit short or long misses it."""
    nets = tmp_path / "networks.csv"
    nets.write_text("cidr,department\n2001:db8:43::/48,Routes\n2001:db8::/32,Siège\n"
                    "10.3.0.0/16,Finances\n10.0.0.0/8,Siège\n")
    d = Directory.load(None, nets, None)
    assert d.department(None, "2001:db8:43::") == "Routes"
    assert d.department(None, "2001:db8:43::1") == "Routes"
    assert d.department(None, "2001:db8:43:ffff:ffff:ffff:ffff:ffff") == "Routes"
    assert d.department(None, "2001:db8:42:ffff:ffff:ffff:ffff:ffff") == "Siège"
    assert d.department(None, "2001:db8:44::") == "Siège"
    assert d.department(None, "2001:db9::1") == UNASSIGNED
    # IPv4 /16 ending in a 1 bit, just inside and just outside
    assert d.department(None, "10.3.0.0") == "Finances"
    assert d.department(None, "10.3.255.255") == "Finances"
    assert d.department(None, "10.2.255.255") == "Siège"
    assert d.department(None, "10.4.0.0") == "Siège"
    # an IPv4 address never matches an IPv6 network of the same integer value
    assert d.department(None, "0.0.0.1") == UNASSIGNED


def test_bracketed_ipv6_clients_resolve_like_plain_ones(tmp_path: Path) -> None:
    nets = tmp_path / "networks.csv"
    nets.write_text("cidr,department\n2001:db8::/48,Routes\n")
    d = Directory.load(None, nets, None)
    assert d.department(None, "[2001:db8::1]") == "Routes"
    assert d.department(None, "2001:db8::1") == "Routes"
    assert d.department(None, "[2001:db8:1::1]") == UNASSIGNED


@pytest.mark.parametrize("row", ["alice,", ",Finances", "alice,  ", "-,Finances"])
def test_a_row_without_user_or_department_is_refused(tmp_path: Path, row: str) -> None:
    users = tmp_path / "users.csv"
    users.write_text(f"user,department\nbob,Routes\n{row}\n")
    with pytest.raises(DirectoryError, match=r"users\.csv:3: empty user or department"):
        Directory.load(users, None, None)


def test_an_empty_department_stops_the_cli_with_file_and_line(tmp_path: Path) -> None:
    from tests.orgkit import shadowai, write_org

    config = write_org(tmp_path, k=2, users={"bob": "Routes", "alice": ""})
    log = tmp_path / "access.log"
    log.write_text("")
    result = shadowai(config, "ingest", str(log))
    assert result.exit_code == 1
    assert "users.csv:3: empty user or department" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    nets = tmp_path / "networks.csv"
    nets.write_text("cidr,department\n10.0.0.0/8,\n")
    with pytest.raises(DirectoryError, match=r"networks\.csv:2: empty department"):
        Directory.load(None, nets, None)
