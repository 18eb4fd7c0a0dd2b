from fishbone.model import Category, Diagram, Effect


def seed(store, *, title="Refunds <script>alert(1)</script> & more"):
    diagram = Diagram(
        id="cx",
        title=title,
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[Category(id="processes", label="Processes")],
    )
    store.create_diagram(diagram, actor="test")
    store.create_dataset("nps", name="NPS", scale="nps", actor="test")


def test_home_shows_each_diagram_ranked_with_downloads(app, anon, store, settings):
    seed(store)
    app.state.settings = settings.model_copy(update={"no_auth": True})
    response = anon.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<img src="/api/v1/diagrams/cx/render.svg?ranking=nps"' in page
    for fmt in ("svg", "png", "pdf"):
        assert f'href="/api/v1/diagrams/cx/render.{fmt}?ranking=nps" download' in page
    assert "/api/v1/diagrams/cx/ranking?dataset=nps" in page
    assert "<script>" not in page
    assert "Refunds &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_home_with_keys_links_but_does_not_embed(anon, store):
    seed(store, title="CX")
    page = anon.get("/").text
    assert "<img" not in page
    assert "need an API key" in page
    assert 'href="/api/v1/diagrams/cx/render.png?ranking=nps"' in page


def test_empty_home_says_how_to_start(anon):
    page = anon.get("/").text
    assert "No diagrams yet" in page
    assert "fishbone serve --demo" in page
