"""Whether a Prefect API is configured, read without importing Prefect (a second of start-up):
the CLI runs a pass in-process unless there is a server to show it as a flow run."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path


def prefect_api_configured(environ: Mapping[str, str]) -> bool:
    """PREFECT_API_URL in the environment or in the active Prefect profile."""
    if environ.get("PREFECT_API_URL"):
        return True
    home = Path(environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    try:
        data = tomllib.loads((home / "profiles.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    active = environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profile = data.get("profiles", {}).get(active, {})
    return isinstance(profile, dict) and bool(profile.get("PREFECT_API_URL"))
