"""Store -> report model: plain data, every number the report shows, k-anonymity applied
here and only here.

Suppression rules (k = ``privacy.k`` distinct people):
- a department with fewer than k AI users is folded into "other departments";
- complementary suppression: if that group itself has fewer than k people, the smallest
  shown departments join it until it reaches k (otherwise subtracting the shown rows from
  the total would reveal it); if the whole organisation has fewer than k AI users, every
  per-department figure is hidden;
- a service's top-service entry inside a department is listed only for >= k people;
- a homogeneous department or folded group (unassigned identities name nobody), where
  0 <= headcount - AI users < k or 0 <= people active online - AI users < k, reveals
  that each of its named members used AI: it shows no top service nor training category,
  and each rate near 100 % is hidden with its denominator (the adoption rate with the
  headcount, the share of active people with the people active online: either would give
  its rate back from the AI users, which stay shown); with its headcount hidden, its
  training places are its AI users (the 10 % of the rest would say how many rest);
- blocked requests are counted organisation-wide only (the month's total, per service),
  never per department: a department of >= k people blocked once was one person's
  attempt, and the people behind a blocked count are not known per department;
- an organisation-wide service count of people below k is shown as "< k" (null);
- a row whose people count is hidden (a day, a service, a category, a jurisdiction,
  approved tools or shadow use, a category's people to move, another counting unit, the
  addresses counted apart) shows none of its other counts either (episodes, requests,
  blocked requests, bytes: null, "< k"): episodes are >= people, so "1 episode" would
  say "1 person";
- complementary suppression of those counts: in each table whose rows add up to a total
  the report shows (days, services, categories, jurisdictions, approved/shadow against the
  month's episodes and requests), when the hidden rows together hold fewer than k
  episodes (or requests) but more than none, the shown rows with the fewest join them
  (their counts hidden, their people still shown) until they hold >= k, so that the
  total minus the shown rows gives no small count back. Blocked requests and bytes are
  not completed this way (no table adds up to a blocked total per person); shares drawn
  from hidden rows (EU share, approved share) are hidden when a side of them holds a
  hidden count below k.

- the tables that nest services (categories, jurisdictions, approved/shadow) are completed
  with the services table too (``_complete_nested``): a group shown whose hidden services
  hold 0 < n < k episodes or requests has its counts hidden (its people still shown), and
  a group hidden that is the sum of its services, all shown, has its smallest service
  hidden.

Known limits (organisation-wide counts, never per department or per person): blocked
requests and bytes per service are not completed; when the whole organisation has fewer
than k AI users, its head count reads "< k" but its episodes and requests are shown; a
homogeneous department's hidden headcount is the organisation's minus those shown (a
department's headcount is public knowledge; folding such a department away is not
built); summaries kept before the nested completion (closed months) keep what it fixes:
``trend.at_k`` has no raw counts to redo it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from shadowai import __version__
from shadowai.catalog import Catalog
from shadowai.directory import UNASSIGNED, Directory
from shadowai.report.i18n import STRINGS
from shadowai.store import Store

SUMMARY_SCHEMA_VERSION = 4
OTHER = "__other__"  # the folded group inside the store queries; reports use its label
#: The folded group and the unassigned identities have one name everywhere (HTML, JSON,
#: CSV, workbook): the label of the report's language.
GROUP_LABELS = {OTHER: STRINGS["other_departments"], UNASSIGNED: STRINGS["unassigned"]}


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, mon = (int(x) for x in month.split("-"))
    start = dt.date(year, mon, 1)
    end = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return start, end


@dataclass(frozen=True)
class TrainingRule:
    """Suggested training places = users_share x people already using public AI in the
    department + others_share x the rest of its headcount, in groups of group_size."""

    users_share: float = 1.0
    others_share: float = 0.1
    group_size: int = 12

    def places(self, users: int, headcount: int | None) -> int:
        others = max((headcount or users) - users, 0)
        return math.ceil(users * self.users_share + others * self.others_share)


def build(store: Store, month: str, catalog: Catalog, directory: Directory, k: int,
          timezone: str, lang: str, training: TrainingRule | None = None,
          episode_gap_minutes: float = 30, unit: str | None = None,
          organisation: str = "", alternatives: dict[str, str] | None = None,
          show_file_names: bool = False) -> dict[str, Any]:
    start, end = month_bounds(month)
    params = {"start": start, "end": end}
    con = store.con
    con.register("services", catalog.services_frame())
    units = store.frame("month_units", **params)
    chosen = choose_unit(units["unit"].to_list(), unit)
    # Figures of different counting units are never added together: the month's figures
    # come from the files of one unit (the source of record); the others are listed apart.
    con.register("unit_files", store.frame("unit_files", unit=chosen or ""))
    # Each person counts in one department, that of their latest ingest, so departments
    # add up to the total even when the users map changed between two ingests.
    latest = store.frame("month_latest_department", **params)
    con.register("latest_department", latest)
    for view, table in (("unit_ai", "ai_daily"), ("unit_traffic", "traffic_daily")):
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT t.* REPLACE "
                    "(coalesce(l.department, t.department) AS department) "
                    f"FROM {table} t LEFT JOIN latest_department l USING (pseudonym) "
                    "WHERE t.file_id IN (SELECT file_id FROM unit_files)")
    identities = store.frame("month_identities", **params)
    addresses = _addresses(identities, k)
    # People are authenticated identities when most lines carry a user name: addresses
    # without one (servers, shared machines) are then counted apart, in no figure below.
    people_only = "WHERE NOT coalesce(address_only, false)" if addresses["counted_apart"] \
        else ""
    for view, unit_view in (("month_ai", "unit_ai"), ("month_traffic", "unit_traffic")):
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM {unit_view} "
                    f"{people_only}")

    depts = store.frame("month_departments", **params)
    groups = _fold(depts, k, store, params)
    con.register("groups", pl.DataFrame(
        {"department": list(groups), "grp": list(groups.values())},
        schema={"department": pl.String, "grp": pl.String}))

    people = {row["grp"]: row for row in store.frame("month_people", **params).to_dicts()}
    org = people.get(None, {"ai_people": 0, "ai_requests": 0, "ai_episodes": 0, "blocked": 0,
                            "active_people": 0})
    svc = store.frame("month_services", **params)
    headcount_total = sum(directory.headcount.values()) or None

    totals = {
        "ai_requests": int(org["ai_requests"]),
        "ai_episodes": int(org["ai_episodes"]),
        "ai_people": _k(org["ai_people"], k),
        "blocked_requests": int(org["blocked"]),
        "active_people": int(org["active_people"] or 0),
        "headcount": headcount_total,
        "share_of_active": _ratio(_k(org["ai_people"], k), org["active_people"]),
        "share_of_headcount": _ratio(_k(org["ai_people"], k), headcount_total),
    }
    model: dict[str, Any] = {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "generator": f"shadowai {__version__}",
        "generated_on": dt.date.today().isoformat(),
        "organisation": organisation,
        "month": month,
        "k": k,
        "timezone": timezone,
        "lang": lang,
        "episode_gap_minutes": episode_gap_minutes,
        "unit": chosen,
        # the source of record's row counts as the headline does (addresses apart or not)
        "units": [{"unit": u, "files": int(f), "lines": int(n),
                   "ai_people": totals["ai_people"] if u == chosen else _k(p, k),
                   "ai_requests": totals["ai_requests"] if u == chosen else
                   None if _k(p, k) is None else int(r),
                   "source_of_record": u == chosen}
                  for u, f, n, p, r in units.iter_rows()],
        "catalog_version": catalog.version,
        "totals": totals,
        "addresses": addresses,
        "services": _services(svc, catalog, k),  # completed below, with what nests them
        "categories": [],
        "jurisdictions": [],
        "departments": _departments(people, svc, groups, directory, k, lang, store, params),
        "daily": _complete([
            {"day": d.isoformat(), "requests": int(r), "episodes": int(e), "people": _k(p, k)}
            for d, r, e, p in store.frame("month_daily", **params).iter_rows()
        ], k),
        "candidates": [{"host": h, "requests": int(r)} for h, r in
                       store.frame("month_candidates", month=month).iter_rows()],
    }
    for dim, value, requests, episodes, ppl in store.frame("month_catalog_groups",
                                                            **params).iter_rows():
        model["categories" if dim == "category" else "jurisdictions"].append(
            {"id": value, "people": _k(ppl, k), "episodes": int(episodes),
             "requests": int(requests)})
    for key in ("categories", "jurisdictions"):
        model[key].sort(key=lambda r: (-r["episodes"], -r["requests"], r["id"]))
    sanctioned = {bool(flag): {"people": _k(p, k), "episodes": int(e), "requests": int(r)}
                  for flag, p, e, r in store.frame("month_sanctioned", **params).iter_rows()}
    zero = {"people": 0, "episodes": 0, "requests": 0}
    sides = [sanctioned.get(True, dict(zero)), sanctioned.get(False, dict(zero))]
    episodes = sum(j["episodes"] for j in model["jurisdictions"])
    eu = [j for j in model["jurisdictions"] if j["id"] in ("FR", "EU")]
    model["totals"]["eu_share"] = _share(eu, model["jurisdictions"], episodes, k)
    model["totals"]["sanctioned_share"] = (
        _share(sides[:1], sides, episodes, k)
        if any(s.sanctioned for s in catalog.services.values()) else None)
    _complete_nested(model["services"], [
        (model["categories"], lambda g, s: s["category"] == g["id"]),
        (model["jurisdictions"], lambda g, s: s["jurisdiction"] == g["id"]),
        (sides, lambda g, s: s["sanctioned"] is (g is sides[0]))], k)
    model["sanctioned"] = {
        "services": sorted(s.id for s in catalog.services.values() if s.sanctioned),
        "sanctioned": sides[0], "shadow": sides[1],
    }
    model["quality"] = _quality(store, params, start, end,
                                k if show_file_names else None)
    model["quality"]["directory_coverage"] = _coverage(identities, k)
    model["quality"]["split_episodes"] = _split_episodes(store, params)
    model["quality"]["directory_mismatches"] = directory.mismatches()
    model["quality"]["department_changes"] = latest.filter(pl.col("departments") > 1).height
    _check_headcount(model, depts, directory)
    days = model["quality"]["days_in_month"]
    model["quality"]["coverage"] = _ratio(model["quality"]["days_with_data"], days)
    earlier = set(store.frame("services_before", start=start)["service_id"].to_list())
    earlier |= {s["id"] for prev in store.summaries(before=month) for s in prev["services"]}
    # With no earlier data at all every service would be "new": say nothing then.
    model["new_services"] = [s["id"] for s in model["services"]
                             if earlier and s["id"] not in earlier]
    model["training"] = _training(store, params, model["departments"], groups, directory, k,
                                  training or TrainingRule())
    previous = store.summary(previous_month(month))
    model["previous_month"] = previous_month(month)
    model["changes"] = _changes(model, previous)
    model["alternatives"] = _alternatives(store, params, model, catalog, alternatives or {}, k)
    versions = sorted({f["catalog_version"] for f in model["quality"]["files"]})
    model["catalog_versions_used"] = versions
    model["risk"] = risk_block(model["services"], catalog)
    con.unregister("groups")
    con.unregister("services")
    con.unregister("unit_files")
    con.unregister("latest_department")
    return model


#: How an identity was placed in a department (``resolved_by`` in the store), best first.
RESOLUTIONS = ("users", "networks", "unassigned", "unknown")


def _addresses(identities: pl.DataFrame, k: int) -> dict[str, Any]:
    """Client addresses without a user name, and the rule that says whether they are
    counted apart from people: they are when most usage lines of the month's source of
    record carry a user name (more than half of the lines whose kind is known); otherwise
    the logs identify machines, not people (firewalls without user identification, DNS),
    and a client address is the unit every figure counts."""
    lines = {kind: int(n or 0) for kind, n in identities.group_by("identity").agg(
        pl.col("requests").sum()).iter_rows()}
    known = lines.get("user", 0) + lines.get("address", 0)
    share = _ratio(lines.get("user", 0), known)
    apart = share is not None and share > 0.5 and lines.get("address", 0) > 0
    rows = identities.filter(pl.col("identity") == "address")
    ai = int(rows["ai"].sum() or 0)
    return {
        "counted_apart": apart,
        "lines_with_user_share": share,
        "active": int(rows["active"].sum() or 0),
        "ai_people": _k(ai, k),
        "ai_requests": None if _k(ai, k) is None else int(rows["ai_requests"].sum() or 0),
        "ai_episodes": None if _k(ai, k) is None else int(rows["ai_episodes"].sum() or 0),
    }


def _coverage(identities: pl.DataFrame, k: int) -> dict[str, Any]:
    """The directory coverage of the month, organisation-wide (never per department): of
    the identities active on the network, and of those that used AI, how many each map
    placed in a department, with their shares; active identities also by kind (user name
    or address only). An AI count below k is hidden (None) with its share, and so is the
    next smallest one, so that no hidden count is the total minus the others."""
    def counts(population: str, rows: pl.DataFrame) -> dict[str, int]:
        return {how: int(rows.filter(pl.col("resolved_by") == how)[population].sum() or 0)
                for how in RESOLUTIONS}

    out: dict[str, Any] = {}
    for population in ("active", "ai"):
        total = int(identities[population].sum() or 0)
        shown: dict[str, int | None] = dict(counts(population, identities))
        if population == "ai":
            hidden = [h for h, n in shown.items() if n and n < k]
            visible = sorted((n, h) for h, n in shown.items() if n and n >= k)
            if hidden and sum(shown[h] or 0 for h in hidden) < k and visible:
                hidden.append(visible[0][1])
            shown.update({h: None for h in hidden})
        out[population] = {"total": _k(total, k) if population == "ai" else total,
                           **{h: {"count": n, "share": _ratio(n, total)}
                              for h, n in shown.items()}}
    out["by_kind"] = {kind: counts("active", identities.filter(pl.col("identity") == kind))
                      for kind in ("user", "address", "unknown")}
    return out


def risk_block(services: list[dict[str, Any]], catalog: Catalog,
               today: dt.date | None = None, top: int = 3) -> dict[str, Any]:
    """The ``risk`` block of the report model, from the month's service rows.

    Shares of shadow (non-sanctioned) episodes going to services that train on consumer
    inputs by default or whose profile leaves that unknown, that have no EU data-residency
    offer (known ``no``) or leave that unknown, and that have a profile at all (the
    usage-weighted coverage of the risk profiles); per category the ``top`` riskiest
    services used (most risk points first: training by default 2, no opt-out 1, no EU
    offer 2, no DPA 1, each unknown 0.5, extraterritorial laws 1) with the organisation's
    sanctioned services of that category as the alternative; and the catalog's age against
    ``[catalog] max_age_days``."""
    from shadowai import risk as risk_mod

    meta = catalog.meta
    shadow = [s for s in services if not s.get("sanctioned")]
    # hidden counts (null) count for nothing: the shares are of the episodes shown
    total = sum(s["episodes"] or 0 for s in shadow)

    def factor(sid: str, name: str) -> str:
        value = meta.risk.get(sid, {}).get(name)
        return value.value if value else "unknown"

    rows = []
    for s in shadow:
        jur = s.get("jurisdiction") or ""
        f = {n: factor(s["id"], n) for n in risk_mod.PROFILE_FACTORS}
        laws = risk_mod.laws(jur, meta.notes.get(s["id"], ""))
        points = (2 * (f["trains_on_inputs"] == "yes") + (f["training_opt_out"] == "no")
                  + 2 * (f["eu_data_residency"] == "no") + (f["enterprise_dpa"] == "no")
                  + 0.5 * sum(v == "unknown" for v in f.values()) + (1 if laws else 0))
        secnum = risk_mod.secnumcloud(jur, meta.risk.get(s["id"]))
        rows.append({"id": s["id"], "name": s["name"], "category": s.get("category"),
                     "jurisdiction": jur, "episodes": s["episodes"], **f,
                     "secnumcloud": secnum.value, "laws": laws,
                     "profiled": s["id"] in meta.risk, "points": points})

    def share(pred: Any) -> dict[str, Any]:
        n = sum(r["episodes"] or 0 for r in rows if pred(r))
        return {"episodes": n, "share": _ratio(n, total)}

    by_cat: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: (-r["points"], -(r["episodes"] or 0), r["id"])):
        by_cat.setdefault(r["category"] or "", []).append(r)
    # The organisation's approved tools of the same category are the alternative to offer.
    alternatives: dict[str, list[str]] = {}
    for svc in sorted(catalog.services.values(), key=lambda x: x.name):
        if svc.sanctioned:
            alternatives.setdefault(svc.category, []).append(svc.name)
    categories = [{"id": c, "services": v[:top], "alternatives": alternatives.get(c, [])}
                  for c, v in by_cat.items()]
    categories.sort(key=lambda c: (-sum(r["episodes"] or 0 for r in by_cat[c["id"]]),
                                   c["id"]))
    age = meta.age_days(today)
    return {
        "shadow_episodes": total,
        "trains_by_default": share(lambda r: r["trains_on_inputs"] == "yes"),
        "trains_unknown": share(lambda r: r["trains_on_inputs"] == "unknown"),
        "no_eu_offer": share(lambda r: r["eu_data_residency"] == "no"),
        "eu_offer_unknown": share(lambda r: r["eu_data_residency"] == "unknown"),
        "extraterritorial": share(lambda r: bool(r["laws"])),
        "profiled": share(lambda r: r["profiled"]),
        "categories": categories,
        "catalog": {"released": meta.released, "age_days": age,
                    "max_age_days": meta.max_age_days, "origin": meta.origin,
                    "release": meta.release,
                    "stale": age is not None and age > meta.max_age_days},
    }


#: Which counting unit is the source of record when a month has several: the one closest
#: to a person's deliberate use first. Units not listed come after, by lines.
UNIT_PRIORITY = ("proxy request", "HTTP request", "gateway record", "ECS event",
                 "TLS handshake", "firewall or web filter record", "firewall session",
                 "firewall log record", "connection", "network event", "DNS lookup")


def choose_unit(units: list[str], configured: str | None = None) -> str | None:
    if configured:
        return configured
    for unit in UNIT_PRIORITY:
        if unit in units:
            return unit
    return units[0] if units else None


def previous_month(month: str) -> str:
    start, _ = month_bounds(month)
    return (start - dt.timedelta(days=1)).strftime("%Y-%m")


HEADLINE = ("ai_people", "ai_episodes", "ai_requests", "share_of_headcount",
            "share_of_active", "eu_share", "sanctioned_share", "blocked_requests")


def _changes(model: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Headline figures against the previous month's report, when there is one."""
    if not previous:
        return {}
    out = {}
    for key in HEADLINE:
        now, before = model["totals"].get(key), previous["totals"].get(key)
        out[key] = {"previous": before,
                    "delta": None if now is None or before is None else
                    round(now - before, 4)}
    return out


