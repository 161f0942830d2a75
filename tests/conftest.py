"""Test-wide environment: keep Prefect local, quiet and offline."""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("LABORWATCH_CONFIG", None)
os.environ.pop("LABORWATCH_NOTIFY_URLS", None)
