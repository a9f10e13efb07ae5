"""Write ``reports/YYYY-MM/``: ``index.html`` (inline CSS and SVG, nothing loaded from the
network), ``summary.json`` (every number the HTML shows) and one CSV per table."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from shadowai.report.i18n import Translator

_PKG = resources.files("shadowai.report")

CSV_TABLES = {
    "services.csv": ("services", ["id", "name", "vendor", "category", "jurisdiction",
                                  "people", "episodes", "requests", "blocked", "bytes_up",
                                  "bytes_down"]),
    "departments.csv": ("departments", ["name", "people", "episodes", "requests", "blocked",
                                        "active_people", "headcount", "adoption_rate",
                                        "share_of_active", "top_services"]),
    "categories.csv": ("categories", ["id", "people", "episodes", "requests"]),
    "jurisdictions.csv": ("jurisdictions", ["id", "people", "episodes", "requests"]),
    "daily.csv": ("daily", ["day", "people", "episodes", "requests"]),
    "training.csv": ("training.departments", ["name", "people", "headcount", "adoption_rate",
                                              "categories", "places", "sessions"]),
}


def environment(lang: str, k: int, service_names: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_PKG / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True)
    t = Translator(lang, k)
    env.globals["t"] = t
    env.filters["category_name"] = t.category
    env.filters["jurisdiction_name"] = t.jurisdiction
    # Our own stylesheet, inlined so the report loads nothing: trusted, not escaped.
    env.globals["css"] = Markup((_PKG / "report.css").read_text(encoding="utf-8"))
    env.filters["zip"] = lambda a, b: zip(a, b, strict=False)
    env.filters["service_name"] = lambda sid: service_names.get(sid, sid)
    env.filters["month_name"] = t.month
    env.filters["day_name"] = t.day
    env.globals["service_label"] = lambda row: row.get("name") or row["id"]
    env.globals["category_label"] = lambda row: t.category(row["id"])
    env.globals["jurisdiction_label"] = lambda row: t.jurisdiction(row["id"])
    env.globals["department_label"] = lambda row: t.department(
        {"name": row["id"], "other": row.get("other"), "unassigned": row.get("unassigned")})
    return env


def render_month_html(model: dict[str, Any]) -> str:
    names = {s["id"]: s["name"] for s in model["services"]}
    env = environment(model["lang"], model["k"], names)
    return env.get_template("month.html").render(m=model, lang=model["lang"])


def write_month(model: dict[str, Any], out: Path) -> Path:
    """Write the month's report folder atomically (files appear complete or not at all)."""
    folder = out / model["month"]
    folder.mkdir(parents=True, exist_ok=True)
    _atomic(folder / "summary.json",
            json.dumps(model, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    _atomic(folder / "index.html", render_month_html(model))
    for name, (key, columns) in CSV_TABLES.items():
        rows: Any = model
        for part in key.split("."):
            rows = rows[part]
        _atomic(folder / name, _csv(rows, columns))
    return folder / "index.html"


TREND_CSV = ("services", "categories", "jurisdictions", "departments")


def write_trend(model: dict[str, Any], out: Path) -> Path:
    """Write ``<out>/trend/``: index.html, trend.json and one CSV per table."""
    folder = out / "trend"
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(model["lang"], model["k"],
                      {s["id"]: s.get("name") or s["id"] for s in model["services"]})
    _atomic(folder / "trend.json", json.dumps(model, ensure_ascii=False, indent=2) + "\n")
    _atomic(folder / "index.html", env.get_template("trend.html").render(
        m=model, lang=model["lang"]))
    months = [r["month"] for r in model["months"]]
    _atomic(folder / "months.csv", _csv(model["months"], [
        "month", "ai_people", "ai_episodes", "ai_requests", "share_of_headcount", "eu_share",
        "sanctioned_share", "blocked_requests", "days_with_data", "days_in_month", "files",
        "flags"]))
    for table in TREND_CSV:
        rows = [{"id": "other departments" if r.get("other") else r["id"],
                 **{f"{m}_{metric}": (r["months"].get(m) or {}).get(metric)
                                   for m in months for metric in ("people", "episodes")}}
                for r in model[table]]
        columns = ["id"] + [f"{m}_{metric}" for m in months for metric in ("people", "episodes")]
        _atomic(folder / f"{table}.csv", _csv(rows, columns))
    return folder / "index.html"


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = []
        for c in columns:
            v = row.get(c)
            if c in ("name", "id") and row.get("other"):
                v = "other departments"
            if isinstance(v, list):
                v = ";".join(f"{x['id']}:{x['people']}" if isinstance(x, dict) else str(x)
                             for x in v)
            values.append("" if v is None else v)
        writer.writerow(values)
    return buf.getvalue()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; reports are meant to be read
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
