"""Options, ranking rows, fonts and other edges of the renderer."""

from __future__ import annotations

import logging
import struct

import pytest

from diagrams import fonts
from diagrams.fonts import FontMetrics, load_font
from diagrams.links import _edge_point
from diagrams.options import Evidence, RenderOptions, evidence_from_ranking
from diagrams.render import _check_png
from diagrams.shapes import Box
from diagrams.text import measure_label
from fishbone.exceptions import FormatError, RenderError


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"layout": "radial"}, "layout 'radial'"),
        ({"max_depth": -1}, "max_depth -1"),
        ({"size": 10}, "size 10"),
        ({"dpi": 0}, "dpi must be"),
        ({"timeout": 0}, "timeout above 0"),
        ({"font": " "}, "font is empty"),
        ({"theme": "neon"}, "no theme named 'neon'"),
    ],
    ids=["layout", "depth", "size", "dpi", "timeout", "font", "theme"],
)
def test_bad_options_are_render_errors(options, message):
    with pytest.raises(RenderError, match=message):
        RenderOptions(**options)


def test_evidence_is_falsy_without_rows():
    assert not Evidence()
    assert not evidence_from_ranking(None)
    assert evidence_from_ranking([{"cause": "a", "rank": 1}])
    assert evidence_from_ranking([{"cause": "a", "share": 0.0}]).heat == {"a": 0.0}


def test_ranking_numbers_must_be_numbers():
    with pytest.raises(FormatError, match="'rank' must be a number"):
        evidence_from_ranking([{"cause": "a", "rank": True}])


def test_unknown_font_falls_back_to_dejavu_metrics(caplog):
    load_font.cache_clear()
    with caplog.at_level(logging.WARNING, logger="diagrams.fonts"):
        metrics = load_font("No Such Font Family")
    assert metrics.path is not None
    assert metrics.path.name == "DejaVuSans.ttf"
    assert "not found" in caplog.text


def test_without_any_font_file_widths_are_estimated(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path / "none", tmp_path))
    fonts._font_index.cache_clear()
    load_font.cache_clear()
    try:
        metrics = load_font("DejaVu Sans")
        assert metrics.path is None
        assert metrics.width("abc", 10) == pytest.approx(3 * 0.62 * 10)
    finally:
        fonts._font_index.cache_clear()
        load_font.cache_clear()


def test_missing_glyphs_get_a_fallback_width():
    metrics = FontMetrics(name="x", advances={}, path=None)
    assert metrics.char_width("a") == pytest.approx(0.62)
    assert metrics.char_width("\u0301") == 0.0
    label = measure_label("\U0001f600", max_width=50)
    assert label.width > 10


def test_edge_point_of_a_box_on_itself_is_its_top():
    box = Box(key="a", kind="cause", x=5, y=5, w=4, h=2)
    assert _edge_point(box, (5, 5)) == (5, 6)


def test_png_over_the_cap_is_refused():
    header = b"\x89PNG\r\n\x1a\n" + bytes(4) + b"IHDR" + struct.pack(">II", 5000, 10)
    with pytest.raises(RenderError, match="over the 4000-pixel cap"):
        _check_png(header, 4000)