def _training(store: Store, params: dict[str, Any], departments: list[dict[str, Any]],
              groups: dict[str, str], directory: Directory, k: int,
              rule: TrainingRule) -> dict[str, Any]:
    cats = store.frame("month_department_categories", **params)
    rows = []
    for d in departments:
        if d["people"] is None:
            continue
        grp = OTHER if d["other"] else UNASSIGNED if d["unassigned"] else d["name"]
        # a homogeneous department lists no category (its members would all be named)
        used = (cats.filter((pl.col("grp") == grp) & (pl.col("people") >= k)
                            & (not d["homogeneous"]))
                .sort(["people", cats.columns[1]], descending=[True, False]))  # ties: by id
        places = rule.places(d["people"], d["headcount"])
        rows.append({
            "name": d["name"], "other": d["other"], "unassigned": d["unassigned"],
            "people": d["people"], "headcount": d["headcount"],
            "adoption_rate": d["adoption_rate"],
            "categories": [{"id": c, "people": int(n)} for _, c, n in used.iter_rows()],
            "places": places, "sessions": math.ceil(places / rule.group_size),
        })
    return {"rule": {"users_share": rule.users_share, "others_share": rule.others_share,
                     "group_size": rule.group_size},
            "departments": rows,
            "total_places": sum(r["places"] for r in rows),
            "total_sessions": sum(r["sessions"] for r in rows)}


