"""Layout measured in a real headless Chromium (Debian's chromium), not judged by eye: at
1280 px, at 390 px and in the A4 print layout nothing overflows its container, chart
labels are rendered at 10 px or more, tables scroll inside their box on a phone only, and
the PDF has page numbers, a date, the organisation and sections that flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from shadowai.cli import cli
from tests.browserkit import require_chromium

require_chromium()
pytestmark = pytest.mark.browser
A4_CONTENT_PX = round((210 - 2 * 12) / 25.4 * 96)  # A4 width minus the @page side margins

# Every element whose content is wider than its own box (scrollWidth > clientWidth) or
# that sticks out of its parent, outside the boxes allowed to scroll.
OVERFLOW_JS = """(allowScroll) => {
  const out = [];
  const scrollers = allowScroll ? '.table-wrap' : '__none__';
  for (const e of document.querySelectorAll('main *')) {
    if (e.closest('svg') && e.tagName !== 'svg') continue;
    if (allowScroll && e.parentElement.closest('.table-wrap')) continue;
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.display === 'contents') continue;
    const name = e.tagName + (e.id ? '#' + e.id : '') +
                 (typeof e.className === 'string' && e.className ? '.' + e.className : '');
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !e.matches(scrollers))
      out.push(name + ' scrollWidth ' + e.scrollWidth + ' > clientWidth ' + e.clientWidth);
    const p = e.parentElement, r = e.getBoundingClientRect(), pr = p.getBoundingClientRect();
    if (r.width > 0 && pr.width > 0 && p.tagName !== 'HTML' &&
        getComputedStyle(p).overflowX === 'visible' &&
        (r.right > pr.right + 1 || r.left < pr.left - 1))
      out.push(name + ' sticks out of ' + p.tagName + ' by ' +
               Math.round(Math.max(r.right - pr.right, pr.left - r.left)) + ' px');
  }
  return out;
}"""

# Rendered size of every chart label, in CSS pixels on screen (font size x the SVG's scale).
LABELS_JS = """() => [...document.querySelectorAll(
    'svg.chart text, .hbar-label, .hbar-value, figcaption')].map(e => {
  const size = parseFloat(getComputedStyle(e).fontSize);
  const scale = e.getScreenCTM ? Math.abs(e.getScreenCTM().a) : 1;
  return [e.textContent.trim().slice(0, 30), Math.round(size * scale * 10) / 10];
})"""

# Tables whose content does not fit their box (hidden behind a scrollbar).
HIDDEN_COLUMNS_JS = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => (w.querySelector('table') || {}).id + ' ' + w.scrollWidth + ' > ' + w.clientWidth)"""


@pytest.fixture(scope="module")
def trend(demo) -> Path:
    out = demo["work"] / "layout-trend"
    result = CliRunner().invoke(cli, ["--config", str(demo["config"]), "trend", "--out",
                                      str(out)])
    assert result.exit_code == 0, result.output
    return out / "trend" / "index.html"


def _open(browser, path: Path, width: int, print_media: bool = False):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    if print_media:
        page.emulate_media(media="print")
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def _pages(demo, trend) -> dict[str, Path]:
    return {"month-fr": demo["fr"] / "index.html", "month-en": demo["en"] / "index.html",
            "trend": trend}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("which", ["month-fr", "month-en", "trend"])
def test_nothing_overflows_and_labels_are_readable(browser, demo, trend, which: str,
                                                   width: int) -> None:
    page = _open(browser, _pages(demo, trend)[which], width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOW_JS, width < 600) == []
    labels = page.evaluate(LABELS_JS)
    assert labels, "the page has charts"
    small = [(text, size) for text, size in labels if size < 10]
    assert small == [], f"labels under 10 px at {width} px: {small[:5]}"
    if width >= 1280:
        # On a desktop no table hides a column behind a scrollbar (the files table used
        # to cut "Jours couverts" 30 down to "3"; the trend table hid its flags).
        assert page.evaluate(HIDDEN_COLUMNS_JS) == []
    page.close()


def test_a4_print_layout_overflows_nothing(browser, demo, trend) -> None:
    for which, path in _pages(demo, trend).items():
        page = _open(browser, path, A4_CONTENT_PX, print_media=True)
        assert page.evaluate(OVERFLOW_JS, False) == [], which
        assert page.evaluate(HIDDEN_COLUMNS_JS) == [], which
        small = [(t, s) for t, s in page.evaluate(LABELS_JS) if s < 10]
        assert small == [], which
        page.close()


