"""Feedback import: readers, column finding, scales, dates, rejections, duplicates, encodings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fishbone.exceptions import FeedbackError
from fishbone.feedback import (
    ImportReport,
    iter_feedback_chunks,
    parse_feedback,
    read_feedback,
)
from fishbone.records import Scale

ROWS = [
    {
        "id": "r1",
        "comment": "Slow refund",
        "nps": 3,
        "date": "2024-03-01",
        "channel": "email",
        "segment": "smb",
        "tags": "billing;urgent",
    },
    {
        "id": "r2",
        "comment": "Friendly staff",
        "nps": 9,
        "date": "2024-03-02",
        "channel": "store",
        "segment": "",
        "tags": "",
    },
]


def csv_text(header: str, *rows: str) -> list[str]:
    return [header + "\n", *(r + "\n" for r in rows)]


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf-8")
    return p


# -- every reader path -------------------------------------------------------


def _as_csv(rows: list[dict[str, object]]) -> str:
    header = list(rows[0])
    return (
        "\n".join(
            [",".join(header), *(",".join(str(r[h]) for h in header) for r in rows)]
        )
        + "\n"
    )


@pytest.fixture(params=["csv", "json", "ndjson"])
def feedback_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    fmt = request.param
    text = {
        "csv": _as_csv(ROWS),
        "json": json.dumps(ROWS, indent=2),
        "ndjson": "\n".join(json.dumps(r) for r in ROWS) + "\n",
    }[fmt]
    return write(tmp_path, f"fb.{fmt}", text)


def test_every_reader_reads_the_same_table(feedback_file: Path) -> None:
    result = read_feedback(feedback_file)
    t = result.table
    assert t.ids == ["r1", "r2"]
    assert t.texts == ["Slow refund", "Friendly staff"]
    assert t.scores.tolist() == [3.0, 9.0]
    assert [str(d) for d in t.dates] == ["2024-03-01", "2024-03-02"]
    assert list(t.channels) == ["email", "store"]
    assert list(t.segments) == ["smb", None]
    assert list(t.tags) == [("billing", "urgent"), ()]
    assert result.report.format == feedback_file.suffix[1:]
    assert result.report.columns["text"] == "comment"
    assert (result.report.rows_read, result.report.inserted, result.report.skipped) == (
        2,
        2,
        0,
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_parse_feedback_sniffs_the_format(fmt: str) -> None:
    text = {
        "csv": _as_csv(ROWS),
        "json": json.dumps(ROWS),
        "ndjson": "\n".join(json.dumps(r) for r in ROWS),
    }[fmt]
    result = parse_feedback(text.splitlines(keepends=True))
    assert result.report.format == fmt
    assert result.table.ids == ["r1", "r2"]


def test_json_array_in_tiny_pieces_keeps_line_numbers() -> None:
    text = '[\n  {"text": "a", "score": 1},\n  {"text": "b", "score": "x"},\n  7\n]'
    pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
    result = parse_feedback(pieces, format="json", scale="csat")
    assert result.table.texts == ["a"]
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (3, "score 'x' is not a number"),
        (4, "element is a JSON int, not an object"),
    ]


def test_json_syntax_error_names_the_line() -> None:
    with pytest.raises(FeedbackError, match=r"x.json:3: invalid JSON"):
        parse_feedback(
            ['[{"text": "a"},\n', "\n", '{"text": oops}]'],
            format="json",
            source="x.json",
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"text": "a"}', "must be an array"),
        ('[{"text": "a"},', "not closed"),
    ],
    ids=["not-an-array", "truncated"],
)
def test_json_array_structure_errors(text: str, message: str) -> None:
    with pytest.raises(FeedbackError, match=message):
        parse_feedback([text], format="json")


def test_ndjson_bad_lines_are_rejected_with_line_numbers() -> None:
    lines = ['{"text": "a"}\n', "\n", "{oops\n", '["list"]\n', '{"text": "b"}\n']
    result = parse_feedback(lines, format="ndjson")
    assert result.table.texts == ["a", "b"]
    assert [r.line for r in result.report.rejected] == [3, 4]
    assert result.report.rejected[0].reason.startswith("invalid JSON")
    assert result.report.rejected[1].reason == "element is a JSON list, not an object"


def test_json_nested_and_list_values() -> None:
    rows = [
        {"text": "a", "tags": ["x", "y"], "causes": ["c1"], "id": 7},
        {"text": {"nested": 1}},
        {"text": "b", "score": [1, 2]},
    ]
    result = parse_feedback([json.dumps(rows)])
    t = result.table
    assert (t.ids, list(t.tags), list(t.causes)) == (["7"], [("x", "y")], [("c1",)])
    assert {r.reason for r in result.report.rejected} == {
        "text is a JSON object, not text",
        "score is a list, not a number",
    }


def test_csv_multiline_field_keeps_line_numbers() -> None:
    lines = "".join(csv_text("text,score", '"two\nlines",5', "ok,bad", '"x",1'))
    result = parse_feedback(lines.splitlines(keepends=True), scale="csat")
    assert result.table.texts == ["two\nlines", "x"]
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (4, "score 'bad' is not a number")
    ]


def test_csv_semicolon_and_blank_lines() -> None:
    result = parse_feedback(
        ["\n", "text;score\n", "a;1\n", "\n", "b;2\n"], scale="csat"
    )
    assert result.table.texts == ["a", "b"]
    assert result.report.rows_read == 2


def test_csv_wrong_field_count() -> None:
    result = parse_feedback(csv_text("text,score", "a,1", "b,2,3"), scale="csat")
    assert result.report.rejected[0].line == 3
    assert result.report.rejected[0].reason.startswith(
        "row has 3 fields but the header has 2"
    )


def test_empty_input() -> None:
    result = parse_feedback([])
    assert len(result.table) == 0
    assert result.report.rows_read == 0


# -- rejection reasons, strict mode ----------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("x,abc,2024-01-01", "score 'abc' is not a number"),
        ("x,inf,2024-01-01", "score 'inf' is not a finite number"),
        ("x,11,2024-01-01", "score 11 is outside the nps scale 0-10"),
        (
            "x,5,2024-02-30",
            "date '2024-02-30' does not exist (year 2024, month 2, day 30)",
        ),
        (
            "x,5,yesterday",
            "date 'yesterday' is not a date; use ISO 8601 such as 2024-03-15",
        ),
        ("x,5,5 Foo 2024", "date '5 Foo 2024' has no month named 'Foo'"),
        (",,", "row is empty: no text, score, tags, causes or ratings"),
    ],
    ids=[
        "not-a-number",
        "infinite",
        "off-scale",
        "no-such-day",
        "not-a-date",
        "bad-month",
        "empty",
    ],
)
def test_each_rejection_reason_with_its_line(row: str, reason: str) -> None:
    result = parse_feedback(
        csv_text("text,score,date", "fine,7,2024-01-01", row), scale="nps"
    )
    assert [(r.line, r.reason) for r in result.report.rejected] == [(3, reason)]
    assert result.table.texts == ["fine"]


def test_rating_rejection() -> None:
    result = parse_feedback(
        csv_text("text,wait", "a,4", "b,slow"), mapping={"rating:wait-time": "wait"}
    )
    assert result.table.ratings["wait-time"][0] == 4.0
    assert (
        result.report.rejected[0].reason
        == "rating for 'wait-time' 'slow' is not a number"
    )


def test_strict_fails_on_first_bad_row() -> None:
    lines = csv_text("text,score", "a,1", "b,x", "c,y")
    with pytest.raises(
        FeedbackError, match=r"^f.csv:3: score 'x' is not a number; fix the row"
    ):
        parse_feedback(lines, source="f.csv", strict=True)


def test_report_text_lists_every_rejection() -> None:
    result = parse_feedback(
        csv_text("text,score", "a,1", "b,x", "c,y"), source="f.csv", scale="csat"
    )
    assert str(result.report).splitlines() == [
        "f.csv: 3 rows read, 1 inserted, 2 skipped",
        "scale: csat (given)",
        "line 3: score 'x' is not a number",
        "line 4: score 'y' is not a number",
    ]


# -- duplicates, formulas ---------------------------------------------------------


def test_duplicates_last_wins() -> None:
    lines = csv_text("id,text", "a,first", "b,only", "a,second", "a,third")
    result = parse_feedback(lines)
    assert result.table.ids == ["b", "a"]
    assert result.table.texts == ["only", "third"]
    assert result.report.duplicates == 2
    assert result.report.duplicate_ids == [("a", 2), ("a", 4)]
    assert "2 duplicates replaced (last wins)" in str(result.report)


def test_duplicates_across_chunks(tmp_path: Path) -> None:
    p = write(tmp_path, "d.csv", "id,text\na,1\nb,2\nc,3\na,4\n")
    report = ImportReport()
    chunks = list(iter_feedback_chunks(p, chunk_size=2, report=report))
    assert [c.ids for c in chunks] == [["a", "b"], ["c", "a"]]
    assert report.duplicates == 1
    result = read_feedback(p)
    assert result.table.ids == ["b", "c", "a"]
    assert result.table.texts[-1] == "4"


def test_missing_ids_come_from_line_numbers() -> None:
    result = parse_feedback(csv_text("id,text", ",a", "x,b"))
    assert result.table.ids == ["line-2", "x"]


@pytest.mark.parametrize(
    "cell", ["=SUM(A1:A9)", "+1+1", "@cmd", '=HYPERLINK("http://x")']
)
def test_formula_like_free_text_is_kept_but_a_formula_label_rejects_the_row(
    cell: str,
) -> None:
    quoted = '"' + cell.replace('"', '""') + '"'
    result = parse_feedback(
        csv_text("text,channel", f"{quoted},web", f"ok,{quoted}", f"{quoted},-2")
    )
    assert result.table.texts == [cell, cell]
    assert list(result.table.channels) == ["web", "-2"]
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (
            3,
            f"channel {cell!r} looks like a spreadsheet formula; remove the leading {cell[0]!r}",
        )
    ]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("=x,ok,", "id '=x' looks like a spreadsheet formula; remove the leading '='"),
        ("a" * 201 + ",ok,", "id is 201 characters long; the limit is 200"),
        (
            "a,ok,t1;@t2",
            "tags '@t2' looks like a spreadsheet formula; remove the leading '@'",
        ),
    ],
    ids=["formula-id", "long-id", "formula-tag"],
)
def test_bad_labels_reject_their_row(cells: str, reason: str) -> None:
    result = parse_feedback(csv_text("id,text,tags", "good,fine,t1", cells))
    assert result.table.ids == ["good"]
    assert [r.reason for r in result.report.rejected] == [reason]


def test_nul_in_text_rejects_the_row() -> None:
    result = parse_feedback(['{"text": "a\\u0000b"}', '{"text": "fine"}'])
    assert result.table.texts == ["fine"]
    assert [r.reason for r in result.report.rejected] == [
        "text contains a NUL character; remove it"
    ]


def test_a_scale_column_declares_the_scale_and_rows_must_agree() -> None:
    result = parse_feedback(
        csv_text("text,score,scale", "a,9,nps", "b,4,csat", "c,2,", "d,1,huge")
    )
    assert result.report.scale is not None
    assert result.report.scale.name == "nps"
    assert result.report.scale_note == "declared in column 'scale'"
    assert result.table.texts == ["a", "c"]
    assert [r.reason for r in result.report.rejected] == [
        "scale 'csat' differs from the scale in use (nps); send one scale per dataset",
        "unknown score scale 'huge'; use one of nps, csat, ces, stars, binary or MIN-MAX such as 0-100",
    ]


# -- columns, mapping, ratings -------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role", "column"),
    [
        ("Feedback,Rating", "text", "Feedback"),
        ("review,stars", "score", "stars"),
        ("body,CSAT", "score", "CSAT"),
        ("text,created_at", "date", "created_at"),
        ("text,Timestamp", "date", "Timestamp"),
        ("external_id,text", "id", "external_id"),
    ],
)
def test_columns_found_by_common_names(header: str, role: str, column: str) -> None:
    result = parse_feedback([header + "\n"])
    assert result.report.columns[role] == column


def test_mapping_wins_and_unused_columns_are_listed() -> None:
    lines = csv_text("comment,notes,q7", "hello,internal,8")
    result = parse_feedback(
        lines, mapping={"text": "notes", "score": "q7"}, scale="nps"
    )
    assert result.table.texts == ["internal"]
    assert result.report.columns == {"text": "notes", "score": "q7"}
    assert result.report.ignored_columns == ["comment"]


def test_rating_columns_by_mapping_and_by_header() -> None:
    lines = csv_text("text,wait_time_rating,rating:staff", "a,2,5", "b,,4")
    result = parse_feedback(lines, mapping={"rating:wait-time": "wait_time_rating"})
    ratings = result.table.ratings
    assert ratings["wait-time"].tolist()[0] == 2.0
    assert np.isnan(ratings["wait-time"][1])
    assert ratings["staff"].tolist() == [5.0, 4.0]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"text": "nope"}, r"column 'nope' \(mapped to text\) is not in the header"),
        ({"colour": "text"}, "unknown column role 'colour'"),
    ],
    ids=["missing-column", "unknown-role"],
)
def test_bad_mapping(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(FeedbackError, match=message):
        parse_feedback(csv_text("text", "a"), mapping=mapping)


def test_no_usable_column() -> None:
    with pytest.raises(FeedbackError, match="found no text or score column"):
        parse_feedback(csv_text("foo,bar", "1,2"))


# -- scales -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "scores", "expected"),
    [
        ("score", [0, 7, 10], "nps"),
        ("score", [1, 3, 5], "csat"),
        ("stars", [1, 3, 5], "stars"),
        ("score", [1, 6, 7], "ces"),
        ("score", [0, 1, 1], "binary"),
        ("score", [5, 55, 95], "0-100"),
        ("score", [1.5, 4.5], "csat"),
    ],
)
def test_scale_guessed_and_said_so(
    header: str, scores: list[float], expected: str
) -> None:
    lines = csv_text(f"text,{header}", *(f"t,{s}" for s in scores))
    result = parse_feedback(lines)
    assert result.report.scale == Scale.parse(expected)
    assert result.table.scale == Scale.parse(expected)
    assert result.report.scale_note.startswith("guessed from the first")


def test_scale_given() -> None:
    result = parse_feedback(csv_text("text,score", "a,3"), scale="0-100")
    assert result.report.scale_note == "given"
    assert result.table.scale == Scale(name="0-100", low=0.0, high=100.0)


def test_no_scores_no_scale() -> None:
    result = parse_feedback(csv_text("text", "tweet"))
    assert result.table.scale is None
    assert np.isnan(result.table.scores[0])


# -- dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "date_format", "expected"),
    [
        ("2024-03-15", None, "2024-03-15"),
        ("2024-03-15T23:59:59+02:00", None, "2024-03-15"),
        ("2024/03/15", None, "2024-03-15"),
        ("15/03/2024", None, "2024-03-15"),
        ("03/15/2024", None, "2024-03-15"),
        ("15.03.24", None, "2024-03-15"),
        ("15 March 2024", None, "2024-03-15"),
        ('"Mar 15, 2024"', None, "2024-03-15"),
        ("05/05/2024", None, "2024-05-05"),
        ("03/04/2024", "dmy", "2024-04-03"),
        ("03/04/2024", "mdy", "2024-03-04"),
        ("20240315", "%Y%m%d", "2024-03-15"),
    ],
)
def test_dates(value: str, date_format: str | None, expected: str) -> None:
    result = parse_feedback(
        csv_text("text,date", f"a,{value}"), date_format=date_format
    )
    assert str(result.table.dates[0]) == expected


def test_ambiguous_date_is_an_error_naming_file_and_line() -> None:
    lines = csv_text("text,date", "a,2024-01-01", "b,03/04/2024")
    with pytest.raises(
        FeedbackError,
        match=r"^d.csv:3: date '03/04/2024' could be day/month or month/day; declare",
    ):
        parse_feedback(lines, source="d.csv")


def test_unknown_date_format() -> None:
    with pytest.raises(FeedbackError, match="unknown date_format 'dd/mm'"):
        parse_feedback(csv_text("text,date", "a,1/1/2024"), date_format="dd/mm")


# -- encodings -------------------------------------------------------------------


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_with_and_without_bom(tmp_path: Path, bom: bytes) -> None:
    p = write(tmp_path, "f.csv", bom + "text,score\nCafé crème,5\n".encode())
    result = read_feedback(p, scale="csat")
    assert result.report.columns["text"] == "text"
    assert result.table.texts == ["Café crème"]


def test_bom_in_byte_lines() -> None:
    result = parse_feedback([b"\xef\xbb\xbftext\n", b"ok\n"])
    assert result.table.texts == ["ok"]


def test_bad_encoding_names_file_and_line(tmp_path: Path) -> None:
    p = write(tmp_path, "latin.csv", "text\nok\nna\xefve\n".encode("latin-1"))
    with pytest.raises(
        FeedbackError,
        match=r"latin.csv:3: byte 0xef is not valid UTF-8; save the file as UTF-8 or pass its encoding",
    ):
        read_feedback(p)
    assert read_feedback(p, encoding="latin-1").table.texts == ["ok", "naïve"]


def test_bad_encoding_in_byte_lines() -> None:
    with pytest.raises(FeedbackError, match=r"x.csv:2: byte 0xe9"):
        parse_feedback([b"text\n", b"caf\xe9\n"], source="x.csv")


def test_utf16_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, "u16.csv", "text\nhello\n".encode("utf-16"))
    with pytest.raises(FeedbackError, match="UTF-16"):
        read_feedback(p)
    assert read_feedback(p, encoding="utf-16").table.texts == ["hello"]


# -- files, chunks, progress ---------------------------------------------------------


def test_unknown_extension(tmp_path: Path) -> None:
    p = write(tmp_path, "f.xlsx", "x")
    with pytest.raises(FeedbackError, match="cannot tell the format"):
        read_feedback(p)
    with pytest.raises(FeedbackError, match="unknown feedback format 'xml'"):
        read_feedback(p, format="xml")


def test_chunks_and_progress(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "f.ndjson",
        "".join(
            json.dumps({"text": f"t{i}", "score": i % 11}) + "\n" for i in range(10)
        ),
    )
    calls: list[tuple[int, int]] = []
    report = ImportReport()
    sizes = [
        len(t)
        for t in iter_feedback_chunks(
            p,
            chunk_size=4,
            progress=lambda n, total: calls.append((n, total)),
            report=report,
        )
    ]
    assert sizes == [4, 4, 2]
    assert report.inserted == 10
    assert report.scale is not None
    size = p.stat().st_size
    assert calls
    assert calls[-1] == (size, size)


# -- the CSV fast path agrees with the csv module ------------------------------------


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_fast_path_matches_csv_module(tmp_path: Path, ending: str) -> None:
    import csv
    import io

    rows = [["id", "text", "score"]]
    rng = np.random.default_rng(0)
    pieces = ["plain", "with, comma", 'say "hi"', "multi\nline", "", "é ü", "=1+2"]
    for i in range(300):
        rows.append([f"r{i}", str(rng.choice(pieces)), str(rng.integers(0, 11))])
    buf = io.StringIO()
    csv.writer(buf, lineterminator=ending).writerows(rows)
    p = write(tmp_path, "f.csv", buf.getvalue())
    result = read_feedback(p, scale="nps")
    assert result.table.texts == [r[1] for r in rows[1:]]
    assert result.table.ids == [r[0] for r in rows[1:]]
    chunked = [t.texts for t in iter_feedback_chunks(p, chunk_size=7, scale="nps")]
    assert [x for c in chunked for x in c] == [r[1] for r in rows[1:]]


def test_fast_path_line_numbers_and_field_counts(tmp_path: Path) -> None:
    text = 'text,score\na,1\n"b, quoted",2\nc,3,extra\n"d ""q""",x\n\ne,5\n'
    result = read_feedback(write(tmp_path, "f.csv", text), scale="csat")
    assert result.table.texts == ["a", "b, quoted", "e"]
    assert [(r.line, r.reason.split(";")[0]) for r in result.report.rejected] == [
        (4, "row has 3 fields but the header has 2"),
        (5, "score 'x' is not a number"),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet='ab ,"\n\x1fé;', max_size=8),
            st.text(alphabet="xy,\"'", max_size=4),
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_reader_agrees_with_the_csv_module(
    rows: list[tuple[str, str]], quoting: Literal[0, 1, 2, 3], ending: str
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=quoting, lineterminator=ending)
    writer.writerow(["text", "channel"])
    writer.writerows(rows)
    expected = [r for r in csv.reader(io.StringIO(buf.getvalue(), newline="")) if r][1:]
    result = parse_feedback(io.StringIO(buf.getvalue(), newline=""))
    kept = [(t, c) for t, c in expected if t]  # a row without text is empty here
    assert result.table.texts == [t for t, _ in kept]
    assert list(result.table.channels) == [c.strip() or None for _, c in kept]
