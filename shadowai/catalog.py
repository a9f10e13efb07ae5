"""The gen-AI catalog (``domains/``): load, validate, match hosts, organisation overlay.

A host matches a catalog domain on label boundaries (``claude.ai`` matches ``claude.ai``
and ``www.claude.ai``, never ``notclaude.ai``); the longest matching domain wins, so
``copilot.microsoft.com`` can be catalogued while ``microsoft.com`` is not.

Loading (:func:`load`) needs nothing beyond the standard library and polars. The full
review of the data (:func:`validate`: sort order, public suffixes, over-broad platform
domains…) also needs the ``publicsuffixlist`` package, a test/maintainer dependency.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from shadowai import risk as risk_mod
from shadowai.errors import CatalogError

SERVICE_COLUMNS = ["id", "name", "vendor", "category", "jurisdiction", "homepage", "status",
                   "retired_on", "notes"]
DOMAIN_COLUMNS = ["domain", "service_id", "kind", "added", "source"]
# Reviewed lists that `validate` enforces (maintainer data, not needed to load the catalog).
OVERBROAD_FILE = "overbroad.csv"
OVERBROAD_COLUMNS = ["domain", "reason"]
PSL_EXCEPTIONS_FILE = "psl_exceptions.csv"
PSL_EXCEPTIONS_COLUMNS = ["domain", "reason"]
CATEGORIES = ("chat-assistant", "code-assistant", "image-generation", "video-generation",
              "audio-generation", "translation", "writing", "meeting-transcription",
              "search-answer", "api-platform", "agents-automation")
JURISDICTIONS = ("FR", "EU", "US", "CN", "OTHER")
KINDS = ("web", "api", "static")
STATUSES = ("active", "retired")
SOURCES = ("vendor-docs", "observed")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Host names that look like AI services but are not in the catalog feed `candidates`.
CANDIDATE_PATTERN = (
    r"(^|[.-])(ai|gpt|llm|llms|genai|chatbot|copilot|openai|gemini|claude|mistral|"
    r"anthropic|deepseek|ollama|chat)([.-]|$)|gpt|llm")


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    vendor: str
    category: str
    jurisdiction: str
    homepage: str
    status: str
    # True for the organisation's approved tools (set by an overlay, never by the catalog).
    sanctioned: bool = False


@dataclass(frozen=True)
class Match:
    host: str
    service: Service | None
    domain: str | None

    @property
    def reason(self) -> str:
        if self.service is None:
            return "no catalog domain is a suffix of this host on a label boundary"
        if self.domain == self.host:
            return f"exact match of catalog domain {self.domain}"
        return f"{self.domain} is the longest catalog domain it ends with (label boundary)"


@dataclass
class CatalogMeta:
    """What the catalog says beyond matching: ``risk`` profiles (service id -> factor ->
    value, see shadowai.risk), ``notes`` per service, the ``released`` date (the release
    manifest's, else the newest date in the data), where it was loaded from (``origin``:
    ``shipped`` or ``imported``, ``directory``, release ``release``) and the organisation's
    ``max_age_days`` before reports warn that the catalog is old."""
    risk: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    released: str | None = None
    origin: str = "shipped"
    directory: str | None = None
    release: str | None = None
    max_age_days: int = 120

    def age_days(self, today: dt.date | None = None) -> int | None:
        if not self.released:
            return None
        return ((today or dt.date.today()) - dt.date.fromisoformat(self.released)).days


class Catalog:
    """Services by id, ``domains`` (domain -> service id) and a ``version`` string.

    ``kinds`` (domain -> web/api/static) is informational; ``overlay`` describes the
    organisation overlay applied, if any (see :meth:`with_overlay`)."""

    def __init__(self, services: dict[str, Service], domains: dict[str, str], version: str,
                 *, kinds: dict[str, str] | None = None,
                 overlay: dict[str, Any] | None = None,
                 meta: CatalogMeta | None = None):
        self.services = services
        self.domains = domains
        self.version = version
        self.kinds = kinds or {}
        self.overlay = overlay
        # Risk profiles, notes, release date and origin (see CatalogMeta).
        self.meta = meta or CatalogMeta()
        counts = [d.count(".") + 1 for d in domains]
        self._max_labels = max(counts, default=0)
        self._min_labels = min(counts, default=0)
        self._frame: pl.DataFrame | None = None
        self._tails: pl.Series | None = None

    def match(self, host: str) -> Match:
        """Longest label-boundary suffix match: a dict probe per label, no scan."""
        labels = host.split(".")
        for i in range(len(labels)):
            suffix = ".".join(labels[i:])
            sid = self.domains.get(suffix)
            if sid is not None:
                return Match(host, self.services[sid], suffix)
        return Match(host, None, None)

    def classify(self, hosts: pl.Series) -> pl.DataFrame:
        """Vectorised :meth:`match` over distinct hosts: ``host``, ``service_id`` and
        ``domain`` (null when nothing matches), one row per distinct host.

        Exactly equivalent to :meth:`match`. A host can only match a domain of L labels if
        its last ``m`` labels (m = the fewest labels of any catalog domain) are the last
        ``m`` labels of some domain, so one hash probe on that tail discards nearly all
        non-AI hosts; the few survivors get one probe per suffix length in use, longest
        first."""
        frame = pl.DataFrame({"host": hosts}, schema={"host": pl.String}).unique()
        empty = [pl.lit(None, dtype=pl.String).alias("service_id"),
                 pl.lit(None, dtype=pl.String).alias("domain")]
        if not self.domains or frame.height == 0:
            return frame.with_columns(empty)
        m, big = self._min_labels, self._max_labels
        tail = pl.col("host").str.extract(r"((?:[^.]*\.){" + str(m - 1) + r"}[^.]*)$", 1)
        hit = tail.is_in(self._tail_keys.implode()).fill_null(False)
        frame = frame.with_columns(hit.alias("_hit"))
        rest = frame.filter(~pl.col("_hit")).drop("_hit").with_columns(empty)
        cand = frame.filter(pl.col("_hit")).drop("_hit")
        if cand.height == 0:
            return rest
        # as Series built once: Python lists were converted at every call (~5 ms, most of
        # a call on one block's new hosts)
        keys, values = self._domains_frame["_domain"], self._domains_frame["_service"]
        cand = cand.with_columns(pl.col("host").str.split(".").alias("_labels"))
        # A slice longer than the host is the whole host: same answer as the host's own
        # length, so no length guard is needed (coalesce keeps the longest hit anyway).
        ks = range(big, m - 1, -1)
        cand = cand.with_columns(
            pl.col("_labels").list.slice(-k, k).list.join(".").alias(f"_s{k}") for k in ks
        ).with_columns(
            pl.col(f"_s{k}").replace_strict(keys, values, default=None,
                                             return_dtype=pl.String).alias(f"_v{k}")
            for k in ks)
        cand = cand.select(
            "host",
            pl.coalesce([pl.col(f"_v{k}") for k in ks]).alias("service_id"),
            pl.coalesce([pl.when(pl.col(f"_v{k}").is_not_null()).then(pl.col(f"_s{k}"))
                         for k in ks]).alias("domain"))
        return pl.concat([cand, rest])

    @property
    def _tail_keys(self) -> pl.Series:
        if self._tails is None:
            m = self._min_labels
            self._tails = pl.Series(
                "_tail", sorted({".".join(d.split(".")[-m:]) for d in self.domains}),
                dtype=pl.String)
        return self._tails

    @property
    def _domains_frame(self) -> pl.DataFrame:
        if self._frame is None:
            self._frame = pl.DataFrame(
                {"_domain": list(self.domains), "_service": list(self.domains.values())},
                schema={"_domain": pl.String, "_service": pl.String})
        return self._frame

    def services_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [vars(s) for s in self.services.values()],
            schema={"id": pl.String, "name": pl.String, "vendor": pl.String,
                    "category": pl.String, "jurisdiction": pl.String, "homepage": pl.String,
                    "status": pl.String, "sanctioned": pl.Boolean})

    def with_overlay(self, *, sanctioned: Iterable[str] = (),
                     private_services: Iterable[Mapping[str, Any]] = (),
                     extra_domains: Mapping[str, str] | Iterable[tuple[str, str]] = (),
                     exclude_services: Iterable[str] = (),
                     exclude_categories: Iterable[str] = (),
                     exclude_domains: Iterable[str] = ()) -> Catalog:
        """A new catalog with an organisation's overlay applied (this one is unchanged).

        - ``private_services``: services the organisation declares itself (an in-house LLM
          gateway, an internal assistant), each a mapping with ``id`` (kebab case, not a
          catalog id), ``name``, ``category`` and ``jurisdiction`` (required), ``vendor``
          (default: the name), ``homepage`` (default empty) and ``sanctioned`` (bool).
          Each needs at least one domain in ``extra_domains``.
        - ``extra_domains``: domain -> service id (catalog or private); a mapping or
          ``(domain, service_id)`` pairs. May re-assign a catalogued domain.
        - ``exclude_domains``: catalog entries to drop (their hosts then fall back to a
          shorter matching entry, if any).
        - ``exclude_services`` / ``exclude_categories``: services dropped with their
          domains. A sanctioned service is kept even if its category is excluded.
        - ``sanctioned``: service ids marked ``sanctioned=True`` (the approved tools).

        Unknown ids, categories or domains raise :class:`CatalogError`, so that a typo in
        the configuration never silently changes the figures. The version becomes
        ``<catalog version>+org.<hash of the overlay>``."""
        sanctioned = _str_list(sanctioned, "sanctioned")
        exclude_services = _str_list(exclude_services, "exclude_services")
        exclude_categories = _str_list(exclude_categories, "exclude_categories")
        exclude_domains = _str_list(exclude_domains, "exclude_domains")
        extra = _pairs(extra_domains)
        privates = [dict(p) for p in private_services]
        services = dict(self.services)
        domains = dict(self.domains)
        kinds = dict(self.kinds)

        for p in privates:
            svc = _private_service(p, services)
            services[svc.id] = svc
        for domain, sid in extra:
            problem = domain_problem(domain)
            if problem:
                raise CatalogError(f"extra_domains: {domain!r} {problem}.")
            if sid not in services:
                raise CatalogError(f"extra_domains: {domain} -> unknown service id {sid!r} "
                                   "(declare it under private services first).")
            domains[domain] = sid
            kinds.pop(domain, None)
        for p in privates:
            if p["id"] not in domains.values():
                raise CatalogError(f"private service {p['id']!r} has no domain: add one "
                                   "under extra_domains.")
        for domain in exclude_domains:
            if domain not in domains:
                raise CatalogError(f"exclude_domains: {domain!r} is not a catalog domain.")
            del domains[domain]
        for c in exclude_categories:
            if c not in CATEGORIES:
                raise CatalogError(f"exclude_categories: {c!r} is not one of "
                                   f"{', '.join(CATEGORIES)}.")
        for sid in [*exclude_services, *sanctioned]:
            if sid not in services:
                raise CatalogError(f"unknown service id {sid!r} in the catalog overlay "
                                   "(see `shadowai domains list`).")
        both = sorted(set(sanctioned) & set(exclude_services))
        if both:
            raise CatalogError(f"{', '.join(both)}: both sanctioned and excluded.")
        extra_ids = {sid for _, sid in extra}
        dropped = {sid for sid, s in services.items()
                   if sid in exclude_services
                   or (s.category in exclude_categories and sid not in sanctioned)}
        clash = sorted(dropped & extra_ids)
        if clash:
            raise CatalogError(f"extra_domains point at excluded service(s) {', '.join(clash)}.")
        for sid in dropped:
            del services[sid]
        domains = {d: sid for d, sid in domains.items() if sid in services}
        kinds = {d: k for d, k in kinds.items() if d in domains}
        for sid in sanctioned:
            services[sid] = replace(services[sid], sanctioned=True)
        overlay = {"sanctioned": sorted(sanctioned),
                   "private_services": sorted(
                       json.dumps(p, sort_keys=True, default=str) for p in privates),
                   "extra_domains": sorted(extra),
                   "exclude_services": sorted(exclude_services),
                   "exclude_categories": sorted(exclude_categories),
                   "exclude_domains": sorted(exclude_domains)}
        if not any(overlay.values()):
            return Catalog(services, domains, self.version, kinds=kinds, meta=self.meta)
        digest = hashlib.sha256(json.dumps(overlay, sort_keys=True).encode()).hexdigest()[:8]
        return Catalog(services, domains, f"{self.version}+org.{digest}", kinds=kinds,
                       overlay=overlay, meta=self.meta)


def apply_overlay(catalog: Catalog, section: Mapping[str, Any] | None,
                  where: str = "[catalog]") -> Catalog:
    """Apply the ``[catalog]`` table of ``shadowai.toml`` (already parsed by tomllib)::

        [catalog]
        sanctioned = ["mistral-le-chat", "org-llm-gateway"]
        exclude_services = ["grammarly-assistant"]
        exclude_categories = []
        exclude_domains = ["hf.space"]

        [catalog.domains]                    # extra domains: host = service id
        "llm.intranet.example.fr" = "org-llm-gateway"
        "bedrock-runtime.ap-east-2.amazonaws.com" = "amazon-bedrock"

        [[catalog.services]]                 # private services
        id = "org-llm-gateway"
        name = "Passerelle IA interne"
        vendor = "Département de l'Isère"
        category = "api-platform"
        jurisdiction = "FR"

    Any problem raises :class:`CatalogError` prefixed with ``where`` (e.g. the config
    file and table name)."""
    if not section:
        return catalog
    # dir and max_age_days locate and age the catalog itself (see load_configured).
    known = {"sanctioned", "services", "domains", "exclude_services", "exclude_categories",
             "exclude_domains", "dir", "max_age_days"}
    unknown = sorted(set(section) - known)
    try:
        if unknown:
            raise CatalogError(f"unknown key(s) {', '.join(unknown)}; expected "
                               f"{', '.join(sorted(known))}.")
        domains = section.get("domains", {})
        if not isinstance(domains, Mapping):
            raise CatalogError("domains must be a table of host = \"service-id\".")
        services = section.get("services", [])
        if not isinstance(services, list) or not all(isinstance(s, Mapping) for s in services):
            raise CatalogError("services must be an array of tables ([[catalog.services]]).")
        return catalog.with_overlay(
            sanctioned=section.get("sanctioned", ()), private_services=services,
            extra_domains=domains, exclude_services=section.get("exclude_services", ()),
            exclude_categories=section.get("exclude_categories", ()),
            exclude_domains=section.get("exclude_domains", ()))
    except CatalogError as exc:
        raise CatalogError(f"{where}: {exc}") from None


def _str_list(values: Iterable[str], name: str) -> list[str]:
    if isinstance(values, str):
        raise CatalogError(f"{name} must be a list of strings, not a single string.")
    out = list(values)
    if not all(isinstance(v, str) for v in out):
        raise CatalogError(f"{name} must be a list of strings.")
    return [v.strip().lower() if name == "exclude_domains" else v.strip() for v in out]


def _pairs(extra: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    items = extra.items() if isinstance(extra, Mapping) else extra
    out = []
    for item in items:
        if (not isinstance(item, tuple | list) or len(item) != 2
                or not all(isinstance(x, str) for x in item)):
            raise CatalogError(f"extra_domains: expected (domain, service_id), got {item!r}.")
        out.append((item[0].strip().lower().rstrip("."), item[1].strip()))
    return out


def _private_service(p: dict[str, Any], services: dict[str, Service]) -> Service:
    sid = p.get("id")
    label = f"private service {sid!r}" if sid else "private service"
    unknown = sorted(set(p) - {"id", "name", "vendor", "category", "jurisdiction", "homepage",
                               "sanctioned", "notes"})
    if unknown:
        raise CatalogError(f"{label}: unknown key(s) {', '.join(unknown)}.")
    for key in ("id", "name", "category", "jurisdiction"):
        if not isinstance(p.get(key), str) or not p[key].strip():
            raise CatalogError(f"{label}: {key} is required.")
    if not _ID.match(p["id"]):
        raise CatalogError(f"{label}: id must be lower-case kebab case (e.g. org-llm-gateway).")
    if p["id"] in services:
        raise CatalogError(f"{label}: already a service id (to add hosts to it, use "
                           "extra_domains).")
    if p["category"] not in CATEGORIES:
        raise CatalogError(f"{label}: category {p['category']!r} is not one of "
                           f"{', '.join(CATEGORIES)}.")
    if p["jurisdiction"] not in JURISDICTIONS:
        raise CatalogError(f"{label}: jurisdiction {p['jurisdiction']!r} is not one of "
                           f"{', '.join(JURISDICTIONS)}.")
    if not isinstance(p.get("sanctioned", False), bool):
        raise CatalogError(f"{label}: sanctioned must be true or false.")
    return Service(id=p["id"], name=p["name"], vendor=str(p.get("vendor") or p["name"]),
                   category=p["category"], jurisdiction=p["jurisdiction"],
                   homepage=str(p.get("homepage", "")), status="active",
                   sanctioned=bool(p.get("sanctioned", False)))


def looks_like_ai(host: str) -> bool:
    """Heuristic for catalog upkeep: a host name with an AI-ish token."""
    return bool(re.search(CANDIDATE_PATTERN, host))


def default_dir() -> Path:
    """The catalog: ``domains/`` of the repository in a source checkout or editable
    install, ``shadowai/domains/`` inside an installed wheel (see pyproject)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "domains", here.parent / "domains"):
        if (candidate / "services.csv").is_file():
            return candidate
    raise CatalogError(f"the catalog is missing (looked in {here / 'domains'} and "
                       f"{here.parent / 'domains'}). Reinstall shadowai.")


