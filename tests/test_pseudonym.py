"""Keyed pseudonyms: stable within a month, unlinkable across months, key handled safely."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from shadowai.errors import ConfigError
from shadowai.pseudonym import Pseudonymiser, create_key, read_key


def test_stable_within_a_month_and_unlinkable_across_months() -> None:
    p = Pseudonymiser(b"s" * 32)
    assert p("2026-10", "alice") == p("2026-10", "alice")
    assert p("2026-10", "alice") != p("2026-11", "alice")
    assert p("2026-10", "alice") != p("2026-10", "bob")
    assert Pseudonymiser(b"t" * 32)("2026-10", "alice") != p("2026-10", "alice")
    assert "alice" not in p("2026-10", "alice")


def test_key_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    create_key(key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = read_key(key)
    assert len(first) == 32
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        create_key(key)
    assert read_key(key) == first


def test_garbage_key_is_a_clear_error(tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    key.write_text("not hex")
    with pytest.raises(ConfigError, match="not a shadowai key"):
        read_key(key)
