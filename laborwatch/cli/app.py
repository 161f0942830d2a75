"""The `laborwatch` command: every command registered on one Typer app."""

from __future__ import annotations

import typer

from laborwatch.cli.alerts import alerts, test_notify
from laborwatch.cli.maintenance import reextract
from laborwatch.cli.queries import developments, extract, history, sources
from laborwatch.cli.run import init, run
from laborwatch.cli.serve import serve
from laborwatch.cli.text import text

app = typer.Typer(
    help="Watch news for labor and layoff developments; alert on new or changed figures.",
    no_args_is_help=True,
    add_completion=False,
)
for command in (run, init, extract, history, developments, alerts, sources, reextract, serve):
    app.command()(command)
app.command("test-notify")(test_notify)
app.command()(text)
