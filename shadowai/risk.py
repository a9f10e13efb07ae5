"""Risk profile of catalogued services (``domains/risk.csv``): load, validate, summarise.

One row per service and factor (``service_id,factor,value,source,checked``), so that every
value carries its own source and the date it was checked. ``unknown`` is a valid value and
is shown as such; any other value needs an ``https://`` source. The extraterritorial laws a
vendor is exposed to are not stored: they are derived from the catalog's ``jurisdiction``
column (and, for ``OTHER``, the country named first in ``notes``).

A policy that is the vendor's for all its products (one data-processing agreement, one
EU data boundary) is written once in ``domains/risk_vendors.csv``
(``vendor,factor,value,source,checked``, the vendor named as in ``services.csv``); every
service of that vendor inherits it, and a row of ``risk.csv`` for the service wins."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shadowai.errors import CatalogError

RISK_FILE = "risk.csv"
RISK_COLUMNS = ["service_id", "factor", "value", "source", "checked"]
VENDOR_FILE = "risk_vendors.csv"
VENDOR_COLUMNS = ["vendor", "factor", "value", "source", "checked"]
YES_NO = ("yes", "no", "unknown")
#: factor -> allowed values (what each means is in domains/README.md).
FACTORS: dict[str, tuple[str, ...]] = {
    # consumer (free or personal) use trains the vendor's models on inputs by default
    "trains_on_inputs": YES_NO,
    # a person can switch that training off (setting or form)
    "training_opt_out": YES_NO,
    # an offer keeps data in the EU (EU data residency or EU-only hosting)
    "eu_data_residency": YES_NO,
    # an enterprise or API offer with a data-processing agreement (GDPR art. 28)
    "enterprise_dpa": YES_NO,
    # the service is qualified SecNumCloud by ANSSI (stored for FR/EU vendors only: the
    # scheme excludes vendors under non-EU law, see :func:`secnumcloud`)
    "secnumcloud": YES_NO,
}
# Factors every complete profile has (secnumcloud is derived for non-EU vendors).
PROFILE_FACTORS = ("trains_on_inputs", "training_opt_out", "eu_data_residency",
                   "enterprise_dpa")
SECNUMCLOUD_RULE = "https://www.ssi.gouv.fr/faq-avant-de-se-lancer-dans-la-qualification-secnumcloud"
# Laws giving a government access to data held by a vendor established under it.
LAWS: dict[str, tuple[str, ...]] = {
    "US": ("CLOUD Act (2018)", "FISA section 702"),
    "CN": ("National Intelligence Law (2017) art. 7", "Data Security Law (2021)"),
    "FR": (),
    "EU": (),
}
# Countries of OTHER vendors (first word(s) of their notes) with such laws.
COUNTRY_LAWS: dict[str, tuple[str, ...]] = {
    "Russia": ("Federal Law 374-FZ (Yarovaya law)", "SORM interception system"),
    "United Kingdom": ("Investigatory Powers Act 2016",),
    "India": ("Information Technology Act 2000 s. 69",),
    "Israel": ("Communications Data Law 2007",),
    "Australia": ("Telecommunications (Assistance and Access) Act 2018",),
    "Canada": (),
    "Switzerland": (),
    "Singapore": (),
    "Japan": (),
    "South Korea": (),
    "Norway": (),
    "Vietnam": ("Cybersecurity Law (2018)",),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The country that starts an OTHER vendor's notes ends at the first ";", ",", ":" or "(":
# "India; ...", "United Kingdom: London (Sifted AI 100, 2025); ..." both name their country.
_COUNTRY_END = re.compile(r"[;,:(]")


@dataclass(frozen=True)
class RiskValue:
    value: str
    source: str
    checked: str
    # "service" (a row of risk.csv) or "vendor" (inherited from risk_vendors.csv)
    scope: str = "service"


Profile = dict[str, RiskValue]


def load(directory: Path, vendors: Mapping[str, str] | None = None) -> dict[str, Profile]:
    """service id -> factor -> value; empty when the catalog has no ``risk.csv``. With
    ``vendors`` (service id -> vendor), the vendor-wide values of ``risk_vendors.csv`` fill
    the factors a service's own rows leave out."""
    out: dict[str, Profile] = {}
    for sid, factor, value in _load_rows(directory / RISK_FILE, RISK_COLUMNS):
        out.setdefault(sid, {})[factor] = value
    by_vendor: dict[str, Profile] = {}
    for vendor, factor, value in _load_rows(directory / VENDOR_FILE, VENDOR_COLUMNS):
        by_vendor.setdefault(vendor, {})[factor] = RiskValue(
            value.value, value.source, value.checked, "vendor")
    for sid, vendor in (vendors or {}).items():
        for factor, value in by_vendor.get(vendor, {}).items():
            out.setdefault(sid, {}).setdefault(factor, value)
    return out


