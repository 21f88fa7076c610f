"""The outcome of checking or importing one file: every error by row (as Excel numbers it) and column
header, the failed rows' cells, and the counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

if TYPE_CHECKING:
    from anjian.common.imports.specs import BoundColumn, ImportContext, ImportSpec


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    row: int  # as Excel shows it; 0 for the file as a whole
    column: str  # the column header; '' for the whole row
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    spec_name: str
    filename: str = ""
    sha256: str = ""
    dry_run: bool = False
    total: int = 0
    saved: int = 0
    created_ids: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    warnings: list[str] = field(default_factory=list)
    columns: list[BoundColumn] = field(default_factory=list)
    failed_cells: dict[int, tuple] = field(default_factory=dict)  # row number → the failed row's cells

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def failed_row_numbers(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    def add_error(self, row: int, column: str, message) -> None:
        self.errors.append(RowError(row, str(column or ""), str(message)))

    def add_validation_error(self, row: int, exc: ValidationError, spec: ImportSpec, ctx: ImportContext) -> None:
        for name, errors in (
            exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
        ).items():
            for error in errors:
                for message in error.messages:
                    self.add_error(row, spec.header_for(name, ctx, error), message)

    def errors_by_row(self) -> dict[int, list[RowError]]:
        out: dict[int, list[RowError]] = defaultdict(list)
        for error in self.errors:
            out[error.row].append(error)
        return out

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "import": self.spec_name,
            "file": self.filename,
            "sha256": self.sha256,
            "rows": self.total,
            "saved": 0 if (self.dry_run or not self.ok) else self.saved,
            "file_error": self.file_error,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": list(self.warnings),
        }

    def summary(self, *, shown_errors: int = 500, **extra) -> dict:
        """What a queued import keeps of its result (``ImportJob.result``): the counts, the first
        ``shown_errors`` errors and ``extra`` (the failed-rows sheet's token, …); JSON."""
        return {
            **self.as_dict(),
            "errors": [e.as_dict() for e in self.errors[:shown_errors]],
            "error_count": len(self.errors),
            "failed_count": len(self.failed_row_numbers),
            **extra,
        }

    @classmethod
    def from_summary(cls, data: dict) -> ImportResult:
        """The result again from ``summary()``, as far as the result page shows it."""
        return cls(
            spec_name=data.get("import", ""),
            filename=data.get("file", ""),
            sha256=data.get("sha256", ""),
            dry_run=bool(data.get("dry_run")),
            total=int(data.get("rows") or 0),
            saved=int(data.get("saved") or 0),
            errors=[RowError(int(e["row"]), e["column"], e["message"]) for e in data.get("errors", [])],
            file_error=data.get("file_error", ""),
            warnings=list(data.get("warnings", [])),
        )
