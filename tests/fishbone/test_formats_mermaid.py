"""Mermaid ishikawa: Mermaid's own examples, escaping, and every error with its line."""

from __future__ import annotations

import pytest

from fishbone.exceptions import FormatError
from fishbone.formats import (
    generate_mermaid,
    parse_mermaid,
    read_diagram,
    write_diagram,
)
from fishbone.formats._tree import walk
from fishbone.model import Category, Cause, Diagram, Effect

DOCS_EXAMPLE = """\
ishikawa-beta
    Blurry Photo
    Process
        Out of focus
        Shutter speed too slow
    User
        Shaky hands
    Equipment
        LENS
            Inappropriate lens
            Dirty lens
    Environment
        Too dark
"""
"""The example of Mermaid's documentation (syntax/ishikawa.md), shortened."""


def test_mermaid_docs_example():
    d = parse_mermaid(DOCS_EXAMPLE)
    assert d.effect.label == "Blurry Photo"
    assert [c.label for c in d.categories] == [
        "Process",
        "User",
        "Equipment",
        "Environment",
    ]
    assert [(c.id, c.category, c.parent) for c in d.causes][3:6] == [
        ("lens", "equipment", None),
        ("inappropriate-lens", "equipment", "lens"),
        ("dirty-lens", "equipment", "lens"),
    ]


def test_nested_and_unindented_forms_agree():
    nested = "ishikawa-beta\n    Problem\n        Cause A\n            Sub A1\n        Cause B\n"
    flat = "ishikawa-beta\nProblem\nCause A\n  Sub A1\nCause B\n"
    assert list(walk(parse_mermaid(nested))) == list(walk(parse_mermaid(flat)))
    assert list(walk(parse_mermaid(flat))) == [
        (1, "Cause A"),
        (2, "Sub A1"),
        (1, "Cause B"),
    ]


def test_comments_front_matter_keyword_case_and_blank_lines():
    text = "---\ntitle: x\n---\n%% a comment\n\nISHIKAWA\n  E\n    %% note\n\n    M\n      a\n"
    d = parse_mermaid(text, diagram_id="d1")
    assert (d.id, d.effect.label, [c.label for c in d.causes]) == ("d1", "E", ["a"])


def test_effect_on_the_keyword_line():
    d = parse_mermaid("ishikawa-beta Slow app\n  Network\n")
    assert (d.effect.label, d.categories[0].label) == ("Slow app", "Network")


def test_generate_escapes_what_mermaid_would_misread():
    d = Diagram(
        id="d",
        effect=Effect(label="Ishikawa method"),
        categories=[Category(id="m", label="%% not a comment")],
        causes=[
            Cause(id="a", label='<b>"bold"</b> & #quot;', category="m"),
            Cause(id="b", label=" two\nlines ", category="m", parent="a"),
            Cause(id="c", label="[]", category="m"),
            Cause(id="e", label="", category="m"),
        ],
    )
    assert generate_mermaid(d).splitlines() == [
        "ishikawa-beta",
        "    #73;shikawa method",
        "        #37;% not a comment",
        '            #60;b#62;"bold"#60;/b#62; #38; #35;quot;',
        "                #32;two#10;lines#32;",
        "            #91;]",
        "            []",
    ]
    assert list(walk(parse_mermaid(generate_mermaid(d)))) == list(walk(d))
    assert parse_mermaid(generate_mermaid(d)).effect.label == "Ishikawa method"


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("#35;", "#"),
        ("#quot;x#quot;", '"x"'),
        ("#9829;", "\u2665"),
        ("#amp;", "&"),
        ("#nosuchname;", "#nosuchname;"),
        ("#0;", "#0;"),
        ("#55296;", "#55296;"),
        ("# 35;", "# 35;"),
    ],
)
def test_entity_codes_are_decoded(written, label):
    assert parse_mermaid(f"ishikawa\n{written}").effect.label == label


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the text is empty; start it with ishikawa-beta and the effect"),
        ("%% only\n\n", 1, "the text is empty"),
        (
            "flowchart LR\n  a --> b",
            1,
            "expected 'ishikawa-beta', found 'flowchart LR'",
        ),
        ("\n\nmindmap\n  root", 3, "expected 'ishikawa-beta', found 'mindmap'"),
        (
            "ishikawa-beta\n%% nothing\n",
            1,
            "the diagram has no effect; write it on the line after",
        ),
        ("ishikawas\n  E", 1, "expected 'ishikawa-beta', found 'ishikawas'"),
    ],
    ids=[
        "empty",
        "comments-only",
        "flowchart",
        "mindmap",
        "no-effect",
        "keyword-prefix",
    ],
)
def test_errors_name_the_line(text, line, message):
    with pytest.raises(FormatError) as info:
        parse_mermaid(text, source="d.mmd")
    assert (info.value.source, info.value.line) == ("d.mmd", line)
    assert message in info.value.message


def test_write_and_read_mmd(tmp_path):
    d = parse_mermaid(DOCS_EXAMPLE)
    write_diagram(d, tmp_path / "photo.mmd")
    assert (
        (tmp_path / "photo.mmd")
        .read_text(encoding="utf-8")
        .startswith("ishikawa-beta\n    Blurry Photo\n        Process\n")
    )
    assert read_diagram(tmp_path / "photo.mmd") == d
