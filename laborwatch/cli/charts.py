"""`history --chart`: one figure's history drawn to an SVG or PNG file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from laborwatch.cli.common import err


def write_chart(entries: list[Any], path: Path) -> None:
    """One figure's history drawn to `path`; several matching figures are listed instead."""
    from laborwatch.alerts.charts import chart_of, figure_keys, render_chart, text_chart

    keys = figure_keys(entries)
    if len(keys) != 1:
        shown = "\n".join(f"  --subject {s!r} --metric {m}  ({u})" for s, m, u in keys[:10])
        more = f"\n  … and {len(keys) - 10} more" if len(keys) > 10 else ""
        why = "no stored figure matches" if not keys else f"{len(keys)} figures match"
        err.print(
            f"[red]error:[/red] --chart draws one figure and {why}; narrow it down"
            + (f" with:\n{shown}{more}" if keys else " (see `laborwatch history`)"),
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    figure = chart_of(entries, *keys[0])
    data = render_chart(figure, "png" if path.suffix.lower() == ".png" else "svg")
    try:
        path.write_bytes(data)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write {path}: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    err.print(f"{figure.title} — {text_chart(figure)}", highlight=False, soft_wrap=True)
    err.print(f"wrote {path}", highlight=False, soft_wrap=True)
