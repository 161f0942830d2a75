"""What one fetch gives back, and the failure a fetch step raises inside the fetcher."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

ErrorKind = Literal["hard", "soft", "temporary"]


@dataclass(slots=True, kw_only=True)
class FetchResult:
    url: str
    final_url: str
    status: int = 0  # 0 when no HTTP response arrived
    body: bytes | None = None
    not_modified: bool = False
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None  # sha256 hex of the (decompressed) body
    error: str | None = None
    error_kind: ErrorKind | None = None
    retry_after: float | None = None  # seconds the server asked us to wait
    elapsed: float = 0.0
    robots_disallowed: bool = False  # a page fetch its site's robots.txt refused: not requested

    @property
    def ok(self) -> bool:
        return self.error is None


class FetchFailure(Exception):
    def __init__(
        self, message: str, kind: ErrorKind, *, status: int = 0, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.status = status
        self.retry_after = retry_after


def failed_result(url: str, final_url: str, failure: FetchFailure, started: float) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url,
        status=failure.status,
        error=str(failure),
        error_kind=failure.kind,
        retry_after=failure.retry_after,
        elapsed=time.monotonic() - started,
    )


def skipped_by_robots(url: str, started: float) -> FetchResult:
    """A page that robots.txt refused: never requested, so no status, no body and no error."""
    return FetchResult(
        url=url, final_url=url, elapsed=time.monotonic() - started, robots_disallowed=True
    )
