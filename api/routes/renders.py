"""``/diagrams/{id}/render.{format}`` and ``pareto.{format}``: a diagram's picture and its Pareto chart.

Pictures are cached in memory by a hash of everything they depend on (the
document, the format, the options, the dataset revision); that hash is the
ETag, so ``If-None-Match`` answers 304 without drawing or sending anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Response

import diagrams
from api.deps import (
    IfNoneMatchDep,
    ReadDep,
    RenderCacheDep,
    RendererDep,
    StoreDep,
    TableCacheDep,
)
from api.routes._analysis import Filters, rank_from_store
from api.routes._cache import RenderCache
from api.routes._http import ERRORS, etag_matches
from api.routes.rankings import Method
from diagrams.charts import render_pareto
from fishbone.store import Store

__all__ = ["MEDIA_TYPES", "router"]

router = APIRouter(prefix="/diagrams/{diagram_id}", tags=["renders"], responses=ERRORS)

MEDIA_TYPES: Final = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz",
}
Format = Literal["svg", "png", "pdf", "dot"]


def _key(
    store: Store,
    diagram_id: str,
    kind: str,
    fmt: str,
    options: dict[str, Any],
    ranking: str | None,
    method: str,
) -> str:
    _version, content, _signals = store.diagram_head(diagram_id)
    revision = store.dataset_revision(ranking) if ranking else None
    parts = [
        kind,
        content,
        fmt,
        sorted(options.items()),
        ranking,
        revision,
        method if ranking else None,
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _cached_picture(
    key: str,
    fmt: Format,
    cache: RenderCache,
    if_none_match: str | None,
    produce: Callable[[], bytes],
) -> Response:
    """Answer 304 when the client's copy is current, else bytes from cache or ``produce``."""
    headers = {"ETag": f'"{key[:40]}"', "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    data = cache.get(key)
    if data is None:
        data = produce()
        cache.put(key, data)
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)


def _binary(description: str) -> dict[int | str, dict[str, Any]]:
    content = {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in MEDIA_TYPES.values()
    }
    return {
        200: {"description": description, "content": content},
        304: {"description": "Not modified: your copy is current."},
        **ERRORS,
    }


@router.get("/render.{fmt}", response_class=Response, responses=_binary("The picture."))
def render_diagram(
    diagram_id: str,
    fmt: Format,
    store: StoreDep,
    renderer: RendererDep,
    cache: RenderCacheDep,
    tables: TableCacheDep,
    _who: ReadDep,
    if_none_match: IfNoneMatchDep = None,
    ranking: Annotated[
        str | None,
        Query(description="Dataset id: colour causes by their ranking on it."),
    ] = None,
    method: Annotated[
        Method, Query(description="Ranking method used with `ranking`.")
    ] = "pareto",
    max_depth: Annotated[
        int | None, Query(ge=0, le=50, description="Cause levels to draw.")
    ] = None,
    direction: Annotated[
        Literal["right", "left"], Query(description="Where the head is.")
    ] = "right",
    theme: Annotated[Literal["light", "dark", "print"], Query()] = "light",
    badges: Annotated[
        int, Query(ge=0, le=100, description="Top-ranked causes that get a rank badge.")
    ] = 5,
    size: Annotated[
        int, Query(ge=16, le=32000, description="Largest PNG side in pixels.")
    ] = 4000,
    dpi: Annotated[float, Query(ge=1, le=1200, description="PNG resolution.")] = 96.0,
    title: Annotated[
        str | None, Query(max_length=500, description="Title above the diagram.")
    ] = None,
    layout: Annotated[Literal["fishbone", "tree"], Query()] = "fishbone",
) -> Response:
    """Draw the diagram as SVG, PNG, PDF or DOT; cached, with ETag and 304."""
    options: dict[str, Any] = {
        "max_depth": max_depth,
        "direction": direction,
        "theme": theme,
        "badges": badges,
        "size": size,
        "dpi": dpi,
        "title": title,
        "layout": layout,
    }

    def produce() -> bytes:
        rows = None
        if ranking:
            rows = rank_from_store(
                store,
                diagram_id,
                ranking,
                method=method,
                filters=Filters(),
                tables=tables,
            ).rows
        diagram = store.get_diagram(diagram_id).diagram
        return diagrams.render(diagram, fmt, renderer=renderer, ranking=rows, **options)

    key = _key(store, diagram_id, "render", fmt, options, ranking, method)
    return _cached_picture(key, fmt, cache, if_none_match, produce)


@router.get(
    "/pareto.{fmt}", response_class=Response, responses=_binary("The Pareto chart.")
)
def pareto_chart(
    diagram_id: str,
    fmt: Format,
    store: StoreDep,
    renderer: RendererDep,
    cache: RenderCacheDep,
    tables: TableCacheDep,
    _who: ReadDep,
    dataset: Annotated[str, Query(description="The dataset whose ranking is charted.")],
    if_none_match: IfNoneMatchDep = None,
    method: Annotated[Method, Query(description="Ranking method.")] = "pareto",
    since: Annotated[dt.date | None, Query(description="First date included.")] = None,
    until: Annotated[dt.date | None, Query(description="Last date included.")] = None,
    segment: Annotated[str | None, Query(max_length=200)] = None,
    channel: Annotated[str | None, Query(max_length=200)] = None,
    top: Annotated[int, Query(ge=1, le=100, description="Bars drawn.")] = 15,
    title: Annotated[str, Query(max_length=500)] = "",
    theme: Annotated[Literal["light", "dark", "print"], Query()] = "light",
    size: Annotated[
        int, Query(ge=16, le=32000, description="Largest PNG side.")
    ] = 4000,
    dpi: Annotated[float, Query(ge=1, le=1200)] = 96.0,
) -> Response:
    """Chart the ranking as a Pareto chart (bars by share, cumulative line, 80 % mark)."""
    filters = Filters(since=since, until=until, segment=segment, channel=channel)
    options: dict[str, Any] = {
        "top": top,
        "title": title,
        "theme": theme,
        "size": size,
        "dpi": dpi,
        "filters": filters,
    }

    def produce() -> bytes:
        rows = rank_from_store(
            store, diagram_id, dataset, method=method, filters=filters, tables=tables
        ).rows
        return render_pareto(
            rows,
            fmt,
            renderer=renderer,
            top=top,
            title=title,
            theme=theme,
            max_pixels=size,
            dpi=dpi,
        )

    key = _key(store, diagram_id, "pareto", fmt, options, dataset, method)
    return _cached_picture(key, fmt, cache, if_none_match, produce)
