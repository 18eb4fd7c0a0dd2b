"""Builders for test and benchmark diagrams."""

from __future__ import annotations

import random

from fishbone.model import Category, Cause, Diagram, Effect

WORDS = [
    "refund",
    "wait",
    "staff",
    "queue",
    "app",
    "login",
    "delivery",
    "price",
    "policy",
    "training",
    "stock",
    "billing",
    "outage",
    "email",
    "handoff",
    "menu",
    "signage",
    "parking",
    "noise",
    "cleanliness",
    "tone",
    "empathy",
    "ownership",
    "knowledge",
    "follow-up",
    "escalation",
    "shift",
    "rota",
]


def label(rng: random.Random, lo: int, hi: int) -> str:
    """A label of lo..hi characters made of words."""
    target = rng.randint(lo, hi)
    words: list[str] = []
    while len(" ".join(words)) < target:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:target].strip().capitalize() or "X"


def sized_diagram(
    categories: int,
    causes: int,
    subs: int = 0,
    *,
    depth: int = 2,
    label_chars: tuple[int, int] = (21, 37),
    seed: int = 0,
) -> Diagram:
    """A diagram of `categories` bones, `causes` per bone, `subs` per cause per level below.

    `depth` counts cause levels: 1 = causes only, 2 = causes and sub-causes, ...
    """
    rng = random.Random(seed)
    cats = [
        Category(id=f"k{i}", label=label(rng, *label_chars)) for i in range(categories)
    ]
    out: list[Cause] = []

    def grow(cat: str, parent: str | None, level: int, count: int) -> None:
        for _ in range(count):
            cid = f"c{len(out) + 1}"
            out.append(
                Cause(
                    id=cid, label=label(rng, *label_chars), category=cat, parent=parent
                )
            )
            if level < depth and subs:
                grow(cat, cid, level + 1, subs)

    for cat in cats:
        grow(cat.id, None, 1, causes)
    return Diagram(
        id=f"sized-{categories}x{causes}x{subs}",
        title=f"{categories} x {causes} x {subs}",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=cats,
        causes=out,
    )
