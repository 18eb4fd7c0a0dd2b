"""Dates of feedback records: ISO 8601 and the common day/month forms, ambiguity declared.

``2024-03-15`` (with or without a time), ``2024/03/15``, ``15 Mar 2024``,
``March 15, 2024`` and numeric ``15/03/2024`` forms are read. A numeric date whose
day and month could be swapped (``03/04/2024``) is ambiguous: it is an error unless
the order is declared with ``date_format`` (``"dmy"``, ``"mdy"``, ``"ymd"`` or a
``strptime`` format such as ``"%d/%m/%Y"``). Dates become whole days.

Examples:
    >>> import numpy as np
    >>> p = DateParser()
    >>> [
    ...     str(np.datetime64(p.parse(s), "D"))
    ...     for s in ["2024-03-15T10:00Z", "15 Mar 2024", "25/12/2024"]
    ... ]
    ['2024-03-15', '2024-03-15', '2024-12-25']
    >>> p.parse("03/04/2024")
    Traceback (most recent call last):
    ...
    fishbone.feedback_dates.AmbiguousDate: date '03/04/2024' could be day/month or month/day; declare the order with date_format='dmy' or 'mdy' (--date-format)
    >>> DateParser("dmy").parse("03/04/2024") == DateParser().parse("2024-04-03")
    True
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from fishbone.exceptions import FeedbackError

__all__ = ["CACHE_LIMIT", "AmbiguousDate", "DateParser", "InvalidDate"]

CACHE_LIMIT: Final = 100_000
"""Distinct date strings remembered; past this the cache starts again."""
_EPOCH: Final = dt.date(1970, 1, 1)
_ISO: Final = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$")
_NUMERIC: Final = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[T ].*)?$")
_DAY_MONTH: Final = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -](\d{4})$"
)
_MONTH_DAY: Final = re.compile(
    r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$"
)
_MONTHS: Final = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ORDERS: Final = {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y", "ymd": "%Y/%m/%d"}


class InvalidDate(ValueError):
    """A value that is not a date; the message is the row's rejection reason."""


class AmbiguousDate(FeedbackError):
    """A numeric date whose day and month could be swapped, with no declared order."""


class DateParser:
    """Parse date strings to days since 1970-01-01, caching repeated values.

    Args:
        date_format: ``None`` (ISO and unambiguous forms), ``"dmy"``, ``"mdy"``,
            ``"ymd"`` or a ``strptime`` format.

    Raises:
        FeedbackError: when ``date_format`` is neither an order nor a format.

    Examples:
        >>> DateParser("%Y%m%d").parse("20240315") == DateParser().parse("2024-03-15")
        True
    """

    def __init__(self, date_format: str | None = None) -> None:
        if (
            date_format is not None
            and date_format not in _ORDERS
            and "%" not in date_format
        ):
            raise FeedbackError(
                f"unknown date_format {date_format!r}; use dmy, mdy, ymd or a strptime format such as '%d/%m/%Y'"
            )
        self.date_format = date_format
        self._cache: dict[str, int | InvalidDate] = {}

    def parse(self, value: str) -> int:
        """Return the day number of ``value``.

        Raises:
            InvalidDate: when ``value`` is not a date (a row-level problem).
            AmbiguousDate: when day and month could be swapped and no order is declared.

        Examples:
            >>> DateParser().parse("1970-01-02")
            1
        """
        found = self._cache.get(value)
        if found is None:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            try:
                found = self._parse(value.strip())
            except InvalidDate as exc:
                found = exc
            self._cache[value] = found
        if isinstance(found, InvalidDate):
            raise found
        return found

    def _parse(self, text: str) -> int:
        if self.date_format is not None and "%" in self.date_format:
            return _days_strptime(text, self.date_format)
        if m := _ISO.match(text):
            return _days(text, int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            return self._numeric(text, int(m[1]), int(m[3]), _year(m[4]))
        if m := _DAY_MONTH.match(text):
            return _days(text, int(m[3]), _month(text, m[2]), int(m[1]))
        if m := _MONTH_DAY.match(text):
            return _days(text, int(m[3]), _month(text, m[1]), int(m[2]))
        raise InvalidDate(
            f"date {text!r} is not a date; use ISO 8601 such as 2024-03-15"
        )

    def _numeric(self, text: str, a: int, b: int, year: int) -> int:
        order = self.date_format
        if order == "ymd":
            raise InvalidDate(
                f"date {text!r} is not year-first as date_format='ymd' says"
            )
        if order is None:
            if a <= 12 and b <= 12 and a != b:
                raise AmbiguousDate(
                    f"date {text!r} could be day/month or month/day; declare the order with date_format='dmy' or 'mdy' (--date-format)"
                )
            order = "mdy" if b > 12 else "dmy"
        day, month = (a, b) if order == "dmy" else (b, a)
        return _days(text, year, month, day)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month(text: str, name: str) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise InvalidDate(f"date {text!r} has no month named {name!r}")
    return month


def _days(text: str, year: int, month: int, day: int) -> int:
    try:
        return (dt.date(year, month, day) - _EPOCH).days
    except ValueError:
        raise InvalidDate(
            f"date {text!r} does not exist (year {year}, month {month}, day {day})"
        ) from None


def _days_strptime(text: str, fmt: str) -> int:
    try:
        return (dt.datetime.strptime(text, fmt).date() - _EPOCH).days
    except ValueError:
        raise InvalidDate(f"date {text!r} does not match date_format {fmt!r}") from None
