"""Rankings from the store: filters, caching, and matching only when signals or data change."""

import datetime as dt

import pytest

import api.routes._analysis as analysis
from api.routes._cache import TableCache
from fishbone.store import NotFound
from tests.api.helpers import create, problem

ROWS = [
    {
        "id": "1",
        "text": "slow refund",
        "score": 2,
        "date": "2025-01-10",
        "channel": "email",
        "segment": "retail",
    },
    {
        "id": "2",
        "text": "refund needed approval",
        "score": 3,
        "date": "2025-02-10",
        "channel": "web",
        "segment": "retail",
    },
    {
        "id": "3",
        "text": "app crash at login",
        "score": 4,
        "date": "2025-03-10",
        "channel": "web",
        "segment": "business",
    },
    {
        "id": "4",
        "text": "great staff",
        "score": 10,
        "date": "2025-03-11",
        "channel": "store",
        "segment": "retail",
    },
]


@pytest.fixture
def ranked(client):
    create(client)
    assert (
        client.post("/api/v1/datasets", json={"id": "s", "scale": "nps"}).status_code
        == 201
    )
    assert client.post("/api/v1/datasets/s/records", json=ROWS).json()["inserted"] == 4
    return "/api/v1/diagrams/cx/ranking"


@pytest.fixture
def match_calls(monkeypatch):
    calls = []
    real = analysis.match  # type: ignore[attr-defined]

    def spy(diagram, table, **kw):
        calls.append(len(table))
        return real(diagram, table, **kw)

    monkeypatch.setattr(analysis, "match", spy)
    return calls


def summary(body):
    return [(r["cause"], r["rank"], r["n"]) for r in body["rows"]]


def test_pareto_ranking(client, ranked):
    response = client.get(ranked, params={"dataset": "s"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["method"], body["records"], body["cached"]) == ("pareto", 4, False)
    assert summary(body) == [("refunds", 1, 2), ("approval", 2, 1), ("app", 3, 1)]
    assert body["rows"][0]["share"] == pytest.approx(0.5)
    assert body["rows"][0]["quotes"]


def test_second_request_is_served_from_the_cache(client, ranked, match_calls):
    first = client.get(ranked, params={"dataset": "s"}).json()
    second = client.get(ranked, params={"dataset": "s"}).json()
    assert (first["cached"], second["cached"]) == (False, True)
    assert first["rows"] == second["rows"]
    assert match_calls == [4]


def test_filters_rank_a_subset(client, ranked):
    body = client.get(
        ranked, params={"dataset": "s", "since": "2025-02-01", "channel": "web"}
    ).json()
    assert body["records"] == 2
    assert summary(body) == [("refunds", 1, 1), ("approval", 2, 1), ("app", 3, 1)]


def test_votes_do_not_rematch_but_signals_and_data_do(client, ranked, match_calls):
    client.get(ranked, params={"dataset": "s"})
    etag = client.get("/api/v1/diagrams/cx").headers["ETag"]
    response = client.post(
        "/api/v1/diagrams/cx/causes/app/votes",
        json={"delta": 2},
        headers={"If-Match": etag},
    )
    assert client.get(ranked, params={"dataset": "s"}).json()["cached"] is False
    assert match_calls == [4]
    client.patch(
        "/api/v1/diagrams/cx/causes/app",
        json={"signals": ["staff"]},
        headers={"If-Match": response.headers["ETag"]},
    )
    body = client.get(ranked, params={"dataset": "s"}).json()
    app = next(r for r in body["rows"] if r["cause"] == "app")
    assert app["quotes"] == ["great staff"]
    assert match_calls == [4, 4]
    client.post("/api/v1/datasets/s/records", json=[{"id": "5", "text": "refund"}])
    client.get(ranked, params={"dataset": "s"})
    assert match_calls == [4, 4, 5]


def test_impact_ranks_what_pulls_the_score_down(client, ranked):
    body = client.get(ranked, params={"dataset": "s", "method": "impact"}).json()
    assert body["rows"][0]["cause"] == "refunds"
    assert body["rows"][0]["impact"] < 0


def test_unknown_method_or_dataset(client, ranked):
    problem(
        client.get(ranked, params={"dataset": "s", "method": "vibes"}),
        422,
        "request-invalid",
    )
    problem(client.get(ranked, params={"dataset": "nope"}), 404, "not-found")
    problem(client.get(ranked), 422, "request-invalid")


def test_impact_without_scores_is_422(client):
    create(client)
    client.post("/api/v1/datasets", json={"id": "t"})
    client.post("/api/v1/datasets/t/records", json=[{"id": "1", "text": "refund"}])
    response = client.get(
        "/api/v1/diagrams/cx/ranking", params={"dataset": "t", "method": "impact"}
    )
    problem(response, 422, "feedback-invalid")


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"since": dt.date(2025, 2, 1)},
        {"until": dt.date(2025, 2, 10)},
        {
            "since": dt.date(2025, 1, 1),
            "until": dt.date(2025, 3, 10),
            "segment": "retail",
        },
        {"channel": "web"},
        {"segment": "nobody"},
    ],
    ids=["none", "since", "until", "window-segment", "channel", "empty"],
)
def test_filters_in_memory_match_the_store(client, ranked, store, filters):
    client.post(
        "/api/v1/datasets/s/records", json=[{"id": "9", "text": "no date refund"}]
    )
    full = store.load_table("s")
    in_memory = analysis.subset(full, analysis.Filters(**filters))
    from_sql = store.load_table("s", **filters)
    assert in_memory.pks.tolist() == from_sql.pks.tolist()
    assert list(in_memory.table.texts) == list(from_sql.table.texts)


