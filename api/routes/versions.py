"""``/diagrams/{id}/versions``: every saved version, one version, a diff, restore."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import EditDep, IfMatchDep, ReadDep, StoreDep
from api.routes._http import (
    ERRORS,
    WITH_ETAG,
    WRITE_ERRORS,
    expected_version,
    set_diagram_headers,
)
from api.schemas import ChangeOut, DiffOut, VersionDocument, VersionOut
from fishbone.model import Diagram
from fishbone.store import diff_diagrams, summarize

__all__ = ["router"]

_MAX = 2**31 - 1
VersionPath = Annotated[int, Path(ge=1, le=_MAX, description="A version number.")]

router = APIRouter(prefix="/diagrams/{diagram_id}", tags=["versions"], responses=ERRORS)


@router.get("/versions")
def list_versions(diagram_id: str, store: StoreDep, _who: ReadDep) -> list[VersionOut]:
    """List every saved version: who saved it, when and what changed."""
    return [VersionOut(**vars_of(v)) for v in store.list_versions(diagram_id)]


def vars_of(info: object) -> dict[str, object]:
    """Return a dataclass's fields as a dict."""
    return {
        name: getattr(info, name)
        for name in ("version", "author", "created_at", "summary")
    }


@router.get("/versions/{version}")
def get_version(
    diagram_id: str, version: VersionPath, store: StoreDep, _who: ReadDep
) -> VersionDocument:
    """Return one saved version with its whole document."""
    diagram, info = store.get_version(diagram_id, version)
    return VersionDocument(**vars_of(info), diagram=diagram)


@router.get("/diff")
def diff_versions(
    diagram_id: str,
    store: StoreDep,
    _who: ReadDep,
    from_version: Annotated[
        int, Query(alias="from", ge=1, le=_MAX, description="The older version.")
    ],
    to_version: Annotated[
        int | None,
        Query(
            alias="to",
            ge=1,
            le=_MAX,
            description="The newer version (default: the latest).",
        ),
    ] = None,
) -> DiffOut:
    """Return what changed between two versions (categories and causes matched by id)."""
    old, _ = store.get_version(diagram_id, from_version)
    if to_version is None:
        to_version = store.get_diagram(diagram_id).version
    new, _ = store.get_version(diagram_id, to_version)
    changes = diff_diagrams(old, new)
    return DiffOut(
        diagram=diagram_id,
        from_version=from_version,
        to_version=to_version,
        summary=summarize(changes),
        changes=[
            ChangeOut(op=c.op, path=c.path, before=c.before, after=c.after)
            for c in changes
        ],
    )


@router.post("/versions/{version}/restore", responses=WRITE_ERRORS | WITH_ETAG)
def restore_version(
    diagram_id: str,
    version: VersionPath,
    store: StoreDep,
    who: EditDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> Diagram:
    """Save an old version again as the newest one; history is kept."""
    stored = store.get_diagram(diagram_id)
    expected = expected_version(if_match, stored)
    saved = store.restore_version(
        diagram_id, version, expected_version=expected, actor=who.name
    )
    set_diagram_headers(response, saved)
    return saved.diagram
