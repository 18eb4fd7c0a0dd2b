"""Feedback import and matching: the less travelled paths (JSON values, caches, big blocks, errors)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from fishbone.exceptions import FeedbackError
from fishbone.feedback import (
    ImportReport,
    iter_feedback_chunks,
    parse_feedback,
    read_feedback,
)
from fishbone.feedback_columns import guess_scale, parse_mapping
from fishbone.feedback_dates import DateParser, InvalidDate
from fishbone.feedback_sources import csv_batches, json_batches, ndjson_batches
from fishbone.learned import predict_proba, train
from fishbone.matching import match, match_report
from fishbone.model import Category, Cause, Diagram, Effect
from fishbone.records import FeedbackTable
from fishbone.textnorm import variants


def test_json_keys_appearing_later_are_planned_again(tmp_path: Path) -> None:
    p = tmp_path / "f.ndjson"
    rows = [
        {"text": "a"},
        {"text": "b"},
        {"text": "c", "nps": 9},
        {"text": "d", "nps": 10},
    ]
    p.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = ImportReport()
    chunks = list(iter_feedback_chunks(p, chunk_size=2, report=report))
    assert [c.scores.tolist()[-1] for c in chunks][1] == 10.0
    assert report.columns == {"text": "text", "score": "nps"}
    assert report.scale is not None
    assert report.scale.name == "nps"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            {"text": "a", "date": 20240101},
            "date 20240101 is not a date string; use ISO 8601 such as 2024-03-15",
        ),
        ({"text": "a", "channel": ["x"]}, "channel is a list, not text"),
        ({"text": "a", "tags": {"x": 1}}, "tags is a JSON object, not a list"),
        ({"text": True}, "text is a bool, not text"),
    ],
    ids=["number-date", "list-channel", "object-tags", "bool-text"],
)
def test_json_values_of_the_wrong_kind(row: dict[str, object], reason: str) -> None:
    result = parse_feedback([json.dumps(row)], format="ndjson")
    assert [r.reason for r in result.report.rejected] == [reason]


def test_json_numbers_as_text_and_rows_kept_by_ratings() -> None:
    rows = [{"text": 42, "id": 1}, {"text": "", "rating:wait": 3}]
    result = parse_feedback([json.dumps(rows)])
    assert result.table.texts == ["42", ""]
    assert result.table.ratings["wait"].tolist()[1] == 3.0


def test_caches_start_again_when_full(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("fishbone.feedback_chunks.CACHE_LIMIT", 2)
    monkeypatch.setattr("fishbone.feedback_dates.CACHE_LIMIT", 2)
    p = tmp_path / "f.csv"
    body = "".join(f"t,{i % 5 + 1},2024-01-{i + 1:02d}\n" for i in range(9))
    p.write_text("text,score,date\n" + body, encoding="utf-8")
    tables = list(iter_feedback_chunks(p, scale="csat", chunk_size=3))
    assert [str(d) for d in tables[-1].dates] == [
        "2024-01-07",
        "2024-01-08",
        "2024-01-09",
    ]
    assert tables[-1].scores.tolist() == [2.0, 3.0, 4.0]


def test_many_duplicates_keep_a_sample() -> None:
    result = parse_feedback(["id,text\n"] + [f"a,{i}\n" for i in range(30)])
    assert result.report.duplicates == 29
    assert len(result.report.duplicate_ids) == 20
    assert result.table.texts == ["29"]


def test_truncated_json_number() -> None:
    with pytest.raises(FeedbackError, match="not closed"):
        parse_feedback(["[1"], format="json")


def test_date_orders_and_formats() -> None:
    with pytest.raises(InvalidDate, match="is not year-first"):
        DateParser("ymd").parse("03/04/2024")
    with pytest.raises(InvalidDate, match="does not match date_format '%Y%m%d'"):
        DateParser("%Y%m%d").parse("2024-01-01")


def test_column_helpers() -> None:
    with pytest.raises(FeedbackError, match="is not ROLE=COLUMN"):
        parse_mapping("text")
    assert guess_scale(np.array([np.nan])) == (None, "no record has a score")
    scale, _ = guess_scale(np.array([-2.0, 3.0]))
    assert scale is not None
    assert (scale.low, scale.high) == (-2.0, 3.0)


def test_csv_edges() -> None:
    assert parse_feedback(["text\n", "no newline"]).table.texts == ["no newline"]
    assert parse_feedback(["text\n", '"a\rb"\n']).table.texts == ["a\rb"]
    assert list(csv_batches(["\n", "  \n"], source="x")) == []
    assert list(ndjson_batches([], source="x")) == []


def test_csv_field_over_the_limit_names_the_line() -> None:
    big = "x" * 200_000
    with pytest.raises(FeedbackError, match=r"^f.csv:3: field larger than field limit"):
        parse_feedback(["text\n", "ok\n", f'"{big}\n', 'y"\n'], source="f.csv")
    # on one line, a quoted field simply enclosing text is split without the csv module
    assert len(parse_feedback(["text,n\n", f'"{big}",2\n']).table.texts[0]) == 200_000
    with pytest.raises(FeedbackError, match=r"^f.csv:2: field larger than field limit"):
        parse_feedback(["text,n\n", f'"{big}""",2\n'], source="f.csv")


