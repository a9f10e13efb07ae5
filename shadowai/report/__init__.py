"""Rendering: report model -> self-contained HTML, summary.json and CSV exports."""

from shadowai.report.render import write_month

__all__ = ["write_month"]