def _manifest(directory: Path) -> dict[str, Any]:
    """The release manifest of an imported catalog folder ({} for the shipped one)."""
    path = directory / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: unreadable release manifest ({exc}).") from None
    return data if isinstance(data, dict) else {}


def catalog_dir(section: Mapping[str, Any] | None, base: Path, store_path: Path) -> Path:
    """Where imported releases live: ``[catalog] dir`` (relative to the config file's
    folder ``base``), else ``catalog/`` next to the store."""
    value = (section or {}).get("dir")
    if value is None:
        return store_path.parent / "catalog"
    if not isinstance(value, str) or not value.strip():
        raise CatalogError("[catalog] dir must be a folder path.")
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def load_configured(section: Mapping[str, Any] | None, base: Path,
                    store_path: Path) -> Catalog:
    """The catalog in use: the current imported release of :func:`catalog_dir` if there
    is one, else the shipped catalog; ``meta.max_age_days`` from ``[catalog]``."""
    from shadowai.release import current_dir

    folder = catalog_dir(section, base, store_path)
    imported = current_dir(folder) if folder.is_dir() else None
    cat = load(imported)
    max_age = (section or {}).get("max_age_days", 120)
    if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 1:
        raise CatalogError(f"[catalog] max_age_days must be a positive number of days, not "
                           f"{max_age!r}.")
    cat.meta.max_age_days = max_age
    cat.meta.origin = "imported" if imported else "shipped"
    return cat


