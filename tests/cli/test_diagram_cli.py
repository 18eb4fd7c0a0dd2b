import json

import pytest
from typer.testing import CliRunner

from api.cli import app
from fishbone.formats import read_diagram
from fishbone.formats.json_doc import json_schema
from fishbone.templates import ORDER

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_help_lists_every_command():
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    for command in ("templates", "new", "validate", "convert", "schema", "serve"):
        assert command in result.output


def test_templates_lists_every_template():
    result = invoke("templates")
    assert result.exit_code == 0, result.output
    for name in ORDER:
        assert name in result.output


def test_new_writes_the_customer_experience_template(tmp_path):
    out = tmp_path / "cx.json"
    result = invoke("new", "--template", "customer-experience", "-o", str(out))
    assert result.exit_code == 0, result.output
    diagram = read_diagram(out)
    assert diagram.effect.label == "Superior customer experience"
    assert diagram.effect.kind == "goal"
    assert [c.label for c in diagram.categories] == [
        "Processes",
        "Systems",
        "Environment",
        "Frontline support",
        "Expectations",
    ]


def test_new_overrides_effect_and_title(tmp_path):
    out = tmp_path / "line.json"
    result = invoke(
        "new",
        "-t",
        "6m",
        "--effect",
        "Late deliveries",
        "--title",
        "Q3",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    diagram = read_diagram(out)
    assert (diagram.effect.label, diagram.title) == ("Late deliveries", "Q3")


def test_new_with_unknown_template_is_one_clear_error(tmp_path):
    result = invoke("new", "-t", "7m", "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 1
    assert "no template named '7m'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.json").exists()


def test_validate_valid_file_prints_a_summary(tmp_path):
    out = tmp_path / "cx.json"
    invoke("new", "-o", str(out))
    result = invoke("validate", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"{out}: valid: 5 categories, 0 causes, 0 links; "
        "effect (goal): 'Superior customer experience'"
    )


def write_doc(path, **overrides):
    doc = {
        "schema": "fishbone/1",
        "id": "d",
        "effect": {"label": "E", "kind": "problem"},
        "categories": [{"id": "m", "label": "M"}],
        "causes": [],
        "links": [],
    }
    doc.update(overrides)
    path.write_text(json.dumps(doc))
    return path


def test_validate_prints_one_line_per_problem(tmp_path):
    bad = write_doc(
        tmp_path / "bad.json",
        causes=[
            {"id": "a", "label": "A", "category": "m", "parent": "ghost"},
            {"id": "a", "label": "", "category": "m"},
        ],
        links=[{"source": "a", "target": "zz"}],
    )
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        f"{bad}: a: label is empty; write what this is",
        f"{bad}: a: id is used more than once; give each category and cause its own id",
        f"{bad}: a: parent 'ghost' does not exist; set parent to an existing cause id, or null to hang it on its bone",
        f"{bad}: links[0]: target 'zz' is not a cause id; link existing causes or remove the link",
        f"{bad}: 4 problem(s)",
    ]


def test_validate_names_unknown_fields(tmp_path):
    bad = write_doc(
        tmp_path / "bad.json",
        causes=[{"id": "c4", "label": "A", "category": "m", "colour": "red"}],
    )
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    assert "causes[0] (id 'c4'): unknown field 'colour'" in result.output


def test_malformed_json_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "schema": "fishbone/1",\n  "id": ,\n}')
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.output
    assert "Traceback" not in result.output


def test_missing_file_is_a_usage_error(tmp_path):
    result = invoke("validate", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.parametrize("ext", [".txt", ".csv", ".mmd", ".json"])
def test_convert_round_trips_through_each_format(tmp_path, ext):
    source = tmp_path / "cx.json"
    invoke("new", "-o", str(source))
    middle = tmp_path / f"cx{ext}"
    result = invoke("convert", str(source), "-o", str(middle))
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.json"
    result = invoke("convert", str(middle), "-o", str(back))
    assert result.exit_code == 0, result.output
    before, after = read_diagram(source), read_diagram(back)
    assert after.effect.label == before.effect.label
    assert [c.label for c in after.categories] == [c.label for c in before.categories]


def test_convert_refuses_an_invalid_diagram_and_writes_nothing(tmp_path):
    bad = write_doc(
        tmp_path / "bad.json", causes=[{"id": "a", "label": "A", "category": "zz"}]
    )
    out = tmp_path / "out.txt"
    result = invoke("convert", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert "category 'zz' does not exist" in result.output
    assert not out.exists()


def test_convert_to_unknown_extension_is_clear(tmp_path):
    source = tmp_path / "cx.json"
    invoke("new", "-o", str(source))
    result = invoke("convert", str(source), "-o", str(tmp_path / "cx.docx"))
    assert result.exit_code == 1
    assert ".docx" in result.output
    assert not (tmp_path / "cx.docx").exists()


def test_schema_prints_the_published_schema(tmp_path):
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json_schema()
    out = tmp_path / "schema.json"
    assert invoke("schema", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text()) == json_schema()


def test_every_command_has_help():
    for command in ("templates", "new", "validate", "convert", "schema", "serve"):
        result = invoke(command, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output
