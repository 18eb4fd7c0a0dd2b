"""Outline text: hand-written pastes and every error with its line."""

from __future__ import annotations

import pytest

from fishbone.exceptions import FormatError
from fishbone.formats import generate_outline, parse_outline, read_diagram
from fishbone.model import Category, Cause, Diagram, Effect, EffectKind

PASTE = """\
Goal: Superior customer experience

- Processes
  - Refunds take too long
    - Approval needs a manager
  - Refunds take too long
- Frontline support
\t* Tone
"""


def structure(d: Diagram) -> list[tuple[str, str, str | None]]:
    return [(c.id, c.category, c.parent) for c in d.causes]


def test_a_workshop_paste():
    d = parse_outline(PASTE)
    assert d.id == "superior-customer-experience"
    assert d.effect == Effect(label="Superior customer experience", kind="goal")
    assert [(c.id, c.label) for c in d.categories] == [
        ("processes", "Processes"),
        ("frontline-support", "Frontline support"),
    ]
    assert structure(d) == [
        ("refunds-take-too-long", "processes", None),
        ("approval-needs-a-manager", "processes", "refunds-take-too-long"),
        ("refunds-take-too-long-2", "processes", None),
        ("tone", "frontline-support", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "E\n  M\n    a\n      b\n",
        "E\n\tM\n\t\ta\n\t\t\tb\n",
        "E\n- M\n  - a\n    - b\n",
        "E\n* M\n\t* a\n\t  * b\n",
        "E\r\n- M\r\n  - a\r\n    - b\r\n",
    ],
    ids=["spaces", "tabs", "bullets", "mixed", "crlf"],
)
def test_indent_styles_agree(text):
    d = parse_outline(text)
    assert [c.label for c in d.categories] == ["M"]
    assert structure(d) == [("a", "m", None), ("b", "m", "a")]


def test_lines_and_diagram_id():
    d = parse_outline(["Late trains", "  Staff", "    Sick leave"], diagram_id="t1")
    assert d.id == "t1"
    assert d.effect.kind is EffectKind.PROBLEM
    assert structure(d) == [("sick-leave", "staff", None)]


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        ("Goal: Calm", "goal", "Calm"),
        ("GOAL:Calm", "goal", "Calm"),
        ("problem :  Noise", "problem", "Noise"),
        ("Noise", "problem", "Noise"),
        ("- Noise", "problem", "Noise"),
        ("Problem: Goal: odd", "problem", "Goal: odd"),
    ],
)
def test_effect_marker(line, kind, label):
    assert parse_outline(line).effect == Effect(label=label, kind=kind)


def test_ids_are_slugs_deduplicated_across_categories_and_causes():
    d = parse_outline("E\n- Staff\n  - Staff\n  - STAFF!\n- ???\n  - ???\n")
    assert [c.id for c in d.categories] == ["staff", "category"]
    assert [c.id for c in d.causes] == ["staff-2", "staff-3", "cause"]


def test_generate():
    d = Diagram(
        id="d",
        effect=Effect(label="Calm", kind="goal"),
        categories=[
            Category(id="m", label="Methods"),
            Category(id="p", label="People"),
        ],
        causes=[
            Cause(id="b", label="Sub", category="m", parent="a"),
            Cause(id="a", label="- dash", category="m"),
            Cause(id="c", label="Line\nbreak", category="p"),
        ],
    )
    assert generate_outline(d) == (
        "Goal: Calm\n- Methods\n  - - dash\n    - Sub\n- People\n  - Line break\n"
    )
    assert parse_outline(generate_outline(d)).causes[0].label == "- dash"


def test_generate_refuses_empty_label():
    d = Diagram(
        id="d", effect=Effect(label="E"), categories=[Category(id="m", label=" ")]
    )
    with pytest.raises(ValueError, match="cannot hold an empty label"):
        generate_outline(d)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the outline is empty; write the effect on the first line"),
        ("\n  \n", 1, "the outline is empty"),
        ("\n\nGoal:\n- M", 3, "the effect has no label; name it"),
        (
            "E\n- M\n      - a",
            3,
            "line is 4 levels deep, 3 deeper than the line before",
        ),
        ("E\n    M", 2, "line is 2 levels deep, 2 deeper than the line before"),
        (
            "E\n- M\nN",
            3,
            "only the effect is at the top level; indent this line under it",
        ),
        (
            "E\n   M",
            2,
            "indent has 3 spaces, an odd number; indent by 2 spaces or a tab per level",
        ),
        (
            "E\n- M\n  -",
            3,
            "the bullet has no label; write one after it or delete the line",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "no-effect-label",
        "jump",
        "jump-first",
        "top-level",
        "odd",
        "empty-bullet",
    ],
)
def test_errors_name_the_line(text, line, message):
    with pytest.raises(FormatError) as info:
        parse_outline(text, source="paste.txt")
    assert (info.value.source, info.value.line) == ("paste.txt", line)
    assert message in info.value.message


def test_read_txt_file(tmp_path):
    path = tmp_path / "cx.txt"
    path.write_text("\ufeff" + PASTE, encoding="utf-8")
    assert read_diagram(path) == parse_outline(PASTE)
    path.write_text("E\n     x\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"cx\.txt:2: indent has 5 spaces"):
        read_diagram(path)


def test_generate_leaves_out_causes_no_category_reaches():
    d = Diagram(
        id="d",
        effect=Effect(label="E"),
        categories=[Category(id="m", label="M")],
        causes=[
            Cause(id="a", label="A", category="m"),
            Cause(id="a", label="A again", category="m"),
            Cause(id="x", label="X", category="m", parent="y"),
            Cause(id="y", label="Y", category="m", parent="x"),
            Cause(id="z", label="Z", category="gone"),
        ],
    )
    assert generate_outline(d) == "Problem: E\n- M\n  - A\n"
