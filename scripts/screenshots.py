"""Screenshots of the demo report for the README: docs/report-1280.png, docs/report-390.png
and docs/report-pdf-page1.png (page 1 of the printed PDF).

Run from the repository root after the demo's monthly job (README, first command), with
Debian's chromium installed; the PDF page is rasterised with pypdfium2 and Pillow, which
this script alone needs (pip install pypdfium2 pillow):

    shadowai --config sample_logs/demo/shadowai.toml report --month 2026-10 --pdf
    python scripts/screenshots.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "reports" / "2026-10"
DOCS = REPO / "docs"
SHOTS = {1280: 1150, 390: 1900}  # width -> height of the top of the page kept


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not (REPORT / "report.pdf").exists():
        print("needs chromium and reports/2026-10/report.pdf (see the docstring)",
              file=sys.stderr)
        return 1
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width, height in SHOTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((REPORT / "index.html").as_uri())
            page.screenshot(path=str(DOCS / f"report-{width}.png"))
            page.close()
        browser.close()
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(REPORT / "report.pdf"))
    pdf[0].render(scale=1.4).to_pil().save(DOCS / "report-pdf-page1.png", optimize=True)
    for name in ("report-1280.png", "report-390.png", "report-pdf-page1.png"):
        print(DOCS / name, (DOCS / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
