"""No raw user name or client IP from the inputs reaches the store, the HTML, the JSON or
the CSV exports."""

from __future__ import annotations

import csv
import gzip
import re

import duckdb

from tests.conftest import DEMO

MIN_LEN = 4  # shorter names would match ordinary words by chance


def identities() -> set[str]:
    """Every user name and client IP of the demo, as written in its maps and logs."""
    with open(DEMO / "users.csv", encoding="utf-8") as fh:
        users = {row["user"] for row in csv.DictReader(fh)}
    ips = set()
    for path in (DEMO / "logs").rglob("*.gz"):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            for i, line in enumerate(fh):
                if i > 5000:
                    break
                ips.update(re.findall(r"\b10\.\d+\.\d+\.\d+\b|\b2001:db8:[0-9a-f:]+\b", line))
    assert len(users) > 1000 and len(ips) > 500
    return {x for x in users | ips if len(x) >= MIN_LEN}


def store_text(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        parts = []
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables")\
                .fetchall():
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                parts.append(" ".join(str(v) for v in row))
        return "\n".join(parts)
    finally:
        con.close()


def assert_absent(text: str, where: str, secrets: set[str]) -> None:
    tokens = set(re.findall(r"[A-Za-z0-9_.:\\@-]+", text))
    leaked = sorted(s for s in secrets if s in tokens or s.lower() in tokens)
    assert not leaked, f"{where} contains raw identities: {leaked[:5]}"


def test_no_raw_identity_in_store_or_outputs(demo) -> None:
    secrets = identities()
    assert_absent(store_text(demo["store"]), "store", secrets)
    for folder in (demo["fr"], demo["en"]):
        outputs = list(folder.iterdir())
        assert {p.name for p in outputs} >= {"index.html", "summary.json", "services.csv",
                                            "departments.csv"}
        assert "report.xlsx" in {p.name for p in outputs}
        for path in outputs:
            assert_absent(output_text(path), str(path), secrets)


def output_text(path) -> str:
    """A report output as text; a workbook is a zip of XML parts, all of them read."""
    if path.suffix == ".xlsx":
        import zipfile

        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    return path.read_text(encoding="utf-8")


def test_the_check_itself_finds_a_leak(demo) -> None:
    """Guard against a scan that can never fail."""
    secrets = identities()
    some_user = sorted(s for s in secrets if not s[0].isdigit())[0]
    try:
        assert_absent(f"<td>{some_user}</td>", "crafted", secrets)
    except AssertionError:
        return
    raise AssertionError("a planted user name was not detected")
