"""Causes as a sub-resource: add, edit, move, delete with or without children, votes, status."""

from tests.api.helpers import create, problem

BASE = "/api/v1/diagrams/cx/causes"


def ids_by_parent(client):
    causes = client.get(BASE).json()
    return {c["id"]: (c["category"], c["parent"]) for c in causes}


def test_list_and_get(client):
    create(client)
    assert [c["id"] for c in client.get(BASE).json()] == ["refunds", "approval", "app"]
    response = client.get(f"{BASE}/app")
    assert response.status_code == 200
    assert response.json()["signals"] == ["app", "crash"]
    problem(client.get(f"{BASE}/nope"), 404, "cause-not-found")


def test_add_makes_an_id_from_the_label(client):
    etag = create(client)
    response = client.post(
        BASE,
        json={
            "label": "Staff answer fast",
            "category": "processes",
            "parent": "refunds",
        },
        headers={"If-Match": etag},
    )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "id": "staff-answer-fast",
        "label": "Staff answer fast",
        "category": "processes",
        "parent": "refunds",
        "signals": [],
        "status": "proposed",
        "votes": 0,
        "notes": "",
        "owner": None,
    }
    assert response.headers["ETag"] == '"cx.v2"'
    assert response.headers["Location"] == f"{BASE}/staff-answer-fast"


def test_add_to_an_unknown_category_is_422(client):
    etag = create(client)
    response = client.post(
        BASE, json={"label": "X", "category": "nope"}, headers={"If-Match": etag}
    )
    problem(response, 422, "diagram-invalid")


def test_edit_changes_fields(client):
    etag = create(client)
    response = client.patch(
        f"{BASE}/app",
        json={"label": "App never crashes", "signals": ["crash"], "notes": "top issue"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["label"], body["signals"], body["notes"]) == (
        "App never crashes",
        ["crash"],
        "top issue",
    )


def test_move_to_another_category_takes_the_children(client):
    etag = create(client)
    response = client.patch(
        f"{BASE}/refunds", json={"category": "systems"}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert ids_by_parent(client) == {
        "refunds": ("systems", None),
        "approval": ("systems", "refunds"),
        "app": ("systems", None),
    }


def test_move_under_another_cause_adopts_its_category(client):
    etag = create(client)
    response = client.patch(
        f"{BASE}/refunds", json={"parent": "app"}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert ids_by_parent(client)["refunds"] == ("systems", "app")
    assert ids_by_parent(client)["approval"] == ("systems", "refunds")


def test_move_under_own_child_is_422(client):
    etag = create(client)
    response = client.patch(
        f"{BASE}/refunds", json={"parent": "approval"}, headers={"If-Match": etag}
    )
    problem(response, 422, "diagram-invalid")


def test_delete_with_children(client):
    etag = create(client)
    response = client.delete(f"{BASE}/refunds", headers={"If-Match": etag})
    assert response.status_code == 204
    assert list(ids_by_parent(client)) == ["app"]


def test_delete_keeping_children_lifts_them(client):
    etag = create(client)
    response = client.delete(
        f"{BASE}/refunds", params={"children": "keep"}, headers={"If-Match": etag}
    )
    assert response.status_code == 204
    assert ids_by_parent(client) == {
        "approval": ("processes", None),
        "app": ("systems", None),
    }


def test_votes_add_up_and_never_go_below_zero(client):
    etag = create(client)
    response = client.post(
        f"{BASE}/app/votes", json={"delta": 3}, headers={"If-Match": etag}
    )
    assert response.json()["votes"] == 3
    etag = response.headers["ETag"]
    response = client.post(
        f"{BASE}/app/votes", json={"delta": -5}, headers={"If-Match": etag}
    )
    assert response.json()["votes"] == 0


def test_status(client):
    etag = create(client)
    response = client.put(
        f"{BASE}/app/status", json={"status": "verified"}, headers={"If-Match": etag}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    response = client.put(
        f"{BASE}/app/status",
        json={"status": "maybe"},
        headers={"If-Match": response.headers["ETag"]},
    )
    problem(response, 422, "request-invalid")


def test_versions_record_each_change(client):
    etag = create(client)
    client.put(
        f"{BASE}/app/status", json={"status": "verified"}, headers={"If-Match": etag}
    )
    summaries = [
        v["summary"] for v in client.get("/api/v1/diagrams/cx/versions").json()
    ]
    assert summaries == ["created", "set status of cause app to verified"]
