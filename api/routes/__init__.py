"""The API's resources, one :class:`~fastapi.APIRouter` each, mounted under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["api_router"]


def api_router() -> APIRouter:
    """Return a router holding every resource (built on call, not at import)."""
    from api.routes import (
        apikeys,
        causes,
        datasets,
        diagrams,
        rankings,
        renders,
        versions,
    )

    router = APIRouter(prefix="/api/v1")
    for module in (diagrams, causes, versions, datasets, rankings, renders, apikeys):
        router.include_router(module.router)
    return router
