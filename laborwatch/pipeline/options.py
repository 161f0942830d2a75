"""One run's options: the typed parameter model the CLI, the flow and the UI's run form share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from laborwatch.settings import Settings, sources_from_locations


class RunOptions(BaseModel):
    """What one run changes about the configuration; empty fields keep the configured value.
    What each means is documented on the `monitor` flow's parameters."""

    sources: list[str] | None = None
    skip_sources: list[str] = Field(default_factory=list)
    watches: list[str] | None = None
    dry_run: bool = False
    alert_mode: Literal["digest", "each"] | None = None
    min_relative_change: float | None = Field(default=None, ge=0.0)
    database_url: str | None = None


def apply_options(settings: Settings, options: RunOptions) -> Settings:
    """A copy of `settings` with this run's options on top. Raises ValueError for a watch name
    the configuration does not have."""
    settings = settings.model_copy(deep=True)
    if options.database_url:
        settings.database_url = options.database_url
    if options.sources:
        settings.sources = sources_from_locations(options.sources)
    if options.skip_sources:
        skip = set(options.skip_sources)
        settings.sources = [
            s for s in settings.sources if s.location not in skip and s.label not in skip
        ]
    if options.watches is not None:
        wanted = set(options.watches)
        unknown = wanted - {w.name for w in settings.watches}
        if unknown:
            raise ValueError(f"unknown watch(es): {', '.join(sorted(unknown))}")
        settings.watches = [w for w in settings.watches if w.name in wanted]
    if options.alert_mode:
        settings.alerts.mode = options.alert_mode
    if options.min_relative_change is not None:
        settings.alerts.min_relative_change = options.min_relative_change
    return settings
