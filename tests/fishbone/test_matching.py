"""Matching feedback to causes: normalisation, word boundaries, multi-match, explicit first, learned."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fishbone.exceptions import FeedbackError
from fishbone.learned import cross_validate
from fishbone.matching import SignalMatcher, match, match_report
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.records import FeedbackTable
from fishbone.textnorm import normalise, normalise_joined, stem, variants


def diagram(**signals: list[str]) -> Diagram:
    return Diagram(
        id="d",
        effect=Effect(label="Happy customers", kind="goal"),
        categories=[Category(id="k", label="K")],
        causes=[
            Cause(id=c, label=c.title(), category="k", signals=s)
            for c, s in signals.items()
        ],
    )


def matched(d: Diagram, texts: list[str], **kw: object) -> list[set[str]]:
    table = FeedbackTable.from_rows([{"text": t} for t in texts])
    m = match(d, table, **kw)  # type: ignore[arg-type]
    dense = m.matrix.toarray().astype(bool)
    return [{m.cause_ids[j] for j in np.flatnonzero(row)} for row in dense]


# -- normalisation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Crème BRÛLÉE", "creme brulee"),
        ("  slow,  refund!! ", "slow refund"),
        ("snake_case-and/slashes", "snake case and slashes"),
        ("Straße", "strasse"),
        ("tab\tand\nnewline", "tab and newline"),
        ("nul\x00inside", "nul inside"),
        ("Привет, МИР", "привет мир"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("passes", [None, 1, 0])
@pytest.mark.parametrize(
    "texts", [["a\nb", "", "c\x00d", "x,  y"], ["é", "a!!b"]], ids=["ascii", "unicode"]
)
def test_joined_has_one_separator_per_record(
    texts: list[str], passes: int | None
) -> None:
    joined = normalise_joined(texts, passes=passes)
    assert joined.count("\n") == len(texts)
    parts = [" ".join(part.split()) for part in joined.split("\n")[:-1]]
    assert parts == [normalise(t) for t in texts]


FAMILIES = [
    "wait waits waited waiting",
    "refund refunds refunded refunding",
    "price prices priced pricing",
    "charge charges charged charging",
    "agree agrees agreed agreeing",
    "stop stops stopped stopping",
    "reply replies replied replying",
    "book books booked booking bookings",
    "cancel cancels cancelled cancelling canceled canceling",
    "dish dishes",
    "class classes",
    "call calls called calling",
    "queue queues queued queuing",
    "hurry hurries hurried",
]


@pytest.mark.parametrize("family", FAMILIES, ids=[f.split()[0] for f in FAMILIES])
def test_inflections_share_a_stem_and_are_variants(family: str) -> None:
    words = family.split()
    assert len({stem(w) for w in words}) == 1
    for w in words:
        assert set(words) <= variants(w)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_variants_all_share_the_stem(word: str) -> None:
    assert word in variants(word)
    assert {stem(v) for v in variants(word)} == {stem(word)}


# -- signals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signal", "text", "hit"),
    [
        ("refund", "Refunds took weeks", True),
        ("refund", "they refunded me", True),
        (
            "refund",
            "a non-refundable ticket",
            False,
        ),  # a different word: add it as a signal
        ("app", "I am happy", False),
        ("app", "the APP crashed", True),
        ("app", "apps crash", True),
        ("wait time", "the wait-time was long", True),
        ("wait time", "waiting times, awful", True),
        ("wait time", "wait. Time", True),
        ("wait time", "time to wait", False),
        ("wait time", "wait... time", True),  # up to four non-word characters apart
        ("wait time", "wait -- time", True),
        ("wait time", "wait - - time", False),
        ("café", "the CAFE was shut", True),
        ("cafe", "the café was shut", True),
        ("login", "log in failed", False),
        ("e-mail", "your e mail", True),
        ("reply", "nobody replied", True),
    ],
)
def test_signal_matching(signal: str, text: str, hit: bool) -> None:
    d = diagram(c=[signal])
    assert matched(d, [text]) == [{"c"} if hit else set()]


def test_a_comment_may_match_several_causes() -> None:
    d = diagram(refunds=["refund"], staff=["rude", "staff"], queue=["queue"])
    assert matched(d, ["Rude staff and a slow refund", "queue", "nothing"]) == [
        {"refunds", "staff"},
        {"queue"},
        set(),
    ]


def test_shared_signal_hits_every_cause() -> None:
    d = diagram(a=["late delivery"], b=["late delivery", "courier"])
    assert matched(d, ["Late deliveries again"]) == [{"a", "b"}]


def test_no_cross_record_matches() -> None:
    d = diagram(c=["slow refund"])
    assert matched(d, ["so slow", "refund please"]) == [set(), set()]


def test_many_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fishbone.matching.CHUNK", 3)
    d = diagram(c=["refund"])
    texts = ["refund" if i % 4 == 0 else "x" for i in range(10)]
    assert [bool(s) for s in matched(d, texts)] == [i % 4 == 0 for i in range(10)]


def test_no_signals_no_matches() -> None:
    rows, cols = SignalMatcher({"a": [], "b": [" ", "!!"]}).find(["anything"])
    assert rows.tolist() == cols.tolist() == []


# -- explicit first, tag map --------------------------------------------------------


def test_explicit_causes_and_tags_come_first() -> None:
    d = diagram(refunds=["refund"], staff=["staff"])
    table = FeedbackTable.from_rows(
        [
            {
                "text": "refund refund",
                "causes": ["staff"],
            },  # labelled: signals not applied
            {"text": "refund", "tags": ["People"]},
            {"text": "refund", "tags": ["unmapped"]},
            {"text": "x", "causes": ["ghost", "refunds"]},
        ]
    )
    report = match_report(d, table, tag_map={"people": "staff"})
    dense = report.mentions.matrix.toarray().tolist()
    assert dense == [[0, 1], [0, 1], [1, 0], [1, 0]]
    assert report.explicit.tolist() == [1, 2]
    assert report.signals.tolist() == [1, 0]
    assert report.labelled == 3
    assert report.unknown_causes == {"ghost": 1}


def test_tag_map_to_several_causes() -> None:
    d = diagram(a=[], b=[])
    table = FeedbackTable.from_rows([{"text": "", "tags": ["both"]}])
    assert match(d, table, tag_map={"both": ["a", "b"]}).counts().tolist() == [1, 1]


def test_tag_map_to_unknown_cause() -> None:
    with pytest.raises(FeedbackError, match="tag map sends tag 'x' to 'nope'"):
        match(
            diagram(a=[]),
            FeedbackTable.from_rows([{"text": ""}]),
            tag_map={"x": "nope"},
        )


def test_threshold_must_be_a_probability() -> None:
    with pytest.raises(FeedbackError, match=r"threshold 1\.5"):
        match(diagram(a=[]), FeedbackTable.from_rows([{"text": ""}]), threshold=1.5)


def test_report_examples_and_unmatched() -> None:
    d = diagram(a=["refund"])
    report = match_report(
        d, FeedbackTable.from_rows([{"text": t} for t in ["refund", "no", "refunds"]])
    )
    assert report.examples("a") == [0, 2]
    assert report.unmatched.tolist() == [1]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(8)))
def test_matches_do_not_depend_on_record_order(order: list[int]) -> None:
    d = diagram(refunds=["refund"], staff=["rude staff", "waiter"], app=["app"])
    texts = [
        "Refunded late",
        "rude staff!",
        "happy",
        "the app and a waiter",
        "",
        "APPS",
        "staff rude",
        "refund app",
    ]
    base = matched(d, texts)
    shuffled = matched(d, [texts[i] for i in order])
    assert shuffled == [base[i] for i in order]


# -- learned matcher -----------------------------------------------------------------


def synthetic(seed: int, n: int) -> tuple[list[str], np.ndarray]:
    rng = random.Random(seed)
    words = {
        "refunds": ["refund", "money", "reimburse", "repay"],
        "staff": ["rude", "waiter", "manager", "attitude"],
        "app": ["crash", "login", "screen", "update"],
    }
    filler = [
        "the",
        "a",
        "was",
        "very",
        "and",
        "but",
        "not",
        "my",
        "our",
        "it",
        "is",
        "of",
        "today",
    ]
    texts, labels = [], []
    for _ in range(n):
        causes = rng.sample(sorted(words), rng.randint(1, 2))
        ws = [rng.choice(filler) for _ in range(5)] + [
            rng.choice(words[c]) for c in causes for _ in range(2)
        ]
        rng.shuffle(ws)
        texts.append(" ".join(ws))
        labels.append([c in causes for c in sorted(words)])
    return texts, np.array(labels)


def test_learned_labels_the_rest_and_reports_quality() -> None:
    texts, y = synthetic(0, 120)
    d = diagram(app=[], refunds=[], staff=[])
    names = ["app", "refunds", "staff"]
    rows = [
        {"text": t, "causes": [names[j] for j in np.flatnonzero(lab)]}
        for t, lab in zip(texts[:80], y[:80], strict=True)
    ]
    rows += [{"text": t} for t in texts[80:]]
    report = match_report(d, FeedbackTable.from_rows(rows), learned=True, threshold=0.5)
    got = report.mentions.matrix.toarray()[80:].astype(bool)
    assert (got == y[80:]).mean() > 0.9
    assert report.quality.micro_f1 > 0.85
    assert report.quality.labelled == 80
    assert report.learned.sum() > 0
    conf = report.mentions.confidence
    assert conf is not None
    assert conf.max() <= 1.0
    assert conf[:80].toarray().max() == 1.0
    again = match_report(d, FeedbackTable.from_rows(rows), learned=True)
    assert np.array_equal(
        again.mentions.matrix.toarray(), report.mentions.matrix.toarray()
    )  # deterministic


def test_learned_needs_labels() -> None:
    with pytest.raises(FeedbackError, match="needs records with explicit causes"):
        match(diagram(a=[]), FeedbackTable.from_rows([{"text": "x"}]), learned=True)


def test_learned_auto_skips_with_few_labels() -> None:
    table = FeedbackTable.from_rows([{"text": "x", "causes": ["a"]}, {"text": "y"}])
    report = match_report(diagram(a=[]), table, learned="auto")
    assert report.quality is None
    assert report.notes == [
        "learned matcher not used: 1 labelled record(s), 1 to label (needs 20 and 1)"
    ]


def test_cross_validation_hand_counted() -> None:
    texts, y = synthetic(1, 60)
    q = cross_validate(texts, y, threshold=0.5, seed=0)
    assert q is not None
    assert 0 <= q.macro_f1 <= 1
    assert q.folds == 5
    assert "micro P/R/F1" in str(q)
    assert cross_validate(texts[:3], y[:3]) is None


def test_learned_without_scikit_learn_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("sklearn"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    table = FeedbackTable.from_rows([{"text": "x", "causes": ["a"]}, {"text": "y"}])
    with pytest.raises(
        FeedbackError, match="needs scikit-learn, which is not installed"
    ):
        match(diagram(a=[]), table, learned=True)
    rows = [{"text": "x", "causes": ["a"]}] * 25 + [{"text": "y"}]
    report = match_report(diagram(a=[]), FeedbackTable.from_rows(rows), learned="auto")
    assert report.notes == ["learned matcher not used: scikit-learn is not installed"]


def test_empty_diagram_and_empty_table() -> None:
    assert match(
        Diagram(id="d", effect=Effect(label="E")),
        FeedbackTable.from_rows([{"text": "x"}]),
    ).matrix.shape == (1, 0)
    empty = FeedbackTable(ids=[], texts=[], scores=np.zeros(0))
    report = match_report(diagram(a=["x"]), empty)
    assert report.mentions.matrix.shape == (0, 1)
    assert report.unmatched.tolist() == []
