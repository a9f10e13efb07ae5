"""``report.xlsx``: the month's tables as one workbook, one sheet per table, since that is
what managers open. Written with XlsxWriter (write-only, no dependencies); numbers stay
numbers (Excel formats them in the reader's locale), percentages are formatted as such."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import xlsxwriter

from shadowai.report.i18n import Translator

RATIO_COLUMNS = {"adoption_rate", "share_of_active", "share_of_headcount", "eu_share",
                 "sanctioned_share"}


def cell(value: Any) -> Any:
    """One export cell: lists become ``a;b`` / ``id:people`` text, None stays empty."""
    if isinstance(value, list):
        return ", ".join(f"{x['id']}:{x['people']}" if isinstance(x, dict) else str(x)
                         for x in value)
    return value


def write(path: Path, tables: dict[str, tuple[list[dict[str, Any]], list[str]]],
          model: dict[str, Any]) -> Path:
    """One sheet per table (header row frozen, column widths fitted), written atomically."""
    t = Translator(model["lang"], model["k"])
    tmp = path.with_name(f".{path.name}.tmp")
    book = xlsxwriter.Workbook(str(tmp), {"in_memory": True})
    book.set_properties({"title": f"{t('title')} · {t.month(model['month'])}",
                         "company": model.get("organisation") or "",
                         "comments": model["generator"]})
    bold = book.add_format({"bold": True, "bg_color": "#F4F6FA", "bottom": 1})
    percent = book.add_format({"num_format": "0.0%"})
    for name, (rows, columns) in tables.items():
        sheet = book.add_worksheet(name[:31])
        widths = [len(c) for c in columns]
        sheet.write_row(0, 0, columns, bold)
        for r, row in enumerate(rows, start=1):
            for c, column in enumerate(columns):
                value = cell(row.get(column))
                if value is None:
                    continue
                if column in RATIO_COLUMNS and isinstance(value, int | float):
                    sheet.write_number(r, c, value, percent)
                else:
                    sheet.write(r, c, value)
                widths[c] = max(widths[c], min(len(str(value)), 60))
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width + 2)
        sheet.freeze_panes(1, 0)
    book.close()
    os.replace(tmp, path)
    return path