def test_a_window_covering_every_record_copies_nothing(client, ranked, store):
    full = store.load_table("s")
    window = analysis.Filters(since=dt.date(2025, 1, 1), until=dt.date(2025, 12, 31))
    assert analysis.subset(full, window) is full


@pytest.mark.parametrize(
    "filters",
    [{}, {"since": dt.date(2025, 2, 1), "channel": "web"}, {"segment": "nobody"}],
    ids=["none", "since-channel", "empty"],
)
def test_the_ranking_read_has_the_table_columns_a_ranking_reads(
    client, ranked, store, filters
):
    client.post(
        "/api/v1/datasets/s/records",
        json=[{"id": "9", "text": "no date refund", "tags": ["x"]}],
    )
    full = store.load_table("s", **filters)
    lean = store.load_table("s", **filters, lean=True)
    assert lean.pks.tolist() == full.pks.tolist()
    assert list(lean.table.ids) == list(full.table.ids)
    assert list(lean.table.texts) == list(full.table.texts)
    assert lean.table.scores.tobytes() == full.table.scores.tobytes()
    assert lean.table.scale == full.table.scale
    with pytest.raises(NotFound):
        store.load_table("nope", lean=True)


@pytest.mark.parametrize("method", ["pareto", "impact", "drivers"])
def test_ranking_read_from_the_store_equals_ranking_the_whole_table(
    client, ranked, store, method
):
    client.post(
        "/api/v1/datasets/s/records",
        json=[
            {"id": "5", "text": "refund refund", "score": 2},
            {"id": "6", "text": "refund took weeks", "score": 9, "date": "2025-03-01"},
        ],
    )

    def ranking(since, tables):
        filters = analysis.Filters(since=since)  # another day: another cache key
        return analysis.rank_from_store(
            store, "cx", "s", method=method, filters=filters, tables=tables
        )

    lean = ranking(dt.date(2025, 1, 1), None)
    whole = ranking(dt.date(2024, 12, 31), TableCache())
    assert (lean.cached, whole.cached, lean.records) == (False, False, 5)
    assert lean.rows == whole.rows
    refunds = next(r for r in lean.rows if r["cause"] == "refunds")
    assert set(refunds["quote_ids"]) == {"1", "2", "6"}


def test_a_new_revision_is_reloaded(client, ranked, app):
    client.get(ranked, params={"dataset": "s"})
    client.post(
        "/api/v1/datasets/s/records", json=[{"id": "5", "text": "refund again"}]
    )
    assert client.get(ranked, params={"dataset": "s"}).json()["records"] == 5
