import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.cli.feedback_cmd import parse_tag_map
from fishbone.exceptions import FeedbackError
from fishbone.formats import write_diagram
from fishbone.model import Category, Cause, Diagram, Effect

runner = CliRunner()


@pytest.fixture
def diagram_file(tmp_path: Path) -> Path:
    d = Diagram(
        id="cx",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[Category(id="p", label="Processes")],
        causes=[
            Cause(id="refunds", label="Fast refunds", category="p", signals=["refund"]),
            Cause(
                id="staff", label="Kind staff", category="p", signals=["rude", "staff"]
            ),
        ],
    )
    path = tmp_path / "cx.json"
    write_diagram(d, path)
    return path


def feedback(tmp_path: Path, text: str, name: str = "fb.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_match_prints_counts_examples_and_unmatched(tmp_path, diagram_file):
    data = feedback(
        tmp_path,
        "comment,nps,tags\nSlow refund,3,\nRude staff and refunds,2,\nLovely <b>[bold]</b>,10,\nno score,x,\n",
    )
    result = runner.invoke(app, ["match", str(diagram_file), "--feedback", str(data)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "4 rows read, 3 imported, 1 skipped" in out
    assert "line 5: score 'x' is not a number" in out
    assert "columns: text <- 'comment', score <- 'nps', tags <- 'tags'" in out
    assert "scale: nps (guessed from the first 4 rows" in out
    assert "refunds" in out
    assert "Slow refund" in out
    assert "unmatched: 1 of 3 comments match no cause" in out
    assert "Lovely <b>[bold]</b>" in out  # text, never markup


def test_match_with_map_tag_map_and_strict(tmp_path, diagram_file):
    data = feedback(tmp_path, "q1,labels\nall good,people\n")
    ok = runner.invoke(
        app,
        [
            "match",
            str(diagram_file),
            "-f",
            str(data),
            "--map",
            "text=q1,tags=labels",
            "--tag-map",
            "people=staff",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert "unmatched: 0 of 1" in ok.output
    bad = feedback(tmp_path, "text,score\na,1\nb,zz\n", "bad.csv")
    strict = runner.invoke(
        app, ["match", str(diagram_file), "-f", str(bad), "--strict"]
    )
    assert strict.exit_code == 1
    assert "bad.csv:3: score 'zz' is not a number" in strict.output


def test_match_learned_reports_quality(tmp_path, diagram_file):
    rows = [
        {"text": "slow money back", "causes": ["refunds"]},
        {"text": "grumpy waiter", "causes": ["staff"]},
    ] * 10
    rows.append({"text": "money back please"})
    data = feedback(tmp_path, "\n".join(json.dumps(r) for r in rows), "fb.ndjson")
    result = runner.invoke(
        app, ["match", str(diagram_file), "-f", str(data), "--learned"]
    )
    assert result.exit_code == 0, result.output
    assert "learned matcher: micro P/R/F1" in result.output


def test_match_bad_encoding_is_one_clear_line(tmp_path, diagram_file):
    data = tmp_path / "latin.csv"
    data.write_bytes("text\ncaf\xe9\n".encode("latin-1"))
    result = runner.invoke(app, ["match", str(diagram_file), "-f", str(data)])
    assert result.exit_code == 1
    assert "latin.csv:2: byte 0xe9 is not valid UTF-8" in result.output
    assert "Traceback" not in result.output


def test_parse_tag_map(tmp_path):
    assert parse_tag_map("a=x;y,b=z") == {"a": ["x", "y"], "b": ["z"]}
    path = tmp_path / "tags.json"
    path.write_text('{"a": "x", "b": ["y", "z"]}', encoding="utf-8")
    assert parse_tag_map(str(path)) == {"a": ["x"], "b": ["y", "z"]}
    path.write_text("[1]", encoding="utf-8")
    with pytest.raises(FeedbackError, match="must be a JSON object"):
        parse_tag_map(str(path))
