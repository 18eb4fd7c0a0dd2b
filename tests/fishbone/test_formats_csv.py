"""Parent/child CSV tables: typed and Minitab/JMP-style, formula guards, every error."""

from __future__ import annotations

import pytest

from fishbone.exceptions import FormatError
from fishbone.formats import generate_csv, parse_csv, read_diagram, write_diagram
from fishbone.formats.csv_table import COLUMNS
from fishbone.model import Category, Cause, Diagram, Effect, Link, Status

HEADER = ",".join(COLUMNS)


@pytest.fixture
def diagram() -> Diagram:
    return Diagram(
        id="cx",
        title="dropped",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[
            Category(id="p", label="Processes"),
            Category(id="s", label="Systems"),
        ],
        causes=[
            Cause(
                id="c1",
                label='Refunds, "slow"',
                category="p",
                signals=["refund", "a|b", "back\\slash"],
                status="verified",
                votes=4,
                owner="Ana",
                notes="two\nlines",
            ),
            Cause(id="c2", label="-20% staff", category="p", parent="c1"),
            Cause(id="c3", label="@login", category="s", owner="=HYPERLINK()"),
        ],
        links=[Link(source="c3", target="c1")],
    )


def test_generate_typed_table(diagram):
    assert generate_csv(diagram) == (
        f"{HEADER}\r\n"
        "effect,cx,Superior customer experience,,,goal,,,,\r\n"
        "category,p,Processes,,,,,,,\r\n"
        "category,s,Systems,,,,,,,\r\n"
        'cause,c1,"Refunds, ""slow""",,p,verified,4,Ana,refund|a\\|b|back\\\\slash,"two\nlines"\r\n'
        "cause,c2,'-20% staff,c1,p,proposed,0,,,\r\n"
        "cause,c3,'@login,,s,proposed,0,'=HYPERLINK(),,\r\n"
    )


def test_round_trip_drops_only_title_and_links(diagram):
    back = parse_csv(generate_csv(diagram))
    assert back == diagram.model_copy(update={"title": "", "links": []})


def test_minitab_style_table_without_type():
    text = (
        "Label,Parent,Category,Votes\n"
        "Slow refunds,,Process,3\n"
        "No manager,Slow refunds,,\n"
        "Old app,,Systems,\n"
        "\n"
        "Crashes,old-app,,1\n"
    )
    d = parse_csv(text, effect="Superior customer experience")
    assert d.id == "superior-customer-experience"
    assert d.effect == Effect(label="Superior customer experience", kind="problem")
    assert [(c.id, c.label) for c in d.categories] == [
        ("process", "Process"),
        ("systems", "Systems"),
    ]
    assert [(c.id, c.category, c.parent, c.votes) for c in d.causes] == [
        ("slow-refunds", "process", None, 3),
        ("no-manager", "process", "slow-refunds", 0),
        ("old-app", "systems", None, 0),
        ("crashes", "systems", "old-app", 1),
    ]


def test_ids_given_win_and_forward_parents_resolve():
    text = "id,label,parent,category\nc2,Child,Parent,M\n,Parent,,M\nparent,Other,,M\n"
    d = parse_csv(text)
    assert [(c.id, c.parent) for c in d.causes] == [
        ("c2", "parent-2"),
        ("parent-2", None),
        ("parent", None),
    ]


def test_parent_id_wins_over_label():
    d = parse_csv("id,label,parent,category\na,b,,M\nb,x,,M\nc,y,b,M\n")
    assert d.causes[2].parent == "b"


def test_unknown_parent_is_kept_for_validate_to_report():
    d = parse_csv("label,parent,category\nA,ghost,M\n")
    assert d.causes[0].parent == "ghost"


def test_typed_category_by_label_and_effect_defaults():
    text = f"{HEADER}\ncategory,,Processes,,,,,,,\ncause,a,A,,Processes,,,,,\n"
    d = parse_csv(text, effect="Calm", diagram_id="d9")
    assert (d.id, d.effect.label, d.effect.kind.value) == ("d9", "Calm", "problem")
    assert (d.categories[0].id, d.causes[0].category) == ("processes", "processes")
    assert d.causes[0].status is Status.PROPOSED