def load(directory: Path | None = None) -> Catalog:
    directory = directory or default_dir()
    services_text = _read(directory / "services.csv")
    domains_text = _read(directory / "domains.csv")
    services: dict[str, Service] = {}
    notes: dict[str, str] = {}
    fields = [f for f in Service.__dataclass_fields__ if f in SERVICE_COLUMNS]
    for line, row in _rows(directory / "services.csv", services_text, SERVICE_COLUMNS):
        where = f"{directory / 'services.csv'}:{line}"
        _check_service(row, where)
        if row["id"] in services:
            raise CatalogError(f"{where}: duplicate service id {row['id']!r}.")
        services[row["id"]] = Service(**{k: row[k] for k in fields})
        notes[row["id"]] = row["notes"]
    domains: dict[str, str] = {}
    kinds: dict[str, str] = {}
    latest = "0000-00-00"
    for line, row in _rows(directory / "domains.csv", domains_text, DOMAIN_COLUMNS):
        where = f"{directory / 'domains.csv'}:{line}"
        problem = domain_problem(row["domain"])
        if problem:
            raise CatalogError(f"{where}: {row['domain']!r} {problem}.")
        if row["service_id"] not in services:
            raise CatalogError(f"{where}: unknown service id {row['service_id']!r}.")
        if row["domain"] in domains:
            raise CatalogError(f"{where}: duplicate domain {row['domain']!r}.")
        domains[row["domain"]] = row["service_id"]
        kinds[row["domain"]] = row["kind"]
        latest = max(latest, row["added"])
    digest = hashlib.sha256((services_text + domains_text).encode()).hexdigest()[:10]
    profiles = risk_mod.load(directory, {sid: s.vendor for sid, s in services.items()})
    orphans = risk_mod.vendors_without_service(directory, {s.vendor for s in services.values()})
    if orphans:
        raise CatalogError(f"{directory / risk_mod.VENDOR_FILE}: unknown vendor(s) "
                           f"{', '.join(orphans)}.")
    unknown = sorted(set(profiles) - set(services))
    if unknown:
        raise CatalogError(f"{directory / risk_mod.RISK_FILE}: unknown service id(s) "
                           f"{', '.join(unknown)}.")
    checked = [v.checked for p in profiles.values() for v in p.values()]
    manifest = _manifest(directory)
    meta = CatalogMeta(risk=profiles, notes=notes,
                       released=manifest.get("released") or max([latest, *checked]),
                       release=manifest.get("version"), directory=str(directory))
    return Catalog(services, domains, f"{latest}+{digest}", kinds=kinds, meta=meta)


