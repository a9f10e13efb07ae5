"""Catalog releases: a zip of the catalog CSV files with a ``manifest.json`` (version,
release date, SHA-256 of every file), built with :func:`make_bundle`, installed offline
with :func:`install` into an organisation's catalog folder (never into the installed
package), and compared with :func:`diff`.

Layout of the catalog folder: ``releases/<version>/`` (one folder per imported release,
each with its manifest) and ``current`` (a text file naming the release in use)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from shadowai import catalog as catalog_mod
from shadowai.errors import CatalogError

FORMAT = "shadowai-catalog"
MANIFEST = "manifest.json"
FILES = ("services.csv", "domains.csv", "risk.csv", "risk_vendors.csv", "overbroad.csv",
         "psl_exceptions.csv")
REQUIRED = ("services.csv", "domains.csv")
# Key columns of each file, for diff.
KEYS = {"services.csv": ("id",), "domains.csv": ("domain",),
        "risk.csv": ("service_id", "factor"), "risk_vendors.csv": ("vendor", "factor"),
        "overbroad.csv": ("domain",),
        "psl_exceptions.csv": ("domain",)}
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksum(files: dict[str, str]) -> str:
    """One SHA-256 over the per-file checksums (sorted by name)."""
    return _sha("".join(f"{n} {files[n]}\n" for n in sorted(files)).encode())


def make_bundle(directory: Path, out: Path, version: str, released: str | None = None) -> Path:
    """Write the catalog of ``directory`` as a release bundle ``out`` (a zip)."""
    if not _VERSION.match(version):
        raise CatalogError(f"version {version!r}: use letters, digits and . + _ - only.")
    released = released or dt.date.today().isoformat()
    contents = {n: (directory / n).read_bytes() for n in FILES if (directory / n).is_file()}
    missing = [n for n in REQUIRED if n not in contents]
    if missing:
        raise CatalogError(f"{directory}: missing {', '.join(missing)}.")
    files = {n: _sha(data) for n, data in contents.items()}
    manifest = {"format": FORMAT, "format_version": 1, "version": version,
                "released": released, "files": files, "checksum": checksum(files)}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        for name, data in sorted(contents.items()):
            zf.writestr(name, data)
    return out


def read_bundle(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and file contents of a bundle, every checksum verified."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if MANIFEST not in names:
                raise CatalogError(f"{path}: not a catalog release (no {MANIFEST}).")
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            extra = sorted(set(names) - set(FILES) - {MANIFEST})
            if extra:
                raise CatalogError(f"{path}: unexpected file(s) {', '.join(extra)}.")
            contents = {n: zf.read(n) for n in names if n != MANIFEST}
    except (zipfile.BadZipFile, OSError) as exc:
        raise CatalogError(f"{path}: cannot read the release ({exc}).") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CatalogError(f"{path}: {MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CatalogError(f"{path}: {MANIFEST} is not a {FORMAT} manifest.")
    version, released = manifest.get("version"), manifest.get("released")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise CatalogError(f"{path}: invalid version {version!r} in {MANIFEST}.")
    if not isinstance(released, str) or not catalog_mod._is_date(released):
        raise CatalogError(f"{path}: invalid released date {released!r} in {MANIFEST}.")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != set(contents):
        raise CatalogError(f"{path}: the files listed in {MANIFEST} do not match the bundle.")
    for name, data in contents.items():
        if _sha(data) != files[name]:
            raise CatalogError(f"{path}: checksum mismatch for {name} (corrupted or edited "
                               "release).")
    if manifest.get("checksum") != checksum(files):
        raise CatalogError(f"{path}: the release checksum does not match its files.")
    for name in REQUIRED:
        if name not in contents:
            raise CatalogError(f"{path}: missing {name}.")
    return manifest, contents


def install(bundle: Path, catalog_dir: Path) -> dict[str, Any]:
    """Verify, validate and install a release; make it current. Returns a summary with
    the previous release (if any) and the new catalog's counts."""
    manifest, contents = read_bundle(bundle)
    releases = catalog_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=releases))
    try:
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                        encoding="utf-8")
        problems = [p for p in catalog_mod.validate(staging)
                    if "publicsuffixlist package" not in p]
        if problems:
            shown = "; ".join(p.replace(str(staging), bundle.name) for p in problems[:3])
            raise CatalogError(f"{bundle}: {len(problems)} problem(s) in the release: {shown}")
        cat = catalog_mod.load(staging)
        target = releases / manifest["version"]
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    current = catalog_dir / "current"
    previous = current.read_text(encoding="utf-8").strip() if current.is_file() else None
    tmp = catalog_dir / ".current.tmp"
    tmp.write_text(manifest["version"] + "\n", encoding="utf-8")
    tmp.replace(current)
    return {"version": manifest["version"], "released": manifest["released"],
            "previous": previous, "services": len(cat.services), "domains": len(cat.domains),
            "directory": str(target)}


def current_dir(catalog_dir: Path) -> Path | None:
    """The folder of the current imported release, or None (use the shipped catalog)."""
    current = catalog_dir / "current"
    if not current.is_file():
        return None
    version = current.read_text(encoding="utf-8").strip()
    target = catalog_dir / "releases" / version
    if not _VERSION.match(version) or not (target / "services.csv").is_file():
        raise CatalogError(f"{current}: names release {version!r}, which is not installed in "
                           f"{catalog_dir / 'releases'}; import it again.")
    return target


def _tables(source: Path) -> dict[str, str]:
    """File name -> text, from a bundle or a catalog folder."""
    if source.is_dir():
        return {n: (source / n).read_text(encoding="utf-8") for n in FILES
                if (source / n).is_file()}
    _, contents = read_bundle(source)
    return {n: data.decode("utf-8") for n, data in contents.items()}


def diff(old: Path, new: Path) -> dict[str, dict[str, list[Any]]]:
    """Rows added, removed and changed (same key, other values) per file."""
    before, after = _tables(old), _tables(new)
    out: dict[str, dict[str, list[Any]]] = {}
    for name in FILES:
        if name not in before and name not in after:
            continue
        a, b = _keyed(name, before.get(name, "")), _keyed(name, after.get(name, ""))
        changed = []
        for key in sorted(set(a) & set(b)):
            fields = {c: [a[key][c], b[key].get(c)] for c in a[key] if a[key][c] != b[key].get(c)}
            if fields:
                changed.append({"key": list(key), "fields": fields})
        out[name] = {"added": [b[k] for k in sorted(set(b) - set(a))],
                     "removed": [a[k] for k in sorted(set(a) - set(b))],
                     "changed": changed}
    return out


def _keyed(name: str, text: str) -> dict[tuple[str, ...], dict[str, str]]:
    if not text:
        return {}
    rows = csv.DictReader(io.StringIO(text))
    return {tuple(r.get(k) or "" for k in KEYS[name]): dict(r) for r in rows}
