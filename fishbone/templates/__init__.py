"""Built-in templates: category sets shipped as JSON data files in ``templates/data``.

Each file is ``{"name", "description", "diagram": <fishbone/1 document>}``.

Examples:
    >>> [t.name for t in list_templates()][:2]
    ['customer-experience', '6m']
    >>> d = load_template("customer-experience")
    >>> d.effect.label, d.effect.kind.value, len(d.categories)
    ('Superior customer experience', 'goal', 5)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from fishbone.exceptions import TemplateNotFound
from fishbone.model import Diagram

__all__ = ["ORDER", "Template", "list_templates", "load_template"]

ORDER: Final = (
    "customer-experience",
    "6m",
    "4s",
    "8p",
    "care",
    "service-excellence-diamond",
    "four-cornerstones",
    "five-core-competencies",
)
"""Display order: the reverse customer-experience fishbone first, then classics."""


@dataclass(frozen=True, slots=True)
class Template:
    """A built-in starting point: a name, where it fits, and its diagram."""

    name: str
    description: str
    diagram: Diagram


@cache
def _templates() -> dict[str, Template]:
    folder = resources.files(__package__) / "data"
    found: dict[str, Template] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            raw = json.loads(entry.read_text(encoding="utf-8"))
            diagram = Diagram.model_validate(raw["diagram"])
            found[raw["name"]] = Template(raw["name"], raw["description"], diagram)
    rank = {name: i for i, name in enumerate(ORDER)}
    return dict(
        sorted(found.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    )


def list_templates() -> list[Template]:
    """Return every built-in template, the customer-experience one first."""
    return list(_templates().values())


def load_template(name: str) -> Diagram:
    """Return a fresh copy of the named template's diagram.

    Raises:
        TemplateNotFound: when no template has that name.

    Examples:
        >>> load_template("nope")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.TemplateNotFound: no template named 'nope'; choose one of customer-experience, 6m, 4s, 8p, care, service-excellence-diamond, four-cornerstones, five-core-competencies (see `fishbone templates`)
    """
    templates = _templates()
    if name not in templates:
        raise TemplateNotFound(name, list(templates))
    return templates[name].diagram.model_copy(deep=True)
