"""``/diagrams/{id}/causes``: add, edit, move, delete (with or without children), vote, status.

Every write needs the diagram's ETag in ``If-Match`` and saves a new version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from api.deps import EditDep, IfMatchDep, ReadDep, StoreDep
from api.routes._http import (
    CREATED_WITH_ETAG,
    ERRORS,
    WITH_ETAG,
    WRITE_ERRORS,
    expected_version,
    set_diagram_headers,
    slug,
)
from api.schemas import CauseCreate, CausePatch, StatusIn, VoteIn
from fishbone.graph import descendants, to_networkx
from fishbone.model import Cause, Diagram
from fishbone.store import Store

__all__ = ["router"]

router = APIRouter(
    prefix="/diagrams/{diagram_id}/causes", tags=["causes"], responses=ERRORS
)


def _write(
    store: Store,
    diagram_id: str,
    if_match: str | None,
    actor: str,
    response: Response,
    change: Callable[[Diagram], str],
) -> Diagram:
    """Apply ``change`` (which returns a summary) to the latest version and save it."""
    stored = store.get_diagram(diagram_id)
    expected = expected_version(if_match, stored)
    diagram = stored.diagram
    summary = change(diagram)
    saved = store.save_diagram(
        diagram, expected_version=expected, actor=actor, summary=summary
    )
    set_diagram_headers(response, saved)
    return saved.diagram


@router.get("")
def list_causes(
    diagram_id: str, store: StoreDep, _who: ReadDep, response: Response
) -> list[Cause]:
    """List a diagram's causes in document order."""
    stored = store.get_diagram(diagram_id)
    set_diagram_headers(response, stored)
    return stored.diagram.causes


@router.get("/{cause_id}")
def get_cause(
    diagram_id: str, cause_id: str, store: StoreDep, _who: ReadDep, response: Response
) -> Cause:
    """Return one cause."""
    stored = store.get_diagram(diagram_id)
    set_diagram_headers(response, stored)
    return stored.diagram.cause(cause_id)


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS | CREATED_WITH_ETAG
)
def add_cause(
    diagram_id: str,
    body: CauseCreate,
    store: StoreDep,
    who: EditDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> Cause:
    """Add a cause on a bone (``parent`` null) or under another cause."""
    new_id: list[str] = []

    def change(diagram: Diagram) -> str:
        taken = {c.id for c in diagram.causes} | {c.id for c in diagram.categories}
        cause = Cause(
            **body.model_dump(exclude={"id"}), id=body.id or slug(body.label, taken)
        )
        diagram.causes = [*diagram.causes, cause]
        new_id.append(cause.id)
        return f"added cause {cause.id}"

    saved = _write(store, diagram_id, if_match, who.name, response, change)
    response.headers["Location"] = f"/api/v1/diagrams/{diagram_id}/causes/{new_id[0]}"
    return saved.cause(new_id[0])


def _move(diagram: Diagram, cause: Cause, body: CausePatch) -> None:
    """Move a cause under another parent and/or bone; its sub-causes follow."""
    moved = {cause.id} | descendants(to_networkx(diagram), cause.id)
    if "parent" in body.model_fields_set:
        cause.parent = body.parent
    if body.category is not None:
        cause.category = body.category
    elif body.parent is not None and body.parent in {c.id for c in diagram.causes}:
        cause.category = diagram.cause(body.parent).category
    for other in diagram.causes:
        if other.id in moved:
            other.category = cause.category


@router.patch("/{cause_id}", responses=WRITE_ERRORS | WITH_ETAG)
def edit_cause(
    diagram_id: str,
    cause_id: str,
    body: CausePatch,
    store: StoreDep,
    who: EditDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> Cause:
    """Edit a cause; set ``category`` and/or ``parent`` to move it with its sub-causes."""

    def change(diagram: Diagram) -> str:
        cause = diagram.cause(cause_id)
        fields = body.model_fields_set
        if fields & {"parent", "category"}:
            _move(diagram, cause, body)
        for name in ("label", "signals", "status", "votes", "notes", "owner"):
            if name in fields and (getattr(body, name) is not None or name == "owner"):
                setattr(cause, name, getattr(body, name))
        return f"edited cause {cause_id}: {', '.join(sorted(fields)) or 'nothing'}"

    return _write(store, diagram_id, if_match, who.name, response, change).cause(
        cause_id
    )


@router.delete(
    "/{cause_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS
)
def delete_cause(
    diagram_id: str,
    cause_id: str,
    store: StoreDep,
    who: EditDep,
    children: Annotated[
        Literal["delete", "keep"],
        Query(
            description="`delete` removes the sub-causes too; `keep` moves them up to the deleted cause's parent."
        ),
    ] = "delete",
    if_match: IfMatchDep = None,
) -> Response:
    """Delete a cause, with its sub-causes or lifting them one level up."""
    response = Response(status_code=status.HTTP_204_NO_CONTENT)

    def change(diagram: Diagram) -> str:
        cause = diagram.cause(cause_id)
        gone = {cause_id}
        if children == "delete":
            gone |= descendants(to_networkx(diagram), cause_id)
        else:
            for other in diagram.causes:
                if other.parent == cause_id:
                    other.parent = cause.parent
        diagram.causes = [c for c in diagram.causes if c.id not in gone]
        diagram.links = [
            ln
            for ln in diagram.links
            if ln.source not in gone and ln.target not in gone
        ]
        return f"deleted cause {cause_id}" + (
            f" and {len(gone) - 1} below it" if len(gone) > 1 else ""
        )

    _write(store, diagram_id, if_match, who.name, response, change)
    return response


@router.post("/{cause_id}/votes", responses=WRITE_ERRORS | WITH_ETAG)
def vote(
    diagram_id: str,
    cause_id: str,
    body: VoteIn,
    store: StoreDep,
    who: EditDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> Cause:
    """Add votes to a cause (multi-voting); a negative delta takes votes back."""

    def change(diagram: Diagram) -> str:
        cause = diagram.cause(cause_id)
        cause.votes = max(0, cause.votes + body.delta)
        return f"voted {body.delta:+d} on cause {cause_id}"

    return _write(store, diagram_id, if_match, who.name, response, change).cause(
        cause_id
    )


@router.put("/{cause_id}/status", responses=WRITE_ERRORS | WITH_ETAG)
def set_status(
    diagram_id: str,
    cause_id: str,
    body: StatusIn,
    store: StoreDep,
    who: EditDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> Cause:
    """Mark a cause proposed, verified, rejected or addressed."""

    def change(diagram: Diagram) -> str:
        diagram.cause(cause_id).status = body.status
        return f"set status of cause {cause_id} to {body.status.value}"

    return _write(store, diagram_id, if_match, who.name, response, change).cause(
        cause_id
    )
