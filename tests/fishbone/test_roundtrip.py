"""Round trips: generate diagrams, convert them through every format, compare.

Each format is compared on what it can hold (see fishbone/formats/__init__.py):
JSON everything; CSV everything but links and title; outline text the effect
label and kind, category and cause labels and their nesting, in order; Mermaid
the same without the kind. Outline labels cannot hold line breaks or
surrounding whitespace, so its diagrams are drawn without them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fishbone.formats import (
    generate_csv,
    generate_json,
    generate_mermaid,
    generate_outline,
    parse_csv,
    parse_json,
    parse_mermaid,
    parse_outline,
)
from fishbone.formats._tree import walk
from fishbone.model import Category, Cause, Diagram, Effect, EffectKind, Link, Status
from fishbone.validation import find_problems

TRICKY = ",\"'|\\#;%=-+@ \t\n\r[]<>&*:"
"""Characters the formats treat specially, drawn more often than by chance."""

SPECIAL = ["#35; a #quot; b", "%% x", "%", "ishikawa", "Ishikawa-beta x", "- x", "* x"]
SPECIAL += [
    "  - x",
    "Goal: x",
    "problem:",
    "'=1",
    "=1+1",
    "[]",
    " x ",
    "a,b",
    "a\\|b",
    "\\",
]
"""Whole labels that look like syntax in some format."""

ANY_TEXT = st.text(
    st.characters(exclude_categories=["Cs"]) | st.sampled_from(TRICKY), max_size=10
) | st.sampled_from(SPECIAL)
"""Any text: quotes, commas, pipes, entity codes, line breaks, emoji, RTL scripts."""

ONE_LINE = (
    (
        st.text(
            st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"])
            | st.sampled_from(TRICKY.replace("\n", "").replace("\r", "")),
            max_size=10,
        )
        | st.sampled_from(SPECIAL)
    )
    .map(str.strip)
    .filter(bool)
)
"""What an outline label can hold: one line, no surrounding whitespace, not empty."""

NON_EMPTY = ANY_TEXT.filter(bool)


@st.composite
def diagrams(draw: st.DrawFn, labels: st.SearchStrategy[str] = NON_EMPTY) -> Diagram:
    """A valid diagram: unique ids, parents in the same category, links between causes."""
    n_cats = draw(st.integers(0, 4))
    n_causes = draw(st.integers(0, 10)) if n_cats else 0
    ids = draw(
        st.lists(
            NON_EMPTY,
            min_size=n_cats + n_causes + 1,
            max_size=n_cats + n_causes + 1,
            unique=True,
        )
    )
    cats = [Category(id=ids[i], label=draw(labels)) for i in range(n_cats)]
    causes: list[Cause] = []
    for cid in ids[n_cats:-1]:
        category = draw(st.sampled_from(cats)).id
        same = [c.id for c in causes if c.category == category]
        causes.append(
            Cause(
                id=cid,
                label=draw(labels),
                category=category,
                parent=draw(st.none() | st.sampled_from(same)) if same else None,
                signals=draw(st.lists(NON_EMPTY, max_size=3)),
                status=draw(st.sampled_from(list(Status))),
                votes=draw(st.integers(0, 10_000)),
                notes=draw(ANY_TEXT),
                owner=draw(st.none() | NON_EMPTY),
            )
        )
    pairs = draw(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=3))
    # From a later cause to an earlier one only, once each: links make no cycle.
    edges = sorted(
        {(max(a, b), min(a, b)) for a, b in pairs if a != b and max(a, b) < len(causes)}
    )
    links = [
        Link(source=causes[a].id, target=causes[b].id, label=draw(ANY_TEXT))
        for a, b in edges
    ]
    return Diagram(
        id=ids[-1],
        title=draw(ANY_TEXT),
        effect=Effect(label=draw(labels), kind=draw(st.sampled_from(list(EffectKind)))),
        categories=cats,
        causes=causes,
        links=links,
    )


def tree(diagram: Diagram) -> tuple[str, list[tuple[int, str]]]:
    """What outline and Mermaid hold: the effect label and the labels' nesting, in order."""
    return diagram.effect.label, list(walk(diagram))


@settings(max_examples=100, deadline=None)
@given(diagrams())
def test_json_keeps_everything(diagram):
    text = generate_json(diagram)
    assert parse_json(text) == diagram
    assert generate_json(parse_json(text)) == text


@settings(max_examples=100, deadline=None)
@given(diagrams())
def test_csv_keeps_all_but_links_and_title(diagram):
    back = parse_csv(generate_csv(diagram))
    assert back == diagram.model_copy(update={"title": "", "links": []})


@settings(max_examples=100, deadline=None)
@given(diagrams(labels=ONE_LINE))
def test_outline_keeps_labels_nesting_and_kind(diagram):
    back = parse_outline(generate_outline(diagram))
    assert tree(back) == tree(diagram)
    assert back.effect.kind == diagram.effect.kind
    assert find_problems(back) == []


@settings(max_examples=100, deadline=None)
@given(diagrams(labels=ANY_TEXT))
def test_mermaid_keeps_labels_and_nesting(diagram):
    back = parse_mermaid(generate_mermaid(diagram))
    assert tree(back) == tree(diagram)
    assert back.effect.kind is EffectKind.PROBLEM


@settings(max_examples=50, deadline=None)
@given(diagrams(labels=ONE_LINE))
def test_through_every_format(diagram):
    """JSON -> CSV -> JSON -> outline -> Mermaid -> outline keeps what the last one holds."""
    via_csv = parse_csv(generate_csv(parse_json(generate_json(diagram))))
    assert parse_json(generate_json(via_csv)) == via_csv
    via_outline = parse_outline(generate_outline(via_csv))
    via_mermaid = parse_mermaid(generate_mermaid(via_outline))
    again = parse_outline(generate_outline(via_mermaid))
    assert tree(again) == tree(diagram)
    assert via_outline.effect.kind == diagram.effect.kind
    assert generate_outline(via_mermaid) == generate_outline(
        via_outline.model_copy(update={"effect": Effect(label=diagram.effect.label)})
    )
