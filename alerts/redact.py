"""Moved: the one redaction is `laborwatch.redaction`; this name stays for imports in flight."""

from laborwatch.redaction import MASK, redact

__all__ = ["MASK", "redact"]
