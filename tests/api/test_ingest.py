"""Feedback ingest: JSON arrays, NDJSON streams, CSV uploads; idempotence; per-row rejects; limits."""

import json

import pytest

from api.settings import Settings
from tests.api.helpers import problem


@pytest.fixture
def dataset(client):
    response = client.post("/api/v1/datasets", json={"id": "survey", "scale": "nps"})
    assert response.status_code == 201, response.text
    return "/api/v1/datasets/survey"


def records(client, base):
    return {r["id"]: r for r in client.get(f"{base}/records").json()}


def ndjson(rows):
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def post_ndjson(client, base, body):
    return client.post(
        f"{base}/records.ndjson",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
    )


def post_csv(client, base, body):
    return client.post(
        f"{base}/records.csv", content=body, headers={"Content-Type": "text/csv"}
    )


def test_dataset_crud(client, dataset):
    assert client.get(dataset).json()["records"] == 0
    assert [d["id"] for d in client.get("/api/v1/datasets").json()] == ["survey"]
    problem(
        client.post("/api/v1/datasets", json={"id": "survey"}), 409, "already-exists"
    )
    problem(
        client.post("/api/v1/datasets", json={"id": "x", "scale": "huge"}),
        422,
        "feedback-invalid",
    )
    assert client.delete(dataset).status_code == 204
    problem(client.get(dataset), 404, "not-found")


def test_json_array_ingest_is_idempotent_last_wins(client, dataset):
    rows = [
        {"id": "r1", "text": "slow refund", "score": 3, "date": "2025-01-02"},
        {"id": 2, "text": "app crash", "score": 5, "tags": ["app"], "channel": "web"},
    ]
    first = client.post(f"{dataset}/records", json=rows).json()
    assert (
        first["received"],
        first["inserted"],
        first["updated"],
        first["rejected"],
    ) == (2, 2, 0, 0)
    again = client.post(
        f"{dataset}/records", json=[{**rows[0], "text": "refund fixed"}]
    ).json()
    assert (again["inserted"], again["updated"]) == (0, 1)
    stored = records(client, dataset)
    assert stored["r1"]["text"] == "refund fixed"
    assert stored["2"]["tags"] == ["app"]
    assert client.get(dataset).json()["records"] == 2


def test_ndjson_stream_with_rejects_stores_only_good_rows(client, dataset):
    body = (
        b'{"id": "a", "text": "refund", "score": 9}\n'
        b'{"id": "b", "text": "x", "score": 11}\n'
        b"not json\n"
        b"\n"
        b'{"id": "c", "text": "\xff\xfe bad bytes"}\n'
        b'{"id": "d", "score": "high"}\n'
        b'{"id": "e", "text": ["list"]}\n'
        b'{"id": "f", "text": "ok", "colour": "red"}\n'
        b'{"id": "=HYPERLINK(\\"http://x\\")", "text": "formula id"}\n'
        b'{"id": "g", "text": "=1+1 is text, kept as typed", "channel": "@evil"}\n'
        b'{"id": "h", "text": "fine", "date": "31/12/2024"}\n'
        b"[1, 2]\n"
        b'{"id": "i", "text": "last line without newline"}'
    )
    response = post_ndjson(client, dataset, body)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["received"], report["inserted"], report["rejected"]) == (12, 2, 10)
    assert [(r["line"], r["reason"]) for r in report["rejects"]] == [
        (2, "score 11 is off the nps scale 0-10"),
        (3, "line is not JSON: Expecting value: line 1 column 1 (char 0)"),
        (5, "line is not UTF-8 (byte 0xff at column 22); send UTF-8"),
        (6, "score 'high' is not a number"),
        (7, "text must be a string, not list"),
        (
            8,
            "unknown field 'colour'; use id, text, score, scale, date, channel, segment, tags, causes, ratings",
        ),
        (
            9,
            "id looks like a spreadsheet formula ('=HYPERLINK(\"http://x\")'); remove the leading '='",
        ),
        (
            10,
            "channel looks like a spreadsheet formula ('@evil'); remove the leading '@'",
        ),
        (11, "date '31/12/2024' is not an ISO date like 2025-03-31"),
        (12, "a record must be a JSON object, not list"),
    ]
    assert sorted(records(client, dataset)) == ["a", "i"]


def test_free_text_that_looks_like_a_formula_is_kept_verbatim(client, dataset):
    post_ndjson(
        client, dataset, ndjson([{"id": "g", "text": "=SUM(A1:A3)", "score": 4}])
    )
    assert records(client, dataset)["g"]["text"] == "=SUM(A1:A3)"


def test_ndjson_line_over_the_row_limit_is_rejected_alone(
    client, dataset, app, settings
):
    app.state.settings = settings.model_copy(update={"max_row_bytes": 100})
    body = ndjson([{"id": "a", "text": "x" * 500}, {"id": "b", "text": "short"}])
    report = post_ndjson(client, dataset, body).json()
    assert report["rejects"] == [
        {
            "row": 1,
            "line": 1,
            "id": None,
            "reason": "line is longer than the row limit of 100 bytes (max_row_bytes)",
        }
    ]
    assert sorted(records(client, dataset)) == ["b"]


