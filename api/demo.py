"""The demo: the customer-experience fishbone with causes and signals, and synthetic feedback.

``fishbone serve --demo`` seeds it so a newcomer sees a ranked, coloured
fishbone at once. Seeding twice changes nothing.

Examples:
    >>> rows = demo_feedback(n=5)
    >>> len(rows), sorted(rows[0])[:3]
    (5, ['causes', 'channel', 'date'])
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import Final

from fishbone.model import Cause, Diagram
from fishbone.store import AlreadyExists, RecordRow, Store
from fishbone.templates import load_template

__all__ = ["DEMO_DATASET", "DEMO_DIAGRAM", "demo_diagram", "demo_feedback", "seed_demo"]

DEMO_DIAGRAM: Final = "customer-experience"
DEMO_DATASET: Final = "demo-survey"

# (id, category, label, signals, parent, weight of the cause in the feedback, score shift)
_CAUSES: Final = (
    ("refunds", "processes", "Refunds are fast", ["refund", "money back"], None, 9, -4),
    (
        "handoffs",
        "processes",
        "No handoffs between teams",
        ["transferred", "passed around"],
        None,
        5,
        -3,
    ),
    ("app", "systems", "The app works", ["app", "crash", "login"], None, 8, -3),
    (
        "tracking",
        "systems",
        "Orders can be tracked",
        ["tracking", "where is my order"],
        "app",
        4,
        -2,
    ),
    ("wait", "environment", "Short queues in store", ["queue", "wait"], None, 7, -2),
    (
        "clean",
        "environment",
        "Clean, calm stores",
        ["clean", "dirty", "noisy"],
        None,
        2,
        -1,
    ),
    (
        "friendly",
        "frontline-support",
        "Friendly, knowledgeable staff",
        ["friendly", "helpful", "rude"],
        None,
        6,
        2,
    ),
    (
        "ownership",
        "frontline-support",
        "Staff own the problem",
        ["follow up", "nobody called"],
        None,
        3,
        -3,
    ),
    (
        "pricing",
        "expectations",
        "Clear prices, no surprises",
        ["price", "hidden fee", "charged"],
        None,
        5,
        -2,
    ),
    (
        "promises",
        "expectations",
        "We keep our promises",
        ["promised", "late"],
        None,
        4,
        -3,
    ),
)


def demo_diagram() -> Diagram:
    """Return the customer-experience template with the demo causes and their signals."""
    diagram = load_template(DEMO_DIAGRAM)
    diagram.title = "Demo: what makes a superior customer experience"
    diagram.causes = [
        Cause(id=cid, label=label, category=cat, signals=list(signals), parent=parent)
        for cid, cat, label, signals, parent, _w, _s in _CAUSES
    ]
    return diagram


def demo_feedback(*, n: int = 2000, seed: int = 7) -> list[RecordRow]:
    """Return ``n`` synthetic NPS comments that mention the demo causes' signals."""
    rng = random.Random(seed)
    weights = [c[5] for c in _CAUSES]
    start = dt.date(2025, 1, 1)
    rows: list[RecordRow] = []
    for i in range(n):
        picked = {
            rng.choices(range(len(_CAUSES)), weights)[0]
            for _ in range(rng.choice((0, 1, 1, 2)))
        }
        score = 8.0 + sum(_CAUSES[j][6] for j in picked) + rng.uniform(-1.5, 1.5)
        words = [rng.choice(_CAUSES[j][3]) for j in picked] or ["fine overall"]
        rows.append(
            RecordRow(
                ext_id=f"demo-{i + 1}",
                text=f"Comment about {' and '.join(words)}.",
                score=float(min(10, max(0, round(score)))),
                date=(start + dt.timedelta(days=rng.randrange(365))).isoformat(),
                channel=rng.choice(("email", "web", "store")),
                segment=rng.choice(("retail", "business")),
                tags=[],
                causes=[],
                ratings=None,
            )
        )
    return rows


def seed_demo(store: Store) -> None:
    """Store the demo diagram and dataset unless they are there already."""
    with contextlib.suppress(AlreadyExists):
        store.create_diagram(demo_diagram(), actor="demo")
    try:
        store.create_dataset(
            DEMO_DATASET, name="Demo NPS survey", scale="nps", actor="demo"
        )
    except AlreadyExists:
        return
    store.ingest(DEMO_DATASET, demo_feedback(), actor="demo")
