"""Diagrams: list, create (document, template, outline), get, replace, patch, delete."""

import copy

from tests.api.helpers import DIAGRAM, create, problem


def test_create_then_get_returns_the_document_with_its_etag(client):
    etag = create(client)
    assert etag == '"cx.v1"'
    response = client.get("/api/v1/diagrams/cx")
    assert response.status_code == 200
    assert response.json() == DIAGRAM
    assert response.headers["ETag"] == '"cx.v1"'


def test_list_summarises_each_diagram(client):
    create(client)
    response = client.get("/api/v1/diagrams")
    assert response.status_code == 200
    [row] = response.json()
    assert {k: row[k] for k in ("id", "causes", "categories", "version", "etag")} == {
        "id": "cx",
        "causes": 3,
        "categories": 2,
        "version": 1,
        "etag": '"cx.v1"',
    }


def test_get_with_current_etag_is_304(client):
    etag = create(client)
    response = client.get("/api/v1/diagrams/cx", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_create_twice_is_409(client):
    create(client)
    problem(client.post("/api/v1/diagrams", json=DIAGRAM), 409, "already-exists")


def test_invalid_diagram_is_422_with_every_problem(client):
    doc = copy.deepcopy(DIAGRAM)
    doc["causes"][1]["parent"] = "nope"
    body = problem(client.post("/api/v1/diagrams", json=doc), 422, "diagram-invalid")
    assert body["problems"] == [
        {
            "where": "approval",
            "message": "parent 'nope' does not exist; set parent to an existing cause id, or null to hang it on its bone",
        }
    ]


def test_unknown_field_is_422(client):
    doc = {**DIAGRAM, "colour": "red"}
    problem(client.post("/api/v1/diagrams", json=doc), 422, "request-invalid")


def test_id_that_cannot_go_in_a_url_is_422(client):
    doc = {**DIAGRAM, "id": "a/b"}
    problem(client.post("/api/v1/diagrams", json=doc), 422, "unprocessable")


def test_create_from_template(client):
    response = client.post(
        "/api/v1/diagrams/from-template",
        json={
            "template": "customer-experience",
            "id": "cx2",
            "effect": "Loyal customers",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["id"], body["effect"]["label"], len(body["categories"])) == (
        "cx2",
        "Loyal customers",
        5,
    )
    assert response.headers["Location"] == "/api/v1/diagrams/cx2"


def test_unknown_template_is_404(client):
    response = client.post(
        "/api/v1/diagrams/from-template", json={"template": "nope", "id": "x"}
    )
    problem(response, 404, "template-not-found")


def test_create_from_outline(client):
    outline = (
        "Late deliveries\n  People\n    Short staffed\n  Process\n    Manual routing\n"
    )
    response = client.post(
        "/api/v1/diagrams/from-outline", json={"outline": outline, "id": "late"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [c["label"] for c in body["causes"]] == ["Short staffed", "Manual routing"]


def test_bad_outline_is_422_with_the_line(client):
    response = client.post(
        "/api/v1/diagrams/from-outline",
        json={"outline": "Effect\n- A\n      - B", "id": "bad"},
    )
    body = problem(response, 422, "format-error")
    assert body["line"] == 3


def test_replace_needs_if_match_and_bumps_the_version(client):
    etag = create(client)
    doc = {**DIAGRAM, "title": "New title"}
    problem(client.put("/api/v1/diagrams/cx", json=doc), 428, "precondition-required")
    response = client.put("/api/v1/diagrams/cx", json=doc, headers={"If-Match": etag})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "New title"
    assert response.headers["ETag"] == '"cx.v2"'


def test_replace_cannot_change_the_id(client):
    etag = create(client)
    doc = {**DIAGRAM, "id": "other"}
    response = client.put("/api/v1/diagrams/cx", json=doc, headers={"If-Match": etag})
    problem(response, 422, "unprocessable")


def test_merge_patch_changes_only_what_it_names(client):
    etag = create(client)
    response = client.patch(
        "/api/v1/diagrams/cx",
        json={"title": "Q3", "effect": {"label": "Loyal customers"}},
        headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["effect"], body["causes"]) == (
        "Q3",
        {"label": "Loyal customers", "kind": "goal"},
        DIAGRAM["causes"],
    )


def test_merge_patch_to_an_invalid_document_is_422(client):
    etag = create(client)
    response = client.patch(
        "/api/v1/diagrams/cx",
        json={"effect": {"kind": "vibes"}},
        headers={"If-Match": etag},
    )
    problem(response, 422, "document-invalid")


def test_delete_needs_the_current_etag(client):
    etag = create(client)
    problem(client.delete("/api/v1/diagrams/cx"), 428, "precondition-required")
    problem(
        client.delete("/api/v1/diagrams/cx", headers={"If-Match": '"cx.v9"'}),
        412,
        "version-conflict",
    )
    assert (
        client.delete("/api/v1/diagrams/cx", headers={"If-Match": etag}).status_code
        == 204
    )
    problem(client.get("/api/v1/diagrams/cx"), 404, "not-found")
