"""The `laborwatch` command: every command registered on one Typer app, each run inside the
error handler of `LaborwatchGroup` (one clear line per error; `--debug` for the traceback)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from laborwatch.cli.alerts import alerts, test_notify
from laborwatch.cli.common import DebugOption
from laborwatch.cli.errors import LaborwatchGroup, set_debug
from laborwatch.cli.extract import extract
from laborwatch.cli.maintenance import reextract
from laborwatch.cli.queries import developments, history, sources
from laborwatch.cli.run import init, run
from laborwatch.cli.serve import serve
from laborwatch.cli.text import text


def _untagged_flags(params: list[Any]) -> list[Any]:
    """Help without a type tag on flags: `--json` takes no value, so no `<bool>` after it."""
    for param in params:
        if getattr(param, "is_flag", False) and getattr(param, "metavar", "") is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _untagged_flags(super().get_params(ctx))


class Group(LaborwatchGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _untagged_flags(super().get_params(ctx))


def laborwatch_version() -> str:
    try:
        return version("laborwatch")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"laborwatch {laborwatch_version()}")
        raise typer.Exit()


app = typer.Typer(
    cls=Group,
    help="Watch news for labor and layoff developments; alert on new or changed figures.",
    no_args_is_help=True,
    add_completion=False,
    # Locals of a traceback hold settings and URLs: never printed, not even with --debug.
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main(
    debug: DebugOption = False,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Watch news for labor and layoff developments; alert on new or changed figures."""
    set_debug(debug)


def _register(fn: Any, name: str | None = None) -> None:
    app.command(name, cls=Command)(fn)


for command in (run, init, extract, history, developments, alerts, sources, reextract, serve):
    _register(command)
_register(test_notify, "test-notify")
_register(text)
