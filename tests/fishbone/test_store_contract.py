"""The store's contract, run against SQLite and (under scripts/with-postgres.sh) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator

import numpy as np
import pytest
import sqlalchemy as sa

from fishbone.exceptions import DiagramInvalid
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.records import FeedbackTable
from fishbone.store import (
    AlreadyExists,
    IngestCounts,
    MatchSet,
    NotFound,
    RecordRow,
    Store,
    VersionConflict,
)

PG_URL = os.environ.get("FISHBONE_TEST_POSTGRES_URL")


def _postgres_url() -> Iterator[str]:
    """A fresh database per test on the throwaway server."""
    if not PG_URL:
        pytest.skip(
            "FISHBONE_TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)"
        )
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'f.db'}"])
    else:
        urls = _postgres_url()
    store = Store(next(urls))
    yield store
    store.close()
    next(urls, None)


def diagram(title: str = "") -> Diagram:
    return Diagram(
        id="cx",
        title=title,
        effect=Effect(label="Happy customers", kind="goal"),
        categories=[Category(id="p", label="Processes")],
        causes=[
            Cause(id="a", label="Fast refunds", category="p", signals=["refund"]),
            Cause(id="b", label="Clear policy", category="p", parent="a"),
        ],
    )


def row(ext_id: str, text: str = "refund", **fields) -> RecordRow:
    base = RecordRow(
        ext_id=ext_id,
        text=text,
        score=None,
        date=None,
        channel=None,
        segment=None,
        tags=[],
        causes=[],
        ratings=None,
    )
    return RecordRow(**{**base, **fields})  # type: ignore[typeddict-item]


def test_backend_and_ping(store):
    assert store.backend in ("sqlite", "postgresql")
    assert store.ping()


def test_migrating_twice_is_harmless(store):
    Store(store.url).close()
    assert store.list_diagrams() == []


def test_diagram_versions(store):
    first = store.create_diagram(diagram(), actor="alice")
    second = store.save_diagram(diagram("T"), expected_version=1, actor="bob")
    assert (first.version, second.version, second.etag) == (1, 2, '"cx.v2"')
    assert second.created_at == first.created_at
    assert second.updated_at.tzinfo is not None
    history = store.list_versions("cx")
    assert [(v.version, v.author, v.summary) for v in history] == [
        (1, "alice", "created"),
        (2, "bob", "changed title"),
    ]
    old, info = store.get_version("cx", 1)
    assert (old.title, info.author) == ("", "alice")
    restored = store.restore_version("cx", 1, expected_version=2, actor="carol")
    assert (restored.version, restored.diagram.title) == (3, "")
    assert store.list_versions("cx")[-1].summary == "restored version 1"


def test_stale_write_is_a_conflict_and_changes_nothing(store):
    store.create_diagram(diagram(), actor="a")
    store.save_diagram(diagram("one"), expected_version=1, actor="a")
    with pytest.raises(VersionConflict) as caught:
        store.save_diagram(diagram("two"), expected_version=1, actor="b")
    assert caught.value.current == 2
    assert store.get_diagram("cx").diagram.title == "one"


def test_concurrent_writers_one_wins_per_version(store):
    store.create_diagram(diagram(), actor="a")
    outcomes: list[str] = []

    def write(i: int) -> None:
        try:
            store.save_diagram(diagram(f"t{i}"), expected_version=1, actor=f"w{i}")
            outcomes.append("saved")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert len(store.list_versions("cx")) == 2


def test_invalid_duplicate_and_missing(store):
    bad = diagram()
    bad.causes[1].parent = "zz"
    with pytest.raises(DiagramInvalid):
        store.create_diagram(bad, actor="a")
    store.create_diagram(diagram(), actor="a")
    with pytest.raises(AlreadyExists):
        store.create_diagram(diagram(), actor="a")
    with pytest.raises(NotFound):
        store.get_diagram("nope")
    with pytest.raises(NotFound):
        store.get_version("cx", 9)
    store.delete_diagram("cx", expected_version=1, actor="a")
    with pytest.raises(NotFound):
        store.list_versions("cx")


def test_ingest_is_idempotent_last_wins(store):
    store.create_dataset("s", name="S", scale="nps", actor="a")
    counts = store.ingest("s", [row("1"), row("2"), row("1", "refund late")], actor="a")
    assert (counts.inserted, counts.updated) == (2, 1)
    counts = store.ingest("s", [row("2", "second", score=7.0), row("3")], actor="a")
    assert (counts.inserted, counts.updated) == (1, 1)
    info = store.get_dataset("s")
    assert (info.records, info.revision, info.scale) == (3, 2, "nps")
    stored = {r["ext_id"]: r for r in store.list_records("s")}
    assert (stored["1"]["text"], stored["2"]["score"]) == ("refund late", 7.0)


def test_load_table_with_filters(store):
    store.create_dataset("s", name="S", scale=None, actor="a")
    store.ingest(
        "s",
        [
            row(
                "1",
                date="2025-01-01",
                channel="web",
                segment="x",
                score=3.0,
                tags=["t"],
            ),
            row("2", date="2025-02-01", channel="email", segment="x"),
            row("3", date=None, channel="web", segment="y"),
        ],
        actor="a",
    )
    full = store.load_table("s")
    assert list(full.table.ids) == ["1", "2", "3"]
    assert full.table.tags[0] == ("t",)
    assert str(full.table.dates[0]) == "2025-01-01"
    some = store.load_table("s", since=dt.date(2025, 1, 15), channel="email")
    assert list(some.table.ids) == ["2"]
    assert list(store.load_table("s", segment="y").table.ids) == ["3"]


def table(*ids: str, **columns) -> FeedbackTable:
    """A table of ``ids`` (text "refund", nothing else) with ``columns`` replaced."""
    n = len(ids)
    base = {
        "ids": list(ids),
        "texts": ["refund"] * n,
        "scores": np.full(n, np.nan),
        "dates": np.full(n, np.datetime64("NaT"), "datetime64[D]"),
    }
    return FeedbackTable(**{**base, **columns})


def stored(store: Store, dataset_id: str) -> list[tuple[object, ...]]:
    """The record columns as the database holds them (JSON columns as their text)."""
    engine = sa.create_engine(store.url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT ext_id, text, score, date, channel, segment, CAST(tags AS TEXT),"
            " CAST(causes AS TEXT), CAST(ratings AS TEXT) FROM records"
            f" WHERE dataset_id = '{dataset_id}' ORDER BY pk"
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_ingest_table_counts_and_last_wins(store):
    store.create_dataset("s", name="S", scale="nps", actor="a")
    texts = ["one", "two", "one again"]
    counts = store.ingest_table("s", table("1", "2", "1", texts=texts), actor="a")
    assert (counts.inserted, counts.updated) == (2, 1)
    counts = store.ingest_table(
        "s", table("2", "3", scores=np.array([7.0, np.nan])), actor="a"
    )
    assert (counts.inserted, counts.updated) == (1, 1)
    info = store.get_dataset("s")
    assert (info.records, info.revision) == (3, 2)
    got = {r["ext_id"]: (r["text"], r["score"]) for r in store.list_records("s")}
    assert got == {
        "1": ("one again", None),
        "2": ("refund", 7.0),
        "3": ("refund", None),
    }
    assert [r["ext_id"] for r in store.list_records("s")] == ["1", "2", "3"]


def test_ingest_table_stores_columns_like_ingest(store):
    """NaN and NaT become NULL; tags, causes and ratings are JSON text as ingest writes it."""
    store.create_dataset("rows", name="R", scale=None, actor="a")
    store.create_dataset("cols", name="C", scale=None, actor="a")
    rows = [
        row("1", score=3.5, date="2025-01-02", channel="web", tags=["t", "é"]),
        row("2", segment="x", causes=["a"], ratings={"a": 4.0, "b": 2.0}),
        row("3", ratings={"b": 1.0}),
    ]
    store.ingest("rows", rows, actor="a")
    cols = table(
        "1",
        "2",
        "3",
        scores=np.array([3.5, np.nan, np.nan]),
        dates=np.array(["2025-01-02", "NaT", "NaT"], "datetime64[D]"),
        channels=["web", None, None],
        segments=[None, "x", None],
        tags=[("t", "é"), (), ()],
        causes=[(), ("a",), ()],
        ratings={"a": np.array([np.nan, 4.0, np.nan]), "b": np.array([np.nan, 2, 1])},
    )
    assert store.ingest_table("cols", cols, actor="a").inserted == 3
    assert stored(store, "cols") == stored(store, "rows")
    assert stored(store, "cols") == [
        ("1", "refund", 3.5, "2025-01-02", "web", None, '["t", "é"]', "[]", None),
        ("2", "refund", None, None, None, "x", "[]", '["a"]', '{"a": 4.0, "b": 2.0}'),
        ("3", "refund", None, None, None, None, "[]", "[]", '{"b": 1.0}'),
    ]
    assert [r["ratings"] for r in store.list_records("cols")] == [
        None,
        {"a": 4.0, "b": 2.0},
        {"b": 1.0},
    ]
    loaded = store.load_table("cols").table
    assert (list(loaded.tags), list(loaded.causes)) == (list(cols.tags), cols.causes)
    assert loaded.dates.astype(str).tolist() == ["2025-01-02", "NaT", "NaT"]


def test_ingest_table_revision_and_audit(store):
    store.create_dataset("s", name="S", scale=None, actor="a")
    assert store.ingest_table("s", table(), actor="bob") == IngestCounts(0, 0)
    assert store.dataset_revision("s") == 0
    store.ingest_table("s", table("1", "2"), actor="bob")
    store.ingest_table("s", table("2", "3", "3"), actor="carol")
    assert store.dataset_revision("s") == 2
    log = [(e.actor, e.action, e.target, e.detail) for e in store.audit_log()]
    assert log[:3] == [
        ("carol", "dataset.ingest", "s", '{"inserted": 1, "updated": 2}'),
        ("bob", "dataset.ingest", "s", '{"inserted": 2, "updated": 0}'),
        ("a", "dataset.create", "s", '{"scale": null}'),
    ]


def test_ingest_table_refuses_a_ratings_column_of_another_length(store):
    store.create_dataset("s", name="S", scale=None, actor="a")
    short = table("1", "2", ratings={"a": np.array([4.0])})
    with pytest.raises(ValueError, match="ratings"):
        store.ingest_table("s", short, actor="a")
    assert store.dataset_revision("s") == 0


@pytest.mark.parametrize("ids", [(), ("1",)], ids=["empty", "one-row"])
def test_ingest_table_without_dataset(store, ids):
    with pytest.raises(NotFound):
        store.ingest_table("nope", table(*ids), actor="a")
    assert store.list_datasets() == []


def test_matches_are_current_until_signals_or_revision_change(store):
    store.create_dataset("s", name="S", scale=None, actor="a")
    store.ingest("s", [row("1"), row("2")], actor="a")
    pks = store.load_table("s").pks
    matches = MatchSet(pks[:1], np.array([1], np.int32), ["a", "b"])
    store.save_matches("cx", "s", matches, signals="h1", revision=1)
    found = store.current_matches("cx", "s", signals="h1", revision=1)
    assert found is not None
    assert (found.pks.tolist(), found.causes.tolist(), found.cause_ids) == (
        pks[:1].tolist(),
        [1],
        ["a", "b"],
    )
    assert store.current_matches("cx", "s", signals="h2", revision=1) is None
    assert store.current_matches("cx", "s", signals="h1", revision=2) is None


def test_ranking_cache(store):
    assert store.cached_ranking("k") is None
    store.save_ranking(
        "k", '{"rows": []}', diagram_id="cx", dataset_id="s", method="pareto"
    )
    store.save_ranking(
        "k", '{"rows": [1]}', diagram_id="cx", dataset_id="s", method="pareto"
    )
    assert store.cached_ranking("k") == '{"rows": [1]}'


def test_delete_dataset_removes_its_records(store):
    store.create_dataset("s", name="S", scale=None, actor="a")
    store.ingest("s", [row("1")], actor="a")
    store.delete_dataset("s", actor="a")
    with pytest.raises(NotFound):
        store.get_dataset("s")
    with pytest.raises(NotFound):
        store.ingest("s", [row("1")], actor="a")
    store.create_dataset("s", name="S", scale=None, actor="a")
    assert store.get_dataset("s").records == 0


def test_keys_hashed_scoped_revocable(store):
    assert not store.has_active_keys()
    key, token = store.create_key(name="nightly", scopes=["ingest"], actor="admin")
    assert token.startswith("fb_")
    assert key.prefix == token[:10]
    assert store.has_active_keys()
    assert store.authenticate(token) == key
    assert store.authenticate(token + "x") is None
    with pytest.raises(ValueError, match="unknown scope"):
        store.create_key(name="x", scopes=["write"], actor="admin")
    revoked = store.revoke_key(key.id, actor="admin")
    assert not revoked.active
    assert store.authenticate(token) is None
    assert not store.has_active_keys()


def test_writes_are_audited(store):
    store.create_diagram(diagram(), actor="alice")
    store.create_dataset("s", name="S", scale=None, actor="bob")
    store.ingest("s", [row("1")], actor="bob")
    log = store.audit_log()
    assert [(e.actor, e.action, e.target) for e in log] == [
        ("bob", "dataset.ingest", "s"),
        ("bob", "dataset.create", "s"),
        ("alice", "diagram.create", "cx"),
    ]


def test_in_memory_sqlite_is_refused():
    with pytest.raises(ValueError, match="in memory"):
        Store("sqlite://")


def test_two_stores_on_one_sqlite_file_write_in_turn(tmp_path):
    """Like two processes: BEGIN IMMEDIATE and the busy timeout make the second writer wait."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = Store(url), Store(url)
    first.create_dataset("s", name="S", scale=None, actor="a")
    errors: list[Exception] = []

    def push(store: Store, prefix: str) -> None:
        try:
            for batch in range(20):
                rows = [row(f"{prefix}{batch}-{i}") for i in range(200)]
                store.ingest("s", rows, actor=prefix)
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [
        threading.Thread(target=push, args=(first, "a")),
        threading.Thread(target=push, args=(second, "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert first.get_dataset("s").records == 8000
    assert second.get_dataset("s").revision == 40
    first.close()
    second.close()


def test_migrations_match_the_models(store):
    """Alembic finds nothing to change between the migrated database and tables.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from fishbone.store.tables import Base

    engine = sa.create_engine(store.url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_stores_opened_at_once_migrate_once(store, tmp_path):
    """Workers starting together on a fresh database: one migrates, none fails."""
    urls: Iterator[str] = (
        iter([f"sqlite:///{tmp_path / 'fresh.db'}"])
        if store.backend == "sqlite"
        else _postgres_url()
    )
    url = next(urls)
    errors: list[Exception] = []

    def open_store() -> None:
        try:
            Store(url).close()
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    next(urls, None)
    assert errors == []
