"""Errors raised by the store, a branch of the FishboneError tree.

::

    FishboneError
    └── StoreError
        ├── NotFound(KeyError)             a diagram, version, dataset or key that is not stored
        ├── AlreadyExists(ValueError)      an id that is taken
        └── VersionConflict(ValueError)    a write based on a version that is not the latest

Examples:
    >>> str(NotFound("diagram", "cx"))
    "no diagram with id 'cx'; list them with GET /api/v1/diagrams"
    >>> VersionConflict("cx", expected=3, current=4).current
    4
"""

from __future__ import annotations

from fishbone.exceptions import FishboneError

__all__ = ["AlreadyExists", "NotFound", "StoreError", "VersionConflict"]


class StoreError(FishboneError):
    """Base class of the store's errors."""


class NotFound(StoreError, KeyError):
    """A diagram, version, dataset or key that is not stored."""

    def __init__(self, kind: str, key: object, *, hint: str = "") -> None:
        self.kind = kind
        self.key = key
        self.hint = hint or f"list them with GET /api/v1/{kind}s"
        super().__init__(key)

    def __str__(self) -> str:
        return f"no {self.kind} with id {self.key!r}; {self.hint}"


class AlreadyExists(StoreError, ValueError):
    """An id that another diagram, dataset or key already has."""

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(
            f"a {kind} with id {key!r} already exists; choose another id or update it"
        )


class VersionConflict(StoreError, ValueError):
    """A write based on a stale version: someone else saved first.

    Attributes:
        diagram_id: the diagram written to.
        expected: the version the writer based the change on.
        current: the version stored now.
    """

    def __init__(self, diagram_id: str, *, expected: int, current: int) -> None:
        self.diagram_id = diagram_id
        self.expected = expected
        self.current = current
        super().__init__(
            f"diagram {diagram_id!r} is at version {current}, not {expected}; "
            "fetch it again, reapply the change and retry with the new ETag"
        )
