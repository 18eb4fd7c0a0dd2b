"""``fishbone import``: feedback files into a stored dataset, checked like the API does."""

import json

from typer.testing import CliRunner

from api.cli import app
from fishbone.store import Store

runner = CliRunner()


def run(tmp_path, name, content, *extra):
    path = tmp_path / name
    path.write_bytes(content)
    db = f"sqlite:///{tmp_path / 'i.db'}"
    return runner.invoke(
        app, ["import", str(path), "--dataset", "s", "--db", db, *extra]
    ), db


def records(db):
    store = Store(db)
    try:
        return {r["ext_id"]: r for r in store.list_records("s")}
    finally:
        store.close()


def test_csv_import_creates_the_dataset(tmp_path):
    result, db = run(
        tmp_path, "f.csv", b"id,comment,nps\nr1,slow refund,3\n", "--scale", "nps"
    )
    assert result.exit_code == 0, result.output
    assert "1 inserted, 0 updated, 0 rejected (of 1)" in result.output
    assert records(db)["r1"]["score"] == 3.0


def test_ndjson_import_reports_bad_lines_and_exits_1(tmp_path):
    body = b'{"id": "a", "text": "ok"}\n{"id": "b", "text": {"nested": 5}}\n\n{"id": "c", "text": "fine"}\n'
    result, db = run(tmp_path, "f.ndjson", body)
    assert result.exit_code == 1
    assert "2 inserted, 0 updated, 1 rejected (of 3)" in result.output
    assert "line 2: text is a JSON object, not text" in result.output
    assert sorted(records(db)) == ["a", "c"]


def test_json_array_import_is_idempotent(tmp_path):
    rows = json.dumps([{"id": "a", "text": "refund"}]).encode()
    first, _db = run(tmp_path, "f.json", rows)
    second, _ = run(tmp_path, "f.json", rows)
    assert first.exit_code == 0, first.output
    assert "0 inserted, 1 updated" in second.output


def test_unknown_extension_is_a_clear_error(tmp_path):
    result, _ = run(tmp_path, "f.xlsx", b"x")
    assert result.exit_code == 1
    assert "unknown feedback extension '.xlsx'" in result.output


def test_import_reads_numeric_dates_with_date_format(tmp_path):
    body = b"id,comment,date\nr1,slow,03/04/2025\n"
    result, db = run(tmp_path, "f.csv", body)
    assert result.exit_code == 1
    assert "could be day/month or month/day" in result.output
    result, db = run(tmp_path, "f.csv", body, "--date-format", "dmy")
    assert result.exit_code == 0, result.output
    assert records(db)["r1"]["date"] == "2025-04-03"
