"""``fishbone render``: formats from the extension, options, clear errors."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from api.cli import app
from diagrams.render import png_size
from fishbone.formats import write_diagram
from tests.diagrams.test_dot import RANKING, cx
from tests.factories import sized_diagram

runner = CliRunner()
needs_graphviz = pytest.mark.skipif(
    shutil.which("neato") is None, reason="Graphviz is not installed"
)


@pytest.fixture
def diagram_file(tmp_path):
    path = tmp_path / "cx.json"
    write_diagram(cx(), path)
    return path


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_render_dot_with_options(diagram_file, tmp_path):
    out = tmp_path / "cx.dot"
    result = invoke(
        "render",
        diagram_file,
        "-o",
        out,
        "--direction",
        "left",
        "--theme",
        "dark",
        "--max-depth",
        "1",
        "--title",
        "Review <Q3>",
        "--font",
        "DejaVu Sans",
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("digraph fishbone {")
    assert "Review &lt;Q3&gt;" in text
    assert "Refund policy unclear" not in text  # folded below depth 1
    assert "+1 more" in text


def test_render_with_ranking_file(diagram_file, tmp_path):
    ranking = tmp_path / "ranking.json"
    ranking.write_text(json.dumps(RANKING), encoding="utf-8")
    out = tmp_path / "cx.dot"
    result = invoke("render", diagram_file, "-o", out, "--ranking", ranking)
    assert result.exit_code == 0, result.output
    assert "Share of comments:" in out.read_text(encoding="utf-8")


@pytest.mark.exe
@needs_graphviz
@pytest.mark.parametrize(
    ("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")]
)
def test_render_real_formats(diagram_file, tmp_path, suffix, magic):
    out = tmp_path / f"cx{suffix}"
    result = invoke("render", diagram_file, "-o", out, "--size", "300")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(magic)
    if suffix == ".png":
        assert max(png_size(data)) <= 300


def test_huge_diagram_warns_and_tree_layout_is_offered(tmp_path):
    path = tmp_path / "big.json"
    write_diagram(sized_diagram(20, 25, 4, depth=2), path)
    result = invoke("render", path, "-o", tmp_path / "big.dot")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output
    assert "--layout tree" in result.output
    result = invoke("render", path, "-o", tmp_path / "tree.dot", "--layout", "tree")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"a": 1}', "expected a list of ranking rows"),
        ('[{"rank": 1}]', "'cause' id"),
        ('[{"cause": "refunds", "share": "lots"}]', "'share' must be a number"),
    ],
    ids=["syntax", "shape", "no-cause", "bad-share"],
)
def test_bad_ranking_is_exit_1_with_a_clear_line(
    diagram_file, tmp_path, content, message
):
    ranking = tmp_path / "ranking.json"
    ranking.write_text(content, encoding="utf-8")
    result = invoke(
        "render", diagram_file, "-o", tmp_path / "x.svg", "--ranking", ranking
    )
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert not (tmp_path / "x.svg").exists()


def test_output_in_a_missing_directory_is_exit_1(diagram_file, tmp_path):
    result = invoke("render", diagram_file, "-o", tmp_path / "nowhere" / "x.dot")
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output


def test_unknown_output_extension_is_exit_1(diagram_file, tmp_path):
    result = invoke("render", diagram_file, "-o", tmp_path / "x.gif")
    assert result.exit_code == 1, result.output
    assert "end it in .svg, .png, .pdf or .dot" in result.output


def test_invalid_diagram_is_exit_1(tmp_path):
    path = tmp_path / "bad.json"
    doc = json.loads(cx().model_dump_json(by_alias=True))
    doc["causes"][0]["parent"] = "nowhere"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke("render", path, "-o", tmp_path / "x.svg")
    assert result.exit_code == 1, result.output
    assert "nowhere" in result.output


def test_ranking_object_with_rows_is_accepted(diagram_file, tmp_path):
    ranking = tmp_path / "ranking.json"
    ranking.write_text(
        json.dumps({"method": "pareto", "ranking": RANKING}), encoding="utf-8"
    )
    out = tmp_path / "cx.dot"
    result = invoke("render", diagram_file, "-o", out, "--ranking", ranking)
    assert result.exit_code == 0, result.output
    assert "Share of comments:" in out.read_text(encoding="utf-8")


def test_unreadable_ranking_is_exit_1(diagram_file, tmp_path):
    ranking = tmp_path / "ranking.json"
    ranking.write_bytes(b"\xff\xfe\x00bad")
    result = invoke(
        "render", diagram_file, "-o", tmp_path / "x.svg", "--ranking", ranking
    )
    assert result.exit_code == 1, result.output
    assert "cannot read the ranking" in result.output


def test_failed_write_leaves_no_temporary_file(diagram_file, tmp_path, monkeypatch):
    import os

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    result = invoke("render", diagram_file, "-o", tmp_path / "x.dot")
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output
    assert "disk full" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cx.json"]
