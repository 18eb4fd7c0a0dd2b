import networkx as nx
import pytest

from fishbone import (
    EFFECT_NODE,
    Category,
    Cause,
    CauseNotFound,
    Diagram,
    DiagramInvalid,
    Effect,
    Link,
    check_diagram,
    depth,
    descendants,
    find_problems,
    path_to_effect,
    roll_up,
    roll_up_sets,
    to_networkx,
)


def diagram(causes=(), links=(), categories=("m", "p")) -> Diagram:
    return Diagram(
        id="d",
        effect=Effect(label="Happy customers", kind="goal"),
        categories=[Category(id=c, label=c.upper()) for c in categories],
        causes=list(causes),
        links=list(links),
    )


def cause(cid, cat="m", parent=None, label=None) -> Cause:
    return Cause(
        id=cid,
        label=label if label is not None else cid.upper(),
        category=cat,
        parent=parent,
    )


@pytest.fixture
def tree() -> Diagram:
    return diagram(
        [
            cause("a"),
            cause("a1", parent="a"),
            cause("a11", parent="a1"),
            cause("a2", parent="a"),
            cause("b", cat="p"),
        ],
        links=[Link(source="a11", target="b", label="slows")],
    )


def test_valid_diagram_has_no_problems(tree):
    assert find_problems(tree) == []
    assert check_diagram(tree) is tree


PROBLEMS = [
    pytest.param(
        diagram([cause("a"), cause("a")]),
        ["a: id is used more than once; give each category and cause its own id"],
        id="duplicate-cause-id",
    ),
    pytest.param(
        diagram([cause("m")]),
        ["m: id is used more than once; give each category and cause its own id"],
        id="cause-id-equals-category-id",
    ),
    pytest.param(
        diagram([cause("a", cat="zz")]),
        ["a: category 'zz' does not exist; use one of ['m', 'p']"],
        id="unknown-category",
    ),
    pytest.param(
        diagram([cause("a", parent="ghost")]),
        [
            "a: parent 'ghost' does not exist; set parent to an existing cause id, or null to hang it on its bone"
        ],
        id="missing-parent",
    ),
    pytest.param(
        diagram([cause("a"), cause("b", cat="p", parent="a")]),
        [
            "b: parent 'a' is in category 'm', not 'p'; move the cause or change its parent"
        ],
        id="parent-in-other-category",
    ),
    pytest.param(
        diagram([cause("a", parent="b"), cause("b", parent="a")]),
        [
            "a: parents form a cycle a -> b -> a; break it by giving one of them another parent"
        ],
        id="parent-cycle",
    ),
    pytest.param(
        diagram([cause("a", parent="a")]),
        [
            "a: parents form a cycle a -> a; break it by giving one of them another parent"
        ],
        id="own-parent",
    ),
    pytest.param(
        diagram(
            [cause("a"), cause("b")],
            links=[Link(source="a", target="b"), Link(source="b", target="a")],
        ),
        ["a: links form a cycle a -> b -> a; remove one of these links"],
        id="link-cycle",
    ),
    pytest.param(
        diagram([cause("a")], links=[Link(source="a", target="nope")]),
        [
            "links[0]: target 'nope' is not a cause id; link existing causes or remove the link"
        ],
        id="link-to-missing-cause",
    ),
    pytest.param(
        diagram(
            [cause("a"), cause("b")],
            links=[Link(source="a", target="b"), Link(source="a", target="b")],
        ),
        ["links: link a -> b appears more than once; remove the copy"],
        id="duplicate-link",
    ),
    pytest.param(
        diagram([cause("a", label="  ")]),
        ["a: label is empty; write what this is"],
        id="empty-label",
    ),
    pytest.param(
        diagram([cause("", label="Orphan")]),
        ["(empty id): id is empty (label 'Orphan'); give it an id"],
        id="empty-id",
    ),
    pytest.param(
        Diagram(id="d", effect=Effect(label="")),
        ["effect: label is empty; name the effect"],
        id="empty-effect",
    ),
]


