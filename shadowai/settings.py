"""Every setting, defined once: name, default, type and help feed the loader, validation,
``shadowai init``'s commented config file and the README.

Precedence: built-in default < ``shadowai.toml`` < ``SHADOWAI_<SECTION>_<KEY>`` environment
variable < command-line option. Relative paths in a config file are relative to that file.
"""

from __future__ import annotations

import math
import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shadowai.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    default: Any
    kind: type
    help: str
    is_path: bool = False

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def env(self) -> str:
        return f"SHADOWAI_{self.section}_{self.key}".upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "path", "shadowai.duckdb", str, "DuckDB file holding the aggregates.", True),
    Setting("privacy", "key_ring", "", str,
            "Folder (0700) holding one random key per open month (files YYYY-MM.key, 0600), "
            "outside the store and its backups. Empty: next to key_file, named like it with "
            "'.keys' (shadowai.keys). A month's key is destroyed when the month is closed.",
            True),
    Setting("privacy", "key_file", "shadowai.key", str,
            "Secret key of shadowai < 0.2, from which month keys were derived. If it exists "
            "it is migrated into the key ring once, then destroyed.", True),
    Setting("privacy", "close_after_days", 10, int,
            "Close a month automatically this many days after it ends, at the first command "
            "that notices it: its per-person rows are aggregated away and its key destroyed, "
            "so nobody can re-identify it any more. 0: only 'shadowai close'."),
    Setting("privacy", "k", 5, int,
            "k-anonymity threshold: no per-department figure about fewer than k people is shown."),
    Setting("privacy", "controller", "", str,
            "Controller named in the transparency documents (GDPR art. 13 and 30), e.g. "
            "\"Conseil départemental de l'Exemple, 1 rue …\"; empty: [report] organisation."),
    Setting("privacy", "dpo_contact", "", str,
            "How to reach the data protection officer, e.g. \"dpo@exemple.fr\"; stated in "
            "the information notice, the record and the DPIA summary."),
    Setting("directory", "users", "", str, "CSV 'user,department' (optional).", True),
    Setting("directory", "networks", "", str, "CSV 'cidr,department' (optional).", True),
    Setting("directory", "headcount", "", str, "CSV 'department,headcount' (optional).", True),
    Setting("report", "out", "reports", str, "Folder where reports/YYYY-MM/ are written.", True),
    Setting("report", "lang", "fr", str, "Report language: fr or en."),
    Setting("report", "unit", "", str,
            "Counting unit whose files make the month's figures when several feed a month "
            "(e.g. \"proxy request\"); empty: the closest to deliberate use (proxy first, "
            "DNS last). Other units are shown apart, never added."),
    Setting("report", "organisation", "", str,
            "Organisation name printed on every page of the report and its PDF."),
    Setting("report", "csv_dialect", "auto", str,
            "CSV exports: 'semicolon' (';', UTF-8 with BOM: what French Excel opens), "
            "'comma' (RFC 4180, no BOM) or 'auto' (semicolon for fr, comma for en)."),
    Setting("report", "show_file_names", False, bool,
            "Name input files in reports and summary.json (else: format + number, e.g. "
            "'squid-native #3'). Never for a file whose AI users are fewer than k: a file "
            "may be named after a person (jean.dupont.log, a workstation's log)."),
    Setting("report", "timezone", "Europe/Paris", str,
            "Time zone of the organisation: days and month boundaries are in this zone."),
    Setting("training", "users_share", 1.0, float,
            "Training places: this share of the people already using public AI..."),
    Setting("training", "others_share", 0.1, float,
            "...plus this share of the rest of the department's headcount..."),
    Setting("training", "group_size", 12, int, "...in sessions of this many people."),
    Setting("ingest", "episode_gap_minutes", 30.0, float,
            "A usage episode is a person's requests to one service with gaps under this many "
            "minutes (re-ingest with --force after changing it)."),
    Setting("ingest", "max_rejected_ratio", 0.001, float,
            "Share of rejected lines tolerated before a run exits with code 2 (partial)."),
    Setting("ingest", "exclude", [], list,
            "File name or path patterns (glob) skipped when walking folders, e.g. "
            "[\"*.old\", \"*/archive/*\"]. Squid's cache.log and store.log, empty files and "
            "shadowai's own store and key are always skipped."),
    Setting("ingest", "workers", 0, int,
            "Processes reading files in parallel (--workers); 0: one per core available."),
    Setting("ingest", "include", [], list,
            "When set, only files whose name or path matches one of these patterns (glob) "
            "are read when walking folders, e.g. [\"access.log*\"]."),
    Setting("s3", "endpoint", "", str,
            "s3:// inputs: URL of an S3-compatible store (MinIO, Ceph, OVHcloud...), e.g. "
            "\"https://s3.example.gouv.fr\"; empty: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, "
            "else AWS."),
    Setting("s3", "region", "", str,
            "s3:// inputs: region; empty: AWS_REGION or AWS_DEFAULT_REGION, else us-east-1."),
    Setting("s3", "access_key_id", "", str,
            "s3:// inputs: access key; empty: the AWS environment (AWS_ACCESS_KEY_ID, "
            "AWS_PROFILE, web identity...) where files are read."),
    Setting("s3", "secret_access_key", "", str,
            "s3:// inputs: secret key, with access_key_id (better: SHADOWAI_S3_SECRET_ACCESS_KEY "
            "or AWS_SECRET_ACCESS_KEY in the environment, not in this file)."),
    Setting("s3", "timeout", 10.0, float,
            "s3:// inputs: seconds to connect, and without data on a request, before an "
            "attempt fails (3 attempts)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
LANGS = ("fr", "en")
CSV_DIALECTS = ("auto", "semicolon", "comma")


@dataclass(frozen=True)
class Config:
    """Resolved settings. ``source`` is the config file used, if any."""

    values: dict[str, Any]
    source: Path | None = None
    #: Free-form tables that are not flat settings: ``catalog`` (the organisation's
    #: overlay of the gen-AI catalog, see shadowai.catalog.apply_overlay) and ``formats``
    #: (CSV/JSON-lines formats mapped column by column, see shadowai.formats._mapped).
    tables: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def path(self, name: str) -> Path | None:
        value = self.values[name]
        return Path(value) if value else None


def default_config_path() -> Path:
    return Path(os.environ.get("SHADOWAI_CONFIG", "shadowai.toml"))


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Load ``path`` (or the default location, which may be absent) and validate every value."""
    explicit = path is not None or "SHADOWAI_CONFIG" in os.environ
    path = path or default_config_path()
    raw: dict[str, Any] = {}
    source: Path | None = None
    if path.exists():
        source = path
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}). Fix the file or "
                              "regenerate one with 'shadowai init'.") from None
    elif explicit:
        raise ConfigError(f"{path}: config file not found. Create one with "
                          f"'shadowai init --config {path}' or omit --config.")
    base = source.parent if source else Path.cwd()
    values: dict[str, Any] = {}
    _reject_unknown(raw, path)
    for s in SETTINGS:
        value, origin = s.default, "default"
        if s.key in raw.get(s.section, {}):
            value, origin = raw[s.section][s.key], f"{path} [{s.section}] {s.key}"
        if s.env in os.environ:
            value, origin = os.environ[s.env], s.env
        if overrides and overrides.get(s.name) is not None:
            value, origin = overrides[s.name], "command line"
        value = _coerce(s, value, origin)
        if s.is_path and value and origin != "command line" and not origin.startswith("SHADOWAI"):
            value = os.path.normpath(base / value) if not Path(value).is_absolute() else value
        values[s.name] = value
    _validate(values)
    tables = {name: raw[name] for name in TABLES if name in raw}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{name}' must be a [{name}] table, got "
                              f"{_shown(table)}. Run 'shadowai init --print' to see the "
                              "expected layout.")
    for pattern, zone in tables.get("timezones", {}).items():
        try:
            zoneinfo.ZoneInfo(str(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{path} [timezones]: {zone!r} (for {pattern!r}) is not a known "
                              "IANA time zone (e.g. America/Cayenne).") from None
    return Config(values, source, tables)


TABLES = ("catalog", "formats", "timezones")


def _reject_unknown(raw: dict[str, Any], path: Path) -> None:
    for section, table in raw.items():
        if section in TABLES:
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{section}' must be a [section]. "
                              "Run 'shadowai init --print' to see the expected layout.")
        for key in table:
            if f"{section}.{key}" not in _BY_NAME:
                known = ", ".join(sorted(_BY_NAME))
                raise ConfigError(f"{path}: unknown setting [{section}] {key}. Known: {known}.")


def _coerce(s: Setting, value: Any, origin: str) -> Any:
    """``value`` as the setting's type, or a ConfigError. Numbers must be finite, and a
    whole number must be whole (``k = 2.9`` is refused, not rounded down to 2)."""
    if s.kind is str and isinstance(value, str):
        return value
    if s.kind is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in ("true", "1", "yes", "false", "0", "no"):
            return word in ("true", "1", "yes")
        raise ConfigError(f"{origin}: {s.name} must be true or false, got {_shown(value)}.")
    try:
        if s.kind is list:
            if isinstance(value, str):  # from the environment: a,b,c
                return [x.strip() for x in value.split(",") if x.strip()]
            if isinstance(value, list) and all(isinstance(x, str) for x in value):
                return value
            raise TypeError
        if s.kind is str or isinstance(value, bool):
            raise TypeError
        number = float(value) if isinstance(value, str) else value
        if not isinstance(number, int | float):
            raise TypeError
        if not math.isfinite(number):
            raise ValueError
        if s.kind is int:
            if isinstance(value, str):
                return int(value.strip())
            if number != int(number):
                raise ValueError
            return int(number)
        return float(number)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{origin}: {s.name} must be {_KIND[s.kind]}, "
                          f"got {_shown(value)}.") from None


_KIND = {int: "a whole number", float: "a finite number", str: "text",
         list: "a list of strings"}


def _shown(value: Any) -> str:
    """A config value as the user wrote it, cut short (a message stays one line)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _validate(values: dict[str, Any]) -> None:
    if values["privacy.k"] < 2:
        raise ConfigError(f"privacy.k must be at least 2 (got {values['privacy.k']}); "
                          "k = 1 would show single people.")
    if values["privacy.close_after_days"] < 0:
        raise ConfigError("privacy.close_after_days must be 0 (never automatically) or more "
                          f"(got {values['privacy.close_after_days']}).")
    if not values["privacy.key_ring"] and values["privacy.key_file"]:
        key_file = Path(values["privacy.key_file"])
        values["privacy.key_ring"] = str(key_file.with_name(key_file.stem + ".keys"))
    if values["report.csv_dialect"] not in CSV_DIALECTS:
        raise ConfigError(f"report.csv_dialect must be one of {', '.join(CSV_DIALECTS)} "
                          f"(got {values['report.csv_dialect']!r}).")
    if values["report.lang"] not in LANGS:
        raise ConfigError(f"report.lang must be one of {', '.join(LANGS)} "
                          f"(got {values['report.lang']!r}).")
    try:
        zoneinfo.ZoneInfo(values["report.timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"report.timezone {values['report.timezone']!r} is not a known "
                          "IANA time zone (e.g. Europe/Paris).") from None
    for name in ("training.users_share", "training.others_share"):
        if not 0 <= values[name] <= 1:
            raise ConfigError(f"{name} must be between 0 and 1 (got {values[name]}).")
    if values["training.group_size"] < 1:
        raise ConfigError("training.group_size must be at least 1.")
    if values["ingest.workers"] < 0:
        raise ConfigError(f"ingest.workers must be 0 (one per core) or more "
                          f"(got {values['ingest.workers']}).")
    if values["ingest.episode_gap_minutes"] <= 0:
        raise ConfigError("ingest.episode_gap_minutes must be positive "
                          f"(got {values['ingest.episode_gap_minutes']}).")
    ratio = values["ingest.max_rejected_ratio"]
    if not 0 <= ratio <= 1:
        raise ConfigError(f"ingest.max_rejected_ratio must be between 0 and 1 (got {ratio}).")


CATALOG_EXAMPLE = """
# Sources logging local time in another zone than [report] timezone (file name or path
# pattern = IANA zone); days and months stay those of [report] timezone:
# [timezones]
# "*fw-cayenne*" = "America/Cayenne"

# The organisation's overlay of the gen-AI catalog (all optional):
# [catalog]
# sanctioned = ["mistral-le-chat"]          # approved tools, reported apart from shadow use
# alternatives = { chat-assistant = "mistral-le-chat" }  # per category of use, the
#                                            # sanctioned service the report proposes
# exclude_services = []                      # services not to count
# exclude_categories = []                    # e.g. ["translation"]
# exclude_domains = []
# [catalog.domains]                          # extra domains: host = service id
# "llm.intranet.example.fr" = "org-llm-gateway"
# [[catalog.services]]                       # private services (an in-house LLM gateway)
# id = "org-llm-gateway"
# name = "Passerelle IA interne"
# vendor = "Notre organisation"
# category = "api-platform"
# jurisdiction = "FR"
"""


def render_toml() -> str:
    """The commented config file ``shadowai init`` writes: every setting with its default."""
    out = ["# shadowai configuration. Relative paths are relative to this file.",
           "# Each value can also be set with the environment variable shown.", ""]
    section = None
    for s in SETTINGS:
        if s.section != section:
            section = s.section
            out += ["", f"[{section}]"] if out[-1] != "" else [f"[{section}]"]
        out.append(f"# {s.help} (env {s.env})")
        value = s.default
        line = f"{s.key} = {_toml_value(value)}"
        out.append(line if value != "" else f"# {line}")
    return "\n".join(out).strip() + "\n" + CATALOG_EXAMPLE


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(x) for x in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
