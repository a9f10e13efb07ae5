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

from shadowai.report import views, workbook
from shadowai.report.i18n import Translator
from shadowai.report.workbook import cell
from shadowai.trend import at_k

_PKG = resources.files("shadowai.report")

CSV_TABLES = {
    "services.csv": ("services", ["id", "name", "vendor", "category", "jurisdiction",
                                  "people", "episodes", "requests", "blocked", "bytes_up",
                                  "bytes_down"]),
    "departments.csv": ("departments", ["name", "people", "episodes", "requests",
                                        "active_people", "headcount", "adoption_rate",
                                        "share_of_active", "top_services"]),
    "categories.csv": ("categories", ["id", "people", "episodes", "requests"]),
    "jurisdictions.csv": ("jurisdictions", ["id", "people", "episodes", "requests"]),
    "daily.csv": ("daily", ["day", "people", "episodes", "requests"]),
    "training.csv": ("training.departments", ["name", "people", "headcount", "adoption_rate",
                                              "categories", "places", "sessions"]),
}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, whichever environment asks: each render has
    its own environment (language, k, service names), not its own templates. Keyed by
    template and source checksum, so an edited template is compiled again. Compiling was
    nearly all of a render's time: the demo month took 0.23 s of CPU, 0.016 s once compiled."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str | None], Any] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.code


COMPILED = _CompiledTemplates()


def environment(lang: str, k: int, service_names: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_PKG / "templates")), bytecode_cache=COMPILED,
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
    env.globals["css_string"] = css_string
    env.globals["views"] = views
    env.globals["department_label"] = lambda row: t.department(
        {"name": row.get("name") or row["id"], "other": row.get("other"),
         "unassigned": row.get("unassigned")})
    return env


#: What the management audience does not receive: the operator annex's data.
OPERATOR_ONLY = ("candidates",)


def css_string(text: str | Markup) -> Markup:
    """``text`` as a CSS string literal safe inside <style>: every character that is not
    a letter, digit or space is a CSS escape (no quote, backslash or ``</style>`` gets
    through; accents are escaped too, harmlessly). The space after each escape ends it
    and is not part of the text."""
    text = text.unescape() if isinstance(text, Markup) else str(text)
    out = "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x} "
                  for c in text)
    return Markup(f'"{out}"')


def render_month_html(model: dict[str, Any]) -> str:
    names = {s["id"]: s["name"] for s in model["services"]}
    env = environment(model["lang"], model["k"], names)
    return env.get_template("month.html").render(m=model, lang=model["lang"])


def write_month(model: dict[str, Any], out: Path, audience: str = "full",
                csv_dialect: str = "auto") -> Path:
    """Write the month's report folder atomically (files appear complete or not at all).

    ``audience="management"`` leaves the operator annex out of the HTML and its data (hosts
    to review for the catalog) out of summary.json, so the folder can be distributed."""
    folder = out / model["month"]
    folder.mkdir(parents=True, exist_ok=True)
    # what a summary shows under its k by today's rules (one kept by an earlier release too)
    model = {**at_k(model, model["k"]), "audience": audience}
    if audience == "management":
        model = {k: v for k, v in model.items() if k not in OPERATOR_ONLY}
    _atomic(folder / "summary.json",
            json.dumps(model, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    _atomic(folder / "index.html", render_month_html(model))
    semicolon = csv_dialect == "semicolon" or (csv_dialect == "auto" and model["lang"] == "fr")
    tables = {}
    for name, (key, columns) in CSV_TABLES.items():
        rows: Any = model
        for part in key.split("."):
            rows = rows[part]
        tables[name.removesuffix(".csv")] = (rows, columns)
        _atomic(folder / name, _csv(rows, columns, semicolon))
    workbook.write(folder / "report.xlsx", tables, model)
    return folder / "index.html"


TREND_CSV = ("services", "categories", "jurisdictions", "departments")


def write_trend(model: dict[str, Any], out: Path, csv_dialect: str = "auto") -> Path:
    """Write ``<out>/trend/``: index.html, trend.json and one CSV per table."""
    semicolon = csv_dialect == "semicolon" or (csv_dialect == "auto" and model["lang"] == "fr")
    folder = out / "trend"
    folder.mkdir(parents=True, exist_ok=True)
    env = environment(model["lang"], model["k"],
                      {s["id"]: s.get("name") or s["id"] for s in model["services"]})
    _atomic(folder / "trend.json", json.dumps(model, ensure_ascii=False, indent=2) + "\n")
    _atomic(folder / "index.html", env.get_template("trend.html").render(
        m=model, lang=model["lang"]))
    months = [r["month"] for r in model["months"]]
    t = Translator(model["lang"], model["k"])
    _atomic(folder / "months.csv", _csv(model["months"], [
        "month", "ai_people", "ai_episodes", "ai_requests", "share_of_headcount", "eu_share",
        "sanctioned_share", "blocked_requests", "days_with_data", "days_in_month", "files",
        "flags"], semicolon))
    for table in TREND_CSV:
        rows = [{"id": t.department({"name": r["id"], "other": r.get("other"),
                                     "unassigned": r.get("unassigned")}),
                 **{f"{m}_{metric}": (r["months"].get(m) or {}).get(metric)
                                   for m in months for metric in ("people", "episodes")}}
                for r in model[table]]
        columns = ["id"] + [f"{m}_{metric}" for m in months for metric in ("people", "episodes")]
        _atomic(folder / f"{table}.csv", _csv(rows, columns, semicolon))
    return folder / "index.html"


def _csv(rows: list[dict[str, Any]], columns: list[str], semicolon: bool = False) -> str:
    """CSV text. ``semicolon``: what a French spreadsheet expects (';' separator, decimal
    comma, UTF-8 byte-order mark so accents survive); otherwise RFC 4180 with '.'."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", delimiter=";" if semicolon else ",")
    writer.writerow(columns)
    for row in rows:
        values = []
        for c in columns:
            v = cell(row.get(c))
            if semicolon and isinstance(v, float):
                v = repr(v).replace(".", ",")
            values.append("" if v is None else v)
        writer.writerow(values)
    return ("\ufeff" if semicolon else "") + buf.getvalue()


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