def test_lines_bom_and_blank_rows():
    lines = ["\ufefflabel,category", "", "A,M", ",", "B,M"]
    assert [c.label for c in parse_csv(lines).causes] == ["A", "B"]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        (
            "label,colour\nA,red\n",
            1,
            "colour",
            "unknown column 'colour'; use only type, id, label",
        ),
        ("label,Label\n", 1, "label", "column 'label' appears twice; keep one"),
        ("id,category\n", 1, None, "the table has no 'label' column"),
        ("", 1, None, "the table has no 'label' column"),
        (
            "label,category\nA,M\nB,M,extra\n",
            3,
            None,
            "row has 3 cells but the header has 2 columns",
        ),
        ('label,category\nA,M\n"B"x,M\n', 3, None, "broken CSV"),
        (
            "label,category,status\nA,M,done\n",
            2,
            "status",
            "status is 'done'; use one of proposed, verified, rejected, addressed",
        ),
        (
            "label,category,votes\nA,M,\nB,M,-1\n",
            3,
            "votes",
            "votes is '-1'; write a whole number, 0 or more",
        ),
        ("label,category,votes\nA,M,2.5\n", 2, "votes", "votes is '2.5'"),
        (
            "label,category\nA,M\nB,\n",
            3,
            "category",
            "cause has no category and no parent to take one from",
        ),
        (
            "label,parent\nA,B\nB,A\n",
            2,
            "category",
            "cause has no category and its parents form a cycle",
        ),
        (
            "label,parent,category\nA,,M\nA,,M\nC,A,M\n",
            4,
            "parent",
            "parent 'A' is the label of 2 causes; give the parent's id",
        ),
        (
            f"{HEADER}\nbone,,M,,,,,,,\n",
            2,
            "type",
            "type is 'bone'; use effect, category or cause",
        ),
        (
            f"{HEADER}\neffect,,E,,,,,,,\neffect,,F,,,,,,,\n",
            3,
            "type",
            "a second effect row",
        ),
        (
            f"{HEADER}\neffect,,E,,,wish,,,,\n",
            2,
            "status",
            "the effect's kind (in column status) is 'wish'; use goal or problem",
        ),
        (
            f"{HEADER}\neffect,,E,,M,,,,,\n",
            2,
            "category",
            "effect rows use only id, label, status; clear column 'category'",
        ),
        (
            f"{HEADER}\ncategory,m,M,,,,3,,,\n",
            2,
            "votes",
            "category rows use only id, label; clear column 'votes'",
        ),
        (
            f"{HEADER}\ncause,a,A,,,,,,,\n",
            2,
            "category",
            "cause has no category; fill column 'category'",
        ),
        (
            f"{HEADER}\ncategory,a,M,,,,,,,\ncategory,b,M,,,,,,,\ncause,c,C,,M,,,,,\n",
            4,
            "category",
            "category 'M' is the label of 2 categories; give its id instead",
        ),
    ],
    ids=[
        "unknown-column",
        "repeated-column",
        "no-label-column",
        "empty",
        "too-many-cells",
        "broken-quotes",
        "bad-status",
        "negative-votes",
        "fractional-votes",
        "no-category",
        "parent-cycle",
        "ambiguous-parent",
        "bad-type",
        "two-effects",
        "bad-kind",
        "effect-extra-cell",
        "category-extra-cell",
        "typed-no-category",
        "ambiguous-category",
    ],
)
def test_errors_name_line_and_column(text, line, field, message):
    with pytest.raises(FormatError) as info:
        parse_csv(text, source="t.csv")
    assert (info.value.source, info.value.line, info.value.field) == (
        "t.csv",
        line,
        field,
    )
    assert message in info.value.message


def test_error_line_counts_multiline_cells():
    text = 'label,category,votes\n"two\nlines",M,1\nB,M,x\n'
    with pytest.raises(FormatError) as info:
        parse_csv(text)
    assert info.value.line == 4


@pytest.mark.parametrize(
    ("label", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=1", "''=1"),
        ("'plain", "'plain"),
        ("a=1", "a=1"),
    ],
)
def test_formula_guard_round_trips(label, cell):
    d = Diagram(
        id="d", effect=Effect(label="E"), categories=[Category(id="m", label=label)]
    )
    assert f"category,m,{cell}," in generate_csv(d)
    assert parse_csv(generate_csv(d)).categories[0].label == label


def test_write_and_read_csv(tmp_path, diagram):
    write_diagram(diagram, tmp_path / "cx.csv")
    assert read_diagram(tmp_path / "cx.csv") == diagram.model_copy(
        update={"title": "", "links": []}
    )
