"""Chart rows derived from the report model (summary.json / trend.json): ordering and
labels only, never a new figure, so every number drawn is one the JSON holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shadowai.report.i18n import Translator


def adoption(m: dict[str, Any], t: Translator) -> list[dict[str, Any]]:
    """Departments by adoption rate, highest first (k-anonymity already applied in the
    model: hidden figures stay hidden); rows without a rate (unassigned, a folded group
    mixed with unassigned identities) come last, with their people only."""
    rows = []
    for d in m["departments"]:
        if d["people"] is None and d["adoption_rate"] is None:
            continue
        rate = d["adoption_rate"]
        people = f"{t.number(d['people'])} {t('people_short')}"
        rows.append({
            "label": t.department(d) + (f" ({d['departments_folded']})" if d["other"] else ""),
            "value": rate if rate is not None else 0,
            "text": f"{t.percent(rate)} · {people}" if rate is not None else people,
            "cls": "folded" if d["other"] or d["unassigned"] else "",
            "sort": (rate is None, -(rate or 0), -(d["people"] or 0)),
        })
    rows.sort(key=lambda r: r["sort"])
    return rows


def services(m: dict[str, Any], t: Translator, limit: int = 12) -> list[dict[str, Any]]:
    """The most used services by episodes; approved tools marked."""
    return [{"label": s["name"] + (f" ({t('approved_mark')})" if s.get("sanctioned") else ""),
             "value": s["episodes"], "text": t.number(s["episodes"]),
             "cls": "sanctioned" if s.get("sanctioned") else ""}
            for s in m["services"][:limit]]


def simple(items: list[dict[str, Any]], label: Any, t: Translator) -> list[dict[str, Any]]:
    return [{"label": label(x["id"]), "value": x["episodes"], "text": t.number(x["episodes"]),
             "cls": ""} for x in items]


def days(m: dict[str, Any], t: Translator) -> list[dict[str, Any]]:
    """Every day of the month, a day without data included as a gap (value None); a day
    whose figures are hidden (fewer than k people) is drawn as a day without a column
    (``hidden``), never as a day without data."""
    start = dt.date.fromisoformat(f"{m['month']}-01")
    end = (start + dt.timedelta(days=32)).replace(day=1)
    episodes = {d["day"]: d["episodes"] for d in m["daily"]}
    out = []
    day = start
    while day < end:
        iso = day.isoformat()
        hidden = iso in episodes and episodes[iso] is None
        out.append({"day": iso, "value": 0 if hidden else episodes.get(iso),
                    "hidden": hidden, "label": t.short_day(iso),
                    "title": t.day(iso), "tick": day.day == 1 or day.day % 5 == 0})
        day += dt.timedelta(days=1)
    return out


def trend_line(months: list[dict[str, Any]], key: str, t: Translator,
               percent: bool = False) -> list[dict[str, Any]]:
    """One point per month; flagged months carry their flags."""
    return [{"label": t.short_month(r["month"]), "value": r.get(key),
             "text": (t.percent(r.get(key)) if percent else t.number(r.get(key)))
             if r.get(key) is not None else "–",
             "flagged": bool(r["flags"]),
             "flags": ", ".join(t("flag_" + f) for f in r["flags"])} for r in months]


def department_lines(m: dict[str, Any], t: Translator) -> list[dict[str, Any]]:
    """Small multiples: one line of people per month for each department."""
    flagged = {r["month"]: r["flags"] for r in m["months"]}
    out = []
    for row in m["departments"]:
        points = []
        for r in m["months"]:
            v = (row["months"].get(r["month"]) or {}).get("people")
            points.append({"label": t.short_month(r["month"]), "value": v,
                           "text": t.number(v) if r["month"] in row["months"] else "–",
                           "flagged": bool(flagged[r["month"]]),
                           "flags": ", ".join(t("flag_" + f) for f in flagged[r["month"]])})
        out.append({"id": row["id"], "label": t.department(
            {"name": row.get("name") or row["id"], "other": row.get("other"),
             "unassigned": row.get("unassigned")}), "points": points})
    return out
