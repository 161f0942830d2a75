"""Names of a pass's batches, as the Prefect UI and the logs show them: "fetch 25 feeds
(host …)", "fetch and extract 500 articles (host …)"."""

from __future__ import annotations

from collections.abc import Sequence

from laborwatch.pipeline.steps import PendingArticle, hosts_label, is_remote
from laborwatch.settings import SourceConfig


def source_batch_name(source: SourceConfig) -> str:
    if "://" in source.location:
        return f"fetch {hosts_label([source.location])}"
    return f"read {source.name or source.location.rsplit('/', 1)[-1]}"


def group_batch_name(group: Sequence[tuple[int, SourceConfig]]) -> str:
    if len(group) == 1:
        return source_batch_name(group[0][1])
    label = hosts_label(source.location for _, source in group)
    if all(is_remote(source.location) for _, source in group):
        return f"fetch {len(group)} feeds ({label})"
    return f"read {len(group)} sources ({label})"


def chunk_batch_name(chunk: Sequence[PendingArticle]) -> str:
    pages = sum(1 for item in chunk if item.page is not None)
    label = hosts_label(item.page.url if item.page else item.location for item in chunk)
    if pages:
        return f"fetch and extract {len(chunk)} articles ({label})"
    return f"extract {len(chunk)} articles ({label})"
