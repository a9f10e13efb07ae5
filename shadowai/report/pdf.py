"""PDF export by printing the HTML report with a locally installed Chromium (no network:
the report is self-contained). A4 layout comes from the report's @media print rules."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from shadowai.errors import ShadowaiError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer"]


def find_browser() -> str | None:
    env = os.environ.get("SHADOWAI_CHROMIUM")
    if env:
        return env
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def html_to_pdf(html: Path, pdf: Path, timeout: float = 120) -> Path:
    browser = find_browser()
    if browser is None:
        raise ShadowaiError("--pdf needs Chromium (Debian: apt-get install chromium), or set "
                            "SHADOWAI_CHROMIUM to a Chrome/Chromium executable.")
    with tempfile.TemporaryDirectory(prefix="shadowai-chromium-") as profile:
        tmp = pdf.with_name(f".{pdf.name}.tmp")
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={tmp}",
               html.resolve().as_uri()]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise ShadowaiError(f"{html}: printing to PDF with {browser} failed ({exc}).") \
                from None
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise ShadowaiError(f"{html}: {browser} produced no PDF.")
        os.replace(tmp, pdf)
    return pdf
