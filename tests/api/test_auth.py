"""Authentication and scopes: every route x every scope, revoked keys, anonymous on loopback only."""

import re

import pytest

from api.app import create_app
from api.auth import UnsafeBind, check_bind
from api.settings import Settings
from fishbone.store import implied_scopes
from tests.api.conftest import TestClient, auth
from tests.api.helpers import problem

SAMPLE = {
    "diagram_id": "cx",
    "cause_id": "app",
    "version": "1",
    "dataset_id": "survey",
    "key_id": "key_0",
    "fmt": "svg",
}


def needed_scope(method: str, path: str) -> str:
    """The scope a route should need: the rule the API documents."""
    if path.startswith(("/api/v1/keys", "/api/v1/audit")):
        return "admin"
    if method == "GET":
        return "read"
    return "ingest" if path.startswith("/api/v1/datasets") else "edit"


def api_routes(app):
    for path, item in app.openapi()["paths"].items():
        if path.startswith("/api/v1"):
            for method in sorted(item):
                yield method.upper(), path


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m[1]], path)


def test_every_route_is_in_the_matrix(app):
    routes = list(api_routes(app))
    assert len(routes) >= 30
    assert {needed_scope(m, p) for m, p in routes} == {
        "read",
        "edit",
        "ingest",
        "admin",
    }


@pytest.mark.parametrize("scope", [None, "read", "edit", "ingest", "admin"], ids=str)
def test_scope_matrix(app, tokens, scope):
    headers = auth(tokens[scope]) if scope else {}
    granted = implied_scopes([scope]) if scope else frozenset()
    wrong = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path in api_routes(app):
            response = client.request(method, concrete(path), headers=headers, json={})
            needed = needed_scope(method, path)
            if scope is None:
                expected = {401}
            elif needed in granted:
                expected = set(range(200, 600)) - {401, 403, 500}
            else:
                expected = {403}
            if response.status_code not in expected:
                wrong.append((method, path, response.status_code))
    assert wrong == []


def test_missing_key_is_401_with_bearer_challenge(anon):
    response = anon.get("/api/v1/diagrams")
    problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_and_revoked_keys_are_401(client, anon, store, tokens):
    problem(anon.get("/api/v1/diagrams", headers=auth("fb_nope")), 401, "unauthorized")
    [key] = [k for k in store.list_keys() if k.name == "read-key"]
    assert client.delete(f"/api/v1/keys/{key.id}").json()["active"] is False
    problem(
        anon.get("/api/v1/diagrams", headers=auth(tokens["read"])), 401, "unauthorized"
    )


def test_keys_are_stored_hashed_and_shown_once(client, store):
    created = client.post(
        "/api/v1/keys", json={"name": "nightly", "scopes": ["ingest"]}
    ).json()
    token = created["token"]
    listed = client.get("/api/v1/keys").json()
    assert token not in str(listed)
    assert [k["scopes"] for k in listed if k["name"] == "nightly"] == [["ingest"]]
    assert store.authenticate(token).name == "nightly"


def test_ingest_key_cannot_edit_and_read_key_cannot_write(anon, tokens):
    body = problem(
        anon.post("/api/v1/diagrams", json={}, headers=auth(tokens["ingest"])),
        403,
        "forbidden",
    )
    assert body["required_scope"] == "edit"
    problem(
        anon.post("/api/v1/datasets", json={}, headers=auth(tokens["read"])),
        403,
        "forbidden",
    )


def test_anonymous_only_with_no_auth_on_loopback(tmp_path, store):
    settings = Settings(database_url=store.url, no_auth=True, access_log=False)
    with TestClient(create_app(settings, store=store)) as client:
        assert client.get("/api/v1/keys").status_code == 200


@pytest.mark.parametrize(
    ("host", "no_auth", "has_keys", "refused"),
    [
        ("127.0.0.1", True, False, False),
        ("::1", True, False, False),
        ("localhost", False, False, False),
        ("0.0.0.0", True, True, True),
        ("0.0.0.0", False, False, True),
        ("192.168.1.5", False, True, False),
    ],
    ids=[
        "loopback-no-auth",
        "ipv6-loopback",
        "localhost",
        "no-auth-public",
        "public-no-keys",
        "public-keys",
    ],
)
def test_check_bind(host, no_auth, has_keys, refused):
    settings = Settings(host=host, no_auth=no_auth)
    if refused:
        with pytest.raises(UnsafeBind):
            check_bind(settings, has_keys=has_keys)
    else:
        check_bind(settings, has_keys=has_keys)


def test_create_app_refuses_a_public_bind_without_keys(db_url):
    with pytest.raises(UnsafeBind, match="without API keys"):
        create_app(Settings(database_url=db_url, host="0.0.0.0"))
