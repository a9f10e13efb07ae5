"""The gen-AI catalog (``domains/``): load, validate, match hosts.

A host matches a catalog domain on label boundaries (``claude.ai`` matches ``claude.ai``
and ``www.claude.ai``, never ``notclaude.ai``); the longest matching domain wins, so
``copilot.microsoft.com`` can be catalogued while ``microsoft.com`` is not.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from shadowai.errors import CatalogError

SERVICE_COLUMNS = ["id", "name", "vendor", "category", "jurisdiction", "homepage", "status",
                   "retired_on", "notes"]
DOMAIN_COLUMNS = ["domain", "service_id", "kind", "added", "source"]
CATEGORIES = ("chat-assistant", "code-assistant", "image-generation", "video-generation",
              "audio-generation", "translation", "writing", "meeting-transcription",
              "search-answer", "api-platform", "agents-automation")
JURISDICTIONS = ("FR", "EU", "US", "CN", "OTHER")
KINDS = ("web", "api", "static")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
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


class Catalog:
    def __init__(self, services: dict[str, Service], domains: dict[str, str], version: str):
        self.services = services
        self.domains = domains
        self.version = version
        self._max_labels = max((d.count(".") + 1 for d in domains), default=0)
        self._frame: pl.DataFrame | None = None

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
        ``domain`` (null when nothing matches). One hash join per suffix length in use by
        the catalog, longer suffixes overriding shorter ones."""
        frame = pl.DataFrame({"host": hosts}).unique().with_columns(
            pl.col("host").str.split(".").alias("_labels"),
            pl.lit(None, dtype=pl.String).alias("service_id"),
            pl.lit(None, dtype=pl.String).alias("domain"))
        for k in range(1, self._max_labels + 1):
            suffix = pl.col("_labels").list.slice(-k, k).list.join(".")
            hit = frame.with_columns(suffix.alias("_suffix")).join(
                self._domains_frame, left_on="_suffix", right_on="_domain", how="left")
            found = pl.col("_service").is_not_null() & (pl.col("_labels").list.len() >= k)
            frame = hit.with_columns(
                pl.when(found).then(pl.col("_service")).otherwise(pl.col("service_id"))
                .alias("service_id"),
                pl.when(found).then(pl.col("_suffix")).otherwise(pl.col("domain"))
                .alias("domain"),
            ).drop("_suffix", "_service")
        return frame.drop("_labels")

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
                    "status": pl.String})


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


def load(directory: Path | None = None) -> Catalog:
    directory = directory or default_dir()
    services_text = _read(directory / "services.csv")
    domains_text = _read(directory / "domains.csv")
    services: dict[str, Service] = {}
    for line, row in _rows(directory / "services.csv", services_text, SERVICE_COLUMNS):
        where = f"{directory / 'services.csv'}:{line}"
        _check_service(row, where)
        if row["id"] in services:
            raise CatalogError(f"{where}: duplicate service id {row['id']!r}.")
        services[row["id"]] = Service(**{k: row[k] for k in Service.__dataclass_fields__})
    domains: dict[str, str] = {}
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
    digest = hashlib.sha256((services_text + domains_text).encode()).hexdigest()[:10]
    latest = max((r["added"] for _, r in _rows(directory / "domains.csv", domains_text,
                                               DOMAIN_COLUMNS)), default="0000-00-00")
    return Catalog(services, domains, f"{latest}+{digest}")


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
