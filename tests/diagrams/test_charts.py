"""Pareto charts: data series, SVG structure, DOT text, renderer calls, real Graphviz."""

import shutil
import xml.etree.ElementTree as ET
from unittest import mock

import pytest

from diagrams.chart_geometry import pareto_geometry, ticks
from diagrams.charts import pareto_dot, pareto_svg, render_pareto
from diagrams.render import GraphvizRenderer, png_size
from fishbone.exceptions import FormatError, RenderError
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.ranking import rank
from fishbone.records import FeedbackTable, Mentions

SVG = "{http://www.w3.org/2000/svg}"

ROWS = [
    {
        "cause": "a",
        "label": "Refunds <script>alert(1)</script>",
        "share": 0.4,
        "share_ci": [0.3, 0.5],
        "cumulative": 0.6,
        "vital": True,
    },
    {
        "cause": "b",
        "label": 'Queues & "waits"',
        "share": 0.2,
        "share_ci": [0.15, 0.25],
        "cumulative": 0.85,
        "vital": True,
    },
    {
        "cause": "c",
        "label": "\u0645\u0631\u062d\u0628\u0627 \U0001f389",
        "share": 0.1,
        "share_ci": [0.05, 0.2],
        "cumulative": 1.0,
        "vital": False,
    },
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_geometry_series_follow_the_rows():
    g = pareto_geometry(ROWS)
    assert [b.cause for b in g.bars] == ["a", "b", "c"]
    assert [b.share for b in g.bars] == [0.4, 0.2, 0.1]
    assert [b.cumulative for b in g.bars] == [0.6, 0.85, 1.0]
    assert [b.vital for b in g.bars] == [True, True, False]
    assert g.share_max == 0.5
    assert ticks(g) == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]


def test_geometry_sorts_by_share_and_fills_in_cumulative():
    rows = [
        {"cause": "x", "share": 0.1},
        {"cause": "y", "share": 0.3},
        {"cause": "z", "share": 0.1},
    ]
    g = pareto_geometry(rows, vital_share=0.6)
    assert [b.cause for b in g.bars] == ["y", "x", "z"]
    assert [b.cumulative for b in g.bars] == pytest.approx([0.6, 0.8, 1.0])
    assert [b.vital for b in g.bars] == [True, False, False]


def test_geometry_top_hides_the_rest():
    rows = [{"cause": str(i), "share": 0.01 * (20 - i)} for i in range(20)]
    g = pareto_geometry(rows, top=5)
    assert len(g.bars) == 5
    assert g.hidden == 15
    assert "+15 more causes" in pareto_svg(rows, top=5)


def test_geometry_rejects_bad_numbers():
    with pytest.raises(FormatError, match="'share' must be a number"):
        pareto_geometry([{"cause": "a", "share": "lots"}])


def test_svg_structure():
    root = parse(pareto_svg(ROWS, title="Why <customers> call"))
    bars = root.findall(f"{SVG}g")
    assert [b.get("data-cause") for b in bars] == ["a", "b", "c"]
    assert [b.get("class") for b in bars] == ["bar vital", "bar vital", "bar"]
    assert all(len(b.findall(f"{SVG}rect")) == 1 for b in bars)
    assert all(len(b.findall(f"{SVG}path")) == 1 for b in bars)  # whisker
    (line,) = root.findall(f"{SVG}polyline")
    assert len(line.get("points", "").split()) == 3
    assert len(root.findall(f"{SVG}line[@class='vital-mark']")) == 1
    assert root.find(f"{SVG}title").text == "Why <customers> call"  # type: ignore[union-attr]


def test_svg_bar_heights_are_proportional_to_share():
    root = parse(pareto_svg(ROWS))
    heights = [float(r.get("height", 0)) for r in root.findall(f"{SVG}g/{SVG}rect")]
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)
    assert heights[1] == pytest.approx(2 * heights[2], abs=0.2)


def test_svg_labels_are_text_never_markup():
    svg = pareto_svg(ROWS)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    texts = "".join(t.text or "" for t in parse(svg).iter(f"{SVG}text"))
    assert "\u0645\u0631\u062d\u0628\u0627" in texts
    assert "\U0001f389" in texts
    assert "&" in "".join(t.text or "" for t in parse(svg).iter(f"{SVG}title"))


def test_svg_of_real_ranking():
    d = Diagram(
        id="d",
        effect=Effect(label="E"),
        categories=[Category(id="p", label="P")],
        causes=[
            Cause(id="a", label="A", category="p"),
            Cause(id="b", label="B", category="p"),
        ],
    )
    t = FeedbackTable.from_rows([{"text": "x"}] * 4)
    rows = rank(
        d, t, mentions=Mentions.from_sets(["a", "b"], [{"a"}, {"a"}, {"b"}, set()])
    )
    root = parse(pareto_svg(rows))
    assert [b.get("data-cause") for b in root.findall(f"{SVG}g")] == ["a", "b"]


def test_empty_ranking_still_draws():
    root = parse(pareto_svg([]))
    assert root.findall(f"{SVG}g") == []


def test_dot_text():
    dot = pareto_dot(ROWS, title="T")
    lines = dot.splitlines()
    assert lines[0] == "digraph pareto {"
    assert lines[-1] == "}"
    assert sum(1 for ln in lines if ln.startswith("b") and "shape=box" in ln) == 3
    assert sum(1 for ln in lines if ln.startswith("p") and "shape=circle" in ln) == 3
    assert "&lt;script&gt;" in dot
    assert "<script" not in dot
    assert "&quot;waits&quot;" in dot


def test_render_formats_call_the_renderer():
    renderer = mock.create_autospec(GraphvizRenderer, instance=True)
    renderer.render.return_value = b"%PDF"
    assert render_pareto(ROWS, "pdf", renderer=renderer, max_pixels=800) == b"%PDF"
    (call,) = renderer.render.call_args_list
    assert call.args[0].startswith("digraph pareto {")
    assert call.kwargs["format"] == "pdf"
    assert call.kwargs["max_pixels"] == 800
    assert render_pareto(ROWS, "svg", renderer=renderer).startswith(b"<svg")
    assert render_pareto(ROWS, "dot", renderer=renderer).startswith(b"digraph")
    assert renderer.render.call_count == 1


def test_unknown_format():
    with pytest.raises(RenderError, match="unknown chart format 'gif'"):
        render_pareto(ROWS, "gif")


@pytest.mark.exe
@pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_real_graphviz(fmt):
    data = GraphvizRenderer().render(
        pareto_dot(ROWS, title="T"), format=fmt, max_pixels=600
    )
    if fmt == "png":
        width, height = png_size(data)
        assert 0 < max(width, height) <= 602
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        root = ET.fromstring(data)
        nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
        assert (
            sum(1 for g in nodes if g.findtext(f"{SVG}title", "").startswith("b")) == 3
        )


def test_long_labels_are_cut_to_three_lines():
    g = pareto_geometry([{"cause": "a", "label": "word " * 40, "share": 0.5}])
    assert len(g.bars[0].lines) == 3
    assert g.bars[0].lines[-1].endswith("\u2026")


def test_dot_counts_hidden_bars():
    rows = [{"cause": str(i), "share": 0.01 * (20 - i)} for i in range(8)]
    assert "+3 more causes not shown" in pareto_dot(rows, top=5)
