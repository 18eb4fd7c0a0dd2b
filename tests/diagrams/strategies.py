"""Hypothesis strategies: diagrams of varied shape and label length.

Hypothesis draws the shape (how many bones, causes, how deep, how long the
labels); a drawn ``Random`` fills in the details, which keeps 200 examples fast.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

from fishbone.model import Category, Cause, Diagram, Effect, Link, Status

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'&<>\"\\"
UNICODE = [
    "déjà",
    "naïve",
    "ŁÓDŹ",
    "東京",
    "مرحبا",
    "שלום",
    "👍🏽",
    "😀",
    "Ωμέγα",
    "\u2115\u2265\u2211",
    "x\u200dy",
]


def _word(rng: random.Random, longest: int) -> str:
    if rng.random() < 0.1:
        return rng.choice(UNICODE)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, longest)))


def _label(rng: random.Random, max_words: int) -> str:
    if rng.random() < 0.05:
        return "x" * rng.randint(30, 400)  # one word far wider than a label
    words = rng.randint(1, max_words)
    return " ".join(_word(rng, 12) for _ in range(words))


@st.composite
def diagrams(
    draw: st.DrawFn, *, max_categories: int = 9, max_causes: int = 40
) -> Diagram:
    """A valid diagram: categories, causes nested up to 5 deep, a few links."""
    rng = draw(st.randoms(use_true_random=False))
    n_cat = draw(st.integers(0, max_categories))
    n_causes = draw(st.integers(0, max_causes)) if n_cat else 0
    max_words = draw(st.sampled_from([1, 3, 8, 30]))
    deep = draw(st.integers(1, 5))
    nest = draw(st.floats(0.0, 0.9))
    cats = [Category(id=f"k{i}", label=_label(rng, max_words)) for i in range(n_cat)]
    causes: list[Cause] = []
    depth: dict[str, int] = {}
    for i in range(n_causes):
        parents = [c for c in causes if depth[c.id] < deep]
        parent = rng.choice(parents) if parents and rng.random() < nest else None
        category = parent.category if parent else rng.choice(cats).id
        depth[f"c{i}"] = depth[parent.id] + 1 if parent else 1
        causes.append(
            Cause(
                id=f"c{i}",
                label=_label(rng, max_words),
                category=category,
                parent=parent.id if parent else None,
                status=rng.choice(list(Status)),
                votes=rng.choice([0, 0, 0, 1, 3, 12]),
            )
        )
    links = []
    if len(causes) >= 2 and rng.random() < 0.5:
        a, b = rng.sample(causes, 2)
        label = rng.choice(
            ["", "feeds", "makes worse when busy", _label(rng, max_words)]
        )
        links.append(Link(source=a.id, target=b.id, label=label))
    return Diagram(
        id="h",
        title=rng.choice(["", "Title"]),
        effect=Effect(label=_label(rng, max_words)),
        categories=cats,
        causes=causes,
        links=links,
    )


@st.composite
def rankings(draw: st.DrawFn, diagram: Diagram) -> list[dict[str, object]]:
    """Ranking rows for some of the diagram's causes."""
    rng = draw(st.randoms(use_true_random=False))
    chosen = [c for c in diagram.causes if rng.random() < 0.5]
    return [
        {"cause": c.id, "rank": i + 1, "share": rng.random()}
        for i, c in enumerate(chosen)
    ]
