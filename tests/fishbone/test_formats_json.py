"""The fishbone/1 JSON format, the committed JSON Schema and the path wrappers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fishbone.exceptions import DiagramInvalid, FormatError, Problem
from fishbone.formats import (
    FORMATS,
    generate_json,
    json_schema,
    parse_diagram,
    parse_json,
    read_diagram,
    write_diagram,
)
from fishbone.model import Category, Cause, Diagram, Effect, Link

SCHEMA_FILE = Path(__file__).parents[2] / "schema" / "fishbone-1.schema.json"


@pytest.fixture
def diagram() -> Diagram:
    return Diagram(
        id="cx",
        title="CX 2026",
        effect=Effect(label="Superior customer experience", kind="goal"),
        categories=[Category(id="p", label="Processes")],
        causes=[
            Cause(id="c1", label="Fast refunds", category="p", votes=3, owner="Ana"),
            Cause(
                id="c2",
                label='Clear "policy"',
                category="p",
                parent="c1",
                signals=["policy", "rules"],
                status="verified",
                notes="see ticket 12",
            ),
        ],
        links=[Link(source="c2", target="c1", label="helps")],
    )


def document(**changes: object) -> str:
    data: dict[str, object] = {
        "schema": "fishbone/1",
        "id": "d",
        "effect": {"label": "E"},
        "categories": [{"id": "m", "label": "Methods"}],
        "causes": [
            {"id": "c1", "label": "A", "category": "m"},
            {"id": "c4", "label": "B", "category": "m"},
        ],
    }
    data.update(changes)
    return json.dumps(data, indent=2)


def problems(text: str) -> list[Problem]:
    with pytest.raises(DiagramInvalid) as info:
        parse_json(text, source="d.json")
    assert info.value.source == "d.json"
    return info.value.problems


def test_round_trip_keeps_everything(diagram):
    text = generate_json(diagram)
    assert parse_json(text) == diagram
    assert parse_json(text.splitlines(keepends=True)) == diagram
    assert parse_json(text.splitlines()) == diagram


def test_generate_is_stable_and_pretty(diagram):
    text = generate_json(diagram)
    assert text.endswith("}\n")
    assert text.startswith('{\n  "schema": "fishbone/1",\n  "id": "cx",\n')
    assert list(json.loads(text)) == [
        "schema",
        "id",
        "title",
        "effect",
        "categories",
        "causes",
        "links",
    ]
    assert generate_json(parse_json(text)) == text


def test_non_ascii_is_written_as_is():
    d = Diagram(id="d", effect=Effect(label="Déjà vu — 😀 שלום"))
    assert "Déjà vu — 😀 שלום" in generate_json(d)


def test_byte_order_mark_is_ignored():
    assert parse_json('\ufeff{"id": "d", "effect": {"label": "E"}}').id == "d"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '{"id": "d",\n "effect": {"label": "E"},}',
            2,
            "invalid JSON: Expecting property name",
        ),
        (
            '{\n\n  "id": "d"\n  "effect": {}}',
            4,
            "invalid JSON: Expecting ',' delimiter",
        ),
        ("", 1, "invalid JSON: Expecting value"),
        (
            "[1, 2]",
            1,
            'a diagram is a JSON object with "schema": "fishbone/1", not an array',
        ),
        ('"x"', 1, "not a string"),
    ],
    ids=["trailing-comma", "missing-comma", "empty", "array", "string"],
)
def test_syntax_errors_name_the_line(text, line, message):
    with pytest.raises(FormatError) as info:
        parse_json(text, source="d.json")
    assert info.value.line == line
    assert info.value.source == "d.json"
    assert message in info.value.message
    assert str(info.value).startswith(f"d.json:{line}: ")


def test_unknown_field_names_the_cause_and_field():
    data = json.loads(document())
    data["causes"][1]["colour"] = "red"
    assert problems(json.dumps(data)) == [
        Problem(
            "causes[1] (id 'c4')",
            "unknown field 'colour'; remove it or check its spelling (see `fishbone schema`)",
        )
    ]


def test_unknown_top_level_field():
    assert problems(document(colour="red")) == [
        Problem(
            "diagram",
            "unknown field 'colour'; remove it or check its spelling (see `fishbone schema`)",
        )
    ]


def test_missing_field():
    data = json.loads(document())
    del data["categories"][0]["label"]
    assert problems(json.dumps(data)) == [
        Problem("categories[0] (id 'm')", "field 'label' is missing; add it")
    ]


def test_missing_effect_and_id():
    assert problems('{"schema": "fishbone/1"}') == [
        Problem("diagram", "field 'id' is missing; add it"),
        Problem("diagram", "field 'effect' is missing; add it"),
    ]


def test_wrong_enum_lists_allowed_values():
    data = json.loads(document())
    data["causes"][0]["status"] = "done"
    data["effect"]["kind"] = "wish"
    assert problems(json.dumps(data)) == [
        Problem("effect", "field 'kind' is 'wish'; use one of 'goal' or 'problem'"),
        Problem(
            "causes[0] (id 'c1')",
            "field 'status' is 'done'; use one of 'proposed', 'verified', 'rejected' or 'addressed'",
        ),
    ]


def test_wrong_schema_says_which_is_supported():
    assert problems(document(schema="fishbone/2")) == [
        Problem(
            "diagram",
            "schema 'fishbone/2' is not supported; this version reads 'fishbone/1' only",
        )
    ]


def test_wrong_types_name_the_field_path():
    data = json.loads(document())
    data["causes"][0]["votes"] = -1
    data["causes"][0]["signals"] = ["ok", 3]
    data["causes"][1] = "c4"
    found = problems(json.dumps(data))
    assert [p.where for p in found] == [
        "causes[0] (id 'c1')",
        "causes[0] (id 'c1')",
        "diagram",
    ]
    assert found[0].message.startswith(
        "field 'signals[1]' is 3: input should be a valid string"
    )
    assert found[1].message.startswith(
        "field 'votes' is -1: input should be greater than"
    )
    assert found[2].message.startswith("field 'causes[1]' is 'c4': input should be")


def test_item_without_id_is_named_by_index():
    data = json.loads(document())
    data["causes"][0] = {"label": "A", "category": "m"}
    assert problems(json.dumps(data)) == [
        Problem("causes[0]", "field 'id' is missing; add it")
    ]


def test_committed_schema_matches_the_model():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "schema/fishbone-1.schema.json is out of date; regenerate it with\n"
        '  uv run python -c "import json; from fishbone.formats import json_schema; '
        "open('schema/fishbone-1.schema.json', 'w', encoding='utf-8')"
        ".write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + '\\n')\"\n"
        "and review the diff: a changed schema is a changed public contract."
    )


def test_schema_refuses_unknown_fields():
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"]["const"] == "fishbone/1"


def test_registry_by_extension():
    assert FORMATS[".json"].name == "json"
    assert parse_diagram(document(), format="json").id == "d"
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        parse_diagram("", format="yaml")


def test_write_then_read(tmp_path, diagram):
    path = tmp_path / "cx.json"
    write_diagram(diagram, path)
    assert read_diagram(path) == diagram
    assert read_diagram(str(path)) == diagram
    assert [p.name for p in tmp_path.iterdir()] == ["cx.json"]


def test_read_tolerates_byte_order_mark(tmp_path, diagram):
    path = tmp_path / "cx.json"
    path.write_bytes(b"\xef\xbb\xbf" + generate_json(diagram).encode())
    assert read_diagram(path) == diagram


def test_read_errors_carry_the_file_name(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n"id": "d",\n', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_diagram(path)
    assert info.value.source == str(path)
    assert info.value.line == 3
    path.write_text(document(colour=1), encoding="utf-8")
    with pytest.raises(DiagramInvalid) as invalid:
        read_diagram(path)
    assert invalid.value.source == str(path)


def test_read_non_utf8_names_file_and_line(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"id": "d",\n"effect": {"label": "Caf\xe9"}}'.encode("latin-1"))
    with pytest.raises(FormatError) as info:
        read_diagram(path)
    assert (info.value.source, info.value.line) == (str(path), 2)
    assert "not UTF-8" in info.value.message


def test_unknown_extension_lists_supported(tmp_path, diagram):
    with pytest.raises(
        FormatError,
        match=r"unknown file extension '\.docx'; use one of \.json, \.txt, \.csv, \.mmd$",
    ):
        read_diagram(tmp_path / "d.docx")
    with pytest.raises(FormatError, match="unknown file extension ''"):
        write_diagram(diagram, tmp_path / "noext")
    assert list(tmp_path.iterdir()) == []


def test_write_is_atomic_when_replace_fails(tmp_path, diagram, monkeypatch):
    path = tmp_path / "cx.json"
    path.write_text("old", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_diagram(diagram, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["cx.json"]


def test_write_keeps_permissions_and_honours_umask(tmp_path, diagram):
    new = tmp_path / "new.json"
    previous = os.umask(0o027)
    try:
        write_diagram(diagram, new)
    finally:
        os.umask(previous)
    assert new.stat().st_mode & 0o777 == 0o640
    existing = tmp_path / "existing.json"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o604)
    write_diagram(diagram, existing)
    assert existing.stat().st_mode & 0o777 == 0o604
