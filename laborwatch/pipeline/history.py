"""A figure's stored history for the alerts' charts (`alerts.history_charts`)."""

from __future__ import annotations

import logging

from laborwatch.alerts.charts import FigureChart, chart_of
from laborwatch.alerts.history_charts import ChartLookup, cached
from laborwatch.storage.store import Store

logger = logging.getLogger("laborwatch.pipeline")


def chart_lookup(store: Store) -> ChartLookup:
    """A figure's history, read once per figure; one that cannot be read is left out."""

    def lookup(subject: str, metric: str, unit: str) -> FigureChart | None:
        try:
            history = store.figure_history(subject=subject, metric=metric)
        except Exception as exc:
            logger.warning("history of %s / %s for the alert chart: %s", subject, metric, exc)
            return None
        return chart_of(history, subject, metric, unit)

    return cached(lookup)
