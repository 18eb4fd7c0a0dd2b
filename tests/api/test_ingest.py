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
        b'{"id": "h", "text": "fine", "date": "03/04/2024"}\n'
        b"[1, 2]\n"
        b'{"id": "i", "text": "last line without newline"}'
    )
    response = post_ndjson(client, dataset, body)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["received"], report["inserted"], report["rejected"]) == (12, 3, 9)
    assert report["ignored_columns"] == ["colour"]
    assert [(r["line"], r["reason"]) for r in report["rejects"]] == [
        (2, "score 11 is outside the nps scale 0-10"),
        (3, "invalid JSON: Expecting value at column 1"),
        (5, "line is not UTF-8 (byte 0xff at column 22); send UTF-8"),
        (6, "score 'high' is not a number"),
        (7, "text is a list, not text"),
        (
            9,
            "id '=HYPERLINK(\"http://x\")' looks like a spreadsheet formula; remove the leading '='",
        ),
        (
            10,
            "channel '@evil' looks like a spreadsheet formula; remove the leading '@'",
        ),
        (
            11,
            "date '03/04/2024' could be day/month or month/day; declare the order with date_format='dmy' or 'mdy' (--date-format)",
        ),
        (12, "element is a JSON list, not an object"),
    ]
    assert sorted(records(client, dataset)) == ["a", "f", "i"]


def test_date_format_declares_numeric_dates(client, dataset):
    body = ndjson([{"id": "h", "text": "fine", "date": "03/04/2024"}])
    response = client.post(
        f"{dataset}/records.ndjson?date_format=dmy",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.json()["inserted"] == 1, response.text
    assert records(client, dataset)["h"]["date"] == "2024-04-03"


def test_unambiguous_day_first_dates_need_no_declaration(client, dataset):
    post_ndjson(
        client, dataset, ndjson([{"id": "h", "text": "x", "date": "31/12/2024"}])
    )
    assert records(client, dataset)["h"]["date"] == "2024-12-31"


def test_json_ingest_reads_ratings_and_reports_rows(client, dataset):
    rows = [
        {"id": "a", "text": "slow", "score": 3, "ratings": {"wait": 2}},
        {"id": "b", "text": "x", "score": "n/a"},
        {"text": "no id"},
    ]
    report = client.post(f"{dataset}/records", json=rows).json()
    assert report["rejects"] == [
        {"row": 2, "line": None, "reason": "score 'n/a' is not a number"},
        {"row": 3, "line": None, "reason": "id is missing; every record needs one"},
    ]
    assert records(client, dataset)["a"]["ratings"] == {"wait": 2.0}


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
            "row": None,
            "line": 1,
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
    assert [(r["line"], r["reason"]) for r in report["rejects"]] == [
        (3, "line is not UTF-8 (byte 0xff at column 4); send UTF-8"),
        (4, "score 'five' is not a number"),
        (5, "id '+r4' looks like a spreadsheet formula; remove the leading '+'"),
        (6, "line is longer than the row limit of 200 bytes (max_row_bytes)"),
        (8, "id is missing; every record needs one"),
        (9, "tags '=evil' looks like a spreadsheet formula; remove the leading '='"),
    ]
    assert (report["received"], report["inserted"], report["rejected"]) == (9, 3, 6)
    stored = records(client, dataset)
    assert sorted(stored) == ["r1", "r6", "r8"]
    assert stored["r1"]["tags"] == ["a", "b"]
    assert stored["r6"]["text"] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "empty"),
        (b"comment,nps\nhello,5\n", "no id column"),
        (b"id,channel\nr1,web\n", "found no text or score column"),
        (b"\xff\xfeid,text\n", "not UTF-8"),
        (b"i" * 300 + b"\nr1,x\n", "longer than the row limit"),
    ],
    ids=["empty", "no-id", "no-text", "header-encoding", "header-too-long"],
)
def test_csv_with_an_unusable_header_is_422_and_stores_nothing(
    client, dataset, body, words, app, settings
):
    app.state.settings = settings.model_copy(update={"max_row_bytes": 200})
    response = post_csv(client, dataset, body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
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


def test_json_array_text_over_the_row_limit_is_rejected_alone(
    client, dataset, app, settings
):
    app.state.settings = settings.model_copy(update={"max_row_bytes": 100})
    rows = [{"id": "a", "text": "x" * 101}, {"id": "b", "text": "x" * 100}]
    report = client.post(f"{dataset}/records", json=rows).json()
    assert report["rejects"] == [
        {
            "row": 1,
            "line": None,
            "reason": "text is 101 characters long; the limit is 100",
        }
    ]
    assert sorted(records(client, dataset)) == ["b"]


def test_a_dataset_without_scale_takes_any_finite_score_and_never_guesses(client):
    client.post("/api/v1/datasets", json={"id": "free"})
    base = "/api/v1/datasets/free"
    body = ndjson(
        [{"id": "a", "text": "x", "score": 3}, {"id": "b", "text": "y", "score": 420}]
    )
    report = post_ndjson(client, base, body).json()
    assert (report["inserted"], report["rejected"]) == (2, 0)
    assert client.get(base).json()["scale"] is None


def test_two_objects_on_one_ndjson_line_reject_that_line(client, dataset):
    body = (
        b'{"id": "a", "text": "x"} {"id": "b", "text": "y"}\n{"id": "c", "text": "z"}\n'
    )
    report = post_ndjson(client, dataset, body).json()
    assert [(r["line"], r["reason"]) for r in report["rejects"]] == [
        (1, "invalid JSON: Extra data at column 26")
    ]
    assert sorted(records(client, dataset)) == ["c"]
