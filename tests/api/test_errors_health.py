"""Errors are problem+json with a stable type and no traceback; health and readiness."""

import logging

import pytest

from api.app import create_app
from api.errors import PROBLEMS
from api.settings import Settings
from tests.api.conftest import TestClient
from tests.api.helpers import create, problem


class BrokenRenderer:
    def render(self, dot, *, format, max_pixels, dpi, timeout):
        raise RuntimeError("secret internals /etc/passwd")


def test_unexpected_error_is_500_without_details(app, client, caplog):
    create(client)
    app.state.renderer = BrokenRenderer()
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/diagrams/cx/render.svg")
    body = problem(response, 500, "internal-error")
    assert "secret" not in response.text
    assert body["detail"] == "the server failed; the error is in its log"
    assert "secret internals" in caplog.text


def test_unknown_route_and_method(client):
    problem(client.get("/api/v1/nothing"), 404, "route-not-found")
    problem(client.put("/api/v1/datasets"), 405, "method-not-allowed")


def test_problem_types_are_unique():
    slugs = [slug for _cls, _status, slug in PROBLEMS]
    assert len(slugs) == len(set(slugs))


def test_healthz_and_readyz(anon):
    assert anon.get("/healthz").json() == {"status": "ok"}
    assert anon.get("/readyz").json() == {"status": "ok", "database": "sqlite"}


def test_readyz_is_503_when_the_database_is_gone(app, anon, store, monkeypatch):
    monkeypatch.setattr(store, "ping", lambda: False)
    problem(anon.get("/readyz"), 503, "not-ready")


def test_one_log_line_per_request(db_url, store, caplog):
    app = create_app(Settings(database_url=db_url, no_auth=True), store=store)
    with (
        TestClient(app) as client,
        caplog.at_level(logging.INFO, logger="fishbone.access"),
    ):
        client.get("/healthz")
    [line] = [r.getMessage() for r in caplog.records if r.name == "fishbone.access"]
    assert line.startswith("method=GET path=/healthz status=200 ms=")


def test_demo_seeds_a_ranked_diagram(db_url, store):
    app = create_app(
        Settings(database_url=db_url, no_auth=True, demo=True, access_log=False),
        store=store,
    )
    with TestClient(app) as client:
        body = client.get(
            "/api/v1/diagrams/customer-experience/ranking",
            params={"dataset": "demo-survey"},
        ).json()
    assert body["records"] == 2000
    assert body["rows"][0]["n"] > 100


@pytest.mark.parametrize("path", ["/docs", "/openapi.json"])
def test_docs_are_public(anon, path):
    assert anon.get(path).status_code == 200


def test_audit_lists_writes_newest_first(client):
    create(client)
    client.post("/api/v1/datasets", json={"id": "s"})
    client.post("/api/v1/datasets/s/records", json=[{"id": "1", "text": "refund"}])
    entries = client.get("/api/v1/audit", params={"limit": 3}).json()
    assert [(e["actor"], e["action"], e["target"]) for e in entries] == [
        ("admin-key", "dataset.ingest", "s"),
        ("admin-key", "dataset.create", "s"),
        ("admin-key", "diagram.create", "cx"),
    ]
    assert entries[0]["detail"] == {"inserted": 1, "updated": 0}
