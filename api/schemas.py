"""Request and response bodies of the API that are not the diagram document itself.

The document is :class:`fishbone.model.Diagram` (and :class:`~fishbone.model.Cause`),
reused as is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from fishbone.model import Diagram, EffectKind, Status

__all__ = [
    "ID_PATTERN",
    "AuditOut",
    "CauseCreate",
    "CausePatch",
    "ChangeOut",
    "DatasetCreate",
    "DatasetOut",
    "DiagramSummary",
    "DiffOut",
    "FromOutline",
    "FromTemplate",
    "Health",
    "IngestReport",
    "KeyCreate",
    "KeyCreated",
    "KeyOut",
    "ProblemDetails",
    "RankingOut",
    "RankingRow",
    "Ready",
    "RecordIn",
    "RecordOut",
    "RejectOut",
    "StatusIn",
    "VersionDocument",
    "VersionOut",
    "VoteIn",
]

ID_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
"""Ids the API accepts for new diagrams, datasets and causes (they go in URLs)."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemDetails(BaseModel):
    """An error (RFC 9457); ``type`` is stable per error, ``detail`` says what to do."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:fishbone:problem:version-conflict",
                    "title": "Version conflict",
                    "status": 412,
                    "detail": "diagram 'cx' is at version 4, not 3; fetch it again, reapply the change and retry with the new ETag",
                    "instance": "/api/v1/diagrams/cx",
                    "current_version": 4,
                    "etag": '"cx.v4"',
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str


class Health(BaseModel):
    """Liveness."""

    status: str = Field(examples=["ok"])


class Ready(BaseModel):
    """Readiness: the database answers."""

    status: str = Field(examples=["ok"])
    database: str = Field(examples=["sqlite"])


class DiagramSummary(BaseModel):
    """One line of the diagram list."""

    id: str = Field(examples=["cx"])
    title: str
    effect: str = Field(examples=["Superior customer experience"])
    kind: EffectKind
    categories: int
    causes: int
    version: int
    etag: str = Field(examples=['"cx.v3"'])
    updated_at: dt.datetime
    updated_by: str


class FromTemplate(_In):
    """Create a diagram from a built-in template."""

    template: str = Field(examples=["customer-experience"])
    id: str = Field(pattern=ID_PATTERN, examples=["cx-2025"])
    title: str | None = None
    effect: str | None = Field(default=None, examples=["Loyal customers"])


class FromOutline(_In):
    """Create a diagram from outline text (effect, then indented categories and causes)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "late",
                    "outline": "Late deliveries\n  People\n    Short staffed\n  Process\n    Manual routing",
                }
            ]
        },
    )

    outline: str = Field(max_length=1_000_000)
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    title: str | None = None


class CauseCreate(_In):
    """A new cause; ``id`` is made from the label when omitted."""

    id: str | None = Field(default=None, pattern=ID_PATTERN, examples=["slow-refunds"])
    label: str = Field(min_length=1, examples=["Refunds take too long"])
    category: str = Field(examples=["processes"])
    parent: str | None = None
    signals: list[str] = Field(
        default_factory=list, examples=[["refund", "money back"]]
    )
    status: Status = Status.PROPOSED
    votes: int = Field(default=0, ge=0)
    notes: str = ""
    owner: str | None = None


class CausePatch(_In):
    """Fields to change on a cause; set ``category`` and/or ``parent`` to move it (children follow)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"label": "Refund delays", "parent": None, "category": "systems"}
            ]
        },
    )

    label: str | None = Field(default=None, min_length=1)
    category: str | None = None
    parent: str | None = None
    signals: list[str] | None = None
    status: Status | None = None
    votes: int | None = Field(default=None, ge=0)
    notes: str | None = None
    owner: str | None = None


class VoteIn(_In):
    """Add (or with a negative number, take back) votes; the count never drops below 0."""

    delta: int = Field(default=1, ge=-1000, le=1000, examples=[1])


class StatusIn(_In):
    """Set a cause's status."""

    status: Status = Field(examples=["verified"])


class VersionOut(BaseModel):
    """One saved version of a diagram."""

    version: int
    author: str = Field(examples=["workshop-key"])
    created_at: dt.datetime
    summary: str = Field(examples=["added causes/c4; changed causes/c1/label"])


class VersionDocument(VersionOut):
    """A saved version with its whole document."""

    diagram: Diagram


class ChangeOut(BaseModel):
    """One difference between two versions."""

    op: Literal["added", "removed", "changed"]
    path: str = Field(examples=["causes/c1/label"])
    before: Any = None
    after: Any = None


class DiffOut(BaseModel):
    """What changed from one version to another."""

    diagram: str
    from_version: int
    to_version: int
    summary: str
    changes: list[ChangeOut]


