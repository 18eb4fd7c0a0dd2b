"""``/diagrams/{id}/ranking``: the diagram's causes ranked by a dataset's feedback."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import ReadDep, StoreDep, TableCacheDep
from api.routes._analysis import Filters, rank_from_store
from api.routes._http import ERRORS
from api.schemas import RankingOut, RankingRow

__all__ = ["Method", "router"]

router = APIRouter(prefix="/diagrams/{diagram_id}", tags=["rankings"], responses=ERRORS)

Method = Literal["pareto", "impact", "drivers"]


@router.get("/ranking")
def get_ranking(
    diagram_id: str,
    store: StoreDep,
    tables: TableCacheDep,
    _who: ReadDep,
    dataset: Annotated[
        str, Query(description="The dataset id.", examples=["survey-2025"])
    ],
    method: Annotated[
        Method,
        Query(
            description="pareto (share), impact (score effect) or drivers (relative importance)."
        ),
    ] = "pareto",
    since: Annotated[dt.date | None, Query(description="First date included.")] = None,
    until: Annotated[dt.date | None, Query(description="Last date included.")] = None,
    segment: Annotated[str | None, Query(max_length=200)] = None,
    channel: Annotated[str | None, Query(max_length=200)] = None,
) -> RankingOut:
    """Rank the causes by the dataset's feedback; matching re-runs only when signals or data change."""
    filters = Filters(since=since, until=until, segment=segment, channel=channel)
    ranking = rank_from_store(
        store, diagram_id, dataset, method=method, filters=filters, tables=tables
    )
    return RankingOut(
        diagram=diagram_id,
        dataset=dataset,
        method=method,
        records=ranking.records,
        cached=ranking.cached,
        rows=[RankingRow(**row) for row in ranking.rows],
    )
