"""Databases that cannot be used give one readable line (a StorageError), never a password."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from laborwatch.storage import DatabaseURLError, StorageError, Store
from laborwatch.storage.clean import clean_text
from laborwatch.storage.errors import DatabaseCorrupt, DatabaseMissing, DatabaseUnreachable
from tests.storage.conftest import POSTGRES_ENV
from tests.support.servers import free_port


def _error(url: str) -> StorageError:
    with pytest.raises(StorageError) as caught:
        Store.open(url).close()
    assert "\n" not in str(caught.value)
    return caught.value


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for " * 20)
    error = _error(f"sqlite:///{path}")
    assert isinstance(error, DatabaseCorrupt) and str(path) in str(error)


def test_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    error = _error(f"sqlite:///{blocker}/sub/lw.db")
    assert isinstance(error, DatabaseUnreachable) and "cannot create its folder" in str(error)


@pytest.mark.parametrize("url", ["garbage", "mysql://u:pw@host/db"])
def test_urls_that_cannot_be_used(url: str) -> None:
    error = _error(url)
    assert isinstance(error, DatabaseURLError) and "pw" not in str(error)


def test_postgresql_refused_and_unknown_database() -> None:
    refused = _error(f"postgresql+psycopg://lw:s3cret@127.0.0.1:{free_port()}/lw")
    assert isinstance(refused, DatabaseUnreachable) and "s3cret" not in str(refused)
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    from sqlalchemy.engine import make_url

    missing = make_url(base).set(database="lw_no_such_database").render_as_string(False)
    assert isinstance(_error(missing), DatabaseMissing)


def test_clean_text_drops_nul_and_replaces_lone_surrogates() -> None:
    assert clean_text("a\x00b") == "ab"
    assert clean_text("caf\udce9 \ud800x") == "caf\ufffd \ufffdx"
    assert clean_text("plain — ünïcode") == "plain — ünïcode"
    assert clean_text(None) is None