def _alternatives(store: Store, params: dict[str, Any], model: dict[str, Any],
                  catalog: Catalog, alternatives: dict[str, str], k: int) -> list[dict[str, Any]]:
    """Per category of use seen this month, the approved service to offer instead
    (``[catalog] alternatives``) and the people it concerns: those who used another
    service of that category (people already on the alternative need no licence)."""
    store.con.register("alternatives", pl.DataFrame(
        {"category": list(alternatives), "service_id": list(alternatives.values())},
        schema={"category": pl.String, "service_id": pl.String}))
    try:
        concerned = {c: (p, e) for c, p, e in
                     store.frame("month_alternatives", **params).iter_rows()}
    finally:
        store.con.unregister("alternatives")
    rows = []
    for cat in model["categories"]:
        sid = alternatives.get(cat["id"])
        alt = catalog.services.get(sid) if sid else None
        people, episodes = concerned.get(cat["id"], (0, 0))
        rows.append({
            "category": cat["id"],
            "people": cat["people"],
            "episodes": cat["episodes"],
            "alternative": sid if alt else None,
            "alternative_name": alt.name if alt else None,
            "alternative_sanctioned": bool(alt and alt.sanctioned),
            "people_to_move": _k(people, k),
            "episodes_to_move": None if _k(people, k) is None else int(episodes or 0),
        })
    return rows


