"""Errors raised by fishbone, one tree rooted at :class:`FishboneError`.

Each error also subclasses the builtin it resembles, so callers may catch either::

    FishboneError
    ├── FormatError(ValueError)          a file or text could not be read; names file and line
    ├── DiagramInvalid(ValueError)       a diagram breaks the model's rules; carries the problems
    ├── CauseNotFound(KeyError)          a cause id that the diagram does not have
    ├── TemplateNotFound(KeyError)       a template name that is not built in
    ├── FeedbackError(ValueError)        feedback data that cannot be imported or ranked
    └── RenderError(RuntimeError)        a diagram could not be drawn (Graphviz failed, bad option)

Examples:
    >>> try:
    ...     raise CauseNotFound("c9")
    ... except KeyError as exc:
    ...     print(exc)
    no cause with id 'c9'; check the id with `fishbone validate`
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CauseNotFound",
    "DiagramInvalid",
    "FeedbackError",
    "FishboneError",
    "FormatError",
    "Problem",
    "RenderError",
    "TemplateNotFound",
]


class FishboneError(Exception):
    """Base class of every error fishbone raises on purpose."""


class FormatError(FishboneError, ValueError):
    """A file or text could not be parsed.

    Args:
        message: what is wrong and what to do, one sentence.
        source: the file name (or ``"<string>"``).
        line: 1-based line number, when known.
        field: dotted path of the offending field, when known.

    Examples:
        >>> str(
        ...     FormatError(
        ...         "unknown field 'colour'", source="cx.json", field="causes[2]"
        ...     )
        ... )
        "cx.json: causes[2]: unknown field 'colour'"
        >>> str(FormatError("bad indent", source="x.txt", line=4))
        'x.txt:4: bad indent'
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<string>",
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        if self.field:
            where = f"{where}: {self.field}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a diagram: where it is and what to do.

    Examples:
        >>> str(
        ...     Problem(
        ...         "c3",
        ...         "parent 'c9' does not exist; set parent to an existing cause id or null",
        ...     )
        ... )
        "c3: parent 'c9' does not exist; set parent to an existing cause id or null"
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class DiagramInvalid(FishboneError, ValueError):
    """A diagram breaks the model's rules; ``problems`` lists every one."""

    def __init__(
        self, problems: Sequence[Problem], *, source: str = "<diagram>"
    ) -> None:
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"{source}: {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in {source}:\n{lines}")


class CauseNotFound(FishboneError, KeyError):
    """A cause id the diagram does not have."""

    def __init__(self, cause_id: str) -> None:
        self.cause_id = cause_id
        super().__init__(cause_id)

    def __str__(self) -> str:
        return (
            f"no cause with id {self.cause_id!r}; check the id with `fishbone validate`"
        )


class TemplateNotFound(FishboneError, KeyError):
    """A template name that is not built in."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(name)

    def __str__(self) -> str:
        return (
            f"no template named {self.name!r}; "
            f"choose one of {', '.join(self.known)} (see `fishbone templates`)"
        )


class FeedbackError(FishboneError, ValueError):
    """Feedback data that cannot be imported or ranked."""


class RenderError(FishboneError, RuntimeError):
    """A diagram could not be drawn: Graphviz failed or timed out, or an option is wrong.

    Examples:
        >>> str(RenderError("Graphviz 'neato' not found; install the graphviz package"))
        "Graphviz 'neato' not found; install the graphviz package"
    """
