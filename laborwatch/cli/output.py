"""Printing a run report (or stored developments, as a report) on the console."""

from __future__ import annotations

from laborwatch.cli.common import err, out, warn
from laborwatch.cli.errors import clean
from laborwatch.pipeline.report import RunReport
from laborwatch.pipeline.report_text import report_lines


def print_report(report: RunReport, *, recorded_shown: int | None = 20) -> None:
    """The developments on stdout: the count line, each alerted development in full, the
    recorded-only ones one line each with the reason."""
    for number, line in enumerate(report_lines(report, recorded_shown=recorded_shown)):
        bold = number == 0 or line.startswith(("• ", "Recorded only"))
        out.print(
            line, style="bold" if bold else None, highlight=False, soft_wrap=True, markup=False
        )


def print_problems(report: RunReport) -> None:
    """Warnings, then the summary line, on stderr."""
    for error in report.errors:
        # (redacted by warn: a location may carry a token)
        shown = error.message
        if not shown.startswith(error.source):
            shown = f"{error.source}: {shown}"
        warn(shown)
    err.print(clean(report.summary_line()), soft_wrap=True, highlight=False, markup=False)
