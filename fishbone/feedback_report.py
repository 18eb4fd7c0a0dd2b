"""The report of a feedback import: rows read, inserted, rejected (line and reason), duplicates, scale.

Examples:
    >>> r = ImportReport(
    ...     source="f.csv",
    ...     rows_read=2,
    ...     inserted=1,
    ...     rejected=[Rejection(3, "score 'x' is not a number")],
    ... )
    >>> print(r)
    f.csv: 2 rows read, 1 inserted, 1 skipped
    line 3: score 'x' is not a number
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fishbone.records import FeedbackTable, Scale

__all__ = ["ImportReport", "ImportResult", "Rejection"]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not imported: where it starts and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    """What an import did, row by row where it matters.

    Attributes:
        source: the file name (``<string>`` for text).
        format: ``csv``, ``json`` or ``ndjson``.
        rows_read: data rows seen (blank lines aside).
        inserted: rows in the table.
        rejected: every skipped row with its line and reason.
        duplicates: rows replaced by a later row with the same id.
        duplicate_ids: a few ``(id, line of the replaced row)`` examples.
        scale: the score scale used; ``scale_note`` says whether given or guessed, and why.
        columns: role -> column, as found or mapped.
        ignored_columns: columns that no role used.
    """

    source: str = "<string>"
    format: str = "csv"
    rows_read: int = 0
    inserted: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: int = 0
    duplicate_ids: list[tuple[str, int]] = field(default_factory=list)
    scale: Scale | None = None
    scale_note: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """How many rows were rejected."""
        return len(self.rejected)

    def __str__(self) -> str:
        dup = f", {self.duplicates} duplicate{'s' * (self.duplicates != 1)} replaced (last wins)"
        lines = [
            f"{self.source}: {self.rows_read} rows read, {self.inserted} inserted, {self.skipped} skipped"
            + (dup if self.duplicates else "")
        ]
        if self.scale is not None:
            lines.append(f"scale: {self.scale.name} ({self.scale_note})")
        lines += [str(r) for r in self.rejected]
        return "\n".join(lines)


@dataclass(slots=True)
class ImportResult:
    """The imported table and the report of how it was read."""

    table: FeedbackTable
    report: ImportReport
