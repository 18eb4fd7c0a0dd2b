"""Fixtures for the HTTP API: an app over a SQLite store in tmp_path, keys per scope, clients."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette asks for httpx2, which is not packaged here; httpx works the same.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

from api.app import create_app
from api.routes._cache import RenderCache, TableCache
from api.settings import Settings
from diagrams import FakeRenderer
from fishbone.store import SCOPES, Store

__all__ = ["TestClient"]


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """A migrated, empty SQLite file, copied for each test (migrating once is faster)."""
    path: Path = tmp_path_factory.mktemp("template") / "fishbone.db"
    Store(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def db_url(tmp_path, migrated_db) -> str:
    shutil.copy(migrated_db, tmp_path / "fishbone.db")
    return f"sqlite:///{tmp_path / 'fishbone.db'}"


@pytest.fixture
def store(db_url) -> Iterator[Store]:
    store = Store(db_url, upgrade=False)
    yield store
    store.close()


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings(database_url=db_url, access_log=False)


@pytest.fixture
def renderer() -> FakeRenderer:
    return FakeRenderer()


@pytest.fixture
def tokens(store) -> dict[str, str]:
    """One token per scope."""
    return {
        scope: store.create_key(name=f"{scope}-key", scopes=[scope], actor="test")[1]
        for scope in SCOPES
    }


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory, migrated_db):
    """One app for the session (building the routes takes a while); tests swap its state."""
    path = tmp_path_factory.mktemp("shared") / "fishbone.db"
    shutil.copy(migrated_db, path)
    settings = Settings(database_url=f"sqlite:///{path}", access_log=False)
    store = Store(settings.database_url, upgrade=False)
    app = create_app(settings, store=store, renderer=FakeRenderer())
    yield app
    store.close()


@pytest.fixture
def app(shared_app, settings, store, renderer, tokens):
    """The shared app, pointed at this test's store, settings, renderer and an empty cache."""
    shared_app.state.settings = settings
    shared_app.state.store = store
    shared_app.state.renderer = renderer
    shared_app.state.render_cache = RenderCache(settings.render_cache)
    shared_app.state.table_cache = TableCache(settings.table_cache)
    return shared_app


@pytest.fixture
def client(app, tokens) -> Iterator[TestClient]:
    """A client signed in with an admin key."""
    with TestClient(
        app,
        headers={"Authorization": f"Bearer {tokens['admin']}"},
        raise_server_exceptions=False,
    ) as client:
        yield client


@pytest.fixture
def anon(app) -> Iterator[TestClient]:
    """A client without any key."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
