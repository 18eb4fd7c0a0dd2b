"""The computed geometry: a true fishbone, and nothing overlapping, at every size."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagrams import layout
from diagrams.labels import build_tree
from diagrams.layout import fishbone_layout
from diagrams.options import Evidence, RenderOptions
from fishbone.exceptions import DiagramInvalid, RenderError
from fishbone.model import Category, Cause, Diagram, Effect, Link
from fishbone.validation import find_problems
from tests.diagrams.geometry import layout_problems
from tests.diagrams.strategies import diagrams, rankings
from tests.factories import sized_diagram


def small() -> Diagram:
    return Diagram(
        id="s",
        effect=Effect(label="Happy customers", kind="goal"),
        categories=[Category(id=f"k{i}", label=f"Category {i}") for i in range(4)],
        causes=[
            Cause(id="a", label="First cause", category="k0"),
            Cause(id="b", label="Second cause", category="k0"),
            Cause(id="b1", label="Why two", category="k0", parent="b"),
            Cause(id="b11", label="Why two, deeper", category="k0", parent="b1"),
            Cause(id="c", label="On the lower bone", category="k1"),
        ],
    )


def boxes(lay, kind):
    return {b.key: b for b in lay.boxes if b.kind == kind}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), diagram=diagrams())
def test_no_two_labels_overlap_and_no_line_crosses_a_label(data, diagram):
    options = {
        "direction": data.draw(st.sampled_from(["right", "left"])),
        "max_depth": data.draw(st.sampled_from([None, None, 0, 1, 2])),
        "ranking": data.draw(rankings(diagram)),
        "badges": data.draw(st.integers(0, 5)),
    }
    lay = layout(diagram, **options)
    assert layout_problems(lay) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagram=diagrams())
def test_tree_layout_never_overlaps(diagram):
    assert layout_problems(layout(diagram, layout="tree")) == []


@pytest.mark.parametrize(
    "shape",
    [(5, 4, 0), (8, 12, 2), (12, 15, 3)],
    ids=["5x4", "8x12x2", "12x15x3"],
)
@pytest.mark.parametrize("kind", ["fishbone", "tree"])
def test_benchmark_sizes_have_no_overlap(shape, kind):
    diagram = sized_diagram(*shape)
    lay = layout(diagram, layout=kind)
    assert layout_problems(lay) == []
    drawn = {b.ref for b in lay.boxes if b.kind == "cause"}
    assert drawn == {c.id for c in diagram.causes}


def test_head_is_at_the_right_end_of_the_spine():
    lay = layout(small())
    head = boxes(lay, "effect")["effect"]
    spine = next(ln for ln in lay.lines if ln.kind == "spine")
    (_x0, y0), (x1, y1) = spine.points
    assert y0 == y1 == pytest.approx(head.y)
    assert x1 == pytest.approx(head.x0)
    assert all(b.x1 < head.x0 for b in lay.boxes if b.kind in ("cause", "category"))


def test_bones_alternate_above_and_below_the_spine():
    lay = layout(small())
    spine_y = next(ln for ln in lay.lines if ln.kind == "spine").points[0][1]
    cats = boxes(lay, "category")
    above = [cats[f"category:k{i}"].y > spine_y for i in range(4)]
    assert above == [True, False, True, False]
    # nearest the head first
    assert cats["category:k0"].x > cats["category:k2"].x


def test_bones_slant_into_the_spine_and_causes_are_horizontal_ribs():
    lay = layout(small())
    bone = next(ln for ln in lay.lines if ln.head == "category:k0")
    (xa, ya), (xb, yb) = bone.points
    assert xb < xa
    assert yb > ya
    rib = next(ln for ln in lay.lines if ln.head == "cause:a")
    assert rib.points[0][1] == pytest.approx(rib.points[1][1])
    sub = next(ln for ln in lay.lines if ln.head == "cause:b1")
    assert sub.points[0][1] != pytest.approx(sub.points[1][1])
    deeper = next(ln for ln in lay.lines if ln.head == "cause:b11")
    assert deeper.points[0][1] == pytest.approx(deeper.points[1][1])


def test_causes_keep_document_order_from_the_category_label():
    lay = layout(small())
    causes = boxes(lay, "cause")
    assert causes["cause:a"].y > causes["cause:b"].y  # nearer the label at the top


def test_direction_left_mirrors_the_head_to_the_left():
    lay = layout(small(), direction="left")
    head = boxes(lay, "effect")["effect"]
    assert all(b.x0 > head.x1 for b in lay.boxes if b.kind in ("cause", "category"))
    assert layout_problems(lay) == []


def test_max_depth_folds_deeper_causes_into_a_more_mark():
    lay = layout(small(), max_depth=1)
    causes = boxes(lay, "cause")
    assert set(causes) == {"cause:a", "cause:b", "cause:c"}
    assert causes["cause:b"].text.lines[-1] == "+2 more"
    cats = boxes(layout(small(), max_depth=0), "category")
    assert cats["category:k0"].text.lines[-1] == "+4 more"


def test_labels_wrap_and_keep_their_full_text():
    text = "word " * 400 + "x" * 2000
    diagram = Diagram(
        id="w",
        effect=Effect(label="E"),
        categories=[Category(id="k", label="K")],
        causes=[Cause(id="a", label=text, category="k")],
    )
    lay = layout(diagram)
    box = boxes(lay, "cause")["cause:a"]
    assert "".join(box.text.lines).replace(" ", "") == text.replace(" ", "")
    assert box.w < 160
    assert layout_problems(lay) == []


def test_ranking_gives_heat_and_badges_to_top_causes():
    rows = [
        {"cause": "a", "rank": 1, "share": 0.5},
        {"cause": "c", "rank": 2, "share": 0.25},
        {"cause": "b", "rank": 7, "share": 0.05},
    ]
    lay = layout(small(), ranking=rows, badges=2)
    causes = boxes(lay, "cause")
    assert causes["cause:a"].heat == 1.0
    assert causes["cause:c"].heat == 0.5
    assert set(boxes(lay, "badge")) == {"badge:a", "badge:c"}
    legend = boxes(lay, "legend")
    assert legend["legend:metric"].text.lines == ("Share of comments:",)
    assert len(boxes(lay, "swatch")) == 5
    assert layout_problems(lay) == []


def test_title_sits_above_everything():
    lay = layout(small(), title="Quarterly review")
    title = boxes(lay, "title")["title"]
    assert all(title.y0 > b.y1 for b in lay.boxes if b.key != "title")


def test_cross_links_become_arrows_between_drawn_causes():
    diagram = small().model_copy(update={"links": []})
    diagram.links = [{"source": "a", "target": "c"}]  # type: ignore[list-item]
    lay = layout(diagram)
    (arrow,) = lay.arrows
    assert (arrow.tail, arrow.head) == ("cause:a", "cause:c")
    assert layout(diagram, max_depth=0).arrows == []


def test_huge_diagram_warns_and_offers_the_tree_layout():
    lay = layout(sized_diagram(20, 25, 4, depth=2))
    assert lay.warnings
    assert "--layout tree" in lay.warnings[0]


def test_invalid_diagram_and_options_are_refused():
    bad = Diagram(
        id="b",
        effect=Effect(label="E"),
        categories=[Category(id="k", label="K")],
        causes=[Cause(id="a", label="A", category="k", parent="zz")],
    )
    with pytest.raises(DiagramInvalid):
        layout(bad)
    with pytest.raises(RenderError, match="direction 'up'"):
        layout(small(), direction="up")
    with pytest.raises(RenderError, match="no theme"):
        layout(small(), theme="neon")
    with pytest.raises(TypeError):
        layout(small(), colour="red")


def test_fishbone_layout_of_an_empty_diagram_is_head_and_spine():
    effect, bones = build_tree(
        Diagram(id="e", effect=Effect(label="E")), RenderOptions(), Evidence()
    )
    bare = fishbone_layout(effect, bones)
    assert [b.kind for b in bare.boxes] == ["effect"]
    assert {ln.kind for ln in bare.lines} == {"spine", "tail"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), diagram=diagrams(max_causes=12))
def test_renderer_refuses_every_broken_diagram_with_the_full_report(data, diagram):
    build_tree(diagram, RenderOptions(), Evidence())  # generated diagrams are valid
    causes = [c.model_copy() for c in diagram.causes]
    if not causes:
        return
    victim = data.draw(st.sampled_from(causes))
    breakage = data.draw(
        st.sampled_from(["parent", "category", "label", "self", "dup"])
    )
    if breakage == "parent":
        victim.parent = "nowhere"
    elif breakage == "category":
        victim.category = "nowhere"
    elif breakage == "label":
        victim.label = "  "
    elif breakage == "self":
        victim.parent = victim.id
    else:
        causes.append(victim.model_copy())
    broken = diagram.model_copy(update={"causes": causes})
    with pytest.raises(DiagramInvalid) as info:
        build_tree(broken, RenderOptions(), Evidence())
    assert info.value.problems == find_problems(broken)


@pytest.mark.parametrize(
    "links",
    [
        [Link(source="a", target="c"), Link(source="c", target="a")],
        [Link(source="a", target="c"), Link(source="a", target="c")],
        [Link(source="a", target="zz")],
    ],
    ids=["cycle", "duplicate", "missing"],
)
def test_renderer_refuses_bad_links(links):
    broken = small().model_copy(update={"links": links})
    with pytest.raises(DiagramInvalid):
        build_tree(broken, RenderOptions(), Evidence())


def test_cross_link_arrows_bend_around_other_labels():
    diagram = small().model_copy(
        update={"links": [Link(source="a", target="c"), Link(source="b11", target="c")]}
    )
    lay = layout(diagram, ranking=[{"cause": "c", "rank": 1, "share": 0.3}])
    for arrow in lay.arrows:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = arrow.points
        ends = {arrow.tail, arrow.head, "badge:c"}
        for i in range(1, 32):
            t = i / 32
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            px, py = (
                a * x0 + b * x1 + c * x2 + d * x3,
                a * y0 + b * y1 + c * y2 + d * y3,
            )
            inside = [
                bx.key
                for bx in lay.boxes
                if bx.key not in ends and bx.x0 < px < bx.x1 and bx.y0 < py < bx.y1
            ]
            assert inside == [], (arrow.tail, arrow.head, inside)
    badge = next(b for b in lay.boxes if b.key == "badge:c")
    tip = next(a for a in lay.arrows if a.head == "cause:c").end
    assert not (badge.x0 < tip[0] < badge.x1 and badge.y0 < tip[1] < badge.y1)


def test_huge_tree_warns_without_offering_the_tree_again():
    lay = layout(sized_diagram(20, 25, 4, depth=2), layout="tree")
    assert lay.warnings
    assert "--layout tree" not in lay.warnings[0]
    assert "--max-depth" in lay.warnings[0]


def test_link_labels_are_drawn_where_there_is_room():
    diagram = small()
    diagram.causes = [*diagram.causes, Cause(id="d", label="Far cause", category="k2")]
    diagram.links = [Link(source="d", target="a", label="feeds")]
    lay = layout(diagram)
    (label,) = [b for b in lay.boxes if b.kind == "link"]
    assert label.text is not None
    assert label.text.lines == ("feeds",)
    assert layout_problems(lay) == []
