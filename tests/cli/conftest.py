from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.seeds import seed_database


@pytest.fixture()
def seeded(tmp_path: Path) -> Path:
    """A database holding the three seeds' history."""
    return seed_database(tmp_path / "lw.db")
