import json
from pathlib import Path

import pytest

from fishbone import TemplateNotFound, find_problems
from fishbone.formats import generate_diagram, parse_diagram
from fishbone.templates import ORDER, list_templates, load_template

DATA = Path(__file__).parents[2] / "fishbone" / "templates" / "data"

EXPECTED = {
    "customer-experience": (
        "goal",
        ["Processes", "Systems", "Environment", "Frontline support", "Expectations"],
    ),
    "6m": (
        "problem",
        ["Man", "Machine", "Method", "Material", "Measurement", "Mother Nature"],
    ),
    "4s": ("problem", ["Surroundings", "Suppliers", "Systems", "Skills"]),
    "care": ("goal", ["Committed", "Attentive", "Responsive", "Empowered"]),
    "service-excellence-diamond": (
        "goal",
        ["Positive contact", "Service engagement", "Positive close"],
    ),
    "four-cornerstones": (
        "goal",
        [
            "Positive attitude and extra mile",
            "Respect, courtesy, kindness, empathy",
            "Proactive not reactive",
            "Dependable and responsible",
        ],
    ),
    "five-core-competencies": (
        "goal",
        [
            "Close-loop communication",
            "Empowerment",
            "Knowledge",
            "Ownership",
            "Change management",
        ],
    ),
}


def test_every_data_file_is_listed_in_order():
    names = [t.name for t in list_templates()]
    assert names == list(ORDER)
    assert sorted(p.stem for p in DATA.glob("*.json")) == sorted(ORDER)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_template_categories_and_kind(name):
    kind, labels = EXPECTED[name]
    diagram = load_template(name)
    assert diagram.effect.kind == kind
    assert [c.label for c in diagram.categories] == labels


def test_customer_experience_is_the_reverse_fishbone():
    diagram = load_template("customer-experience")
    assert diagram.effect.label == "Superior customer experience"


def test_8p_has_eight_categories():
    assert len(load_template("8p").categories) == 8


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.name)
def test_templates_are_valid_and_described(template):
    assert find_problems(template.diagram) == []
    assert len(template.description) > 40
    raw = json.loads((DATA / f"{template.name}.json").read_text())
    assert set(raw) == {"name", "description", "diagram"}


def test_load_returns_an_independent_copy():
    first = load_template("6m")
    first.categories.clear()
    assert len(load_template("6m").categories) == 6


def test_unknown_template_names_the_choices():
    with pytest.raises(TemplateNotFound, match="choose one of customer-experience, 6m"):
        load_template("7m")


@pytest.mark.parametrize("fmt", [".json", ".txt", ".csv", ".mmd"])
def test_templates_convert_to_every_format(fmt):
    diagram = load_template("customer-experience")
    back = parse_diagram(generate_diagram(diagram, format=fmt), format=fmt)
    assert [c.label for c in back.categories] == [c.label for c in diagram.categories]
    assert back.effect.label == diagram.effect.label