def test_json_in_small_pieces_and_small_batches() -> None:
    rows = [{"text": f"comment {i}", "score": i % 5 + 1} for i in range(3000)]
    text = json.dumps(rows, indent=1)
    pieces = [text[i : i + 1000] for i in range(0, len(text), 1000)]
    batches = list(json_batches(pieces, source="x", size=1000))
    assert [len(b.lines) for b in batches] == [1000, 1000, 1000]
    assert batches[-1].lines[-1] == text.count("\n") - 3


def test_bad_byte_after_the_first_megabyte(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_bytes(b"text\n" + b"fine comment\n" * 100_000 + b"caf\xe9\n")
    with pytest.raises(FeedbackError, match=r"big.csv:100002: byte 0xe9"):
        read_feedback(p)


def _diagram(**signals: list[str]) -> Diagram:
    return Diagram(
        id="d",
        effect=Effect(label="E"),
        categories=[Category(id="k", label="K")],
        causes=[
            Cause(id=c, label=c, category="k", signals=s) for c, s in signals.items()
        ],
    )


def test_non_latin_signals() -> None:
    d = _diagram(greeting=["привет"], tea=["茶"])
    table = FeedbackTable.from_rows(
        [{"text": "Привет, мир!"}, {"text": "好 茶 !"}, {"text": "приветствие"}]
    )
    assert match(d, table).matrix.toarray().tolist() == [[1, 0], [0, 1], [0, 0]]


def test_learned_auto_runs_with_enough_labels() -> None:
    rows = [
        {"text": "slow refund", "causes": ["a"]},
        {"text": "rude staff", "causes": ["b"]},
    ] * 12
    table = FeedbackTable.from_rows([*rows, {"text": "refund slow"}])
    report = match_report(_diagram(a=[], b=[]), table, learned="auto")
    assert report.quality is not None
    assert report.learned.tolist() == [1, 0]


def test_learned_edges() -> None:
    y = np.array([[1, 0], [1, 0], [0, 0], [0, 1]], bool)
    model = train(["a", "a b", "c", "d"], y)
    assert model.classifiers[1] is None  # one example: never predicted
    assert predict_proba(model, []).shape == (0, 2)
    assert predict_proba(model, ["d"])[0, 1] == 0.0


def test_variants_of_words_with_digits() -> None:
    assert variants("e2e") == {"e2e"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"text": "a"},]', "a comma before ']'"),
        (
            '[{"text": "a"} {"text": "b"}]',
            "expected ',' or ']' after an element, found '{'",
        ),
        ('[{"text": "a"},,{"text": "b"}]', "invalid JSON: Expecting value"),
    ],
    ids=["trailing-comma", "missing-comma", "double-comma"],
)
def test_json_array_punctuation(text: str, message: str) -> None:
    with pytest.raises(FeedbackError, match=message):
        parse_feedback([text], format="json")
    assert parse_feedback(["[ ]"], format="json").report.rows_read == 0


def test_a_guessed_scale_says_so_when_it_rejects(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_text("text,score\n" + "a,3\n" * 3 + "b,9\n", encoding="utf-8")
    report = ImportReport()
    tables = list(iter_feedback_chunks(p, chunk_size=3, report=report))
    assert report.scale is not None
    assert report.scale.name == "csat"
    assert [len(t) for t in tables] == [3, 0]
    assert (
        report.rejected[0].reason
        == "score 9 is outside the csat scale 1-5 (guessed from earlier rows; pass the scale to set it)"
    )


def test_single_column_csv_skips_blank_lines() -> None:
    result = parse_feedback(["text\n", "a\n", "\n", '"b, c"\n', "\n"])
    assert result.table.texts == ["a", "b, c"]
    assert result.report.rejected == []
