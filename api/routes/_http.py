"""HTTP helpers shared by the routes: ETags, preconditions, ids, common error responses."""

from __future__ import annotations

import re
from typing import Any, Final

from fastapi import Response

from api.errors import PreconditionRequired, Unprocessable
from api.schemas import ID_PATTERN, ProblemDetails
from fishbone.store import StoredDiagram, VersionConflict

__all__ = [
    "CREATED_WITH_ETAG",
    "ERRORS",
    "WITH_ETAG",
    "WRITE_ERRORS",
    "check_id",
    "etag_matches",
    "expected_version",
    "set_diagram_headers",
    "slug",
]

_PROBLEM: Final = {"model": ProblemDetails, "content": {"application/problem+json": {}}}
ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    401: {**_PROBLEM, "description": "No valid API key."},
    403: {**_PROBLEM, "description": "The key lacks the scope this route needs."},
    404: {
        **_PROBLEM,
        "description": "No such diagram, cause, dataset, version or key.",
    },
    422: {**_PROBLEM, "description": "The request cannot be used; `detail` says why."},
}
"""Error responses every route may give."""

WRITE_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    **ERRORS,
    412: {
        **_PROBLEM,
        "description": "Stale If-Match: the body holds the current version and ETag.",
    },
    428: {
        **_PROBLEM,
        "description": "If-Match is missing: send the ETag you last read.",
    },
}
"""Error responses of writes to a diagram."""

_ETAG_HEADERS: Final = {
    "ETag": {
        "description": "The diagram's ETag now; send it in If-Match on the next write.",
        "schema": {"type": "string", "example": '"cx.v4"'},
    },
    "X-Version": {
        "description": "The diagram's version number now.",
        "schema": {"type": "integer", "example": 4},
    },
}
WITH_ETAG: Final[dict[int | str, dict[str, Any]]] = {
    200: {"description": "Done.", "headers": _ETAG_HEADERS}
}
"""Success response of reads and writes of a diagram: the headers it carries."""

CREATED_WITH_ETAG: Final[dict[int | str, dict[str, Any]]] = {
    201: {
        "description": "Created.",
        "headers": {
            **_ETAG_HEADERS,
            "Location": {"description": "Where it is.", "schema": {"type": "string"}},
        },
    }
}
"""Success response of creations in a diagram."""

_ETAG_VERSION: Final = re.compile(r'^(?:W/)?"(?P<id>.*)\.v(?P<version>\d+)"$')
_SLUG: Final = re.compile(r"[^a-z0-9]+")


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def expected_version(if_match: str | None, stored: StoredDiagram) -> int:
    """Return the version the writer based its change on, from ``If-Match``.

    Raises:
        PreconditionRequired: when ``If-Match`` is missing.
        VersionConflict: when no tag in it is the current ETag.
    """
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            f"writes need If-Match: send the ETag you last read (now {stored.etag})",
            current_version=stored.version,
            etag=stored.etag,
        )
    tags = _tags(if_match)
    if "*" in tags or stored.etag in tags:
        return stored.version
    versions = [m["version"] for t in tags if (m := _ETAG_VERSION.match(t))]
    expected = int(versions[0]) if versions else 0
    raise VersionConflict(stored.diagram.id, expected=expected, current=stored.version)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Return whether ``If-None-Match`` names ``etag`` (so the answer is 304)."""
    if not if_none_match:
        return False
    tags = [t.removeprefix("W/") for t in _tags(if_none_match)]
    return "*" in tags or etag in tags


def set_diagram_headers(response: Response, stored: StoredDiagram) -> None:
    """Put the diagram's ETag and version on a response."""
    response.headers["ETag"] = stored.etag
    response.headers["X-Version"] = str(stored.version)


def check_id(value: str, *, what: str) -> str:
    """Return ``value`` when it can be used in a URL as an id.

    Raises:
        Unprocessable: when it cannot.
    """
    if not re.match(ID_PATTERN, value):
        raise Unprocessable(
            f"{what} id {value!r} cannot be used in a URL; use letters, digits, '.', '_' or '-' (at most 100)"
        )
    return value


def slug(text: str, taken: set[str]) -> str:
    """Return an id made from ``text`` that is not in ``taken``.

    Examples:
        >>> slug("Refunds take too long!", {"refunds-take-too-long"})
        'refunds-take-too-long-2'
    """
    base = _SLUG.sub("-", text.lower()).strip("-")[:60] or "cause"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
