"""Test-wide environment: keep Prefect local, quiet and offline."""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# Core code logs outside flow runs in unit tests; that is expected, not worth a warning each.
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.pop("LABORWATCH_CONFIG", None)
os.environ.pop("LABORWATCH_NOTIFY_URLS", None)
