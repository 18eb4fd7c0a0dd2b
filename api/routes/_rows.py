"""Feedback rows as sent (JSON objects or CSV cells) -> validated records, or a reason.

Each check names the field and what to do; a row either becomes a
:class:`~fishbone.store.RecordRow` or is rejected whole, so nothing half-valid
is stored. Free text is kept verbatim (it is data, never evaluated); short
structured fields (id, channel, segment, tags, causes) refuse spreadsheet
formulas (``=``, ``+``, ``-``, ``@`` first), which only come from a broken or
hostile export.

Examples:
    >>> v = RowValidator(scale=None, max_row_bytes=1000)
    >>> v.from_json({"id": 7, "text": "slow refund", "score": "4"})["score"]
    4.0
    >>> v.from_json({"id": "=HYPERLINK(1)", "text": "x"})
    Traceback (most recent call last):
    ...
    api.routes._rows.RowRejected: id looks like a spreadsheet formula ('=HYPERLINK(1)'); remove the leading '='
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, Final

from fishbone.records import Scale
from fishbone.store import RecordRow

__all__ = ["ALIASES", "FIELDS", "RowRejected", "RowValidator", "column_map"]

FIELDS: Final = (
    "id",
    "text",
    "score",
    "scale",
    "date",
    "channel",
    "segment",
    "tags",
    "causes",
    "ratings",
)
"""Field names of a feedback record."""

ALIASES: Final[dict[str, str]] = {
    "external_id": "id",
    "record_id": "id",
    "comment": "text",
    "comments": "text",
    "feedback": "text",
    "verbatim": "text",
    "nps": "score",
    "rating": "score",
    "csat": "score",
    "created": "date",
    "created_at": "date",
    "submitted": "date",
    "source": "channel",
    "tag": "tags",
    "cause": "causes",
}
"""Common CSV column names and the field each one means."""

_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST: Final = frozenset("=+-@\t\r")
_FIELD_SET: Final = frozenset(FIELDS)
_MAX_SHORT: Final = 200


class RowRejected(ValueError):
    """A row that cannot be stored; the message says why."""


def column_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Return column index -> field for a CSV header, and the columns ignored.

    Examples:
        >>> column_map(["ID", "Comment", "NPS", "store"])
        ({0: 'id', 1: 'text', 2: 'score'}, ['store'])
    """
    found: dict[int, str] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        key = name.strip().lower().replace(" ", "_")
        field = key if key in FIELDS else ALIASES.get(key)
        if field is None or field in found.values() or field == "ratings":
            ignored.append(name)
        else:
            found[i] = field
    return found, ignored


def _short(name: str, value: object, *, required: bool = False) -> str | None:
    if (
        type(value) is str
        and 0 < len(value) <= _MAX_SHORT
        and value[0] not in _FORMULA_FIRST
        and not value[0].isspace()
        and not value[-1].isspace()
    ):
        return value  # the common case, checked in one go
    if value is None or value == "":
        if required:
            raise RowRejected(f"{name} is missing; every record needs one")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowRejected(f"{name} must be a string, not {type(value).__name__}")
    text = str(value).strip()
    if not text:
        if required:
            raise RowRejected(f"{name} is empty; every record needs one")
        return None
    if len(text) > _MAX_SHORT:
        raise RowRejected(
            f"{name} is {len(text)} characters long; the limit is {_MAX_SHORT}"
        )
    if text.startswith(_FORMULA) and not _is_number(text):
        raise RowRejected(
            f"{name} looks like a spreadsheet formula ({text!r}); remove the leading {text[0]!r}"
        )
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _list(name: str, value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in value.replace(",", ";").split(";") if part.strip()]
    if not isinstance(value, list):
        raise RowRejected(
            f"{name} must be a list of strings, not {type(value).__name__}"
        )
    out = []
    for item in value:
        text = _short(name, item)
        if text is not None:
            out.append(text)
    return out


