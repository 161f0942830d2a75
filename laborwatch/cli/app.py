"""The `laborwatch` command: every command registered on one Typer app, each run inside the
error handler of `LaborwatchGroup` (one clear line per error; `--debug` for the traceback)."""

from __future__ import annotations

import typer

from laborwatch.cli.alerts import alerts, test_notify
from laborwatch.cli.common import DebugOption
from laborwatch.cli.errors import LaborwatchGroup, set_debug
from laborwatch.cli.maintenance import reextract
from laborwatch.cli.queries import developments, extract, history, sources
from laborwatch.cli.run import init, run
from laborwatch.cli.serve import serve
from laborwatch.cli.text import text

app = typer.Typer(
    cls=LaborwatchGroup,
    help="Watch news for labor and layoff developments; alert on new or changed figures.",
    no_args_is_help=True,
    add_completion=False,
    # Locals of a traceback hold settings and URLs: never printed, not even with --debug.
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main(debug: DebugOption = False) -> None:
    """Watch news for labor and layoff developments; alert on new or changed figures."""
    set_debug(debug)


for command in (run, init, extract, history, developments, alerts, sources, reextract, serve):
    app.command()(command)
app.command("test-notify")(test_notify)
app.command()(text)
