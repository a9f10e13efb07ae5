"""Debian's chromium driven by Playwright (no browser download: executable_path). The
browser tests' modules call :func:`require_chromium` first; the ``browser`` fixture
(conftest.py) launches one chromium for the whole session."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip the calling test module where chromium is missing (CI must have it)."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            raise RuntimeError("CI must install chromium (see .ci/run)")
        pytest.skip("chromium is not installed", allow_module_level=True)
