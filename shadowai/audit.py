"""``shadowai audit``: what the store holds right now, and the checks that no column of it
holds a raw identity. Read-only: it opens the store read-only and never touches the key
ring, so a staff representative or an auditor can run it without changing anything.

What the checks prove, and their limits (also printed with the results):

- ``schema``: the store's tables and columns are exactly those shadowai's migrations
  create (computed by running them on an empty database), so no column was added that
  the other checks do not know of.
- ``pseudonyms``: every value of every person column (:data:`PERSON_COLUMNS`) is a keyed
  pseudonym: 16 lower-case hex characters, the shape of an HMAC output, never a login or
  an address.
- ``logins``: no text value of any table (file paths, summaries and meta included) is, or
  contains as a whole word, a login of the users map. Limit: only the logins of that map
  are known; a login that is also a word of the catalog or a department name cannot be
  told apart from it and is left out (their number is stated).
- ``addresses``: no text value of any table holds an IP address of the client networks
  of the networks map (without a networks map: any private, loopback or link-local one).
- ``closed``: closed months keep no person row, their keys are gone from the key ring,
  and their files are known by label only.
- ``key_ring``: the folder and every key are readable by their owner only.

None of this says anything about an open month's pseudonyms against their key: whoever
holds the key ring and the logins (the operator) can recompute them until the close.
"""

from __future__ import annotations

import ipaddress
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import duckdb

from shadowai.catalog import Catalog
from shadowai.directory import Directory
from shadowai.pseudonym import KeyRing
from shadowai.store import OFFLINE, Store, _migrations

#: Columns that hold a person (a keyed pseudonym of a login or a client address).
PERSON_COLUMNS = (("ai_daily", "pseudonym"), ("traffic_daily", "pseudonym"),
                  ("dns_answers", "client"))
PERSON_TABLES = tuple(sorted({t for t, _ in PERSON_COLUMNS}))
_PSEUDONYM = re.compile(r"^[0-9a-f]{16}$")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![0-9a-fA-F:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}"
                   r"(?![0-9a-fA-F:])")
#: What the checks do not prove, stated with every audit.
LIMITS = [
    "While a month is open, whoever holds the key ring and the logins (the operator) can "
    "recompute its pseudonyms and so link its rows to people; closing the month ends that.",
    "Logins are checked against the users map only; a login absent from it is caught in "
    "person columns (not a pseudonym) but not inside free text.",
]
#: What each table is for, as the audit states it.
HOLDS = {
    "meta": "schema version, months purged",
    "files": "input files: format, size, line counts, first/last day; a path while one of "
             "its months is open, a label (format #n) once they are all closed",
    "file_lines": "rejected and not-usage line counts per file, reason and month",
    "file_days": "events per file and day",
    "file_signatures": "cheap signatures of files already read (hashes)",
    "superseded": "content hashes of files replaced by a longer version",
    "ai_daily": "AI use per day, department, PSEUDONYM, service and host (open months)",
    "traffic_daily": "activity per day, department and PSEUDONYM (open months)",
    "dns_answers": "DNS answers for catalogued hosts per PSEUDONYM of the client (open "
                   "months)",
    "candidates": "AI-looking hosts not in the catalog, request counts; nobody attached",
    "month_summaries": "each month's k-anonymous summary (summary.json)",
    "month_keys": "a check value of each month's key (never the key)",
    "closed_months": "closed months, when, and how many person rows were removed",
    "month_headcounts": "the headcount per department each month was reported with",
    "skipped_files": "files the last ingest skipped (not logs): a number and the reason",
}


@dataclass
class Check:
    id: str
    ok: bool
    proves: str
    detail: str = ""
    findings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ok": self.ok, "proves": self.proves, "detail": self.detail,
                "findings": self.findings}


def expected_schema() -> dict[str, list[tuple[str, str]]]:
    """Tables and columns (name, type) that shadowai's migrations create."""
    con = duckdb.connect(":memory:", config=OFFLINE)
    try:
        for _number, sql in _migrations():
            con.execute(sql)
        return _schema(con)
    finally:
        con.close()


