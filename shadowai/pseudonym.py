"""Keyed pseudonyms: HMAC-SHA256 with a key derived per month from the secret key, so a
person has one pseudonym within a month and pseudonyms of two months cannot be linked."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from shadowai.errors import ConfigError

KEY_BYTES = 32


def pseudonym(month_key: bytes, identity: str) -> str:
    """A person's pseudonym for one month, from that month's key alone (what workers get:
    never the secret key). 16 hex characters (64 bits)."""
    return hmac.new(month_key, identity.encode(), hashlib.sha256).hexdigest()[:16]


def create_key(path: Path) -> None:
    """Write a new random key with mode 0600; never overwrite an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path}: a key already exists; refusing to overwrite it (all "
                          "pseudonyms depend on it). Move it away first if you really "
                          "mean to start over.") from None
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(KEY_BYTES) + "\n")


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


class Pseudonymiser:
    """Caches one derived key per month; pseudonyms are 16 hex characters (64 bits)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._months: dict[str, bytes] = {}

    def month_key(self, month: str) -> bytes:
        if month not in self._months:
            self._months[month] = hmac.new(self._key, b"shadowai/month/" + month.encode(),
                                           hashlib.sha256).digest()
        return self._months[month]

    def key_check(self, month: str) -> str:
        """A check value of the month's key (not the key, nor enough to find it): the
        store records it so that a run with another key for that month is refused."""
        return hmac.new(self.month_key(month), b"shadowai/key-check",
                        hashlib.sha256).hexdigest()[:16]

    def __call__(self, month: str, identity: str) -> str:
        return pseudonym(self.month_key(month), identity)