def test_request_over_the_size_limit_is_413_naming_it(client, dataset, app, settings):
    app.state.settings = settings.model_copy(
        update={"max_request_bytes": 1000, "max_body_bytes": 500}
    )
    body = ndjson([{"id": str(i), "text": "refund"} for i in range(100)])
    detail = problem(post_ndjson(client, dataset, body), 413, "payload-too-large")[
        "detail"
    ]
    assert "max_request_bytes" in detail
    big = [{"id": str(i), "text": "refund"} for i in range(100)]
    detail = problem(
        client.post(f"{dataset}/records", json=big), 413, "payload-too-large"
    )["detail"]
    assert "max_body_bytes" in detail


def test_streamed_ndjson_without_length_is_cut_at_the_limit(
    client, dataset, app, settings
):
    app.state.settings = settings.model_copy(update={"max_request_bytes": 1000})

    def chunks():
        for i in range(100):
            yield json.dumps({"id": str(i), "text": "refund"}).encode() + b"\n"

    response = client.post(
        f"{dataset}/records.ndjson",
        content=chunks(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    problem(response, 413, "payload-too-large")


def test_many_rows_go_in_batches(client, dataset, app, settings):
    app.state.settings = settings.model_copy(update={"ingest_batch": 7})
    body = ndjson(
        [{"id": str(i), "text": "refund", "score": i % 11} for i in range(50)]
    )
    report = post_ndjson(client, dataset, body).json()
    assert (report["inserted"], report["revision"]) == (50, 8)


def test_json_body_that_is_not_an_array_is_422(client, dataset):
    problem(client.post(f"{dataset}/records", json={"id": 1}), 422, "unprocessable")
    response = client.post(
        f"{dataset}/records",
        content=b"[{",
        headers={"Content-Type": "application/json"},
    )
    problem(response, 422, "unprocessable")


def test_csv_upload_maps_common_column_names(client, dataset):
    body = (
        "\ufeffID,Comment,NPS,Date,Channel,Store\n"
        "r1,Slow refund,3,2025-01-02,email,north\n"
        'r2,"Multi\nline, with comma",9,,web,south\n'
    ).encode()
    report = post_csv(client, dataset, body).json()
    assert (report["inserted"], report["rejected"], report["ignored_columns"]) == (
        2,
        0,
        ["Store"],
    )
    assert records(client, dataset)["r2"]["text"] == "Multi\nline, with comma"


def test_csv_multipart_upload(client, dataset):
    response = client.post(
        f"{dataset}/records.csv",
        files={"file": ("s.csv", b"id,text\nr1,hello\n", "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert response.json()["inserted"] == 1


def test_malformed_csv_rows_are_rejected_with_line_numbers(
    client, dataset, app, settings
):
    app.state.settings = settings.model_copy(update={"max_row_bytes": 200})
    body = (
        b"id,text,score,tags\n"
        b"r1,fine,5,a;b\n"
        b"r2,\xff\xfe not utf-8,5,\n"
        b"r3,wrong type,five,\n"
        b"+r4,formula id,5,\n"
        b"r5," + b"y" * 300 + b",5,\n"
        b"r6,=cmd|' /C calc'!A0,5,\n"
        b",no id,5,\n"
        b"r7,tag formula,5,=evil\n"
        b"r8,ok,6,\n"
    )
    report = post_csv(client, dataset, body).json()
    assert [(r["row"], r["line"], r["reason"]) for r in report["rejects"]] == [
        (2, 3, "line is not UTF-8 (byte 0xff at column 4); save the file as UTF-8"),
        (3, 4, "score 'five' is not a number"),
        (4, 5, "id looks like a spreadsheet formula ('+r4'); remove the leading '+'"),
        (5, 6, "line is longer than the row limit of 200 bytes (max_row_bytes)"),
        (7, 8, "id is missing; every record needs one"),
        (
            8,
            9,
            "tags looks like a spreadsheet formula ('=evil'); remove the leading '='",
        ),
    ]
    stored = records(client, dataset)
    assert sorted(stored) == ["r1", "r6", "r8"]
    assert stored["r1"]["tags"] == ["a", "b"]
    assert stored["r6"]["text"] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "empty"),
        (b"comment,nps\nhello,5\n", "no id column"),
        (b"id,channel\nr1,web\n", "no text, score or causes column"),
        (b"\xff\xfeid,text\n", "not UTF-8"),
    ],
    ids=["empty", "no-id", "no-text", "header-encoding"],
)
def test_csv_with_an_unusable_header_is_422_and_stores_nothing(
    client, dataset, body, words
):
    detail = problem(post_csv(client, dataset, body), 422, "unprocessable")["detail"]
    assert words in detail
    assert records(client, dataset) == {}


def test_ingest_into_a_missing_dataset_is_404(client):
    problem(client.post("/api/v1/datasets/nope/records", json=[]), 404, "not-found")


def test_limits_are_settings():
    assert Settings().max_row_bytes == 65536


def test_diagram_body_over_the_limit_is_413(client, app, settings):
    app.state.settings = settings.model_copy(update={"max_body_bytes": 100})
    big = {"id": "x", "effect": {"label": "E" * 500}}
    detail = problem(
        client.post("/api/v1/diagrams", json=big), 413, "payload-too-large"
    )["detail"]
    assert "max_body_bytes" in detail