def vendors_without_service(directory: Path, vendors: set[str]) -> list[str]:
    """Vendors named in ``risk_vendors.csv`` that no service of the catalog has."""
    named = {key for key, _, _ in _load_rows(directory / VENDOR_FILE, VENDOR_COLUMNS)}
    return sorted(named - vendors)


def _load_rows(path: Path, columns: list[str]):
    """(key, factor, value) of every row of a risk file; nothing when it is absent."""
    if not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read ({exc}).") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != columns:
        raise CatalogError(f"{path}:1: header must be {','.join(columns)}.")
    for row in reader:
        problem = value_problem(row)
        if problem:
            raise CatalogError(f"{path}:{reader.line_num}: {problem}")
        yield row[columns[0]], row["factor"], RiskValue(row["value"], row["source"],
                                                        row["checked"])


def value_problem(row: dict[str, str]) -> str | None:
    """Why one row of risk.csv is invalid, or None."""
    factor, value = row.get("factor") or "", row.get("value") or ""
    if factor not in FACTORS:
        return f"factor {factor!r} is not one of {', '.join(FACTORS)}."
    if value not in FACTORS[factor]:
        return f"{factor} = {value!r} is not one of {', '.join(FACTORS[factor])}."
    source = row.get("source") or ""
    if value != "unknown" and not re.match(r"^https://\S+$", source):
        return (f"{factor} = {value} has no source: give the https:// page that states it "
                "(or write unknown).")
    if source and not re.match(r"^https://\S+$", source):
        return f"source {source!r} is not an https:// URL."
    checked = row.get("checked") or ""
    if not _is_date(checked):
        return f"checked {checked!r} is not a YYYY-MM-DD date."
    if checked > dt.date.today().isoformat():
        return f"checked {checked} is in the future."
    return None


def validate(directory: Path, service_ids: set[str], problems: list[str],
             jurisdictions: dict[str, str] | None = None,
             vendors: Mapping[str, str] | None = None) -> None:
    """Append every problem of ``risk.csv`` and ``risk_vendors.csv`` (absent files:
    nothing to check). With the services' ``jurisdictions``, a ``secnumcloud`` value stored
    for a vendor outside FR/EU is refused: it is derived (see :func:`secnumcloud`). With
    ``vendors`` (service id -> vendor), a vendor row must name a vendor of the catalog."""
    jur = jurisdictions or {}
    _validate_file(directory / RISK_FILE, RISK_COLUMNS, service_ids,
                   lambda sid: {jur.get(sid, "")}, "service id", problems)
    vendor_jurs: dict[str, set[str]] = {}
    for sid, vendor in (vendors or {}).items():
        vendor_jurs.setdefault(vendor, set()).add(jur.get(sid, ""))
    if vendors is not None:
        _validate_file(directory / VENDOR_FILE, VENDOR_COLUMNS, set(vendor_jurs),
                       lambda v: vendor_jurs.get(v, set()), "vendor", problems)