class RowValidator:
    """Checks rows for one dataset (its scale) under one row-size limit."""

    def __init__(self, *, scale: str | None, max_row_bytes: int) -> None:
        self.scale = Scale.parse(scale) if scale else None
        self.max_row_bytes = max_row_bytes

    def _score(self, value: object) -> float | None:
        kind = type(value)
        if kind is int or kind is float:
            score = float(value)  # type: ignore[arg-type]
            if math.isfinite(score) and (
                self.scale is None or self.scale.low <= score <= self.scale.high
            ):
                return score
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise RowRejected(f"score must be a number, not {type(value).__name__}")
        try:
            score = float(value)
        except ValueError:
            raise RowRejected(f"score {value!r} is not a number") from None
        if not math.isfinite(score):
            raise RowRejected(f"score {value!r} is not a finite number")
        if self.scale is not None and not self.scale.contains(score):
            raise RowRejected(
                f"score {score:g} is off the {self.scale.name} scale {self.scale.low:g}-{self.scale.high:g}"
            )
        return score

    def _scale(self, value: object) -> None:
        if value is None or value == "":
            return
        if not isinstance(value, str):
            raise RowRejected(f"scale must be a string, not {type(value).__name__}")
        given = Scale.parse(value) if value.strip() else None
        if given is not None and given != self.scale:
            mine = self.scale.name if self.scale else "none"
            raise RowRejected(
                f"scale {value!r} differs from the dataset's scale ({mine}); send records of one scale per dataset"
            )

    @staticmethod
    def _date(value: object) -> str | None:
        if type(value) is str and len(value) == 10:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return value
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise RowRejected(
                f"date must be an ISO date string, not {type(value).__name__}"
            )
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            raise RowRejected(
                f"date {value!r} is not an ISO date like 2025-03-31"
            ) from None

    @staticmethod
    def _ratings(value: object) -> dict[str, float] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise RowRejected("ratings must be an object of cause id -> number")
        out: dict[str, float] = {}
        for key, number in value.items():
            if (
                isinstance(number, bool)
                or not isinstance(number, int | float)
                or not math.isfinite(number)
            ):
                raise RowRejected(f"ratings[{key!r}] must be a finite number")
            out[str(key)] = float(number)
        return out

    def _text(self, value: object) -> str:
        if (
            type(value) is str
            and len(value) * 4 <= self.max_row_bytes
            and "\x00" not in value
        ):
            return value
        if value is None:
            return ""
        if not isinstance(value, str):
            raise RowRejected(f"text must be a string, not {type(value).__name__}")
        if (
            len(value) * 4 > self.max_row_bytes
            and len(value.encode()) > self.max_row_bytes
        ):
            raise RowRejected(
                f"text is over the row limit of {self.max_row_bytes} bytes (max_row_bytes)"
            )
        if "\x00" in value:
            raise RowRejected("text contains a NUL character; remove it")
        return value

    def from_json(self, raw: object) -> RecordRow:
        """Return the record in a JSON object.

        Raises:
            RowRejected: when the object is not a valid record.
        """
        if not isinstance(raw, Mapping):
            raise RowRejected(
                f"a record must be a JSON object, not {type(raw).__name__}"
            )
        if raw.keys() - _FIELD_SET:
            unknown = [k for k in raw if k not in _FIELD_SET]
            raise RowRejected(f"unknown field {unknown[0]!r}; use {', '.join(FIELDS)}")
        return self._build(raw)

    def _build(self, raw: Mapping[str, Any]) -> RecordRow:
        get = raw.get
        ext_id = _short("id", get("id"), required=True)
        assert ext_id is not None
        if get("scale") is not None:
            self._scale(get("scale"))
        text, score, date = get("text"), get("score"), get("date")
        channel, segment = get("channel"), get("segment")
        tags, causes, ratings = get("tags"), get("causes"), get("ratings")
        row = RecordRow(
            ext_id=ext_id,
            text="" if text is None else self._text(text),
            score=None if score is None else self._score(score),
            date=None if date is None else self._date(date),
            channel=None if channel is None else _short("channel", channel),
            segment=None if segment is None else _short("segment", segment),
            tags=_list("tags", tags) if tags else [],
            causes=_list("causes", causes) if causes else [],
            ratings=None if ratings is None else self._ratings(ratings),
        )
        if not row["text"] and row["score"] is None and not row["causes"]:
            raise RowRejected(
                "the record has no text, score or causes; send at least one"
            )
        return row

    def from_cells(self, cells: list[str], columns: Mapping[int, str]) -> RecordRow:
        """Return the record in a CSV row, given the header's column map.

        Raises:
            RowRejected: when the row is not a valid record.
        """
        return self._build(
            {
                field: cells[i] if i < len(cells) else None
                for i, field in columns.items()
            }
        )
