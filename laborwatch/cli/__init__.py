"""The command line: the roof of the house, importing every floor below it."""

from laborwatch.cli.app import app

__all__ = ["app"]
