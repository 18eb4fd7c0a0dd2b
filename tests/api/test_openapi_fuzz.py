"""schemathesis against the app's own OpenAPI, in process: no 5xx, no response off its schema.

Bounded: a handful of examples per operation (a few hundred requests in all).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_headers_conformance,
    response_schema_conformance,
)

from api.app import create_app
from api.settings import Settings
from diagrams import FakeRenderer
from fishbone.model import Diagram
from tests.api.helpers import DIAGRAM


@schemathesis.serializer("text/csv", "application/x-ndjson")
def _text(ctx, value):
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


@schemathesis.serializer("application/merge-patch+json")
def _merge_patch(ctx, value):
    return json.dumps(value).encode()


@pytest.fixture
def api_schema(store):
    settings = Settings(database_url=store.url, no_auth=True, access_log=False)
    app = create_app(settings, store=store, renderer=FakeRenderer())
    store.create_diagram(Diagram.model_validate(DIAGRAM), actor="t")
    store.create_dataset("survey", name="Survey", scale="nps", actor="t")
    _key, token = store.create_key(name="fuzz", scopes=["admin"], actor="t")
    return schemathesis.openapi.from_asgi("/openapi.json", app), token


def test_api_conforms(api_schema):
    """Every operation, a few generated requests each; failures are collected, not stopped at."""
    failures = []
    calls: list[int] = []
    api_schema, token = api_schema
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @settings(
            max_examples=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call_and_validate(
                headers=headers,
                checks=[
                    not_a_server_error,
                    response_schema_conformance,
                    response_headers_conformance,
                ],
            )
            calls.append(response.status_code)

        try:
            check()
        except Exception as exc:  # report every operation's failure together
            failures.append(f"{operation.label}: {exc}")
    assert failures == []
    assert len(calls) >= 200
    assert sum(200 <= code < 300 for code in calls) >= 20
