"""DOT text: exact golden files for small diagrams, and escaping that never leaks markup."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagrams import layout, to_dot
from diagrams.dot import escape_html, quote
from diagrams.text import clean_text
from fishbone.model import Category, Cause, Diagram, Effect, Link

NASTY = [
    "He said \"hi\" and 'bye'",
    "back\\slash\\ and \\N \\G \\l",
    "<script>alert(1)</script>",
    "&amp; & &lt; &#38; &unknown;",
    'digraph { a -> b [label="x"]; } node edge strict subgraph',
    "<<B>html</B>> <TABLE><TR><TD>cell</TD></TR></TABLE>",
    "line one\nline two\r\nline three",
    "emoji 👍🏽 😀 family 👨‍👩‍👧",
    "مرحبا بالعالم and שלום עולם",
    '" onload="alert(1)',
    "]]> <!-- --> <?xml?>",
    "x" * 2000,
    "]",
    "[",
]


def cx() -> Diagram:
    return Diagram(
        id="cx",
        title="Customer experience",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[
            Category(id="processes", label="Processes"),
            Category(id="systems", label="Systems"),
            Category(id="people", label="Frontline support"),
        ],
        causes=[
            Cause(
                id="refunds",
                label="Refunds take too long",
                category="processes",
                votes=3,
            ),
            Cause(
                id="policy",
                label="Refund policy unclear",
                category="processes",
                parent="refunds",
                status="verified",
            ),
            Cause(
                id="outage",
                label="App outages at peak",
                category="systems",
                status="rejected",
            ),
            Cause(
                id="login",
                label="Login is slow",
                category="systems",
                status="addressed",
            ),
            Cause(id="training", label="New staff lack training", category="people"),
        ],
        links=[Link(source="training", target="refunds")],
    )


RANKING = [
    {"cause": "refunds", "rank": 1, "share": 0.42},
    {"cause": "training", "rank": 2, "share": 0.2},
    {"cause": "login", "rank": 3, "share": 0.05},
]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("cx-light.gv", {}),
        (
            "cx-ranked-left-dark.gv",
            {"ranking": RANKING, "direction": "left", "theme": "dark"},
        ),
        ("cx-depth1-print.gv", {"max_depth": 1, "theme": "print", "title": "Folded"}),
        ("cx-tree.gv", {"layout": "tree"}),
    ],
    ids=["light", "ranked-left-dark", "depth1-print", "tree"],
)
def test_golden_dot(golden, name, options):
    theme = options.get("theme", "light")
    golden(name, to_dot(layout(cx(), **options), theme=theme))


def test_dot_is_deterministic():
    assert to_dot(layout(cx(), ranking=RANKING)) == to_dot(
        layout(cx(), ranking=RANKING)
    )


def test_quote_escapes_backslashes_quotes_and_newlines():
    assert quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def label_bodies(dot: str) -> list[str]:
    """Return the inner text of every HTML-like label, tags removed, lines joined by \\n."""
    bodies = []
    for match in re.finditer(r"label=<(.*)>\];$", dot, flags=re.M):
        inner = match.group(1).replace("<BR/>", "\n")
        text = html.unescape(re.sub(r"<[^>]*>", "", inner))
        bodies.append(text.replace("\\\\", "\\"))
    return bodies


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escape_html_leaves_no_markup_and_round_trips(text):
    escaped = escape_html(text)
    assert "<" not in escaped
    assert ">" not in escaped
    assert '"' not in escaped
    assert re.fullmatch(r"([^&\]]|&(amp|lt|gt|quot|#39|#93);)*", escaped)
    assert html.unescape(escaped).replace("\\\\", "\\") == clean_text(text)
    assert re.fullmatch(r"([^\\]|\\\\)*", escaped)  # every backslash doubled
    escaped.encode("utf-8")  # no lone surrogates left


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_label_appears_in_the_dot_as_text(label):
    diagram = Diagram(
        id="u",
        effect=Effect(label="E"),
        categories=[Category(id="k", label="K")],
        causes=[Cause(id="a", label=label, category="k")],
    )
    bodies = label_bodies(to_dot(layout(diagram)))
    squeeze = "".join(clean_text(label).split())
    assert any("".join(body.split()) == squeeze for body in bodies) or not squeeze


@pytest.mark.parametrize("label", NASTY, ids=range(len(NASTY)))
def test_nasty_labels_stay_text_in_the_dot(label):
    diagram = Diagram(
        id="n",
        effect=Effect(label=label),
        categories=[Category(id="k", label=label)],
        causes=[Cause(id="a", label=label, category="k")],
    )
    dot = to_dot(layout(diagram))
    squeeze = "".join(clean_text(label).split())
    bodies = ["".join(b.split()) for b in label_bodies(dot)]
    assert bodies.count(squeeze) == 3
    # nothing outside the escaped labels carries user text
    outside = re.sub(r"label=<.*>\];$", "", dot, flags=re.M)
    assert "script" not in outside
    assert "onload" not in outside
