"""Directory behaviour that mutation testing showed no selected test pinned (issue 16):
the warnings that name a department the maps spell differently, with the suggestion the
operator reads (a misspelling or an acronym such as DSI). Real map files."""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowai.directory import Directory, acronym, close_match

DSI = "Direction des systèmes d'information"


def _maps(tmp_path: Path, users: str, networks: str, headcount: str) -> Directory:
    paths = []
    for name, body in (("users", users), ("networks", networks), ("headcount", headcount)):
        path = tmp_path / f"{name}.csv"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return Directory.load(*paths)


def test_maps_that_spell_departments_differently_are_named_with_a_suggestion(
    tmp_path: Path,
) -> None:
    directory = _maps(
        tmp_path,
        "user,department\nalice,Finances\nbob,DSI\ncarol,Voirie\n",
        "cidr,department\n10.1.0.0/16,Routes\n",
        f"department,headcount\nFinnances,40\n{DSI},12\nRoutes,30\nCulture,8\n",
    )
    assert directory.check() == [
        "department 'Culture' is in the headcount map but not in the users/networks map.",
        f"department {DSI!r} is in the headcount map but not in the users/networks map; "
        "did you mean 'DSI'?",
        "department 'Finnances' is in the headcount map but not in the users/networks map; "
        "did you mean 'Finances'?",
        f"department 'DSI' is in the users/networks map but not in the headcount map; "
        f"did you mean {DSI!r}?",
        "department 'Finances' is in the users/networks map but not in the headcount map; "
        "did you mean 'Finnances'?",
        "department 'Voirie' is in the users/networks map but not in the headcount map.",
    ]
    assert directory.mismatches()[0] == {
        "name": "Culture",
        "found_in": "headcount",
        "missing_from": "users/networks",
        "suggestion": None,
    }


@pytest.mark.parametrize(
    ("users", "headcount"),
    [
        ("user,department\n", "department,headcount\nFinances,4\n"),
        ("user,department\nalice,Finances\n", "department,headcount\n"),
    ],
)
def test_no_mismatch_is_claimed_when_one_side_is_empty(
    tmp_path: Path, users: str, headcount: str
) -> None:
    directory = _maps(tmp_path, users, "cidr,department\n", headcount)
    assert directory.mismatches() == [] and directory.check() == []


def test_networks_alone_are_compared_with_the_headcount(tmp_path: Path) -> None:
    directory = _maps(
        tmp_path,
        "user,department\n",
        "cidr,department\n10.0.0.0/8,Routes\n",
        "department,headcount\nRoutes,3\n",
    )
    assert directory.mismatches() == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (DSI, "DSI"),
        ("Direction de l\u2019eau et des forêts", "DEF"),  # typographic apostrophe
        ("Ressources-Humaines", "RH"),
        ("Direction DES Routes", "DR"),  # stop words in any case
        ("pôle éducation", "PÉ"),
    ],
)
def test_acronym_of_a_department_name(name: str, expected: str) -> None:
    assert acronym(name) == expected


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("FINANCES", {"Finances", "Routes"}, "Finances"),  # case is no difference
        ("Financs", {"Finances", "Routes"}, "Finances"),  # one letter missing
        ("D.S.I.", {DSI, "Routes"}, DSI),  # acronym with dots
        (DSI, {"D.S.I", "Routes"}, "D.S.I"),  # the other way round
        ("DR", {"Direction des routes", "Direction régionale"}, None),  # ambiguous
        ("R", {"Routes", "Culture"}, None),  # one letter says nothing
        ("DR", {"Direction des routes", "Culture"}, "Direction des routes"),
        ("Culture", {"Finances", "Routes"}, None),
        ("Finances", {"France", "Routes"}, None),  # alike (ratio 0.71), another name
    ],
)
def test_close_match(name: str, candidates: set[str], expected: str | None) -> None:
    assert close_match(name, candidates) == expected


def test_a_network_listed_twice_is_warned_about_and_the_first_line_wins(
    tmp_path: Path,
) -> None:
    directory = _maps(
        tmp_path,
        "user,department\n",
        "cidr,department\n10.1.0.0/16,Routes\n10.1.0.7/16,Voirie\n",
        "department,headcount\n",
    )
    assert directory.warnings == [
        f"{tmp_path / 'networks.csv'}:3: network 10.1.0.0/16 is listed again; the first "
        "line wins ('Routes')."
    ]
    assert directory.department(None, "10.1.2.3") == "Routes"
