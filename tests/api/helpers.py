"""Small builders shared by the API tests."""

from __future__ import annotations

from typing import Any

DIAGRAM: dict[str, Any] = {
    "schema": "fishbone/1",
    "id": "cx",
    "title": "Customer experience",
    "effect": {"label": "Superior customer experience", "kind": "goal"},
    "categories": [
        {"id": "processes", "label": "Processes"},
        {"id": "systems", "label": "Systems"},
    ],
    "causes": [
        {
            "id": "refunds",
            "label": "Refunds are fast",
            "category": "processes",
            "parent": None,
            "signals": ["refund"],
            "status": "proposed",
            "votes": 0,
            "notes": "",
            "owner": None,
        },
        {
            "id": "approval",
            "label": "One approval step",
            "category": "processes",
            "parent": "refunds",
            "signals": ["approval"],
            "status": "proposed",
            "votes": 0,
            "notes": "",
            "owner": None,
        },
        {
            "id": "app",
            "label": "The app works",
            "category": "systems",
            "parent": None,
            "signals": ["app", "crash"],
            "status": "proposed",
            "votes": 0,
            "notes": "",
            "owner": None,
        },
    ],
    "links": [],
}


def create(client, doc: dict[str, Any] | None = None) -> str:
    """Create the diagram; return its ETag."""
    response = client.post("/api/v1/diagrams", json=doc or DIAGRAM)
    assert response.status_code == 201, response.text
    return str(response.headers["ETag"])


def problem(response, status: int, slug: str) -> dict[str, Any]:
    """Assert a problem+json response; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:fishbone:problem:{slug}"
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body