def _schema(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
        out.setdefault(table, []).append((column, kind))
    return out


def run(store: Store, ring: KeyRing, directory: Directory,
        catalog: Catalog | None = None) -> dict[str, Any]:
    """The audit as plain data: store, tables, months, key ring, checks and ``ok``."""
    con = store.con
    schema = _schema(con)
    closed = store.closed_months()
    purged = set(store.purged_months())
    tables = [_table(con, name, columns) for name, columns in schema.items()]
    months = sorted({m for t in tables for m in t["rows_by_month"]}
                    | set(closed) | set(store.key_checks()) | set(ring.months()))
    summaries = {r[0] for r in store.rows("SELECT month FROM month_summaries")}
    person_rows = {m: sum(t["rows_by_month"].get(m, 0) for t in tables
                          if t["name"] in PERSON_TABLES) for m in months}
    month_rows = [{
        "month": m,
        "state": "closed" if m in closed else "purged" if m in purged else "open",
        "closed_at": closed[m].replace(microsecond=0).isoformat() if m in closed else None,
        "rows_removed_at_close": _removed(store, m),
        "person_rows": person_rows[m],
        "summary_kept": m in summaries,
        "key_in_ring": ring.path(m).exists(),
    } for m in months]
    keys = _key_ring(ring)
    checks = [
        _check_schema(schema),
        _check_pseudonyms(con, schema),
        *_check_values(con, schema, directory, catalog),
        _check_closed(store, month_rows),
        _check_ring(keys),
    ]
    return {
        "store": {"path": str(store.path), "schema_version": store.schema_version(),
                  "bytes": store.path.stat().st_size if store.path.exists() else 0},
        "tables": tables,
        "months": month_rows,
        "key_ring": keys,
        "checks": [c.as_dict() for c in checks],
        "ok": all(c.ok for c in checks),
        "limits": LIMITS,
    }


def _removed(store: Store, month: str) -> int | None:
    rows = store.rows("SELECT rows_removed FROM closed_months WHERE month = ?", [month])
    return int(rows[0][0]) if rows else None


def _table(con: duckdb.DuckDBPyConnection, name: str,
           columns: list[tuple[str, str]]) -> dict[str, Any]:
    names = [c for c, _ in columns]
    rows = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
    by_month: dict[str, int] = {}
    month = ("strftime(day, '%Y-%m')" if "day" in names else
             "month" if "month" in names else None)
    if month:
        by_month = {m: int(n) for m, n in con.execute(
            f'SELECT {month} AS m, count(*) FROM "{name}" WHERE m IS NOT NULL '
            "GROUP BY m ORDER BY m").fetchall()}
    return {"name": name, "holds": HOLDS.get(name, "(not a shadowai table)"),
            "columns": [{"name": c, "type": t} for c, t in columns],
            "rows": int(rows), "rows_by_month": by_month}


def _check_schema(schema: dict[str, list[tuple[str, str]]]) -> Check:
    expected = expected_schema()
    findings = []
    for table in sorted(set(schema) | set(expected)):
        have, want = schema.get(table), expected.get(table)
        if have is None:
            findings.append(f"table {table} is missing")
        elif want is None:
            findings.append(f"table {table} is not one of shadowai's")
        else:
            for column, kind in sorted(set(have) - set(want)):
                findings.append(f"{table}.{column} ({kind}) is not one of shadowai's columns")
            for column, kind in sorted(set(want) - set(have)):
                findings.append(f"{table}.{column} ({kind}) is missing")
    columns = sum(len(c) for c in schema.values())
    return Check("schema", not findings,
                 "the store's tables and columns are exactly those shadowai's migrations "
                 "create: no other column can hold anything",
                 f"{len(schema)} tables, {columns} columns compared", findings)


def _check_pseudonyms(con: duckdb.DuckDBPyConnection,
                      schema: dict[str, list[tuple[str, str]]]) -> Check:
    findings = []
    checked = 0
    for table, column in PERSON_COLUMNS:
        if column not in {c for c, _ in schema.get(table, [])}:
            continue
        values = [r[0] for r in con.execute(
            f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
        ).fetchall()]
        checked += len(values)
        bad = [v for v in values if not _PSEUDONYM.match(v)]
        if bad:
            findings.append(f"{table}.{column}: {len(bad)} value(s) are not pseudonyms "
                            "(not quoted: they may be logins)")
    return Check("pseudonyms", not findings,
                 "every person column (" + ", ".join(f"{t}.{c}" for t, c in PERSON_COLUMNS)
                 + ") holds only keyed pseudonyms (16 hex characters), never a login or an "
                 "address", f"{checked:,} distinct values checked", findings)


def _text_values(con: duckdb.DuckDBPyConnection,
                 schema: dict[str, list[tuple[str, str]]]) -> list[tuple[str, list[str]]]:
    """(table.column, distinct values) of every text column of the store."""
    out = []
    for table, columns in schema.items():
        for column, kind in columns:
            if kind == "VARCHAR":
                out.append((f"{table}.{column}", [r[0] for r in con.execute(
                    f'SELECT DISTINCT "{column}" FROM "{table}" '
                    f'WHERE "{column}" IS NOT NULL').fetchall()]))
    return out


def _vocabulary(directory: Directory, catalog: Catalog | None) -> set[str]:
    """Words that are not people: the catalog's and the departments'."""
    words: set[str] = set()
    texts = [*directory.users.values(), *directory.headcount,
             *(d for _, d in directory.networks)]
    if catalog is not None:
        texts += [*catalog.domains, *catalog.services]
        for s in catalog.services.values():
            texts += [s.name, s.vendor, s.category]
    for text in texts:
        lowered = text.casefold()
        words.add(lowered)
        words.update(w for w in re.split(r"[^\w]+", lowered) if w)
        words.update(lowered.split("."))
    return words


def _check_values(con: duckdb.DuckDBPyConnection, schema: dict[str, list[tuple[str, str]]],
                  directory: Directory, catalog: Catalog | None) -> list[Check]:
    values = _text_values(con, schema)
    words = _vocabulary(directory, catalog)
    logins = sorted((u for u in directory.users if u not in words), key=len, reverse=True)
    left_out = len(directory.users) - len(logins)
    login_hits: list[str] = []
    if logins:
        pattern = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, logins)) + r")(?![\w])")
        for where, column in values:
            hits = sum(1 for value in column if pattern.search(value.casefold()))
            if hits:  # counted, never quoted: the audit is read by others than the operator
                login_hits.append(f"{where}: {hits} value(s) hold a login of the users map")
    networks = [n for n, _ in directory.networks]
    address_hits: list[str] = []
    for where, column in values:
        hits = sum(1 for value in column if _client_address(value, networks))
        if hits:
            address_hits.append(f"{where}: {hits} value(s) hold a client address")
    count = sum(len(c) for _, c in values)
    logins_detail = (f"{count:,} distinct text values of {len(values)} columns against "
                     f"{len(logins):,} logins of the users map")
    if left_out:
        logins_detail += (f"; {left_out} login(s) equal to a catalog or department word "
                          "could not be checked")
    scope = (f"the {len(networks)} client networks of the networks map" if networks else
             "private, loopback and link-local ranges (no networks map)")
    return [
        Check("logins", not login_hits,
              "no text value of any table is, or contains as a whole word, a login of the "
              "users map", logins_detail if directory.users else
              "no users map configured: nothing to check logins against", login_hits),
        Check("addresses", not address_hits,
              "no text value of any table holds a client IP address",
              f"{count:,} distinct text values checked against {scope}", address_hits),
    ]


