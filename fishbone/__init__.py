"""Fishbone: cause-and-effect (Ishikawa) diagrams ranked by customer feedback.

The public API of the domain package. Rendering lives in ``diagrams``; the HTTP
API and CLI in ``api``.

Examples:
    >>> import fishbone
    >>> d = fishbone.Diagram(id="d", effect=fishbone.Effect(label="On-time delivery"))
    >>> fishbone.find_problems(d)
    []

The graph view (networkx) and the statistics (``rank``, ``relative_importance``,
``trend``: numpy and scipy) load on first use, so ``import fishbone`` stays quick
for the CLI.
"""

import importlib
from typing import TYPE_CHECKING, Final

from fishbone.exceptions import (
    CauseNotFound,
    DiagramInvalid,
    FeedbackError,
    FishboneError,
    FormatError,
    Problem,
    TemplateNotFound,
)
from fishbone.model import (
    SCHEMA,
    Category,
    Cause,
    Diagram,
    Effect,
    EffectKind,
    Link,
    Status,
)
from fishbone.validation import check_diagram, find_problems

if TYPE_CHECKING:
    from fishbone.graph import (
        EFFECT_NODE,
        depth,
        descendants,
        path_to_effect,
        roll_up,
        roll_up_sets,
        to_networkx,
    )
    from fishbone.importance import relative_importance
    from fishbone.ranking import RankedCause, rank
    from fishbone.trends import CauseTrend, trend

_LAZY: Final = {
    "EFFECT_NODE": "fishbone.graph",
    "depth": "fishbone.graph",
    "descendants": "fishbone.graph",
    "path_to_effect": "fishbone.graph",
    "roll_up": "fishbone.graph",
    "roll_up_sets": "fishbone.graph",
    "to_networkx": "fishbone.graph",
    "CauseTrend": "fishbone.trends",
    "RankedCause": "fishbone.ranking",
    "rank": "fishbone.ranking",
    "relative_importance": "fishbone.importance",
    "trend": "fishbone.trends",
}

__all__ = [
    "EFFECT_NODE",
    "SCHEMA",
    "Category",
    "Cause",
    "CauseNotFound",
    "CauseTrend",
    "Diagram",
    "DiagramInvalid",
    "Effect",
    "EffectKind",
    "FeedbackError",
    "FishboneError",
    "FormatError",
    "Link",
    "Problem",
    "RankedCause",
    "Status",
    "TemplateNotFound",
    "check_diagram",
    "depth",
    "descendants",
    "find_problems",
    "path_to_effect",
    "rank",
    "relative_importance",
    "roll_up",
    "roll_up_sets",
    "to_networkx",
    "trend",
]


def __getattr__(name: str) -> object:
    """Import a graph or statistics name on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'fishbone' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
