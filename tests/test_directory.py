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
    assert normalise_user("CN=Xavier Dupont,OU=X") == "xavier dupont"
    assert normalise_user("CN=H\\c3\\a9l\\c3\\a8ne,OU=X") == "hélène"  # hex in lower case
    assert normalise_user("CN=Dupont\\Xavier,OU=X") == "dupontxavier"  # needless escape
    assert normalise_user("CN=Dupont\\,") == "dupont,"  # an escape as the last character
    assert normalise_user("CN=Dupont\\") == "dupont\\"  # a lone trailing backslash is kept
    assert normalise_user("CN=Dupont\\FF,OU=X") == "dupont\ufffd"  # not UTF-8: no crash


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


@pytest.mark.parametrize("raw, expected", [
    ("cn=jdupont,ou=Users", "jdupont"), ("Cn=JDupont,OU=Users", "jdupont"),
    ("CN= Hélène Martin ,OU=DSI", "hélène martin"), ("CN=,OU=DSI", None),
    ("CN=", None), ("cnjdupont", "cnjdupont"), ("CORP\\SUB\\jdupont", "jdupont"),
    ("jdupont@corp@example", "jdupont"), ("CORP\\jdupont@corp.example", "jdupont"),
    ("  -  ", None),
])
def test_more_spellings_of_one_identity(raw: str, expected: str | None) -> None:
    assert normalise_user(raw) == expected


def test_maps_are_trimmed_case_insensitive_in_headers_and_accept_a_bom(tmp_path: Path) -> None:
    users = tmp_path / "users.csv"
    users.write_text("\ufeff User , DEPARTMENT \n Alice , Finances \n"
                     "# a note, with, commas\nCORP\\Bob,Routes\n", encoding="utf-8")
    nets = tmp_path / "networks.csv"
    nets.write_text("cidr,department\n10.1.2.3/16,Finances\n")  # host bits are dropped
    d = Directory.load(users, nets, None)
    assert d.users == {"alice": "Finances", "bob": "Routes"}
    assert d.department("alice", None) == "Finances"
    assert d.department(None, "10.1.200.1") == "Finances"
    assert d.department("nobody", None) == UNASSIGNED  # networks loaded, no client address
    assert d.department("", "") == UNASSIGNED
    assert Directory.load(None, None, None).department(None, "10.1.0.1") == UNASSIGNED


@pytest.mark.parametrize("name, content, message", [
    ("users.csv", "", "users.csv:1: header must be 'user,department' (found '')."),
    ("users.csv", "user\nalice\n", "users.csv:1: header must be 'user,department' "
                                   "(found 'user')."),
    ("networks.csv", "cidr,dept\n", "networks.csv:1: header must be 'cidr,department' "
                                   "(found 'cidr,dept')."),
    ("users.csv", "user,department\nalice\n",
     "users.csv:2: expected 2 columns (user,department), found 1."),
    ("networks.csv", "cidr,department\n\n10.0.0.300/8,X\n",
     "networks.csv:3: '10.0.0.300/8' is not a network (expected e.g. 10.12.0.0/16)."),
    ("networks.csv", "cidr,department\n10.0.0.0/8, \n", "networks.csv:2: empty department."),
    ("headcount.csv", "department,headcount\nRoutes,-3\n",
     "headcount.csv:2: headcount '-3' is not a whole number."),
    ("headcount.csv", "department,headcount\nRoutes,12,1\n",
     "headcount.csv:2: expected 2 columns (department,headcount), found 3."),
])
def test_map_errors_say_file_line_and_what_is_expected(tmp_path: Path, name: str,
                                                       content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    kind = name.split(".")[0]
    args = {"users": None, "networks": None, "headcount": None, kind: path}
    with pytest.raises(DirectoryError) as err:
        Directory.load(args["users"], args["networks"], args["headcount"])
    assert str(err.value) == f"{tmp_path}/{message}"


def test_unreadable_maps_are_one_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    with pytest.raises(DirectoryError) as err:
        Directory.load(missing, None, None)
    assert str(err.value) == (f"{missing}: cannot read (No such file or directory). "
                              "Fix [directory] in the config.")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("user,department\nhélène,Finances\n".encode("latin-1"))
    with pytest.raises(DirectoryError) as err:
        Directory.load(latin, None, None)
    assert str(err.value) == f"{latin}: not UTF-8 text. Save it as UTF-8 CSV."
    headcount = tmp_path / "headcount.csv"
    headcount.write_text("department,headcount\nRoutes, 120 \n")
    assert Directory.load(None, None, headcount).headcount == {"Routes": 120}