def _client_address(value: str, networks: list[Any]) -> str | None:
    for candidate in [*_IPV4.findall(value), *(m for m in _IPV6.findall(value)
                                               if m.count(":") >= 2)]:
        try:
            ip = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if networks:
            if any(ip.version == n.version and ip in n for n in networks):
                return str(ip)
        elif ip.is_private or ip.is_loopback or ip.is_link_local:
            return str(ip)
    return None


def _check_closed(store: Store, months: list[dict[str, Any]]) -> Check:
    findings = []
    closed = [m for m in months if m["state"] == "closed"]
    for m in closed:
        if m["person_rows"]:
            findings.append(f"{m['month']}: {m['person_rows']} person row(s) left")
        if m["key_in_ring"]:
            findings.append(f"{m['month']}: its key is still in the key ring")
        if not m["summary_kept"]:
            findings.append(f"{m['month']}: no summary kept")
    named = store.rows(
        "SELECT path FROM files WHERE path <> format || ' #' || file_id AND file_id NOT IN "
        "(SELECT file_id FROM file_days WHERE strftime(day, '%Y-%m') NOT IN "
        "(SELECT month FROM closed_months))")
    if named:
        findings.append(f"{len(named)} file(s) of closed months only are still named")
    return Check("closed", not findings,
                 "closed months keep no person row and no key, only their k-anonymous "
                 "summary; their files are known by label only",
                 f"{len(closed)} closed month(s) checked", findings)