def _k(value: Any, k: int) -> int | None:
    """A count of people, or None when it is below k."""
    value = int(value or 0)
    return value if value >= k or value == 0 else None


#: The counts a row shows beside its people (hidden with them).
COUNTS = ("episodes", "requests", "blocked", "bytes_up", "bytes_down")
#: The counts whose rows add up to a total the report shows (completed to >= k).
ADDITIVE = ("episodes", "requests")


def _complete(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """Hide, in place, the counts of the rows ``_to_hide`` names. Returns ``rows``."""
    for r in _to_hide(rows, k):
        r.update({c: None for c in COUNTS if c in r})
    return rows


def _complete_nested(services: list[dict[str, Any]],
                     groupings: list[tuple[list[dict[str, Any]], Any]], k: int) -> None:
    """Hide, in place, the counts of services and of the tables that group them
    (categories, jurisdictions, approved/shadow), each table completed against the
    month's totals (``_to_hide``) and against the others: a group shown minus its
    services shown must not give back 0 < n < k episodes or requests of its hidden
    services (the group's counts are hidden then, and its table completed again), and a
    group hidden must not be the sum of its services, all shown (its smallest service
    is hidden then). Repeated until nothing changes; each step hides one more row.
    Run on the raw counts; ``groupings`` are (rows, whether a service belongs to a row)."""
    hidden = {id(r) for r in _to_hide(services, k)}
    for rows, _belongs in groupings:
        hidden |= {id(r) for r in _to_hide(rows, k)}
    changed = True
    while changed:
        changed = _hide_one_more(services, hidden, k)
        for rows, belongs in groupings:
            changed = _hide_one_more(rows, hidden, k) or changed
            for g in rows:
                members = [s for s in services if belongs(g, s)]
                gone = [s for s in members if id(s) in hidden]
                shown = sorted((s for s in members if id(s) not in hidden and s["people"]),
                               key=lambda s: (s["episodes"], s["requests"]))
                if id(g) in hidden:
                    if not gone and shown:  # the group is the sum of its services
                        hidden.add(id(shown[0]))
                        changed = True
                elif any(0 < sum(s[c] for s in gone) < k for c in ADDITIVE):
                    hidden.add(id(g))  # the group minus its services would give them
                    changed = True
    for rows in [services, *(rows for rows, _ in groupings)]:
        for r in rows:
            if id(r) in hidden:
                r.update({c: None for c in COUNTS if c in r})


def _to_hide(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The rows whose counts are hidden: those whose people are hidden, then, while they
    hold 0 < n < k episodes or requests together, the shown row with the fewest
    (complementary suppression, module docstring)."""
    hidden = {id(r) for r in rows if r["people"] is None}
    while _hide_one_more(rows, hidden, k):
        pass
    return [r for r in rows if id(r) in hidden]


def _hide_one_more(rows: list[dict[str, Any]], hidden: set[int], k: int) -> bool:
    """One step of complementary suppression of a table against its total: when its rows
    in ``hidden`` (ids) hold 0 < n < k episodes or requests together, the shown row with
    the fewest joins them (a row of 0 people holds nothing). True when one did."""
    gone = [r for r in rows if id(r) in hidden]
    shown = sorted((r for r in rows if id(r) not in hidden and r["people"]),
                   key=lambda r: (r["episodes"], r["requests"]))
    if gone and shown and any(0 < sum(r[c] for r in gone) < k for c in ADDITIVE):
        hidden.add(id(shown[0]))
        return True
    return False


def _share(part: list[dict[str, Any]], rows: list[dict[str, Any]], episodes: int,
           k: int) -> float | None:
    """The share of ``part``'s episodes in ``episodes`` (raw counts, before hiding), or
    None when the rows to hide inside or outside ``part`` hold 0 < n < k episodes: the
    share times the total would give them back."""
    hidden = _to_hide(rows, k)
    inside = sum(r["episodes"] for r in hidden if any(r is x for x in part))
    outside = sum(r["episodes"] for r in hidden) - inside
    if 0 < inside < k or 0 < outside < k:
        return None
    return _ratio(sum(r["episodes"] for r in part), episodes)


def _ratio(num: Any, den: Any) -> float | None:
    if num is None or not den:
        return None
    return round(num / den, 4)


def _part_of(num: Any, den: Any) -> float | None:
    """A part of a whole: none above 100 % (a headcount below its users is wrong)."""
    ratio = _ratio(num, den)
    return ratio if ratio is None or ratio <= 1 else None


def _check_headcount(model: dict[str, Any], depts: pl.DataFrame,
                     directory: Directory) -> None:
    """Headcounts that cannot be right, in the quality block: departments (or the folded
    group) with more AI users than staff; and an organisation-wide share of headcount only
    when the headcount file lists every department seen this month (no share otherwise):
    a department left out shrinks the denominator, and asking only of departments with AI
    users would tell, of a small department missing from the file, that it has some."""
    q, totals = model["quality"], model["totals"]
    q["headcount_below_users"] = [d["name"] for d in model["departments"]
                                  if d["people"] and d["headcount"] is not None
                                  and d["people"] > d["headcount"]]  # 0 included
    seen = {d for d, _ in depts.iter_rows() if d != UNASSIGNED}
    q["headcount_incomplete"] = bool(directory.headcount) and not seen <= set(
        directory.headcount)
    if q["headcount_incomplete"]:
        totals["share_of_headcount"] = None
    elif totals["share_of_headcount"] is not None and totals["share_of_headcount"] > 1:
        totals["share_of_headcount"] = None
        q["headcount_below_users"].append(STRINGS["whole_organisation"][model["lang"]])


def _fold(depts: pl.DataFrame, k: int, store: Store, params: dict[str, Any]) -> dict[str, str]:
    """department -> display group (itself or OTHER), with complementary suppression."""
    people = dict(depts.iter_rows())
    shown = {d for d, n in people.items() if n >= k}
    groups = {d: (d if d in shown else OTHER) for d in people}

    def other_people() -> int:
        folded = [d for d, g in groups.items() if g == OTHER]
        if not folded:
            return 0
        return store.rows(
            "SELECT count(DISTINCT pseudonym) FROM month_ai WHERE department IN "
            "(SELECT unnest(?)) AND day >= ? AND day < ?",
            [folded, params["start"], params["end"]])[0][0]

    while 0 < other_people() < k and shown:
        smallest = min(shown, key=lambda d: (people[d], d))
        shown.discard(smallest)
        groups[smallest] = OTHER
    return groups


def _services(svc: pl.DataFrame, catalog: Catalog, k: int) -> list[dict[str, Any]]:
    rows = []
    order = ["episodes", "requests", "service_id"]
    for r in svc.filter(pl.col("grp").is_null()).sort(order,
                                                      descending=[True, True, False]).to_dicts():
        s = catalog.services.get(r["service_id"])
        rows.append({
            "id": r["service_id"],
            "name": s.name if s else r["service_id"],
            "vendor": s.vendor if s else None,
            "category": s.category if s else None,
            "jurisdiction": s.jurisdiction if s else None,
            "sanctioned": s.sanctioned if s else False,
            "people": _k(r["people"], k),
            "episodes": int(r["episodes"]),
            "requests": int(r["requests"]),
            "blocked": int(r["blocked"]),
            "bytes_up": int(r["bytes_up"]) if r["bytes_up"] is not None else None,
            "bytes_down": int(r["bytes_down"]) if r["bytes_down"] is not None else None,
        })
    return rows


def _departments(people: dict[Any, dict[str, Any]], svc: pl.DataFrame,
                 groups: dict[str, str], directory: Directory,
                 k: int, lang: str, store: Store,
                 params: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for grp, r in people.items():
        if grp is None:
            continue
        members = [d for d, g in groups.items() if g == grp]
        # a member missing from the headcount file would make the group's rate too high
        # (unassigned identities have none; a listed 0 stays 0, to be warned about)
        staffed = [d for d in members if d != UNASSIGNED]
        headcount = None if not staffed or any(d not in directory.headcount
                                               for d in staffed) else \
            sum(directory.headcount[d] for d in staffed)
        ai_people = _k(r["ai_people"], k)
        hidden = ai_people is None and r["ai_people"] > 0
        active = int(r["active_people"] or 0)
        mixed = grp == OTHER and UNASSIGNED in members
        if mixed:
            # Unassigned identities (servers, shared machines) are not staff of the folded
            # departments: leave them out of the activity denominator, and give no adoption
            # rate, since the AI-user count cannot be split without revealing a group < k.
            active = int(store.frame("month_folded_active", departments=members,
                                     **params).row(0)[0] or 0)
        top = (svc.filter((pl.col("grp") == grp) & (pl.col("people") >= k))
               .sort(["people", "requests", "service_id"], descending=[True, True, False])
               .head(3)["service_id"].to_list())
        named = sorted(d for d in members if d != UNASSIGNED)
        # Homogeneous: fewer than k of its staff (or of its people active online) did NOT
        # use AI, so a rate near 100 % says that each named member did (module docstring).
        # A group mixed with unassigned identities has no rate to compare (see above).
        # Each denominator is hidden with its own rate (either one divided into the AI
        # users gives the rate back); the other stays.
        staff, online = (bool(ai_people) and grp != UNASSIGNED and not mixed
                         and n is not None and 0 <= n - ai_people < k
                         for n in (headcount, active))
        whole = staff or online
        rows.append({
            "name": GROUP_LABELS[grp][lang] if grp in GROUP_LABELS else grp,
            "other": grp == OTHER,
            "unassigned": grp == UNASSIGNED,
            "departments_folded": len(named) if grp == OTHER else None,
            # Names only, never their figures: readers know whom the group speaks for.
            "folded_names": named if grp == OTHER else [],
            "includes_unassigned": mixed,
            "people": ai_people,
            "episodes": None if hidden else int(r["ai_episodes"]),
            "requests": None if hidden else int(r["ai_requests"]),
            # a count of people like the others: a group below k shows none
            "active_people": None if online else _k(active, k),
            "headcount": None if staff else headcount,
            "adoption_rate": None if mixed or staff else _part_of(ai_people, headcount),
            "share_of_active": None if mixed or online else _ratio(ai_people, active),
            "top_services": [] if hidden or whole else top,
            "homogeneous": whole,
            "suppressed": hidden,
        })
    rows.sort(key=lambda r: (r["other"], r["unassigned"], -(r["people"] or 0), r["name"]))
    return rows


def relabel(model: dict[str, Any], lang: str) -> dict[str, Any]:
    """A kept summary rendered in another language than it was built in: the folded and
    unassigned groups' names (in JSON, CSV and the workbook) are those of ``lang``."""
    def rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "name": GROUP_LABELS[OTHER if r.get("other") else UNASSIGNED][lang]}
                if r.get("other") or r.get("unassigned") else r for r in items]
    out = {**model, "lang": lang, "departments": rows(model.get("departments") or [])}
    if (model.get("training") or {}).get("departments"):
        out["training"] = {**model["training"],
                           "departments": rows(model["training"]["departments"])}
    return out


