"""Renders: formats, options as query parameters, ranking colours, content-hash cache, ETag/304."""

import pytest

from tests.api.helpers import DIAGRAM, create, problem

URL = "/api/v1/diagrams/cx/render"


@pytest.mark.parametrize(
    ("fmt", "media"),
    [("svg", "image/svg+xml"), ("png", "image/png"), ("pdf", "application/pdf")],
    ids=["svg", "png", "pdf"],
)
def test_formats(client, renderer, fmt, media):
    create(client)
    response = client.get(f"{URL}.{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert [call[1] for call in renderer.calls] == [fmt]


def test_dot_needs_no_renderer(client, renderer):
    create(client)
    response = client.get(f"{URL}.dot")
    assert response.status_code == 200
    assert response.content.startswith(b"digraph")
    assert renderer.calls == []


def test_cached_by_content_with_etag_and_304(client, renderer):
    etag = create(client)
    first = client.get(f"{URL}.svg", params={"theme": "dark"})
    second = client.get(f"{URL}.svg", params={"theme": "dark"})
    assert first.content == second.content
    assert first.headers["ETag"] == second.headers["ETag"]
    assert len(renderer.calls) == 1
    again = client.get(
        f"{URL}.svg",
        params={"theme": "dark"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.content == b""
    client.put(
        "/api/v1/diagrams/cx",
        json={**DIAGRAM, "title": "T2"},
        headers={"If-Match": etag},
    )
    changed = client.get(
        f"{URL}.svg",
        params={"theme": "dark"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert len(renderer.calls) == 2


def test_options_are_checked(client):
    create(client)
    problem(
        client.get(f"{URL}.svg", params={"direction": "up"}), 422, "request-invalid"
    )
    problem(client.get(f"{URL}.svg", params={"size": 5}), 422, "request-invalid")
    problem(client.get(f"{URL}.gif"), 422, "request-invalid")


def test_ranking_colours_the_picture(client):
    create(client)
    client.post("/api/v1/datasets", json={"id": "s"})
    client.post("/api/v1/datasets/s/records", json=[{"id": "1", "text": "refund"}])
    plain = client.get(f"{URL}.dot").content
    coloured = client.get(f"{URL}.dot", params={"ranking": "s"})
    assert coloured.status_code == 200, coloured.text
    assert coloured.content != plain
    problem(client.get(f"{URL}.dot", params={"ranking": "nope"}), 404, "not-found")


def test_missing_diagram_is_404(client):
    problem(client.get(f"{URL}.svg"), 404, "not-found")


def test_pareto_chart_of_a_ranking(client, renderer):
    create(client)
    client.post("/api/v1/datasets", json={"id": "s"})
    client.post(
        "/api/v1/datasets/s/records",
        json=[
            {"id": "1", "text": "refund"},
            {"id": "2", "text": "app crash"},
            {"id": "3", "text": "refund"},
        ],
    )
    url = "/api/v1/diagrams/cx/pareto"
    svg = client.get(
        f"{url}.svg", params={"dataset": "s", "title": "Why <customers> call"}
    )
    assert svg.status_code == 200, svg.text
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"Refunds are fast" in svg.content
    assert b"Why &lt;customers&gt; call" in svg.content
    assert b"<script" not in svg.content
    again = client.get(
        f"{url}.svg",
        params={"dataset": "s", "title": "Why <customers> call"},
        headers={"If-None-Match": svg.headers["ETag"]},
    )
    assert again.status_code == 304
    png = client.get(f"{url}.png", params={"dataset": "s"})
    assert png.status_code == 200
    assert [call[1] for call in renderer.calls] == ["png"]
    problem(client.get(f"{url}.svg"), 422, "request-invalid")


def test_graphviz_failure_is_a_clear_503(app, client):
    from fishbone.exceptions import RenderError

    class Failing:
        def render(self, dot, *, format, max_pixels, dpi, timeout):
            raise RenderError(
                "Graphviz 'neato' not found; install the graphviz package"
            )

    create(client)
    app.state.renderer = Failing()
    body = problem(client.get(f"{URL}.png"), 503, "render-failed")
    assert body["detail"] == "Graphviz 'neato' not found; install the graphviz package"


@pytest.mark.exe
def test_real_graphviz_svg_through_the_api(app, client):
    from diagrams import GraphvizRenderer

    app.state.renderer = GraphvizRenderer()
    create(client)
    response = client.get(f"{URL}.svg", params={"direction": "left", "theme": "dark"})
    assert response.status_code == 200, response.text
    assert response.content.lstrip().startswith((b"<?xml", b"<svg"))
    assert b"Refunds are fast" in response.content
    assert b"<script" not in response.content
