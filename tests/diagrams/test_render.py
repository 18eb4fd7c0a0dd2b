"""Rendering: the renderer seam (mocked), then real Graphviz runs with structural asserts."""

from __future__ import annotations

import re
import shutil
from unittest import mock

import defusedxml.ElementTree as ET
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagrams
from diagrams.fonts import load_font
from diagrams.render import GraphvizRenderer, Renderer, png_size
from diagrams.text import clean_text
from fishbone.exceptions import RenderError
from fishbone.model import Category, Cause, Diagram, Effect
from tests.diagrams.geometry import Named, overlapping_pairs
from tests.diagrams.strategies import diagrams as diagrams_strategy
from tests.diagrams.test_dot import NASTY, RANKING, cx
from tests.factories import sized_diagram

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
needs_graphviz = pytest.mark.skipif(
    shutil.which("neato") is None, reason="Graphviz is not installed"
)


def one_cause(label: str) -> Diagram:
    return Diagram(
        id="one",
        effect=Effect(label="E"),
        categories=[Category(id="k", label="K")],
        causes=[Cause(id="a", label=label, category="k")],
    )


# -- level 2: the renderer seam ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_render_hands_dot_and_format_to_the_renderer(fmt):
    renderer = mock.create_autospec(GraphvizRenderer, instance=True)
    renderer.render.return_value = b"drawn"
    assert diagrams.render(cx(), format=fmt, renderer=renderer, size=800) == b"drawn"
    (call,) = renderer.render.call_args_list
    (dot,) = call.args
    assert dot.startswith("digraph fishbone {")
    assert call.kwargs == {
        "format": fmt,
        "max_pixels": 800,
        "dpi": 96.0,
        "timeout": 60.0,
    }


def test_dot_format_does_not_run_the_renderer():
    renderer = mock.create_autospec(GraphvizRenderer, instance=True)
    out = diagrams.render(cx(), format="dot", renderer=renderer)
    assert out.startswith(b"digraph fishbone {")
    renderer.render.assert_not_called()


def test_fake_renderer_satisfies_the_protocol():
    fake: Renderer = diagrams.FakeRenderer()
    assert diagrams.render(cx(), renderer=fake).startswith(b"<svg")


def test_unknown_format_and_options_are_render_errors():
    with pytest.raises(RenderError, match="unknown format 'gif'"):
        diagrams.render(cx(), format="gif")
    with pytest.raises(RenderError, match="size 5"):
        diagrams.render(cx(), format="png", size=5)


def test_command_caps_png_and_only_png(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/neato")
    renderer = GraphvizRenderer()
    assert renderer._command("png", 960, 96.0) == [
        "/usr/bin/neato",
        "-n2",
        "-Tpng",
        "-Gdpi=96",
        "-Gsize=10.0000,10.0000",
    ]
    assert renderer._command("svg", 960, 96.0) == ["/usr/bin/neato", "-n2", "-Tsvg"]


def test_missing_graphviz_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="not found on PATH"):
        GraphvizRenderer().render("digraph {}", format="svg")


def test_graphviz_failure_and_timeout_are_render_errors(tmp_path):
    failing = tmp_path / "neato"
    failing.write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    failing.chmod(0o755)
    with pytest.raises(RenderError, match="syntax error in line 1"):
        GraphvizRenderer(str(failing)).render("digraph {}", format="svg")
    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    with pytest.raises(RenderError, match=r"longer than 0\.2 s"):
        GraphvizRenderer(str(slow)).render("digraph {}", format="svg", timeout=0.2)


def test_png_size_refuses_other_data():
    with pytest.raises(RenderError, match="not return a PNG"):
        png_size(b"GIF89a")


# -- level 3: real Graphviz ------------------------------------------------------


def parse_svg(data: bytes):
    return ET.fromstring(data)


def assert_safe_svg(root) -> None:
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        assert tag not in ("script", "foreignObject", "iframe", "object", "embed"), tag
        for name, value in element.attrib.items():
            local = name.split("}")[-1]
            assert not local.lower().startswith("on"), (name, value)
            assert local != "href", (name, value)
            assert "url(" not in value or value.startswith("url(#"), (name, value)


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_real_render_all_formats(fmt):
    data = diagrams.render(cx(), format=fmt, ranking=RANKING)
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}[fmt]
    assert data.startswith(magic)


@pytest.mark.exe
@needs_graphviz
def test_real_svg_has_one_node_group_per_box_and_no_script():
    lay = diagrams.layout(cx(), ranking=RANKING)
    root = parse_svg(diagrams.render_layout(lay, format="svg"))
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == len(lay.boxes)  # the invisible line ends draw nothing
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Refunds take too long" in texts
    assert_safe_svg(root)


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize("label", NASTY, ids=range(len(NASTY)))
def test_nasty_labels_render_as_typed_and_safe(label):
    diagram = one_cause(label)
    root = parse_svg(diagrams.render(diagram, format="svg"))
    assert_safe_svg(root)
    drawn = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "".join(clean_text(label).split()) in "".join(drawn.split())