def file_label(fmt: str, file_id: int) -> str:
    """A file as reports show it by default: its format and its number in the store's
    registry (stable from month to month), never its name."""
    return f"{fmt} #{file_id}"


_LABEL = re.compile(r"^\S+ #\d+$|^#\d+$")


def neutral_file_names(model: dict[str, Any]) -> dict[str, Any]:
    """A kept summary with its files shown by label: summaries kept by shadowai < 0.2
    named every file, and a closed month's per-file head counts are gone, so names cannot
    be checked against k any more. Labels already there are kept (numbered by position
    otherwise)."""
    quality = model.get("quality") or {}
    files = [{**f, "name": f["name"] if _LABEL.match(f["name"])
              else file_label(f["format"], i)}
             for i, f in enumerate(quality.get("files", []), start=1)]
    skipped = [{**f, "name": f"#{i}"} for i, f in enumerate(quality.get("skipped", []),
                                                             start=1)]
    return {**model, "quality": {**quality, "files": files, "skipped": skipped}} \
        if quality else model


def _file_name(f: dict[str, Any], named_from: int | None) -> str:
    """The last two parts of the file's path when names are shown (``named_from`` = k)
    and at least k people's AI use is in the file; otherwise its neutral label: a file
    may be named after a person (jean.dupont.log, one workstation's Proxifier log)."""
    if named_from is not None and f["ai_people"] >= named_from:
        return "/".join(Path(f["path"]).parts[-2:])
    return file_label(f["format"], f["file_id"])


