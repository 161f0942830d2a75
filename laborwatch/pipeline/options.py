"""One run's options: the typed parameter model the CLI, the flow and the UI's run form share."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from laborwatch.settings import (
    Settings,
    SourceConfig,
    location_given_twice,
    sources_from_locations,
)

SHARD_PATTERN = r"^\s*\d+\s*/\s*\d+\s*$"


def parse_shard(shard: str) -> tuple[int, int]:
    """ "2/4" -> (2, 4): the second of four shards. Raises ValueError unless 1 <= K <= N."""
    number, _, count = shard.partition("/")
    try:
        k, n = int(number), int(count)
    except ValueError:
        raise ValueError(f"shard {shard!r}: expected K/N, e.g. 2/4") from None
    if not 1 <= k <= n:
        raise ValueError(f"shard {shard!r}: K must be between 1 and N")
    return k, n


def shard_of(location: str, count: int) -> int:
    """The shard (1..count) a source belongs to: a hash of its location, so a source keeps its
    shard when sources are added, removed or reordered, on every machine and Python run."""
    digest = hashlib.sha256(location.strip().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def in_shard(sources: list[SourceConfig], shard: str) -> list[SourceConfig]:
    """The sources of shard "K/N": over K = 1..N the shards are disjoint and cover the list."""
    k, n = parse_shard(shard)
    return [source for source in sources if shard_of(source.location, n) == k]


class RunOptions(BaseModel):
    """What one run changes about the configuration; empty fields keep the configured value.
    What each means is documented on the `monitor` flow's parameters."""

    sources: list[str] | None = None
    skip_sources: list[str] = Field(default_factory=list)
    watches: list[str] | None = None
    dry_run: bool = False
    alert_mode: Literal["digest", "each"] | None = None
    min_relative_change: float | None = Field(default=None, ge=0.0, allow_inf_nan=False)
    database_url: str | None = None
    shard: str | None = Field(default=None, pattern=SHARD_PATTERN)

    @field_validator("sources")
    @classmethod
    def _no_blank_source(cls, value: list[str] | None) -> list[str] | None:
        # An empty location would read the folder the run happens to be in.
        if value is not None and any(not location.strip() for location in value):
            raise ValueError(
                "a source is empty: give a feed URL, a feed or article file, or a folder"
            )
        twice = location_given_twice(value or [])
        if twice is not None:
            raise ValueError(f"--source {twice} is given twice")
        return value

    @field_validator("shard")
    @classmethod
    def _valid_shard(cls, value: str | None) -> str | None:
        if value is None:
            return None
        k, n = parse_shard(value)
        return f"{k}/{n}"


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
    if options.shard:
        settings.sources = in_shard(settings.sources, options.shard)
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
