"""Dependencies of the routes, as ``Annotated`` aliases: the store, settings, renderer, caller.

Everything here reads ``request.app.state``, filled by :func:`api.app.create_app`;
tests swap any of them with ``app.dependency_overrides``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from api.auth import Principal, require
from api.routes._cache import RenderCache, TableCache
from api.settings import Settings
from diagrams import Renderer
from fishbone.store import Store

__all__ = [
    "AdminDep",
    "EditDep",
    "IfMatchDep",
    "IfNoneMatchDep",
    "IngestDep",
    "ReadDep",
    "RenderCacheDep",
    "RendererDep",
    "SettingsDep",
    "StoreDep",
    "TableCacheDep",
    "get_render_cache",
    "get_renderer",
    "get_settings",
    "get_store",
    "get_table_cache",
]


async def get_store(request: Request) -> Store:
    """Return the application's store."""
    store: Store = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    """Return the application's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_renderer(request: Request) -> Renderer:
    """Return the application's renderer."""
    renderer: Renderer = request.app.state.renderer
    return renderer


async def get_render_cache(request: Request) -> RenderCache:
    """Return the application's cache of rendered pictures."""
    cache: RenderCache = request.app.state.render_cache
    return cache


async def get_table_cache(request: Request) -> TableCache:
    """Return the application's cache of decoded feedback tables."""
    cache: TableCache = request.app.state.table_cache
    return cache


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RendererDep = Annotated[Renderer, Depends(get_renderer)]
RenderCacheDep = Annotated[RenderCache, Depends(get_render_cache)]
TableCacheDep = Annotated[TableCache, Depends(get_table_cache)]
ReadDep = Annotated[Principal, Depends(require("read"))]
EditDep = Annotated[Principal, Depends(require("edit"))]
IngestDep = Annotated[Principal, Depends(require("ingest"))]
AdminDep = Annotated[Principal, Depends(require("admin"))]
IfMatchDep = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The diagram's ETag as last read; required on writes (428 without, 412 when stale).",
        examples=['"cx.v3"'],
    ),
]
IfNoneMatchDep = Annotated[
    str | None,
    Header(
        alias="If-None-Match", description="An ETag you hold; 304 when it is current."
    ),
]