def test_phone_tables_show_their_key_columns_and_scroll_inside_their_box(browser,
                                                                          demo) -> None:
    page = _open(browser, demo["fr"] / "index.html", 390)
    for table in ("departments-table", "services-table", "training-table", "files-table",
                  "units-table"):
        shown = page.evaluate("""(id) => {
          const wrap = document.getElementById(id).closest('.table-wrap');
          const box = wrap.getBoundingClientRect();
          return {hidden: wrap.scrollWidth - wrap.clientWidth,
                  columns: [...wrap.querySelectorAll('thead th')]
                    .filter(th => th.offsetParent !== null &&
                                  th.getBoundingClientRect().right <= box.right + 1)
                    .map(th => th.textContent)}}""", table)
        # the key columns are all in view: nothing behind the scrollbar (the departments
        # table used to show three columns and hide the adoption rate)
        assert shown["hidden"] <= 1, (table, shown)
        assert len(shown["columns"]) >= 3, (table, shown)
        if table == "departments-table":
            assert shown["columns"] == ["Direction", "Personnes", "Effectif", "Taux d'adoption"]
    # a table that must scroll does so inside its own box, never the page
    assert page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].every(
        w => getComputedStyle(w).overflowX === 'auto')""")
    page.close()


def test_daily_chart_shows_the_missing_day_as_a_gap(browser, demo) -> None:
    page = _open(browser, demo["fr"] / "index.html", 1280)
    gaps = page.evaluate("""() => [...document.querySelectorAll('#daily-chart .nodata')]
        .map(r => [r.dataset.day, Math.round(r.getBoundingClientRect().height)])""")
    assert [d for d, _ in gaps] == ["2026-10-14"] and gaps[0][1] > 100
    columns = page.evaluate("document.querySelectorAll('#daily-chart rect[data-day]').length")
    assert columns == 31
    page.close()


def _previous_month(demo) -> None:
    """Give October a September to compare with (unless the demo tests already ran one),
    so that page 1 is measured with its change lines, as every month after the first."""
    import json

    from shadowai.store import Store

    with Store(demo["store"]) as store:
        if store.summary("2026-09") is None:
            september = json.loads((demo["fr"] / "summary.json").read_text(encoding="utf-8"))
            september["month"] = "2026-09"
            for key in ("ai_people", "ai_episodes", "ai_requests", "blocked_requests"):
                september["totals"][key] = int(september["totals"][key] * 0.8)
            for key in ("share_of_headcount", "eu_share", "sanctioned_share"):
                september["totals"][key] = round(september["totals"][key] * 0.9, 4)
            store.save_summary("2026-09", september)


def _pdf_pages(demo, *extra: str) -> list[str]:
    from pypdf import PdfReader

    _previous_month(demo)
    out = demo["work"] / ("pdf" + "-".join(extra))
    result = CliRunner().invoke(cli, ["--config", str(demo["config"]), "report", "--month",
                                      "2026-10", "--out", str(out), "--pdf", *extra])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out / "2026-10" / "report.pdf")
    return [p.extract_text() for p in reader.pages]


def test_pdf_numbers_dates_and_names_every_page_and_page_one_is_for_management(demo) -> None:
    pages = _pdf_pages(demo)
    n = len(pages)
    for i, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert f"Page {i} / {n}" in flat, i
        assert "produit le" in flat and "Conseil départemental de l'Exemple" in flat, i
    first = " ".join(pages[0].split())
    for heading in ("Synthèse pour la direction", "Adoption par direction", "Que faire",
                    "Former en priorité", "Proposer un outil approuvé par usage"):
        assert heading in first
    assert "gemini.com" not in first and "Domaines à examiner" not in first
    # sections flow: several detail sections share a page instead of one per page
    detail = next(p for p in pages if "Juridiction des éditeurs" in p)
    assert "Catégories" in detail and "Outils approuvés et usage hors cadre" in detail
    sections = (demo["fr"] / "index.html").read_text(encoding="utf-8").count("<h2")
    assert n < sections, f"{n} pages for {sections} sections: one section per page again"
    # the whole management part is on page 1, down to the last row of "what to do"
    import json

    from shadowai.report.i18n import Translator

    s = json.loads((demo["work"] / "pdf" / "2026-10" / "summary.json").read_text("utf-8"))
    last = Translator("fr", s["k"]).category(s["alternatives"][-1]["category"])
    assert s["changes"], "page 1 must fit with the changes since the previous month"
    assert last in first and last not in " ".join(pages[1].split()[:40])
    everything = " ".join(" ".join(pages).split())
    assert "Jours couverts" in everything
    # the last column, "Jours couverts", printed whole: the combined log covers 30 days
    assert "common/combined : 3 30 " in everything


def test_pdf_for_management_leaves_the_operator_annex_out(demo) -> None:
    pages = _pdf_pages(demo, "--audience", "management")
    text = " ".join(" ".join(pages).split())
    assert "Synthèse pour la direction" in text and "Besoins de formation" in text
    for operator_only in ("gemini.com", "mistral.fr", "Domaines à examiner",
                          "Annexe technique", "Lignes écartées"):
        assert operator_only not in text


def test_a_year_of_trend_on_a_phone_has_no_overlapping_text(browser, demo, tmp_path) -> None:
    """Twelve months drawn at 390 px: axis and value labels are thinned, never piled up."""
    import json

    from shadowai import trend as trend_mod
    from shadowai.report import write_trend

    october = json.loads((demo["fr"] / "summary.json").read_text(encoding="utf-8"))
    summaries = []
    for i, month in enumerate(["2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 11)]):
        s = json.loads(json.dumps(october))
        s["month"] = month
        s["totals"]["ai_people"] = 300 + 40 * i
        s["quality"]["days_with_data"] = 20 if month == "2026-04" else 30
        summaries.append(s)
    model = trend_mod.build(summaries, october["k"], "fr", "Conseil départemental")
    index = write_trend(model, tmp_path)
    page = _open(browser, index, 390)
    overlaps = page.evaluate("""() => {
      const out = [];
      for (const svg of document.querySelectorAll('svg.chart')) {
        const boxes = [...svg.querySelectorAll("text")]
          .map(t => [t.textContent, t.getBoundingClientRect()]);
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
          const [a, r] = boxes[i], [b, q] = boxes[j];
          if (r.x < q.x + q.width && q.x < r.x + r.width &&
              r.y < q.y + q.height && q.y < r.y + r.height)
            out.push(svg.closest('figure').id + ': ' + a + ' / ' + b);
        }
      }
      return out;
    }""")
    assert overlaps == [], overlaps[:6]
    flagged = page.evaluate("document.querySelectorAll('#line-people circle.flagged').length")
    assert flagged == 1  # April, 20 days of 30 covered
    assert page.evaluate(OVERFLOW_JS, True) == []
    page.close()
