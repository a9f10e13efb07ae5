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
