"""``shadowai transparency``: the documents staff representatives and the DPO ask for,
written from the configuration and the store, never by hand per deployment:

- ``notice.html``: the information notice for agents (GDPR art. 13);
- ``record.html``: the entry of the record of processing activities (GDPR art. 30);
- ``dpia.html``: a DPIA summary in the structure of the CNIL's PIA method (context,
  fundamental principles, risks, measures, validation);
- ``facts.json``: every fact the documents state, as data.

Each in French and English (``fr/``, ``en/``). Documents are self-contained HTML (inline
CSS, nothing loaded): the same form as the reports, printable to PDF with the same local
Chromium, and checked in tests by parsing (each stated fact carries ``data-fact``).
The prose of both languages lives side by side in ``transparency.toml``, so a reviewer
sees a sentence and its translation together."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from shadowai import __version__, metrics
from shadowai.report.render import _atomic
from shadowai.settings import Config
from shadowai.store import Store

_SHARED = resources.files("shadowai.report") / "templates"  # _head.html
_TEMPLATES = _SHARED / "transparency"
DOCUMENTS = ("notice", "record", "dpia")
LANGS = ("fr", "en")
#: Settings a document needs from the organisation; unset, it says "to be completed".
TO_COMPLETE = ("privacy.controller", "privacy.dpo_contact")


def texts() -> dict[str, dict[str, str]]:
    """Every sentence of the documents: key -> {fr, en}."""
    return tomllib.loads((_TEMPLATES / "transparency.toml").read_text(encoding="utf-8"))


def facts(cfg: Config, store: Store, audit: dict[str, Any]) -> dict[str, Any]:
    """What the documents state, from the settings and the store (through the audit)."""
    months = audit["months"]
    days = cfg["privacy.close_after_days"]
    open_months = [m["month"] for m in months if m["state"] == "open"]
    example = open_months[-1] if open_months else None
    closes_on = (metrics.month_bounds(example)[1] + dt.timedelta(days=days)).isoformat() \
        if example and days else None
    formats = [{"format": f, "unit": u, "files": int(n)} for f, u, n in store.rows(
        "SELECT format, unit, count(*) FROM files GROUP BY ALL ORDER BY 1")]
    return {
        "generator": f"shadowai {__version__}",
        "generated_on": dt.date.today().isoformat(),
        "organisation": cfg["report.organisation"] or None,
        "controller": cfg["privacy.controller"] or cfg["report.organisation"] or None,
        "dpo_contact": cfg["privacy.dpo_contact"] or None,
        "k": cfg["privacy.k"],
        "close_after_days": days,
        "close_example": {"month": example, "closes_on": closes_on},
        "show_file_names": cfg["report.show_file_names"],
        "timezone": cfg["report.timezone"],
        "store": audit["store"]["path"],
        "key_ring": audit["key_ring"]["folder"],
        "key_ring_mode": audit["key_ring"]["mode"],
        "key_files": [{"month": k["month"], "mode": k["mode"]}
                      for k in audit["key_ring"]["keys"]],
        "tables": [{"name": t["name"], "holds": t["holds"], "rows": t["rows"]}
                   for t in audit["tables"]],
        "person_rows": sum(m["person_rows"] for m in months),
        "months_open": open_months,
        "months_closed": [{"month": m["month"], "closed_at": m["closed_at"]}
                          for m in months if m["state"] == "closed"],
        "months_purged": [m["month"] for m in months if m["state"] == "purged"],
        "summaries": sum(m["summary_kept"] for m in months),
        "formats": formats,
        "audit_ok": audit["ok"],
        "audit_checks": [{"id": c["id"], "ok": c["ok"]} for c in audit["checks"]],
    }


def missing(cfg: Config) -> list[str]:
    """The organisation's settings the documents need and do not have."""
    return [name for name in TO_COMPLETE
            if not cfg[name] and not (name == "privacy.controller"
                                      and cfg["report.organisation"])]


def write(f: dict[str, Any], out: Path, langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Write every document in each language under ``out/<lang>/``, and facts.json."""
    out.mkdir(parents=True, exist_ok=True)
    _atomic(out / "facts.json", json.dumps(f, ensure_ascii=False, indent=2) + "\n")
    words = texts()
    written = [out / "facts.json"]
    for lang in langs:
        env = _environment(lang, f, words)
        folder = out / lang
        folder.mkdir(exist_ok=True)
        for doc in DOCUMENTS:
            path = folder / f"{doc}.html"
            _atomic(path, env.get_template(f"{doc}.html").render(f=f, lang=lang, doc=doc))
            written.append(path)
    return written


def _environment(lang: str, f: dict[str, Any],
                 words: dict[str, dict[str, str]]) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(_TEMPLATES),
                                                         str(_SHARED)]),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    todo = {"fr": "à compléter", "en": "to be completed"}[lang]

    def say(key: str, **extra: Any) -> Markup:
        """A sentence in the document's language; ``{{ }}`` in it are facts (escaped)."""
        text = words[key][lang]
        return Markup(env.from_string(text).render(f=f, lang=lang, fact=fact, **extra))

    def fact(name: str, value: Any = None) -> Markup:
        """A stated fact, marked for tests and readers; unset: 'to be completed'."""
        shown = f.get(name) if value is None else value
        if shown is None or shown == "":
            return Markup('<mark class="todo" data-todo="{}">{}</mark>').format(name, todo)
        if isinstance(shown, bool):
            shown = {"fr": ("oui", "non"), "en": ("yes", "no")}[lang][not shown]
        return Markup('<span data-fact="{}">{}</span>').format(name, shown)

    env.globals.update(say=say, fact=fact, todo=todo, words=words)
    env.filters["day"] = lambda iso: _day(iso, lang)
    return env


def _day(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    from babel.dates import format_date

    return format_date(dt.date.fromisoformat(iso[:10]), "long", locale=lang)
