"""Fishbone: cause-and-effect (Ishikawa) diagrams ranked by customer feedback.

The public API of the domain package. Rendering lives in ``diagrams``; the HTTP
API and CLI in ``api``.

Examples:
    >>> import fishbone
    >>> d = fishbone.Diagram(id="d", effect=fishbone.Effect(label="On-time delivery"))
    >>> fishbone.find_problems(d)
    []
"""

from fishbone.exceptions import (
    CauseNotFound,
    DiagramInvalid,
    FeedbackError,
    FishboneError,
    FormatError,
    Problem,
    TemplateNotFound,
)
from fishbone.graph import (
    EFFECT_NODE,
    check_diagram,
    depth,
    descendants,
    find_problems,
    path_to_effect,
    roll_up,
    roll_up_sets,
    to_networkx,
)
from fishbone.importance import relative_importance
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
from fishbone.ranking import RankedCause, rank
from fishbone.trends import CauseTrend, trend

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