def domain_problem(domain: str) -> str | None:
    """Why a catalog domain is not a normalised DNS name, or None."""
    if domain != domain.strip().lower() or domain.endswith("."):
        return "is not normalised (lower case, no spaces, no trailing dot)"
    labels = domain.split(".")
    if len(labels) < 2:
        return "is a bare label (a top-level domain would match everything under it)"
    if not all(_LABEL.match(x) for x in labels):
        return "is not a valid host name"
    return None


def stats(catalog: Catalog) -> dict[str, Any]:
    """Counts for ``shadowai domains stats``: services by category, by jurisdiction and
    both, active/retired/sanctioned services, domains (total and by kind)."""
    by_cat = dict.fromkeys(CATEGORIES, 0)
    by_jur = dict.fromkeys(JURISDICTIONS, 0)
    matrix = {c: dict.fromkeys(JURISDICTIONS, 0) for c in CATEGORIES}
    status = {"active": 0, "retired": 0}
    for s in catalog.services.values():
        by_cat[s.category] = by_cat.get(s.category, 0) + 1
        by_jur[s.jurisdiction] = by_jur.get(s.jurisdiction, 0) + 1
        matrix.setdefault(s.category, dict.fromkeys(JURISDICTIONS, 0))
        matrix[s.category][s.jurisdiction] = matrix[s.category].get(s.jurisdiction, 0) + 1
        status[s.status] = status.get(s.status, 0) + 1
    by_kind = dict.fromkeys(KINDS, 0)
    for d in catalog.domains:
        kind = catalog.kinds.get(d, "unknown")
        by_kind[kind] = by_kind.get(kind, 0) + 1
    domains_by_cat = dict.fromkeys(CATEGORIES, 0)
    for sid in catalog.domains.values():
        cat = catalog.services[sid].category
        domains_by_cat[cat] = domains_by_cat.get(cat, 0) + 1
    return {
        "version": catalog.version,
        "services": len(catalog.services),
        "active": status.get("active", 0),
        "retired": status.get("retired", 0),
        "sanctioned": sum(s.sanctioned for s in catalog.services.values()),
        "vendors": len({s.vendor for s in catalog.services.values()}),
        "domains": len(catalog.domains),
        "domains_by_kind": by_kind,
        "domains_by_category": domains_by_cat,
        "by_category": by_cat,
        "by_jurisdiction": by_jur,
        "by_category_jurisdiction": matrix,
        "released": catalog.meta.released,
        "origin": catalog.meta.origin,
        "release": catalog.meta.release,
        "risk": risk_mod.coverage(sorted(catalog.services), catalog.meta.risk),
    }


