"""Keyed pseudonyms: HMAC-SHA256 with one random key per month, kept in a key ring (a
folder of 0600 files outside the store). A person has one pseudonym within a month;
pseudonyms of two months cannot be linked; and once a month is closed its key is
destroyed, so nobody, the operator included, can recompute a pseudonym of that month.

Before version 0.2 month keys were derived from one long-lived secret key: such a key is
migrated once (the months already stored get their derived key written into the ring)
and then destroyed, since it could re-derive the key of any closed month."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from shadowai.errors import ConfigError, StoreError

KEY_BYTES = 32


def create_key(path: Path, key: bytes | None = None) -> None:
    """Write a new random key (or ``key``) with mode 0600; never overwrite an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path}: a key already exists; refusing to overwrite it (all "
                          "pseudonyms depend on it). Move it away first if you really "
                          "mean to start over.") from None
    with os.fdopen(fd, "w") as fh:
        fh.write((key.hex() if key else secrets.token_hex(KEY_BYTES)) + "\n")


def read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the secret key ({exc.strerror}). "
                          "Create one with 'shadowai init'.") from None
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"{path}: not a shadowai key (expected {KEY_BYTES * 2} hex "
                          "characters).") from None
    if len(key) < 16:
        raise ConfigError(f"{path}: key too short ({len(key)} bytes, need at least 16).")
    return key


def key_is_private(path: Path) -> bool:
    return not (path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def derive_month_key(secret: bytes, month: str) -> bytes:
    """The month key of shadowai < 0.2 (derived from one secret): kept for migration."""
    return hmac.new(secret, b"shadowai/month/" + month.encode(), hashlib.sha256).digest()


def destroy_file(path: Path) -> None:
    """Overwrite a key file with random bytes, flush it to disk, then unlink it."""
    size = max(path.stat().st_size, KEY_BYTES * 2)
    with open(path, "r+b") as fh:
        fh.write(secrets.token_bytes(size))
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


class KeyMissingError(StoreError):
    """A month with data whose key is not in the key ring."""


class KeyRing:
    """One random key per month, a file ``YYYY-MM.key`` (mode 0600) in a folder (0700).

    A key is created the first time a month is met, unless the month is ``protected``
    (it already has data: its key must exist, a new one would count everyone twice) or
    ``closed`` (its key was destroyed on purpose: nothing may be added to it)."""

    def __init__(self, folder: Path, notify: Callable[[str], None] = lambda _m: None) -> None:
        self.folder = folder
        self.notify = notify
        self.protected: set[str] = set()
        self.closed: set[str] = set()
        #: months whose key this run created (announced once the month has data)
        self.created: set[str] = set()
        self._cache: dict[str, bytes] = {}

    def path(self, month: str) -> Path:
        return self.folder / f"{month}.key"

    def months(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.key"))

    def ensure_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def key(self, month: str) -> bytes:
        if month in self._cache:
            return self._cache[month]
        path = self.path(month)
        if not path.exists():
            if month in self.closed:
                raise KeyMissingError(f"{month} is closed: its key was destroyed and nothing "
                                      "can be added to it.")
            if month in self.protected:
                raise KeyMissingError(
                    f"{path}: the key of {month} is missing from the key ring, but the store "
                    f"holds data of {month} pseudonymised with it. Restore the file from your "
                    "safe copy of the key ring and run again; a new key would count every "
                    "person of the month twice. Nothing was written.")
            self.ensure_folder()
            create_key(path)
            self.created.add(month)
        self._cache[month] = read_key(path)
        return self._cache[month]

    def add(self, month: str, key: bytes) -> None:
        """Write a given key for a month (migration); never overwrites."""
        self.ensure_folder()
        create_key(self.path(month), key)

    def announce(self, used: set[str]) -> None:
        """Say which new keys the run kept (those of months that got data)."""
        for month in sorted(self.created & used):
            self.notify(f"Created the key of {month} in the key ring ({self.path(month)}, "
                        "mode 0600): pseudonyms of the month depend on it until the month "
                        "is closed.")
        self.created.clear()

    def destroy(self, month: str) -> bool:
        """Destroy a month's key (overwrite, then unlink). False if it was not there."""
        self._cache.pop(month, None)
        path = self.path(month)
        if not path.exists():
            return False
        destroy_file(path)
        return True


class Pseudonymiser:
    """Pseudonyms are 16 hex characters (64 bits) of HMAC-SHA256(month key, identity).
    Month keys come from a :class:`KeyRing`, or (tests, migration) are derived from one
    secret given as bytes."""

    def __init__(self, keys: bytes | KeyRing) -> None:
        self._ring = keys if isinstance(keys, KeyRing) else None
        self._secret = keys if isinstance(keys, bytes) else None
        self._months: dict[str, bytes] = {}

    def month_key(self, month: str) -> bytes:
        if month not in self._months:
            if self._ring is not None:
                self._months[month] = self._ring.key(month)
            else:
                assert self._secret is not None
                self._months[month] = derive_month_key(self._secret, month)
        return self._months[month]

    def key_check(self, month: str) -> str:
        """A check value of the month's key (not the key, nor enough to find it): the
        store records it so that a run with another key for that month is refused."""
        return hmac.new(self.month_key(month), b"shadowai/key-check",
                        hashlib.sha256).hexdigest()[:16]

    def __call__(self, month: str, identity: str) -> str:
        return pseudonym(self.month_key(month), identity)


def pseudonym(month_key: bytes, identity: str) -> str:
    """A person's pseudonym for the month whose key is given: the first 16 hex characters
    (64 bits) of HMAC-SHA256(month key, UTF-8 identity). Changing this changes every
    pseudonym: a month ingested across such a change would count each person twice."""
    return hmac.new(month_key, identity.encode(), hashlib.sha256).hexdigest()[:16]
