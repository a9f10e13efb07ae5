"""Rendering: report model -> self-contained HTML, summary.json and CSV exports."""

from shadowai.report.render import write_month, write_trend

__all__ = ["write_month", "write_trend"]
