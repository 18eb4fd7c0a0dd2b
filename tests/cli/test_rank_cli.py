import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.cli.rank_io import rows_to_csv
from fishbone.formats import write_diagram
from fishbone.model import Category, Cause, Diagram, Effect

runner = CliRunner()

FEEDBACK = (
    "id,comment,nps,date\n"
    "1,Slow refund,3,2024-03-01\n"
    "2,refund form too long,2,2024-03-02\n"
    "3,app crashed on login,5,2024-03-03\n"
    "4,great app,10,2024-03-04\n"
    "5,lovely staff,9,2024-02-01\n"
    "6,refund ok <b>[bold]</b>,8,2024-01-05\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    d = Diagram(
        id="cx",
        title="CX",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[
            Category(id="p", label="Processes"),
            Category(id="s", label="Systems"),
        ],
        causes=[
            Cause(id="refunds", label="Fast refunds", category="p", signals=["refund"]),
            Cause(
                id="forms",
                label="Short forms",
                category="p",
                parent="refunds",
                signals=["form"],
            ),
            Cause(
                id="app", label="Working app", category="s", signals=["app", "login"]
            ),
        ],
    )
    diagram = tmp_path / "cx.json"
    write_diagram(d, diagram)
    feedback = tmp_path / "fb.csv"
    feedback.write_text(FEEDBACK, encoding="utf-8")
    return diagram, feedback


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_rank_table(files):
    diagram, feedback = files
    out = invoke("rank", diagram, "--feedback", feedback).stdout
    assert "Fast refunds" in out
    assert "50.0% [18.8%, 81.2%]" in out
    assert "6 comments, method pareto" in out


def test_rank_json_rows(files, tmp_path):
    diagram, feedback = files
    out = tmp_path / "r.json"
    invoke("rank", diagram, "-f", feedback, "--method", "impact", "-o", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["cause"] for r in rows] == ["refunds", "forms", "app"]
    first = rows[0]
    assert first["n"] == 3
    assert first["share"] == pytest.approx(0.5)
    # NPS: all 6 -> (2 P - 3 D) / 6; without refunds (3, 4, 5) -> (2 P - 1 D) / 3
    assert first["impact"] == pytest.approx(100 * (-1 / 6) - 100 * (1 / 3))
    assert len(first["impact_ci"]) == 2
    assert first["small_n"] is True
    assert "refund ok <b>[bold]</b>" in first["quotes"]


def test_rank_csv_to_stdout(files):
    diagram, feedback = files
    out = invoke(
        "rank", diagram, "-f", feedback, "--format", "csv", "--level", "categories"
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["cause"], r["n"]) for r in rows] == [("p", "3"), ("s", "2")]
    assert {"share_lo", "share_hi", "cumulative", "vital"} <= set(rows[0])


def test_rank_drivers_and_half_life(files):
    diagram, feedback = files
    out = invoke(
        "rank",
        diagram,
        "-f",
        feedback,
        "-m",
        "drivers",
        "--level",
        "top",
        "--half-life",
        "30",
        "--format",
        "json",
    ).stdout
    rows = json.loads(out)
    assert sum(r["importance"] for r in rows) == pytest.approx(1.0)
    assert all(r["n_eff"] is not None for r in rows)


def test_rank_impact_without_scores_is_one_clear_line(files, tmp_path):
    diagram, _ = files
    feedback = tmp_path / "tweets.csv"
    feedback.write_text("text\nslow refund\n", encoding="utf-8")
    result = runner.invoke(
        app, ["rank", str(diagram), "-f", str(feedback), "-m", "impact"]
    )
    assert result.exit_code == 1
    assert "no feedback record has a score" in result.output
    assert "Traceback" not in result.output


def test_chart_pareto_from_feedback(files, tmp_path):
    diagram, feedback = files
    out = tmp_path / "pareto.svg"
    invoke("chart", "pareto", diagram, "-f", feedback, "-o", out)
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    bars = [
        g
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if "bar" in (g.get("class") or "")
    ]
    assert [b.get("data-cause") for b in bars] == ["refunds", "app", "forms"]


def test_chart_pareto_from_ranking_json(files, tmp_path):
    diagram, feedback = files
    ranking = tmp_path / "r.json"
    invoke("rank", diagram, "-f", feedback, "-o", ranking)
    out = tmp_path / "pareto.dot"
    invoke("chart", "pareto", "--ranking", ranking, "-o", out, "--title", "T")
    assert out.read_text(encoding="utf-8").startswith("digraph pareto {")


def test_chart_needs_input_and_a_known_format(files, tmp_path):
    result = runner.invoke(app, ["chart", "pareto", "-o", str(tmp_path / "x.svg")])
    assert result.exit_code == 1
    assert "--ranking" in result.output
    diagram, feedback = files
    result = runner.invoke(
        app,
        [
            "chart",
            "pareto",
            str(diagram),
            "-f",
            str(feedback),
            "-o",
            str(tmp_path / "x.gif"),
        ],
    )
    assert result.exit_code == 1
    assert "cannot tell the format" in result.output


def test_trend_table_and_json(files):
    diagram, feedback = files
    out = invoke("trend", diagram, "-f", feedback, "--period-days", "10").stdout
    assert "Working app" in out
    rows = json.loads(
        invoke(
            "trend",
            diagram,
            "-f",
            feedback,
            "--since",
            "2024-03-01",
            "--format",
            "json",
        ).stdout
    )
    assert {r["cause"] for r in rows} == {"refunds", "forms", "app"}
    assert all(0 <= r["q"] <= 1 for r in rows)


def test_rows_to_csv_flattens_intervals_and_lists():
    text = rows_to_csv(
        [
            {
                "cause": "a",
                "share_ci": [0.1, 0.2],
                "impact_ci": None,
                "quotes": ["x", "y"],
            }
        ]
    )
    assert text.splitlines() == [
        "cause,share_lo,share_hi,impact_lo,impact_hi,quotes",
        "a,0.1,0.2,,,x | y",
    ]


def test_rank_reports_skipped_rows(files, tmp_path):
    diagram, _ = files
    feedback = tmp_path / "bad.csv"
    feedback.write_text("comment,nps\nslow refund,3\nrefund,x\n", encoding="utf-8")
    result = invoke("rank", diagram, "-f", feedback, "--format", "json")
    assert "1 rows skipped" in result.stderr
    assert "line 3" in result.stderr
    assert json.loads(result.stdout)[0]["n"] == 1


def test_rank_table_to_file(files, tmp_path):
    diagram, feedback = files
    out = tmp_path / "ranking.txt"
    invoke("rank", diagram, "-f", feedback, "-m", "drivers", "-o", out)
    text = out.read_text(encoding="utf-8")
    assert "importance" in text
    assert "method drivers (" in text
    assert "R\u00b2 = " in text
