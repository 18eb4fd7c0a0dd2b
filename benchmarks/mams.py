"""Matching quality on MAMS-ACSA: signals only, learned, and both, against the true aspect labels.

    uv run python benchmarks/mams.py [--data ../shared/data/mams_acsa]

One cause per aspect category (8). The signals below were written by reading the
*train* split only (its most frequent words per category, then by hand); the test
split is never looked at to choose them. The learned matcher is trained on the
train split's labels: train and test records go into one FeedbackTable, train
records carry their categories as explicit causes, and ``match(..., learned=True)``
labels the test records, exactly as a team would use it.

Reports micro/macro precision, recall and F1 on test, and the Spearman correlation
between the Pareto ranking (mention counts per cause) from matched causes and from
the true labels.
"""

from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ET  # local, trusted benchmark data
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from fishbone.matching import match, match_report
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.records import FeedbackTable

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mams_acsa"

SIGNALS: dict[str, list[str]] = {
    "food": [
        "food",
        "dinner",
        "lunch",
        "brunch",
        "breakfast",
        "drink",
        "dish",
        "meal",
        "appetizer",
        "entree",
        "dessert",
        "salad",
        "wine",
        "pizza",
        "sushi",
        "steak",
        "burger",
        "pasta",
        "chicken",
        "fish",
        "soup",
        "cocktail",
        "beer",
        "bread",
        "taste",
        "tasty",
        "delicious",
        "flavor",
        "fries",
        "sandwich",
        "cooked",
    ],
    "service": [
        "service",
        "slow",
        "wait",
        "prompt",
        "promptly",
        "attentive",
        "delivery",
        "served",
        "quick",
        "fast",
        "forgot",
        "took forever",
    ],
    "staff": [
        "waiter",
        "waitress",
        "staff",
        "manager",
        "server",
        "hostess",
        "host",
        "owner",
        "waitstaff",
        "wait staff",
        "bartender",
        "chef",
        "busboy",
        "employee",
        "rude",
        "friendly",
    ],
    "price": [
        "price",
        "bill",
        "cost",
        "expensive",
        "cheap",
        "pay",
        "paid",
        "money",
        "worth",
        "reasonable",
        "overpriced",
        "affordable",
        "value",
        "charge",
        "tip",
        "dollar",
    ],
    "ambience": [
        "atmosphere",
        "decor",
        "ambience",
        "ambiance",
        "music",
        "noise",
        "noisy",
        "loud",
        "relaxing",
        "romantic",
        "lighting",
        "vibe",
        "cozy",
    ],
    "menu": [
        "menu",
        "item",
        "choice",
        "selection",
        "options",
        "special",
        "vegetarian",
        "variety",
    ],
    "place": [
        "bar",
        "space",
        "room",
        "area",
        "lounge",
        "place",
        "kitchen",
        "seating",
        "ceiling",
        "window",
        "counter",
        "booth",
        "patio",
        "outdoor",
        "bathroom",
        "location",
        "neighborhood",
        "restaurant",
    ],
    "miscellaneous": [
        "reservation",
        "portion",
        "scene",
        "spot",
        "table",
        "plate",
        "glass",
        "chair",
        "tiny",
        "small",
        "size",
        "line",
        "family",
        "crowd",
        "seated",
        "arrived",
    ],
}


def load(path: Path) -> list[tuple[str, set[str]]]:
    root = ET.parse(path).getroot()
    return [
        (
            s.findtext("text") or "",
            {a.get("category", "") for a in s.iter("aspectCategory")},
        )
        for s in root.iter("sentence")
    ]


def diagram(with_signals: bool) -> Diagram:
    return Diagram(
        id="mams",
        title="MAMS-ACSA aspects",
        effect=Effect(label="A great restaurant visit", kind="goal"),
        categories=[Category(id="aspects", label="Aspects")],
        causes=[
            Cause(
                id=c,
                label=c.title(),
                category="aspects",
                signals=s if with_signals else [],
            )
            for c, s in SIGNALS.items()
        ],
    )


def scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    tp, fp, fn = (y & p).sum(0), (~y & p).sum(0), (y & ~p).sum(0)
    prec = np.divide(tp, tp + fp, out=np.zeros(len(tp)), where=(tp + fp) > 0)
    rec = np.divide(tp, tp + fn, out=np.zeros(len(tp)), where=(tp + fn) > 0)
    f1 = np.divide(
        2 * prec * rec, prec + rec, out=np.zeros(len(tp)), where=(prec + rec) > 0
    )
    mp, mr = (
        tp.sum() / max(tp.sum() + fp.sum(), 1),
        tp.sum() / max(tp.sum() + fn.sum(), 1),
    )
    return {
        "micro_p": mp,
        "micro_r": mr,
        "micro_f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0,
        "macro_p": prec.mean(),
        "macro_r": rec.mean(),
        "macro_f1": f1.mean(),
    }


def truth(rows: list[tuple[str, set[str]]]) -> np.ndarray:
    return np.array([[c in cats for c in SIGNALS] for _, cats in rows], bool)


def evaluate(
    name: str, predicted: np.ndarray, y: np.ndarray, seconds: float
) -> dict[str, object]:
    s = scores(y, predicted)
    rho = spearmanr(predicted.sum(0), y.sum(0)).statistic
    return {"method": name, **s, "spearman": rho, "seconds": seconds}


def run(data: Path) -> list[dict[str, object]]:
    train, test = load(data / "mams_acsa_train.xml"), load(data / "mams_acsa_test.xml")
    y = truth(test)
    results = []
    t0 = time.perf_counter()
    signals = match(
        diagram(True), FeedbackTable.from_rows([{"text": t} for t, _ in test])
    )
    results.append(
        evaluate(
            "signals only",
            signals.matrix.toarray().astype(bool),
            y,
            time.perf_counter() - t0,
        )
    )
    rows = [{"text": t, "causes": sorted(c)} for t, c in train] + [
        {"text": t} for t, _ in test
    ]
    table = FeedbackTable.from_rows(rows)
    for name, with_signals in (("learned only", False), ("signals + learned", True)):
        t0 = time.perf_counter()
        report = match_report(diagram(with_signals), table, learned=True, threshold=0.5)
        predicted = report.mentions.matrix.toarray()[len(train) :].astype(bool)
        result = evaluate(name, predicted, y, time.perf_counter() - t0)
        result["cv_on_train"] = str(report.quality)
        results.append(result)
    results.append(
        {
            "method": "(test set)",
            "sentences": len(test),
            "labels": int(y.sum()),
            "true counts": dict(zip(SIGNALS, y.sum(0).tolist(), strict=True)),
        }
    )
    return results


def main() -> None:
    p = argparse.ArgumentParser(description="MAMS-ACSA matching quality")
    p.add_argument("--data", type=Path, default=DATA)
    a = p.parse_args()
    print(
        "| method | micro P | micro R | micro F1 | macro P | macro R | macro F1 | Spearman (Pareto) | time |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in run(a.data):
        if "micro_f1" not in r:
            print(r)
            continue
        print(
            f"| {r['method']} | {r['micro_p']:.3f} | {r['micro_r']:.3f} | {r['micro_f1']:.3f} | "
            f"{r['macro_p']:.3f} | {r['macro_r']:.3f} | {r['macro_f1']:.3f} | {r['spearman']:.3f} | {r['seconds']:.1f} s |"
        )
        if "cv_on_train" in r:
            print(f"  5-fold CV on train: {r['cv_on_train']}")


if __name__ == "__main__":
    main()
