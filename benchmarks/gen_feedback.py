"""Generate the feedback throughput fixture: a 1,000,000-row CSV and a 300-cause diagram.

    uv run python benchmarks/gen_feedback.py [--rows 1000000] [--out benchmarks/out]

Writes ``feedback_<rows>.csv`` (~110 bytes a row: id, date, channel, segment, nps,
comment, tags) and ``diagram_300.json`` (10 categories x 30 causes, 3 signals each).
About 70 % of comments carry one or two signal phrases (sometimes inflected), the
rest are filler, so matching does realistic work. Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

from fishbone.model import Category, Cause, Diagram, Effect

NOUNS = [
    "refund",
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
    "escalation",
    "shift",
    "rota",
    "invoice",
    "password",
    "checkout",
    "basket",
    "voucher",
    "discount",
    "courier",
    "parcel",
    "tracking",
    "warranty",
    "repair",
    "install",
    "manual",
    "upgrade",
    "contract",
    "renewal",
    "cancellation",
    "fee",
    "charge",
    "overdraft",
    "statement",
    "branch",
    "cashier",
    "kiosk",
    "website",
    "search",
    "filter",
    "review",
    "rating",
    "callback",
    "chat",
    "hold",
    "transfer",
    "agent",
    "manager",
    "supervisor",
    "receipt",
    "exchange",
    "return",
    "label",
    "packaging",
    "size",
    "fit",
    "colour",
    "fabric",
    "battery",
    "charger",
    "screen",
    "update",
    "notification",
    "reminder",
    "appointment",
    "booking",
    "schedule",
    "slot",
    "reservation",
    "table",
    "waiter",
    "bill",
    "tip",
    "portion",
    "dessert",
    "coffee",
    "breakfast",
    "lunch",
    "dinner",
    "room",
    "bed",
    "shower",
    "towel",
    "lift",
    "stairs",
    "entrance",
    "door",
    "window",
    "light",
    "heating",
    "aircon",
    "wifi",
    "signal",
    "coverage",
    "roaming",
    "tariff",
    "bundle",
    "upgrade",
    "handset",
    "sim",
    "porting",
    "engineer",
    "visit",
    "survey",
    "form",
]
MODS = [
    "slow",
    "late",
    "wrong",
    "broken",
    "missing",
    "rude",
    "long",
    "confusing",
    "hidden",
    "extra",
    "expensive",
    "cold",
    "dirty",
    "noisy",
    "unclear",
    "failed",
    "double",
    "early",
]
FILLER = [
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
    "to",
    "really",
    "again",
    "today",
    "service",
    "experience",
    "overall",
    "team",
    "staff",
    "they",
    "we",
    "were",
    "had",
    "have",
    "this",
    "that",
    "with",
    "for",
    "on",
    "at",
    "so",
    "just",
    "still",
    "never",
    "always",
    "quite",
    "good",
    "great",
    "bad",
    "poor",
    "okay",
    "fine",
    "lovely",
    "terrible",
    "excellent",
]
CHANNELS = ["email", "web", "app", "phone", "store", "chat"]
SEGMENTS = ["consumer", "smb", "enterprise", "public"]
TAGS = ["", "", "", "", "", "", "", "", "urgent", "vip", "follow-up"]


def diagram(seed: int = 0) -> Diagram:
    """Return 10 categories x 30 causes, each with 3 distinct signals."""
    rng = random.Random(seed)
    phrases = sorted(
        {f"{m} {n}" for m in MODS for n in NOUNS}
        | {f"{n} {o}" for n in NOUNS for o in ("issue", "problem", "delay")}
    )
    rng.shuffle(phrases)
    cats = [Category(id=f"k{i}", label=f"Category {i}") for i in range(10)]
    causes = [
        Cause(
            id=f"c{i}",
            label=phrases[3 * i].capitalize(),
            category=f"k{i % 10}",
            signals=phrases[3 * i : 3 * i + 3],
        )
        for i in range(300)
    ]
    return Diagram(
        id="bench-300",
        title="300 causes",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=cats,
        causes=causes,
    )


def _plural(phrase: str) -> str:
    """Pluralise the last word the regular English way (queries, boxes, refunds)."""
    if phrase.endswith("y") and phrase[-2:-1] not in "aeiou":
        return phrase[:-1] + "ies"
    return phrase + ("es" if phrase.endswith(("s", "x", "z", "ch", "sh")) else "s")


def _comment(rng: random.Random, signals: list[str]) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(6, 13))]
    hits = rng.choices([0, 1, 2], weights=[3, 5, 2])[0]
    for _ in range(hits):
        phrase = rng.choice(signals)
        if rng.random() < 0.25:
            phrase = _plural(phrase)
        words.insert(rng.randint(0, len(words)), phrase)
    text = " ".join(words)
    if rng.random() < 0.5:
        cut = rng.randint(1, len(text) - 1)
        text = text[:cut].rstrip() + ", " + text[cut:].lstrip()
    return text[0].upper() + text[1:] + rng.choice([".", "!", ".", "...", ""])


def write_csv(path: Path, rows: int, d: Diagram, seed: int = 0) -> None:
    """Write ``rows`` feedback rows to ``path``."""
    rng = random.Random(seed)
    signals = [s for c in d.causes for s in c.signals]
    start = dt.date(2024, 1, 1)
    dates = [(start + dt.timedelta(days=i)).isoformat() for i in range(730)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "date", "channel", "segment", "nps", "comment", "tags"])
        for i in range(rows):
            w.writerow(
                [
                    f"r{i:07d}",
                    rng.choice(dates),
                    rng.choice(CHANNELS),
                    rng.choice(SEGMENTS),
                    rng.randint(0, 10),
                    _comment(rng, signals),
                    rng.choice(TAGS),
                ]
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    d = diagram()
    (a.out / "diagram_300.json").write_text(
        d.model_dump_json(by_alias=True, indent=1), encoding="utf-8"
    )
    csv_path = a.out / f"feedback_{a.rows}.csv"
    write_csv(csv_path, a.rows, d)
    print(
        f"wrote {csv_path} ({csv_path.stat().st_size / 1e6:.0f} MB) and {a.out / 'diagram_300.json'}"
    )


if __name__ == "__main__":
    main()
