"""The issue's "done when", on SQLite and PostgreSQL: a script creates a key, pushes feedback,
fetches the ranking and the coloured picture, using only the documented API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from api.app import create_app
from api.settings import Settings
from diagrams import FakeRenderer
from fishbone.store import Store
from tests.api.conftest import TestClient, auth
from tests.fishbone.test_store_contract import _postgres_url

ROWS = 10_000


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def admin_client(request, tmp_path) -> Iterator[tuple[TestClient, str]]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'f.db'}"])
    else:
        urls = _postgres_url()
    url = next(urls)
    store = Store(url)
    _key, admin = store.create_key(name="ops", scopes=["admin"], actor="cli")
    app = create_app(
        Settings(database_url=url, access_log=False),
        store=store,
        renderer=FakeRenderer(),
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, admin
    store.close()
    next(urls, None)


def lines(n: int):
    topics = ["refund took weeks", "the app crashed", "friendly staff", "long queue"]
    for start in range(0, n, 1000):
        yield "".join(
            json.dumps({"id": f"r{i}", "text": topics[i % 4], "score": i % 11}) + "\n"
            for i in range(start, min(n, start + 1000))
        ).encode()


def test_script_flow(admin_client):
    client, admin = admin_client
    ingest = client.post(
        "/api/v1/keys",
        json={"name": "nightly", "scopes": ["ingest"]},
        headers=auth(admin),
    ).json()["token"]
    editor = client.post(
        "/api/v1/keys",
        json={"name": "workshop", "scopes": ["edit"]},
        headers=auth(admin),
    ).json()["token"]

    assert (
        client.post(
            "/api/v1/datasets", json={"id": "nps", "scale": "nps"}, headers=auth(ingest)
        ).status_code
        == 201
    )
    report = client.post(
        "/api/v1/datasets/nps/records.ndjson",
        content=lines(ROWS),
        headers={**auth(ingest), "Content-Type": "application/x-ndjson"},
    ).json()
    assert (report["inserted"], report["rejected"]) == (ROWS, 0)

    created = client.post(
        "/api/v1/diagrams/from-template",
        json={"template": "customer-experience", "id": "cx"},
        headers=auth(editor),
    )
    etag = created.headers["ETag"]
    for label, category, signals in [
        ("Fast refunds", "processes", ["refund"]),
        ("Reliable app", "systems", ["app", "crash"]),
        ("Short queues", "environment", ["queue"]),
    ]:
        response = client.post(
            "/api/v1/diagrams/cx/causes",
            json={"label": label, "category": category, "signals": signals},
            headers={**auth(editor), "If-Match": etag},
        )
        assert response.status_code == 201, response.text
        etag = response.headers["ETag"]

    ranking = client.get(
        "/api/v1/diagrams/cx/ranking",
        params={"dataset": "nps", "method": "impact"},
        headers=auth(ingest),
    ).json()
    assert ranking["records"] == ROWS
    assert {r["cause"]: r["n"] for r in ranking["rows"]} == {
        "fast-refunds": 2500,
        "reliable-app": 2500,
        "short-queues": 2500,
    }
    plain = client.get("/api/v1/diagrams/cx/render.dot", headers=auth(ingest))
    coloured = client.get(
        "/api/v1/diagrams/cx/render.dot",
        params={"ranking": "nps"},
        headers=auth(ingest),
    )
    assert plain.status_code == coloured.status_code == 200
    assert plain.content != coloured.content
    svg = client.get(
        "/api/v1/diagrams/cx/render.svg",
        params={"ranking": "nps"},
        headers=auth(ingest),
    )
    assert svg.headers["content-type"] == "image/svg+xml"


def test_malformed_ingest_stores_nothing_wrong(admin_client):
    """Bad rows are rejected one by one and the good ones stored as sent, on both backends."""
    client, admin = admin_client
    base = "/api/v1/datasets/nps"
    client.post(
        "/api/v1/datasets", json={"id": "nps", "scale": "nps"}, headers=auth(admin)
    )
    body = (
        '{"id": "a", "text": "caf\u00e9 \U0001f600 \u05e9\u05dc\u05d5\u05dd <b>", "score": 9}\n'
        '{"id": "b", "text": "nul \\u0000 here", "score": 5}\n'
        '{"id": "=cmd", "text": "formula id"}\n'
        '{"id": "c", "text": "=SUM(A1)", "score": 3, "tags": "x;y"}\n'
        '{"id": "d", "text": "big score", "score": 1e400}\n'
    ).encode() + b'{"id": "e", "text": "\xff"}\n'
    report = client.post(
        f"{base}/records.ndjson",
        content=body,
        headers={**auth(admin), "Content-Type": "application/x-ndjson"},
    ).json()
    assert [r["line"] for r in report["rejects"]] == [2, 3, 5, 6]
    assert (report["inserted"], report["rejected"]) == (2, 4)
    stored = {
        r["id"]: r for r in client.get(f"{base}/records", headers=auth(admin)).json()
    }
    assert stored["a"]["text"] == "caf\u00e9 \U0001f600 \u05e9\u05dc\u05d5\u05dd <b>"
    assert stored["c"]["text"] == "=SUM(A1)"
    assert stored["c"]["tags"] == ["x", "y"]
    assert sorted(stored) == ["a", "c"]
