"""Which developments alert, and who receives them.

Routing rule:
- A development alerts (`is_alertable`) when its metric is one of the configured alert metrics
  and it is either new, or changed by at least `min_relative_change` (a change from zero or
  from an unknown value always counts).
- An untagged target receives every alertable development. When watches are configured it
  receives only developments that matched at least one watch (`dev.watches` not empty):
  configuring watches means "only these topics".
- A tagged target receives a development when one of the watches it matched (by name, in
  `dev.watches`) carries one of the target's tags. Tags compare case-insensitively, as Apprise
  lowercases them.
- A target tagged `always` (Apprise's own catch-all tag) receives like an untagged one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from laborwatch.alerts.targets import Target
from laborwatch.domain import (
    ALERTED,
    BELOW_THRESHOLD,
    METRIC_NOT_ALERTED,
    NO_WATCH_MATCHED,
    Development,
)

ALWAYS_TAG = "always"


@dataclass(frozen=True)
class Watch:
    name: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=1024)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    # Word-bounded on both ends ("union" must not match "reunion"); inner whitespace is
    # flexible so "layoff notices" matches across a line break.
    words = [re.escape(part) for part in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _mentions(keywords: Sequence[str], haystacks: Sequence[str]) -> bool:
    return any(
        _keyword_pattern(word).search(hay)
        for word in keywords
        if word.strip()
        for hay in haystacks
        if hay
    )


def matching_watches(
    watches: Sequence[Watch], *, title: str, text: str, subject: str
) -> list[Watch]:
    """Watches whose include words appear (any) and whose exclude words do not (none).
    A watch without include words matches everything it does not exclude."""
    haystacks = (title, text, subject)
    matched = []
    for watch in watches:
        if _mentions(watch.exclude, haystacks):
            continue
        if not [w for w in watch.include if w.strip()] or _mentions(watch.include, haystacks):
            matched.append(watch)
    return matched


def is_alertable(dev: Development, *, metrics: Collection[str], min_relative_change: float) -> bool:
    if dev.metric not in metrics:
        return False
    if dev.kind == "new":
        return True
    change = dev.relative_change
    if change is None:  # from zero or from nothing known: any change is a big one
        return dev.old_value is None or dev.new_value != dev.old_value
    # A tiny epsilon so a change of exactly the threshold (e.g. 4000 -> 4400 at 0.1) passes
    # despite float rounding.
    return abs(change) + 1e-12 >= min_relative_change


def alert_outcome(
    dev: Development,
    *,
    metrics: Collection[str],
    min_relative_change: float,
    matched_watch: bool,
    watches_configured: bool,
) -> str:
    """ALERTED, or why `dev` is only recorded: its metric does not alert, the change is below
    the threshold, or watches are configured and none matched (checked in that order)."""
    if dev.metric not in metrics:
        return METRIC_NOT_ALERTED
    if not is_alertable(dev, metrics=metrics, min_relative_change=min_relative_change):
        return BELOW_THRESHOLD
    if watches_configured and not matched_watch:
        return NO_WATCH_MATCHED
    return ALERTED


def route(
    dev: Development,
    targets: Sequence[Target],
    *,
    watches_configured: bool,
    watches: Sequence[Watch] = (),
) -> list[Target]:
    """The targets that receive `dev` under the module's routing rule (input order kept).
    `watches` are the configured watches; only those named in `dev.watches` count."""
    matched_names = set(dev.watches)
    wanted_tags = {
        tag.lower() for watch in watches if watch.name in matched_names for tag in watch.tags
    }
    receives_untagged = bool(matched_names) if watches_configured else True
    chosen = []
    for target in targets:
        tags = {tag.lower() for tag in target.tags}
        if not tags or ALWAYS_TAG in tags:
            if receives_untagged:
                chosen.append(target)
        elif tags & wanted_tags:
            chosen.append(target)
    return chosen