def _key_ring(ring: KeyRing) -> dict[str, Any]:
    folder = ring.folder
    mode = stat.S_IMODE(folder.stat().st_mode) if folder.is_dir() else None
    keys = []
    for month in ring.months():
        path = ring.path(month)
        key_mode = stat.S_IMODE(path.stat().st_mode)
        keys.append({"month": month, "file": path.name, "mode": f"{key_mode:04o}",
                     "private": not key_mode & 0o077})
    return {"folder": str(folder), "exists": mode is not None,
            "mode": f"{mode:04o}" if mode is not None else None,
            "private": mode is not None and not mode & 0o077, "keys": keys}


def _check_ring(keys: dict[str, Any]) -> Check:
    findings = []
    if keys["exists"] and not keys["private"]:
        findings.append(f"{keys['folder']} has mode {keys['mode']}: others can enter it")
    findings += [f"{k['file']} has mode {k['mode']}: others can read it"
                 for k in keys["keys"] if not k["private"]]
    return Check("key_ring", not findings,
                 "the key ring and each month key are readable by their owner only",
                 f"{len(keys['keys'])} key file(s) in {keys['folder']}", findings)


def render_text(audit: dict[str, Any]) -> str:
    """The audit as the terminal shows it."""
    s = audit["store"]
    out = [f"Store {s['path']} (schema version {s['schema_version']}, {s['bytes']:,} bytes)",
           "", "Tables (rows; rows per month):"]
    for t in audit["tables"]:
        per = ", ".join(f"{m}: {n:,}" for m, n in t["rows_by_month"].items())
        out.append(f"  {t['name']}: {t['rows']:,} rows" + (f" ({per})" if per else "")
                   + f" - {t['holds']}")
        out.append("      " + ", ".join(f"{c['name']} {c['type']}" for c in t["columns"]))
    out += ["", "Months:"]
    for m in audit["months"]:
        state = (f"closed at {m['closed_at']} ({m['rows_removed_at_close']:,} person rows "
                 "removed)" if m["state"] == "closed" else m["state"])
        out.append(f"  {m['month']}: {state}; {m['person_rows']:,} person rows; summary "
                   f"{'kept' if m['summary_kept'] else 'not yet written'}; key "
                   f"{'in the key ring' if m['key_in_ring'] else 'absent'}")
    k = audit["key_ring"]
    out += ["", f"Key ring {k['folder']}: "
            + (f"mode {k['mode']}, {len(k['keys'])} key(s)" if k["exists"] else "absent")]
    out += [f"  {key['file']}: mode {key['mode']}" for key in k["keys"]]
    out += ["", "Checks:"]
    for c in audit["checks"]:
        out.append(f"  [{'ok' if c['ok'] else 'FAILED'}] {c['id']}: {c['proves']} "
                   f"({c['detail']})")
        out += [f"      {f}" for f in c["findings"]]
    out += ["", "Limits:"] + [f"  - {limit}" for limit in audit["limits"]]
    out += ["", "Audit passed: no raw identity in the store." if audit["ok"] else
            "Audit FAILED: see the checks above."]
    return "\n".join(out)
