"""The diagram document: a pydantic v2 model whose JSON is ``fishbone/1``.

A diagram has one effect (a ``goal`` for a reverse fishbone, a ``problem`` for a
classic one), categories (the bones), causes (ribs, nested to any depth through
``parent``) and cross-links between causes. The model checks types and refuses
unknown fields; rules that span several causes (ids, parents, cycles) are checked
by :func:`fishbone.graph.find_problems`.

Examples:
    >>> d = Diagram(
    ...     id="cx",
    ...     effect=Effect(label="Superior customer experience", kind="goal"),
    ...     categories=[Category(id="processes", label="Processes")],
    ...     causes=[Cause(id="c1", label="Fast refunds", category="processes")],
    ... )
    >>> d.cause("c1").label
    'Fast refunds'
    >>> d.model_dump(by_alias=True)["schema"]
    'fishbone/1'
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

from fishbone.exceptions import CauseNotFound

__all__ = [
    "SCHEMA",
    "Category",
    "Cause",
    "Diagram",
    "Effect",
    "EffectKind",
    "Link",
    "Status",
]

SCHEMA: Final = "fishbone/1"


class EffectKind(StrEnum):
    """What the head of the fishbone is: a goal to reach or a problem to explain."""

    GOAL = "goal"
    PROBLEM = "problem"


class Status(StrEnum):
    """Where a cause stands in the team's investigation."""

    PROPOSED = "proposed"
    VERIFIED = "verified"
    REJECTED = "rejected"
    ADDRESSED = "addressed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Effect(_Strict):
    """The head of the fishbone."""

    label: str = Field(examples=["Superior customer experience"])
    kind: EffectKind = EffectKind.PROBLEM


class Category(_Strict):
    """A bone slanting into the spine."""

    id: str = Field(examples=["processes"])
    label: str = Field(examples=["Processes"])


class Cause(_Strict):
    """A cause (or enabler) on a bone, or under another cause when ``parent`` is set."""

    id: str = Field(examples=["c1"])
    label: str = Field(examples=["Refunds take too long"])
    category: str = Field(examples=["processes"])
    parent: str | None = None
    signals: list[str] = Field(
        default_factory=list, examples=[["refund", "money back"]]
    )
    status: Status = Status.PROPOSED
    votes: NonNegativeInt = 0
    notes: str = ""
    owner: str | None = None


class Link(_Strict):
    """A cross-link: ``source`` influences ``target`` (any categories)."""

    source: str
    target: str
    label: str = ""


class Diagram(_Strict):
    """A whole fishbone diagram, the ``fishbone/1`` document."""

    schema_: Literal["fishbone/1"] = Field(default=SCHEMA, alias="schema")
    id: str = Field(examples=["cx"])
    title: str = ""
    effect: Effect
    categories: list[Category] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, validate_assignment=True
    )

    def cause(self, cause_id: str) -> Cause:
        """Return the cause with this id.

        Raises:
            CauseNotFound: when the diagram has no such cause.

        Examples:
            >>> Diagram(id="d", effect=Effect(label="E")).cause("x")
            Traceback (most recent call last):
            ...
            fishbone.exceptions.CauseNotFound: no cause with id 'x'; check the id with `fishbone validate`
        """
        for cause in self.causes:
            if cause.id == cause_id:
                return cause
        raise CauseNotFound(cause_id)

    def children(
        self, parent: str | None, *, category: str | None = None
    ) -> list[Cause]:
        """Return the causes directly under ``parent`` (a bone when None), in document order.

        Examples:
            >>> d = Diagram(
            ...     id="d",
            ...     effect=Effect(label="E"),
            ...     categories=[Category(id="m", label="M")],
            ...     causes=[
            ...         Cause(id="a", label="A", category="m"),
            ...         Cause(id="b", label="B", category="m", parent="a"),
            ...     ],
            ... )
            >>> (
            ...     [c.id for c in d.children(None, category="m")],
            ...     [c.id for c in d.children("a")],
            ... )
            (['a'], ['b'])
        """
        return [
            c
            for c in self.causes
            if c.parent == parent and (category is None or c.category == category)
        ]
