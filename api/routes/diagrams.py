"""``/diagrams``: list, create (document, template or outline), get, replace, patch, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response, status

from api.deps import EditDep, IfMatchDep, IfNoneMatchDep, ReadDep, StoreDep
from api.errors import Unprocessable
from api.routes._http import (
    CREATED_WITH_ETAG,
    ERRORS,
    WITH_ETAG,
    WRITE_ERRORS,
    check_id,
    etag_matches,
    expected_version,
    set_diagram_headers,
)
from api.schemas import DiagramSummary, FromOutline, FromTemplate
from fishbone.formats.outline import parse_outline
from fishbone.model import Diagram
from fishbone.store import StoredDiagram
from fishbone.templates import load_template

__all__ = ["router"]

router = APIRouter(prefix="/diagrams", tags=["diagrams"], responses=ERRORS)

_CREATED = {**WRITE_ERRORS, 409: ERRORS[422] | {"description": "The id is taken."}}


def _summary(stored: StoredDiagram) -> DiagramSummary:
    d = stored.diagram
    return DiagramSummary(
        id=d.id,
        title=d.title,
        effect=d.effect.label,
        kind=d.effect.kind,
        categories=len(d.categories),
        causes=len(d.causes),
        version=stored.version,
        etag=stored.etag,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
    )


def _created(
    store: StoreDep, diagram: Diagram, actor: str, response: Response
) -> Diagram:
    check_id(diagram.id, what="diagram")
    stored = store.create_diagram(diagram, actor=actor)
    set_diagram_headers(response, stored)
    response.headers["Location"] = f"/api/v1/diagrams/{diagram.id}"
    return stored.diagram


@router.get("", response_model=list[DiagramSummary])
def list_diagrams(store: StoreDep, _who: ReadDep) -> list[DiagramSummary]:
    """List every diagram at its latest version."""
    return [_summary(s) for s in store.list_diagrams()]


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses=_CREATED | CREATED_WITH_ETAG
)
def create_diagram(
    diagram: Diagram, store: StoreDep, who: EditDep, response: Response
) -> Diagram:
    """Create a diagram from a whole ``fishbone/1`` document."""
    return _created(store, diagram, who.name, response)


@router.post(
    "/from-template",
    status_code=status.HTTP_201_CREATED,
    responses=_CREATED | CREATED_WITH_ETAG,
)
def create_from_template(
    body: FromTemplate, store: StoreDep, who: EditDep, response: Response
) -> Diagram:
    """Create a diagram from a built-in template (see `fishbone templates`)."""
    diagram = load_template(body.template)
    diagram.id = body.id
    if body.title is not None:
        diagram.title = body.title
    if body.effect is not None:
        diagram.effect.label = body.effect
    return _created(store, diagram, who.name, response)


@router.post(
    "/from-outline",
    status_code=status.HTTP_201_CREATED,
    responses=_CREATED | CREATED_WITH_ETAG,
)
def create_from_outline(
    body: FromOutline, store: StoreDep, who: EditDep, response: Response
) -> Diagram:
    """Create a diagram from outline text, as a workshop pastes it."""
    diagram = parse_outline(body.outline, source="outline", diagram_id=body.id)
    if body.title is not None:
        diagram.title = body.title
    return _created(store, diagram, who.name, response)


@router.get(
    "/{diagram_id}",
    response_model=Diagram,
    responses=WITH_ETAG | {304: {"description": "Not modified: your copy is current."}},
)
def get_diagram(
    diagram_id: str,
    store: StoreDep,
    _who: ReadDep,
    response: Response,
    if_none_match: IfNoneMatchDep = None,
) -> Diagram | Response:
    """Return a diagram; its ETag goes in If-Match on writes."""
    stored = store.get_diagram(diagram_id)
    if etag_matches(if_none_match, stored.etag):
        response = Response(status_code=status.HTTP_304_NOT_MODIFIED)
        set_diagram_headers(response, stored)
        return response
    set_diagram_headers(response, stored)
    return stored.diagram


@router.put("/{diagram_id}", responses=WRITE_ERRORS | WITH_ETAG)
def replace_diagram(
    diagram_id: str,
    diagram: Diagram,
    store: StoreDep,
    who: EditDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> Diagram:
    """Replace a diagram with a whole new document (its id must stay the same)."""
    stored = store.get_diagram(diagram_id)
    expected = expected_version(if_match, stored)
    if diagram.id != diagram_id:
        raise Unprocessable(
            f"the document's id {diagram.id!r} is not {diagram_id!r}; ids cannot change"
        )
    saved = store.save_diagram(diagram, expected_version=expected, actor=who.name)
    set_diagram_headers(response, saved)
    return saved.diagram


def _merge(target: Any, patch: Any) -> Any:
    """Apply a JSON merge patch (RFC 7396)."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge(out.get(key), value)
    return out


@router.patch(
    "/{diagram_id}",
    responses=WRITE_ERRORS | WITH_ETAG,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/merge-patch+json": {
                    "schema": {"type": "object"},
                    "example": {
                        "title": "Q3 review",
                        "effect": {"label": "Loyal customers"},
                    },
                }
            }
        }
    },
)
def patch_diagram(
    diagram_id: str,
    store: StoreDep,
    who: EditDep,
    response: Response,
    patch: Annotated[dict[str, Any], Body(media_type="application/merge-patch+json")],
    if_match: IfMatchDep = None,
) -> Diagram:
    """Change part of a diagram with a JSON merge patch (lists are replaced whole)."""
    stored = store.get_diagram(diagram_id)
    expected = expected_version(if_match, stored)
    document = stored.diagram.model_dump(mode="json", by_alias=True)
    diagram = Diagram.model_validate(_merge(document, patch))
    if diagram.id != diagram_id:
        raise Unprocessable(
            f"the patch changes the id to {diagram.id!r}; ids cannot change"
        )
    saved = store.save_diagram(diagram, expected_version=expected, actor=who.name)
    set_diagram_headers(response, saved)
    return saved.diagram


@router.delete(
    "/{diagram_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS
)
def delete_diagram(
    diagram_id: str, store: StoreDep, who: EditDep, if_match: IfMatchDep = None
) -> Response:
    """Delete a diagram with its versions, matches and cached rankings."""
    stored = store.get_diagram(diagram_id)
    expected = expected_version(if_match, stored)
    store.delete_diagram(diagram_id, expected_version=expected, actor=who.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