@pytest.mark.parametrize(("bad", "expected"), PROBLEMS)
def test_each_problem_is_reported_with_its_message(bad, expected):
    assert [str(p) for p in find_problems(bad)] == expected
    with pytest.raises(DiagramInvalid) as info:
        check_diagram(bad, source="bad.json")
    assert [str(p) for p in info.value.problems] == expected
    assert str(info.value).splitlines()[1:] == [
        f"bad.json: {line}" for line in expected
    ]


def test_several_problems_are_all_reported():
    bad = diagram(
        [cause("a", cat="zz"), cause("b", parent="ghost"), cause("c", label="")]
    )
    assert [p.where for p in find_problems(bad)] == ["c", "a", "b"]


def test_tree_edges_point_from_effect_to_causes(tree):
    G = to_networkx(tree)
    assert G.nodes[EFFECT_NODE]["kind"] == "effect"
    assert set(G.successors(EFFECT_NODE)) == {"m", "p"}
    assert list(G.successors("a")) == ["a1", "a2"]
    assert G.graph["links"] == [("a11", "b")]
    assert nx.is_arborescence(G)


def test_path_depth_descendants(tree):
    G = to_networkx(tree)
    assert path_to_effect(G, "a11") == ["a11", "a1", "a", "m", EFFECT_NODE]
    assert [depth(G, n) for n in ("m", "a", "a1", "a11", "b")] == [0, 1, 2, 3, 1]
    assert descendants(G, "a") == {"a1", "a11", "a2"}
    assert descendants(G, "m") == {"a", "a1", "a11", "a2"}
    assert descendants(G, "a11") == set()


@pytest.mark.parametrize("func", [path_to_effect, depth, descendants])
def test_unknown_cause_raises(tree, func):
    with pytest.raises(CauseNotFound, match="'zz'"):
        func(to_networkx(tree), "zz")
    with pytest.raises(KeyError):
        func(to_networkx(tree), EFFECT_NODE)


def test_roll_up_sums_and_maxes_over_subtrees(tree):
    G = to_networkx(tree)
    values = {"a": 1.0, "a1": 2.0, "a11": 4.0, "a2": 8.0, "b": 16.0}
    totals = roll_up(G, values)
    assert totals["a1"] == 6.0
    assert totals["a"] == 15.0
    assert totals["m"] == 15.0
    assert totals["p"] == 16.0
    assert totals[EFFECT_NODE] == 31.0
    assert roll_up(G, values, how="max")["a"] == 8.0


def test_roll_up_sets_counts_each_member_once(tree):
    G = to_networkx(tree)
    rolled = roll_up_sets(G, {"a1": {1, 2}, "a11": {2, 3}, "a2": {3}, "b": {3, 4}})
    assert rolled["a"] == {1, 2, 3}
    assert rolled["m"] == {1, 2, 3}
    assert rolled[EFFECT_NODE] == {1, 2, 3, 4}
    assert rolled["a2"] == {3}


def test_invalid_parents_are_left_out_of_the_tree():
    G = to_networkx(diagram([cause("a", parent="ghost"), cause("b", parent="b")]))
    assert "a" in G
    assert G.in_degree("a") == 0
    assert not G.has_edge("b", "b")


def test_validating_a_valid_diagram_does_not_import_networkx():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tests.factories import sized_diagram\n"
        "from fishbone.validation import find_problems\n"
        "assert find_problems(sized_diagram(8, 12, 2)) == []\n"
        "print('networkx' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_a_deep_chain_is_not_a_cycle():
    causes = [cause("c0")] + [
        cause(f"c{i}", parent=f"c{i - 1}") for i in range(1, 3000)
    ]
    assert find_problems(diagram(causes)) == []


def test_acyclic_handles_shared_children_and_cycles():
    from fishbone.validation import _acyclic

    assert _acyclic({"a": ["b", "c"], "b": ["c"], "c": []})
    assert not _acyclic({"a": ["b"], "b": ["a"]})


def test_shared_link_targets_are_not_a_cycle():
    d = diagram(
        [cause("a"), cause("b"), cause("c")],
        links=[
            Link(source="a", target="b"),
            Link(source="a", target="c"),
            Link(source="b", target="c"),
        ],
    )
    assert find_problems(d) == []
