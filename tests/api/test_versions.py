"""Versions: list, get one, diff, restore."""

from tests.api.helpers import DIAGRAM, create, problem


def edit_title(client, etag, title):
    response = client.put(
        "/api/v1/diagrams/cx",
        json={**DIAGRAM, "title": title},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def test_list_get_and_diff(client):
    etag = create(client)
    edit_title(client, etag, "Second")
    versions = client.get("/api/v1/diagrams/cx/versions").json()
    assert [(v["version"], v["author"], v["summary"]) for v in versions] == [
        (1, "admin-key", "created"),
        (2, "admin-key", "changed title"),
    ]
    one = client.get("/api/v1/diagrams/cx/versions/1").json()
    assert one["diagram"] == DIAGRAM
    diff = client.get("/api/v1/diagrams/cx/diff", params={"from": 1, "to": 2}).json()
    assert diff == {
        "diagram": "cx",
        "from_version": 1,
        "to_version": 2,
        "summary": "changed title",
        "changes": [
            {
                "op": "changed",
                "path": "title",
                "before": "Customer experience",
                "after": "Second",
            }
        ],
    }


def test_missing_version_is_404(client):
    create(client)
    problem(client.get("/api/v1/diagrams/cx/versions/7"), 404, "not-found")


def test_restore_saves_the_old_document_as_a_new_version(client):
    etag = create(client)
    etag = edit_title(client, etag, "Second")
    response = client.post(
        "/api/v1/diagrams/cx/versions/1/restore", headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Customer experience"
    assert response.headers["ETag"] == '"cx.v3"'
    summaries = [
        v["summary"] for v in client.get("/api/v1/diagrams/cx/versions").json()
    ]
    assert summaries[-1] == "restored version 1"
