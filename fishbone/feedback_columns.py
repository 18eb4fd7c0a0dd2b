"""Which column is which: roles found by common names or an explicit mapping, and scale guessing.

A role is one of :data:`ROLES` or ``rating:<cause id>`` (a per-cause attribute
rating, e.g. a survey's "wait time" question mapped to the cause ``wait-time``).
Headers are compared case-insensitively with punctuation folded to ``_``; a
header spelled ``rating:<cause id>`` is a rating without any mapping.

Examples:
    >>> plan = plan_columns(
    ...     ["ID", "Comment", "NPS", "Created At", "wait"], {"rating:wait-time": "wait"}
    ... )
    >>> plan.columns
    {'rating:wait-time': 'wait', 'id': 'ID', 'text': 'Comment', 'score': 'NPS', 'date': 'Created At'}
    >>> parse_mapping("text=comment, score=nps")
    {'text': 'comment', 'score': 'nps'}
    >>> guess_scale(np.array([0.0, 7, 10]), hint="score")
    (Scale(name='nps', low=0.0, high=10.0), 'scores run from 0 to 10 (whole numbers)')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from fishbone.exceptions import FeedbackError
from fishbone.records import NAMED_SCALES, Scale

__all__ = [
    "ROLES",
    "ColumnPlan",
    "canonical",
    "guess_scale",
    "parse_mapping",
    "plan_columns",
]

ROLES: Final = (
    "id",
    "text",
    "score",
    "scale",
    "date",
    "channel",
    "segment",
    "tags",
    "causes",
)
RATING: Final = "rating:"
_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "id": (
        "id",
        "external_id",
        "ext_id",
        "record_id",
        "response_id",
        "ticket_id",
        "review_id",
    ),
    "text": (
        "text",
        "comment",
        "comments",
        "feedback",
        "review",
        "body",
        "verbatim",
        "message",
        "response",
    ),
    "score": (
        "score",
        "nps",
        "rating",
        "csat",
        "stars",
        "ces",
        "likelihood_to_recommend",
    ),
    "scale": ("scale", "score_scale"),
    "date": (
        "date",
        "created_at",
        "created",
        "timestamp",
        "submitted_at",
        "datetime",
        "time",
    ),
    "channel": ("channel", "source"),
    "segment": ("segment", "customer_segment", "tier"),
    "tags": ("tags", "tag", "labels", "topics"),
    "causes": ("causes", "cause", "cause_ids"),
}
_FOLD: Final = re.compile(r"[^0-9a-z]+")


def canonical(name: str) -> str:
    """Return a header folded for comparison.

    Examples:
        >>> canonical("  Created-At ")
        'created_at'
    """
    return _FOLD.sub("_", name.strip().casefold()).strip("_")


@dataclass(slots=True)
class ColumnPlan:
    """Where each role is in a header.

    Attributes:
        index: role -> column position.
        columns: role -> header name as written.
        ignored: header names that no role uses.
    """

    index: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    @property
    def ratings(self) -> dict[str, int]:
        """Cause id -> column position of each attribute rating."""
        return {
            r.removeprefix(RATING): i
            for r, i in self.index.items()
            if r.startswith(RATING)
        }


def parse_mapping(text: str) -> dict[str, str]:
    """Parse ``ROLE=COLUMN`` pairs separated by commas (the CLI's ``--map``).

    Raises:
        FeedbackError: when a pair has no ``=``.

    Examples:
        >>> parse_mapping("rating:wait-time=Wait (1-5)")
        {'rating:wait-time': 'Wait (1-5)'}
    """
    out: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        role, sep, column = pair.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise FeedbackError(
                f"mapping {pair!r} is not ROLE=COLUMN; write e.g. text=comment,score=nps"
            )
        out[role.strip()] = column.strip()
    return out


def _check_role(role: str) -> None:
    if role in ROLES or (role.startswith(RATING) and len(role) > len(RATING)):
        return
    raise FeedbackError(
        f"unknown column role {role!r} in the mapping; use one of {', '.join(ROLES)} or rating:CAUSE_ID"
    )


def _find(header: Sequence[str], column: str) -> int | None:
    if column in header:
        return header.index(column)
    folded = [canonical(h) for h in header]
    key = canonical(column)
    return folded.index(key) if key in folded else None


def plan_columns(
    header: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    *,
    source: str = "<string>",
) -> ColumnPlan:
    """Assign roles to the columns of ``header``: mapped ones first, then by common names.

    Raises:
        FeedbackError: when the mapping names an unknown role or a missing column, or
            no column holds text, a score, causes or ratings.

    Examples:
        >>> plan_columns(["review", "stars", "notes"]).ignored
        ['notes']
    """
    plan = ColumnPlan()
    for role, column in (mapping or {}).items():
        _check_role(role)
        at = _find(header, column)
        if at is None:
            raise FeedbackError(
                f"{source}: column {column!r} (mapped to {role}) is not in the header {', '.join(map(repr, header))}; fix the mapping"
            )
        plan.index[role], plan.columns[role] = at, header[at]
    _guess_roles(header, plan)
    used = set(plan.index.values())
    plan.ignored = [h for i, h in enumerate(header) if i not in used]
    if not {"text", "score", "causes", "tags"} & plan.index.keys() and not plan.ratings:
        raise FeedbackError(
            f"{source}: found no text or score column in the header {', '.join(map(repr, header))}; "
            "name one text (or comment, feedback...) or score (or nps, csat...), or map one (--map text=COLUMN)"
        )
    return plan


def _guess_roles(header: Sequence[str], plan: ColumnPlan) -> None:
    folded = [canonical(h) for h in header]
    taken = set(plan.index.values())
    for i, h in enumerate(header):
        if i not in taken and h.strip().casefold().startswith(RATING):
            role = RATING + h.strip()[len(RATING) :].strip()
            plan.index.setdefault(role, i)
            plan.columns.setdefault(role, h)
            taken.add(i)
    for role, names in _NAMES.items():
        if role in plan.index:
            continue
        for name in names:
            if name in folded and folded.index(name) not in taken:
                at = folded.index(name)
                plan.index[role], plan.columns[role] = at, header[at]
                taken.add(at)
                break


def guess_scale(
    scores: npt.NDArray[np.float64], *, hint: str = ""
) -> tuple[Scale | None, str]:
    """Guess the scale of finite ``scores``; ``hint`` is the score column's header.

    A header that names a scale (``nps``, ``csat``, ``ces``, ``stars``) wins when the
    data fit it; otherwise the smallest named scale that holds every score, else
    ``MIN-MAX`` of the data. Returns the scale (None without scores) and why.

    Examples:
        >>> guess_scale(np.array([1.0, 4, 5]))[0].name
        'csat'
        >>> guess_scale(np.array([1.0, 4, 5]), hint="Stars")[0].name
        'stars'
        >>> guess_scale(np.array([3.5, 42]))[0].name
        '0-100'
    """
    finite = scores[np.isfinite(scores)]
    if len(finite) == 0:
        return None, "no record has a score"
    lo, hi = float(finite.min()), float(finite.max())
    whole = bool(np.all(finite == np.round(finite)))
    why = f"scores run from {lo:g} to {hi:g}" + (" (whole numbers)" if whole else "")
    named = canonical(hint)
    if (
        named in NAMED_SCALES
        and NAMED_SCALES[named][0] <= lo
        and hi <= NAMED_SCALES[named][1]
    ):
        return Scale.parse(named), f"{why} and the column is called {hint!r}"
    for name in ("binary", "csat", "ces", "nps"):
        low, high = NAMED_SCALES[name]
        if low <= lo and hi <= high and (whole or name == "csat"):
            return Scale.parse(name), why
    for high in (100.0, 1000.0):
        if lo >= 0 and hi <= high:
            return Scale.parse(f"0-{high:g}"), why
    return Scale.parse(f"{lo:g}-{max(hi, lo + 1):g}"), why