# --- validation ------------------------------------------------------------------------


def validate(catalog_dir: Path | None = None) -> list[str]:
    """Every problem of the catalog data, as ``file:line: message`` strings (empty when
    the catalog is clean). Used by the test suite and ``shadowai domains validate``.

    Refuses: bad headers, blank lines, untrimmed fields, duplicates, files not sorted
    (plain string order), invalid ids, categories, jurisdictions, statuses and dates,
    non-normalised or invalid domain names, unknown service ids, services without a
    domain, domains that are public suffixes (ICANN and private sections of the Public
    Suffix List; a private-section suffix is accepted only when reviewed in
    ``psl_exceptions.csv``) or have no registrable domain, and domains equal to, or
    parents of, an over-broad platform domain of ``overbroad.csv``."""
    directory = catalog_dir or default_dir()
    problems: list[str] = []
    services = _validate_services(directory, problems)
    service_lines = services
    domain_rows = _validate_domains(directory, set(services), problems)
    used = {row["service_id"] for _, row in domain_rows}
    for sid, line in service_lines.items():
        if sid not in used:
            problems.append(f"{directory / 'services.csv'}:{line}: service {sid!r} has no "
                            "domain in domains.csv.")
    service_rows = [row for _, row in _raw_rows(directory / "services.csv", SERVICE_COLUMNS, [])]
    jurisdictions = {row["id"]: row["jurisdiction"] for row in service_rows}
    vendors = {row["id"]: row["vendor"] for row in service_rows}
    risk_mod.validate(directory, set(services), problems, jurisdictions, vendors)
    overbroad = _reviewed_list(directory / OVERBROAD_FILE, OVERBROAD_COLUMNS, problems)
    exceptions = _reviewed_list(directory / PSL_EXCEPTIONS_FILE, PSL_EXCEPTIONS_COLUMNS,
                                problems)
    path = directory / "domains.csv"
    for line, row in domain_rows:
        domain = row["domain"]
        for bad in overbroad:
            if bad == domain or bad.endswith("." + domain):
                what = "is" if bad == domain else f"is a parent of {bad}, which is"
                problems.append(f"{path}:{line}: {domain} {what} an over-broad platform "
                                f"domain ({overbroad[bad]}); list specific hosts instead.")
    _validate_public_suffixes(path, domain_rows, exceptions, directory, problems)
    return problems