class DatasetCreate(_In):
    """A new feedback dataset; ``scale`` is nps, csat, ces, stars, binary or MIN-MAX."""

    id: str = Field(pattern=ID_PATTERN, examples=["survey-2025"])
    name: str = Field(default="", max_length=500, examples=["Post-purchase survey"])
    scale: str | None = Field(default=None, max_length=40, examples=["nps"])


class DatasetOut(BaseModel):
    """A dataset and how many records it holds."""

    id: str
    name: str
    scale: str | None
    revision: int = Field(description="Grows with every change of the records.")
    records: int
    created_at: dt.datetime
    updated_at: dt.datetime


class RecordIn(BaseModel):
    """One feedback record as sent (JSON array element, NDJSON line or CSV row).

    Fields are found by common names too (``comment`` or ``feedback`` is the text,
    ``nps`` or ``csat`` the score, ``external_id`` the id...); other fields are
    ignored and listed in the report's ``ignored_columns``. Short fields (id,
    channel, segment, tags, causes) refuse spreadsheet formulas; text is kept as
    typed.
    """

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "id": "r-1001",
                    "text": "Refund took three weeks",
                    "score": 3,
                    "date": "2025-03-02",
                    "channel": "email",
                    "segment": "retail",
                    "tags": ["refund"],
                    "causes": [],
                    "ratings": {"wait-time": 2},
                }
            ]
        },
    )

    id: str | int = Field(
        description="External id (at most 200 characters); re-sending it updates the record."
    )
    text: str = ""
    score: float | str | None = Field(
        default=None, description="A number on the dataset's scale."
    )
    scale: str | None = Field(
        default=None, description="If given, must be the dataset's scale."
    )
    date: str | None = Field(
        default=None,
        description="ISO 8601 (2025-03-02, with or without a time), 2 Mar 2025, or a numeric date read with date_format.",
    )
    channel: str | None = None
    segment: str | None = None
    tags: list[str] | str = Field(
        default_factory=list, description="A list, or one string split on , ; |."
    )
    causes: list[str] | str = Field(
        default_factory=list,
        description="Cause ids the record is about (trusted before text matching).",
    )
    ratings: dict[str, float] | None = Field(
        default=None,
        description="Per-cause attribute ratings (cause id -> number), for the drivers method.",
    )


class RecordOut(BaseModel):
    """A stored record."""

    id: str
    text: str
    score: float | None
    date: str | None
    channel: str | None
    segment: str | None
    tags: list[str]
    causes: list[str]
    ratings: dict[str, float] | None


class RejectOut(BaseModel):
    """A row that was not stored, and why."""

    row: int | None = Field(
        default=None,
        description="1-based position of the record in a JSON array (JSON array uploads).",
    )
    line: int | None = Field(
        default=None,
        description="1-based line the record starts on (NDJSON and CSV uploads).",
    )
    reason: str = Field(examples=["score 11 is outside the nps scale 0-10"])


class IngestReport(BaseModel):
    """What an ingest did: counts, and every rejected row (up to the listing limit)."""

    dataset: str
    received: int
    inserted: int
    updated: int
    rejected: int
    rejects: list[RejectOut]
    rejects_truncated: bool = False
    ignored_columns: list[str] = Field(default_factory=list)
    revision: int


class RankingRow(BaseModel):
    """One ranked cause (plus the method's own fields)."""

    model_config = ConfigDict(extra="allow")

    cause: str
    label: str
    category: str
    rank: int
    n: int
    share: float | None = None


class RankingOut(BaseModel):
    """A ranking of a diagram's causes by a dataset's feedback."""

    diagram: str
    dataset: str
    method: str
    records: int = Field(description="Records ranked (after the filters).")
    cached: bool
    rows: list[RankingRow]


class KeyCreate(_In):
    """A new API key."""

    name: str = Field(min_length=1, max_length=200, examples=["nightly-survey"])
    scopes: list[Literal["read", "edit", "ingest", "admin"]] = Field(
        min_length=1, examples=[["ingest"]]
    )


class KeyOut(BaseModel):
    """An API key as listed (never the token)."""

    id: str
    name: str
    scopes: list[str]
    prefix: str = Field(description="First characters of the token, to recognise it.")
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    active: bool


class KeyCreated(KeyOut):
    """A new key with its token: shown this once, store it now."""

    token: str


class AuditOut(BaseModel):
    """One audited write."""

    at: dt.datetime
    actor: str = Field(examples=["nightly-survey"])
    action: str = Field(examples=["dataset.ingest"])
    target: str = Field(examples=["survey-2025"])
    detail: dict[str, Any] = Field(examples=[{"inserted": 5000, "updated": 12}])