@pytest.mark.exe
@needs_graphviz
@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_arbitrary_unicode_renders_as_typed(label):
    root = parse_svg(diagrams.render(one_cause(label), format="svg"))
    assert_safe_svg(root)
    drawn = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "".join(clean_text(label).split()) in "".join(drawn.split())


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_output_is_deterministic(fmt):
    first = diagrams.render(cx(), format=fmt, ranking=RANKING)
    assert diagrams.render(cx(), format=fmt, ranking=RANKING) == first


@pytest.mark.exe
@needs_graphviz
def test_png_is_capped():
    data = diagrams.render(sized_diagram(8, 12, 2), format="png", size=600)
    assert max(png_size(data)) <= 600
    small = diagrams.render(cx(), format="png", size=4000)
    assert max(png_size(small)) < 4000  # small drawings are not scaled up


def svg_text_boxes(root) -> list[Named]:
    """Boxes of the text runs Graphviz drew, measured with the same font, per node."""
    regular, bold = load_font("DejaVu Sans"), load_font("DejaVu Sans", bold=True)
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        name = group.findtext(f"{SVG}title")
        for i, text in enumerate(group.iter(f"{SVG}text")):
            size = float(text.get("font-size"))
            font = bold if text.get("font-weight") == "bold" else regular
            width = font.width("".join(text.itertext()), size)
            x, y = float(text.get("x")), float(text.get("y"))
            anchor = text.get("text-anchor", "start")
            x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            # SVG y grows downward; DejaVu ascent 0.93 em, descent 0.24 em.
            boxes.append(
                Named(f"{name}#{i}", (x0, y - 0.93 * size, x0 + width, y + 0.24 * size))
            )
    return boxes


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize("shape", [(5, 4, 0), (8, 12, 2)], ids=["5x4", "8x12x2"])
@pytest.mark.parametrize("kind", ["fishbone", "tree"])
def test_real_svg_text_boxes_do_not_overlap(shape, kind):
    root = parse_svg(diagrams.render(sized_diagram(*shape), format="svg", layout=kind))
    boxes = svg_text_boxes(root)
    assert len(boxes) > 20
    overlaps = [
        (a, b)
        for a, b in overlapping_pairs(boxes, slack=0.5)
        if a.split("#")[0] != b.split("#")[0]  # lines of one label may touch
    ]
    assert overlaps == []


@pytest.mark.exe
@needs_graphviz
def test_svg_text_stays_inside_its_node_box():
    lay = diagrams.layout(cx())
    root = parse_svg(diagrams.render_layout(lay, format="svg"))
    for group in root.iter(f"{SVG}g"):
        polygon = group.find(f"{SVG}polygon")
        if group.get("class") != "node" or polygon is None:
            continue
        xs = [float(p.split(",")[0]) for p in polygon.get("points").split()]
        for box in svg_text_boxes(ET.fromstring(ET.tostring(group))):
            assert min(xs) - 1 <= box.rect[0], box
            assert box.rect[2] <= max(xs) + 1, box


def test_render_error_names_graphviz_message():
    with pytest.raises(
        RenderError, match=re.escape("Graphviz cannot draw format 'gif'")
    ):
        GraphvizRenderer().render("digraph {}", format="gif")


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize(
    "odd",
    ['a"b', "x\\Ny", "<script>", "& amp"],
    ids=["quote", "backslash", "tag", "amp"],
)
def test_svg_groups_carry_the_diagram_ids(odd):
    diagram = cx().model_copy(deep=True)
    diagram.causes[0].id = odd
    diagram.causes[1].parent = odd
    diagram.links = []
    root = parse_svg(diagrams.render(diagram, format="svg"))
    ids = {g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    assert {f"cause:{odd}", "cause:policy", "category:processes"} <= ids
    assert_safe_svg(root)


@pytest.mark.exe
@needs_graphviz
@settings(max_examples=15, deadline=None)
@given(diagram=diagrams_strategy(max_categories=6, max_causes=25))
def test_real_svg_text_of_generated_diagrams_does_not_overlap(diagram):
    root = parse_svg(diagrams.render(diagram, format="svg"))
    boxes = svg_text_boxes(root)
    overlaps = [
        (a, b)
        for a, b in overlapping_pairs(boxes, slack=0.5)
        if a.split("#")[0] != b.split("#")[0]
    ]
    assert overlaps == []


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize(
    "label", ["\x80", "\x9f\x81", "a\x85"], ids=["c1", "c1-pair", "nel"]
)
def test_labels_that_clean_to_nothing_still_render(label):
    root = parse_svg(diagrams.render(one_cause(label), format="svg"))
    assert_safe_svg(root)