def _validate_services(directory: Path, problems: list[str]) -> dict[str, int]:
    path = directory / "services.csv"
    rows = _raw_rows(path, SERVICE_COLUMNS, problems)
    seen: dict[str, int] = {}
    previous = ""
    for line, row in rows:
        where = f"{path}:{line}"
        sid = row["id"]
        if not _ID.match(sid):
            problems.append(f"{where}: service id {sid!r} is not vendor-product kebab case.")
        if sid in seen:
            problems.append(f"{where}: duplicate service id {sid!r} (first on line "
                            f"{seen[sid]}).")
        else:
            seen[sid] = line
        if sid < previous:
            problems.append(f"{where}: not sorted: {sid!r} comes before {previous!r} "
                            "(sort by id, plain string order).")
        previous = max(previous, sid)
        for key in ("name", "vendor"):
            if not row[key]:
                problems.append(f"{where}: {key} is empty.")
        if row["category"] not in CATEGORIES:
            problems.append(f"{where}: category {row['category']!r} is not one of "
                            f"{', '.join(CATEGORIES)}.")
        if row["jurisdiction"] not in JURISDICTIONS:
            problems.append(f"{where}: jurisdiction {row['jurisdiction']!r} is not one of "
                            f"{', '.join(JURISDICTIONS)}.")
        if not re.match(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$", row["homepage"]):
            problems.append(f"{where}: homepage {row['homepage']!r} is not an https:// URL.")
        if row["status"] not in STATUSES:
            problems.append(f"{where}: status {row['status']!r} is not one of "
                            f"{', '.join(STATUSES)}.")
        elif row["status"] == "retired" and not _is_date(row["retired_on"]):
            problems.append(f"{where}: a retired service needs retired_on (YYYY-MM-DD).")
        elif row["status"] == "active" and row["retired_on"]:
            problems.append(f"{where}: retired_on is set but status is active.")
    return seen


def _validate_domains(directory: Path, service_ids: set[str],
                      problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    path = directory / "domains.csv"
    rows = _raw_rows(path, DOMAIN_COLUMNS, problems)
    seen: dict[str, int] = {}
    previous = ""
    today = dt.date.today().isoformat()
    good: list[tuple[int, dict[str, str]]] = []
    for line, row in rows:
        where = f"{path}:{line}"
        domain = row["domain"]
        problem = domain_problem(domain)
        if problem:
            problems.append(f"{where}: {domain!r} {problem}.")
        if domain in seen:
            problems.append(f"{where}: duplicate domain {domain!r} (first on line "
                            f"{seen[domain]}).")
        else:
            seen[domain] = line
        if domain < previous:
            problems.append(f"{where}: not sorted: {domain!r} comes before {previous!r} "
                            "(sort by domain, plain string order).")
        previous = max(previous, domain)
        if row["service_id"] not in service_ids:
            problems.append(f"{where}: unknown service id {row['service_id']!r}.")
        if row["kind"] not in KINDS:
            problems.append(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}.")
        if not _is_date(row["added"]):
            problems.append(f"{where}: added {row['added']!r} is not a YYYY-MM-DD date.")
        elif row["added"] > today:
            problems.append(f"{where}: added {row['added']} is in the future.")
        source = row["source"]
        if source not in SOURCES and not re.match(r"^https://\S+$", source):
            problems.append(f"{where}: source {source!r} must be vendor-docs, observed or "
                            "an https:// URL.")
        if not problem:
            good.append((line, row))
    return good


def _validate_public_suffixes(path: Path, rows: list[tuple[int, dict[str, str]]],
                              exceptions: dict[str, str], directory: Path,
                              problems: list[str]) -> None:
    try:
        from publicsuffixlist import PublicSuffixList
    except ImportError:
        problems.append(f"{path}: cannot check public suffixes: the publicsuffixlist package "
                        "is not installed (pip install 'shadowai[test]').")
        return
    icann = PublicSuffixList(only_icann=True, accept_unknown=False)
    full = PublicSuffixList(accept_unknown=False)
    catalogued = {row["domain"] for _, row in rows}
    for line, row in rows:
        domain = row["domain"]
        where = f"{path}:{line}"
        if icann.privatesuffix(domain) is None:
            problems.append(f"{where}: {domain} has no registrable domain (it is a public "
                            "suffix or its top-level domain is unknown).")
        elif full.is_public(domain) and domain not in exceptions:
            problems.append(f"{where}: {domain} is a public suffix in the private section of "
                            "the Public Suffix List (names under it belong to different "
                            "owners, e.g. user-published sites); list it only after review, "
                            f"in {PSL_EXCEPTIONS_FILE}.")
    exc_path = directory / PSL_EXCEPTIONS_FILE
    for domain in exceptions:
        if domain not in catalogued:
            problems.append(f"{exc_path}: {domain} is not in domains.csv (remove it).")
        elif not full.is_public(domain):
            problems.append(f"{exc_path}: {domain} is not a private-section public suffix "
                            "(remove it).")


def _reviewed_list(path: Path, columns: list[str], problems: list[str]) -> dict[str, str]:
    """``domain,reason`` lists (over-broad domains, reviewed PSL exceptions)."""
    if not path.is_file():
        problems.append(f"{path}: missing (a sorted CSV {','.join(columns)}).")
        return {}
    out: dict[str, str] = {}
    previous = ""
    for line, row in _raw_rows(path, columns, problems):
        domain = row["domain"]
        problem = domain_problem(domain)
        if problem:
            problems.append(f"{path}:{line}: {domain!r} {problem}.")
        if domain in out:
            problems.append(f"{path}:{line}: duplicate domain {domain!r}.")
        if domain < previous:
            problems.append(f"{path}:{line}: not sorted: {domain!r} comes before "
                            f"{previous!r}.")
        previous = max(previous, domain)
        if not row["reason"]:
            problems.append(f"{path}:{line}: {domain}: give a reason.")
        out[domain] = row["reason"]
    return out


def _raw_rows(path: Path, columns: list[str],
              problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers, reporting layout problems (header, blank lines,
    wrong field counts, untrimmed fields) instead of raising."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read ({exc}).")
        return []
    lines = text.split("\n")
    if text and not text.endswith("\n"):
        problems.append(f"{path}:{len(lines)}: the file must end with a newline.")
    for number, raw in enumerate(lines[:-1] if text.endswith("\n") else lines, start=1):
        if not raw.strip():
            problems.append(f"{path}:{number}: blank line.")
        elif raw.endswith("\r"):
            problems.append(f"{path}:{number}: Windows line ending (use \\n).")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != columns:
        problems.append(f"{path}:1: header must be {','.join(columns)}.")
        return []
    rows = []
    for record in reader:
        line = reader.line_num
        if not record:
            continue
        if len(record) != len(columns):
            problems.append(f"{path}:{line}: {len(record)} fields, expected {len(columns)}.")
            continue
        row = dict(zip(columns, record, strict=True))
        for key, value in row.items():
            if value != value.strip():
                problems.append(f"{path}:{line}: {key} has leading or trailing spaces.")
        rows.append((line, {k: v.strip() for k, v in row.items()}))
    return rows


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_service(row: dict[str, str], where: str) -> None:
    if not _ID.match(row["id"]):
        raise CatalogError(f"{where}: service id {row['id']!r} is not vendor-product kebab case.")
    if row["category"] not in CATEGORIES:
        raise CatalogError(f"{where}: category {row['category']!r} is not one of "
                           f"{', '.join(CATEGORIES)}.")
    if row["jurisdiction"] not in JURISDICTIONS:
        raise CatalogError(f"{where}: jurisdiction {row['jurisdiction']!r} is not one of "
                           f"{', '.join(JURISDICTIONS)}.")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc.strerror}).") from None


def _rows(path: Path, text: str, columns: list[str]):
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != columns:
        raise CatalogError(f"{path}:1: header must be {','.join(columns)}.")
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