def _validate_file(path: Path, columns: list[str], known: set[str], jurisdictions_of,
                   what: str, problems: list[str]) -> None:
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        problems.append(f"{path}: the file must end with a newline.")
    reader = csv.reader(io.StringIO(text))
    if next(reader, None) != columns:
        problems.append(f"{path}:1: header must be {','.join(columns)}.")
        return
    key_col = columns[0]
    seen: set[tuple[str, str]] = set()
    previous: tuple[str, str] = ("", "")
    for record in reader:
        where = f"{path}:{reader.line_num}"
        if not record or not any(record):
            problems.append(f"{where}: blank line.")
            continue
        if len(record) != len(columns):
            problems.append(f"{where}: {len(record)} fields, expected {len(columns)}.")
            continue
        row = dict(zip(columns, record, strict=True))
        if any(v != v.strip() for v in record):
            problems.append(f"{where}: a field has leading or trailing spaces.")
        key = (row[key_col], row["factor"])
        if row[key_col] not in known:
            problems.append(f"{where}: unknown {what} {row[key_col]!r}.")
        if key in seen:
            problems.append(f"{where}: duplicate {key[1]} for {key[0]}.")
        seen.add(key)
        if key < previous:
            problems.append(f"{where}: not sorted: {key[0]},{key[1]} comes before "
                            f"{previous[0]},{previous[1]} (sort by {key_col}, factor).")
        previous = max(previous, key)
        problem = value_problem(row)
        if problem:
            problems.append(f"{where}: {problem}")
        jurs = jurisdictions_of(row[key_col]) - {""}
        if row["factor"] == "secnumcloud" and jurs and not jurs & {"FR", "EU"}:
            problems.append(f"{where}: secnumcloud is derived (no) for a "
                            f"{'/'.join(sorted(jurs))} vendor; remove the row.")


def laws(jurisdiction: str, notes: str = "") -> list[str]:
    """Extraterritorial access laws implied by the vendor's jurisdiction (for ``OTHER``,
    by the country its notes start with; unknown country -> empty)."""
    if jurisdiction != "OTHER":
        return list(LAWS.get(jurisdiction, ()))
    country = _COUNTRY_END.split(notes, maxsplit=1)[0].strip()
    return list(COUNTRY_LAWS.get(country, ()))


def secnumcloud(jurisdiction: str, profile: Profile | None) -> RiskValue:
    """SecNumCloud status: stored for FR/EU vendors (else unknown); ``no`` for any other
    vendor, since the scheme (version 3.2) requires immunity from non-EU law."""
    if jurisdiction in ("FR", "EU"):
        return (profile or {}).get("secnumcloud", RiskValue("unknown", "", ""))
    return RiskValue("no", SECNUMCLOUD_RULE, "")


def coverage(service_ids: list[str], profiles: dict[str, Profile]) -> dict[str, Any]:
    """How much of the catalog has a risk profile: services with every data-handling
    factor of :data:`PROFILE_FACTORS` (values may be ``unknown``), services with any row
    (their own or their vendor's; ``from_vendor`` counts those that inherit at least one
    value), services with at least one known value, and the known values per factor (with
    their share of all services)."""
    total = len(service_ids)

    def share(n: int) -> float | None:
        return round(n / total, 4) if total else None

    complete = [s for s in service_ids if set(profiles.get(s, {})) >= set(PROFILE_FACTORS)]
    known_any = [s for s in service_ids
                 if any(v.value != "unknown" for v in profiles.get(s, {}).values())]
    with_rows = [s for s in service_ids if profiles.get(s)]
    from_vendor = [s for s in with_rows
                   if any(v.scope == "vendor" for v in profiles[s].values())]
    by_factor = {}
    for f in PROFILE_FACTORS:
        values = [profiles[s][f].value for s in service_ids if f in profiles.get(s, {})]
        known = sum(v != "unknown" for v in values)
        by_factor[f] = {"profiled": len(values), "known": known, "known_share": share(known),
                        "values": {v: values.count(v) for v in FACTORS[f] if v in values}}
    return {"services": total, "profiled": len(complete), "profiled_share": share(len(complete)),
            "with_rows": len(with_rows), "with_rows_share": share(len(with_rows)),
            "from_vendor": len(from_vendor),
            "with_known_value": len(known_any),
            "with_known_value_share": share(len(known_any)),
            "by_factor": by_factor}


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
