"""Config files for tests that run the monitor: each test gets its own database and targets."""

from __future__ import annotations

from pathlib import Path


def write_config(
    path: Path,
    *,
    db: Path,
    urls: list[str],
    sources: list[str],
    extra: str = "",
    alerts: str = "",
) -> Path:
    """A config file for one test: its own database, sources and Apprise URLs; `alerts` adds
    lines to the [alerts] table, `extra` whole tables at the end."""
    lines = [
        "[database]",
        f'url = "sqlite:///{db}"',
        "",
    ]
    for source in sources:
        lines += ["[[sources]]", f'location = "{source}"', ""]
    lines += ["[alerts]", "urls = [" + ", ".join(f'"{u}"' for u in urls) + "]", alerts, ""]
    lines += ["[fetch]", "allow_private_addresses = true", ""]
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return path