def _split_episodes(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Episodes counted file by file that may be one: person-days on a service read from
    several files (``month_split_episodes.sql``). ``excess`` bounds the over-count;
    ``mirrored``: those where every file holds as many requests (the same lines twice?)."""
    person_days, episodes, excess, total, mirrored = store.frame("month_split_episodes",
                                                                 **params).row(0)
    return {"person_days": int(person_days), "episodes": int(episodes),
            "excess": int(excess), "share": _ratio(int(excess), int(total)),
            "mirrored": int(mirrored),
            # most of them even in every file: a stored copy rather than a load balancer,
            # which deals a person's requests unevenly
            "copies_likely": int(mirrored) * 2 > int(person_days)}


def _quality(store: Store, params: dict[str, Any], start: dt.date,
             end: dt.date, named_from: int | None = None) -> dict[str, Any]:
    files = store.frame("month_files", **params)
    lines = store.frame("month_lines", **params)
    days = {d for d, _ in store.frame("month_days", **params).iter_rows()}
    days_in_month = calendar.monthrange(start.year, start.month)[1]
    all_days = [start + dt.timedelta(days=i) for i in range(days_in_month)]

    def by_reason(kind: str) -> dict[str, int]:
        return {r: int(n) for knd, r, n, _ in lines.iter_rows() if knd == kind}

    reasons: dict[int, dict[str, dict[str, int]]] = {}
    for file_id, kind, reason, n, _first in store.frame("month_file_reasons",
                                                        **params).iter_rows():
        reasons.setdefault(file_id, {}).setdefault(kind, {})[reason] = int(n)
    file_rows = [{
        "name": _file_name(f, named_from),
        "rejected_by_reason": reasons.get(f["file_id"], {}).get("rejected", {}),
        "not_event_by_reason": reasons.get(f["file_id"], {}).get("not_event", {}),
        "format": f["format"], "unit": f["unit"], "compression": f["compression"],
        "lines": int(f["lines"]), "parsed": int(f["parsed"]), "rejected": int(f["rejected"]),
        "not_usage": int(f["not_usage"]), "not_event": int(f["not_event"]),
        "first_day": f["first_day"].isoformat() if f["first_day"] else None,
        "last_day": f["last_day"].isoformat() if f["last_day"] else None,
        "days_in_month": int(f["days_in_month"]),
        "catalog_version": f["catalog_version"],
    } for f in files.to_dicts()]
    return {
        "files": file_rows,
        "file_count": len(file_rows),
        "units": sorted({f["unit"] for f in file_rows}),
        "lines": sum(f["lines"] for f in file_rows),
        "parsed": sum(f["parsed"] for f in file_rows),
        "rejected": sum(f["rejected"] for f in file_rows),
        "rejected_by_reason": by_reason("rejected"),
        "not_usage": sum(f["not_usage"] for f in file_rows),
        "not_usage_by_reason": by_reason("not_usage"),
        "not_event": sum(f["not_event"] for f in file_rows),
        "not_event_by_reason": by_reason("not_event"),
        "attribution_by_reason": by_reason("attribution"),
        "days_with_data": len(days),
        "days_in_month": days_in_month,
        "missing_days": [d.isoformat() for d in all_days if d not in days and d < end],
        # what the last ingest skipped as not logs: a count per reason, never a name
        # (a skipped file has no AI users, so fewer than k; the ingest output names them)
        "skipped": [{"name": f"#{i}", "reason": reason}
                    for i, (reason,) in enumerate(store.rows(
                        "SELECT reason FROM skipped_files ORDER BY length(path), path"), start=1)],
    }
