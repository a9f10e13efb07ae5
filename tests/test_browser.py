"""The report opened in a real headless browser (Debian's chromium): no console error, no
network request, nothing wider than the viewport on a desktop and on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browserkit import require_chromium

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_report_renders_cleanly(browser, demo, tmp_path: Path, lang: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    url = (demo[lang] / "index.html").as_uri()
    page.goto(url)
    page.wait_for_load_state("load")
    shot = tmp_path / f"report-{lang}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert problems == []
    assert requests == [url], "the report must load nothing but itself"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    too_wide = page.evaluate(
        """(w) => [...document.querySelectorAll('main *')]
             .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > w + 1)
             .map(e => e.tagName + '.' + e.className)""", width)
    assert too_wide == []
    heading = page.inner_text("h1")
    assert ("octobre 2026" if lang == "fr" else "October 2026") in heading
    page.close()


def test_pdf_export(demo) -> None:
    from click.testing import CliRunner

    from shadowai.cli import cli

    result = CliRunner().invoke(cli, ["--config", str(demo["config"]), "report", "--month",
                                      "2026-10", "--out", str(demo["work"] / "pdf"), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = (demo["work"] / "pdf" / "2026-10" / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page") > 2


@pytest.mark.parametrize("width", [1280, 390])
def test_trend_report_renders_cleanly(browser, demo, width: int) -> None:
    from click.testing import CliRunner

    from shadowai.cli import cli

    out = demo["work"] / f"trend-{width}"
    result = CliRunner().invoke(cli, ["--config", str(demo["config"]), "trend", "--out",
                                      str(out)])
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    url = (out / "trend" / "index.html").as_uri()
    page.goto(url)
    assert problems == [] and requests == [url]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert "octobre 2026" in page.inner_text("#months-table")
    page.close()
