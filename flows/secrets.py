"""Apprise URLs kept in a Prefect Secret block, so tokens live in Prefect, not in a file."""

from __future__ import annotations

from typing import Any

from prefect.blocks.system import Secret


class SecretBlockError(ValueError):
    """The named Secret block is missing or does not hold Apprise URLs."""


def apprise_urls_from_secret(block_name: str) -> list[str]:
    """The URLs in a Secret block: a JSON list of strings, or one string of URLs separated by
    spaces, commas or new lines. Never puts the secret itself in an error."""
    try:
        block: Any = Secret.load(block_name, _sync=True)  # type: ignore[call-arg]
        value = block.get()
    except ValueError as exc:
        raise SecretBlockError(f"Prefect Secret block {block_name!r} not found: {exc}") from None
    if isinstance(value, str):
        return [part for chunk in value.split(",") for part in chunk.split() if part]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    raise SecretBlockError(
        f"Prefect Secret block {block_name!r} must hold a list of Apprise URLs or a string of them"
    )


def configured_apprise_urls(urls: list[str], secret_block: str | None) -> list[str]:
    """The configured URLs plus those of the Secret block, when one is named."""
    return [*urls, *(apprise_urls_from_secret(secret_block) if secret_block else [])]
