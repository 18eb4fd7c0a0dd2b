"""Two writers: the second write based on a stale ETag gets 412 and nothing is lost."""

import threading

from tests.api.conftest import auth
from tests.api.helpers import create, problem


def test_two_writers_same_etag(client, tokens):
    etag = create(client)
    alice = {**auth(tokens["edit"]), "If-Match": etag}
    bob = {**auth(tokens["admin"]), "If-Match": etag}
    first = client.post(
        "/api/v1/diagrams/cx/causes",
        json={"label": "Alice", "category": "systems"},
        headers=alice,
    )
    assert first.status_code == 201, first.text
    second = client.post(
        "/api/v1/diagrams/cx/causes",
        json={"label": "Bob", "category": "systems"},
        headers=bob,
    )
    body = problem(second, 412, "version-conflict")
    assert (body["current_version"], body["etag"]) == (2, '"cx.v2"')
    assert second.headers["ETag"] == '"cx.v2"'
    retry = client.post(
        "/api/v1/diagrams/cx/causes",
        json={"label": "Bob", "category": "systems"},
        headers={**bob, "If-Match": body["etag"]},
    )
    assert retry.status_code == 201
    labels = [c["label"] for c in client.get("/api/v1/diagrams/cx/causes").json()]
    assert labels[-2:] == ["Alice", "Bob"]


def test_racing_threads_one_wins_each_version(client):
    etag = create(client)
    statuses: list[int] = []

    def vote():
        response = client.post(
            "/api/v1/diagrams/cx/causes/app/votes",
            json={"delta": 1},
            headers={"If-Match": etag},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=vote) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [412] * 7
    assert client.get("/api/v1/diagrams/cx/causes/app").json()["votes"] == 1
    assert len(client.get("/api/v1/diagrams/cx/versions").json()) == 2
