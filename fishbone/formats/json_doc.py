"""The ``fishbone/1`` JSON document: parse, generate, and its JSON Schema.

JSON holds everything a :class:`~fishbone.model.Diagram` holds. Parsing checks
the syntax (a :class:`~fishbone.exceptions.FormatError` with the line number)
and the schema (a :class:`~fishbone.exceptions.DiagramInvalid` with one
:class:`~fishbone.exceptions.Problem` per error, naming the cause or category
id and the field). Rules that span several causes (duplicate ids, missing
parents, cycles) are left to :func:`fishbone.graph.find_problems`, so that
``fishbone validate`` can read an invalid diagram and list all its problems.

Examples:
    >>> d = parse_json('{"schema": "fishbone/1", "id": "d", "effect": {"label": "E"}}')
    >>> parse_json(generate_json(d)) == d
    True
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from fishbone.exceptions import DiagramInvalid, FormatError, Problem
from fishbone.formats._text import TextInput, join_text
from fishbone.model import SCHEMA, Diagram

__all__ = ["SCHEMA_ID", "generate_json", "json_schema", "parse_json"]

SCHEMA_ID: Final = "urn:fishbone:schema:fishbone-1"
"""The ``$id`` of the published JSON Schema (``schema/fishbone-1.schema.json``)."""

_LISTS: Final = ("categories", "causes", "links")


def parse_json(text: TextInput, *, source: str = "<string>") -> Diagram:
    r"""Return the diagram in a ``fishbone/1`` JSON document.

    Args:
        text: the document, as one string or as lines.
        source: the file name to put in errors.

    Returns:
        The diagram (not yet checked by :func:`fishbone.graph.find_problems`).

    Raises:
        FormatError: when the text is not JSON or not a JSON object.
        DiagramInvalid: when the JSON does not fit the schema; one problem per error.

    Examples:
        >>> parse_json('{"id": "d", "effect": {"label": "Late trains"}}').effect.kind
        <EffectKind.PROBLEM: 'problem'>
        >>> parse_json('{"id": "d",\n "effect": {"label": "E"},}', source="d.json")
        Traceback (most recent call last):
        ...
        fishbone.exceptions.FormatError: d.json:2: invalid JSON: Expecting property name enclosed in double quotes (column 27); fix the syntax
        >>> parse_json('{"id": "d", "effect": {"label": "E", "colour": "red"}}')
        Traceback (most recent call last):
        ...
        fishbone.exceptions.DiagramInvalid: 1 problem(s) in <string>:
        <string>: effect: unknown field 'colour'; remove it or check its spelling (see `fishbone schema`)
    """
    try:
        data = json.loads(join_text(text).removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        message = f"invalid JSON: {exc.msg} (column {exc.colno}); fix the syntax"
        raise FormatError(message, source=source, line=exc.lineno) from None
    if not isinstance(data, dict):
        message = f'a diagram is a JSON object with "schema": "{SCHEMA}", not {_json_type(data)}'
        raise FormatError(message, source=source, line=1)
    try:
        return Diagram.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err, data) for err in exc.errors()]
        raise DiagramInvalid(problems, source=source) from None


def generate_json(diagram: Diagram) -> str:
    """Return the diagram as a pretty ``fishbone/1`` JSON document.

    Keys keep the model's order (``schema`` first), non-ASCII text is written
    as is, and the text ends with a newline, so equal diagrams give equal files.

    Examples:
        >>> from fishbone.model import Effect
        >>> print(generate_json(Diagram(id="d", effect=Effect(label="Café"))), end="")
        {
          "schema": "fishbone/1",
          "id": "d",
          "title": "",
          "effect": {
            "label": "Café",
            "kind": "problem"
          },
          "categories": [],
          "causes": [],
          "links": []
        }
    """
    data = diagram.model_dump(by_alias=True, mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a ``fishbone/1`` document (draft 2020-12).

    The same schema is committed as ``schema/fishbone-1.schema.json`` and printed
    by ``fishbone schema``.

    Examples:
        >>> s = json_schema()
        >>> s["$id"], s["properties"]["schema"]["const"]
        ('urn:fishbone:schema:fishbone-1', 'fishbone/1')
    """
    body = Diagram.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Fishbone diagram (fishbone/1)",
        **{k: v for k, v in body.items() if k != "title"},
    }


def _json_type(value: object) -> str:
    """Return the JSON name of a value's type, with an article."""
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _problem(err: ErrorDetails, data: Mapping[str, Any]) -> Problem:
    """Return the problem for one pydantic error: which object, which field, what to do."""
    loc = list(err["loc"])
    where, rest = _split_loc(loc, data)
    field = _field_path(rest)
    return Problem(where, _message(err, field))


def _split_loc(
    loc: Sequence[int | str], data: Mapping[str, Any]
) -> tuple[str, list[int | str]]:
    """Split an error location into the object it is in and the field path inside it."""
    if len(loc) >= 3 and loc[0] in _LISTS and isinstance(loc[1], int):
        return _item_name(str(loc[0]), loc[1], data), list(loc[2:])
    if len(loc) >= 2 and loc[0] == "effect":
        return "effect", list(loc[1:])
    return "diagram", list(loc)


def _item_name(key: str, index: int, data: Mapping[str, Any]) -> str:
    """Return ``causes[3] (id 'c4')``, or ``causes[3]`` when the item has no id."""
    item = data[key][index]
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{key}[{index}] (id {item['id']!r})"
    return f"{key}[{index}]"


def _field_path(rest: Sequence[int | str]) -> str:
    """Return ``signals[1]`` for the location ``('signals', 1)``."""
    path = ""
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path.lstrip(".")


def _message(err: ErrorDetails, field: str) -> str:
    """Return one sentence saying what is wrong with ``field`` and what to do."""
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return f"unknown field {field!r}; remove it or check its spelling (see `fishbone schema`)"
    if kind == "missing":
        return f"field {field!r} is missing; add it"
    if field == "schema":
        return f"schema {value!r} is not supported; this version reads {SCHEMA!r} only"
    if kind in {"enum", "literal_error"}:
        allowed = err.get("ctx", {}).get("expected", "")
        return f"field {field!r} is {value!r}; use one of {allowed}"
    return f"field {field!r} is {value!r}: {_lower_first(err['msg'])}; fix the value"


def _lower_first(text: str) -> str:
    """Return ``text`` with its first letter in lower case."""
    return text[:1].lower() + text[1:]
