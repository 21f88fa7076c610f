"""Writes of the discretion benchmark, and the calculator (pages, the API, the Excel import, the demo
and ``anjian rule penalty_discretion`` all come here).

A version is written as a draft: its header (``benchmark_save``) and its rows in batches
(``rows_register``: validated in memory, one ``bulk_create`` with bulk audit events, or nothing, with
the errors by row). ``benchmark_activate`` puts a draft into effect — the version in effect before it
ends on the day the new one starts — and ``benchmark_retire`` ends one. Only a draft's rows change:
a decision taken under a version must be recomputable from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from anjian.common.exceptions import DomainError
from anjian.common.scope import allowed_roles, has_role
from anjian.common.services import apply_fields, lock_for_update, save_validated, service
from anjian.common.validation import clean_many
from anjian.enforcement import selectors
from anjian.enforcement.choices import BenchmarkStatus
from anjian.enforcement.models import PenaltyBenchmark, PenaltyBenchmarkRow
from anjian.enforcement.rules.discretion import propose_penalty

BENCHMARK_FIELDS = ("title", "document_no", "edition", "effective_from", "effective_to", "is_example", "notes")
ROW_FIELDS = (
    "code",
    "violation_code",
    "violation",
    "legal_basis",
    "penalty_basis",
    "level",
    "circumstances",
    "fine_min",
    "fine_max",
    "multiple_min",
    "multiple_max",
    "other_penalties",
)


def _require(actor, model, action: str) -> None:
    if actor is not None and not has_role(actor, *allowed_roles(model, action)):
        raise PermissionDenied(_("只有法制审核员可以维护裁量基准"))


def _draft_only(benchmark: PenaltyBenchmark) -> None:
    if benchmark.status != BenchmarkStatus.DRAFT:
        raise DomainError(
            _("裁量基准 %(b)s 已%(s)s，其内容不能再修改；请另建新版本")
            % {"b": benchmark, "s": benchmark.get_status_display()}
        )


@service
def benchmark_save(
    *, actor, data: dict, benchmark: PenaltyBenchmark | None = None, version: int | None = None
) -> PenaltyBenchmark:
    """Create a draft version, or change a version's header (a version in effect keeps its edition
    and start: only its notes and end date change)."""
    if benchmark is None:
        _require(actor, PenaltyBenchmark, "add")
        benchmark = PenaltyBenchmark(status=BenchmarkStatus.DRAFT)
        apply_fields(benchmark, data, BENCHMARK_FIELDS)
    else:
        _require(actor, PenaltyBenchmark, "change")
        benchmark = lock_for_update(benchmark, version)
        fields = BENCHMARK_FIELDS if benchmark.status == BenchmarkStatus.DRAFT else ("notes", "effective_to")
        apply_fields(benchmark, data, fields)
    return save_validated(benchmark)


@service
def rows_register(
    *, actor, benchmark: PenaltyBenchmark, rows: Sequence[dict]
) -> tuple[list[PenaltyBenchmarkRow], dict[int, ValidationError]]:
    """Add rows to a draft version, all or nothing; errors by row index, on the field they concern."""
    _require(actor, PenaltyBenchmarkRow, "add")
    benchmark = lock_for_update(benchmark, None)
    _draft_only(benchmark)
    errors: dict[int, ValidationError] = {}
    built: list[tuple[int, PenaltyBenchmarkRow]] = []
    start = (benchmark.rows.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    seen_codes: dict[str, int] = {}
    seen_levels: dict[tuple[str, str], int] = {}
    for index, data in enumerate(rows):
        row = PenaltyBenchmarkRow(benchmark=benchmark, position=start + index)
        apply_fields(row, dict(data), ROW_FIELDS)
        row.code = (row.code or "").strip()
        row.violation_code = (row.violation_code or "").strip()
        problems = {}
        if row.code in seen_codes:
            problems["code"] = _("编号 %(c)s 与第 %(n)s 行重复") % {"c": row.code, "n": seen_codes[row.code] + 1}
        key = (row.violation_code, row.level)
        if row.violation_code and row.level and key in seen_levels:
            problems["level"] = _("违法行为 %(v)s 的该裁量等级已在第 %(n)s 行") % {
                "v": row.violation_code,
                "n": seen_levels[key] + 1,
            }
        seen_codes.setdefault(row.code, index)
        seen_levels.setdefault(key, index)
        if problems:
            errors[index] = ValidationError(problems)
        built.append((index, row))
    for position, exc in clean_many([r for _i, r in built]).items():
        index = built[position][0]
        errors[index] = (
            ValidationError(exc.update_error_dict(errors[index].update_error_dict({}))) if index in errors else exc
        )
    if errors:
        return [], dict(sorted(errors.items()))
    return PenaltyBenchmarkRow.objects.bulk_create([r for _i, r in built], batch_size=1000), {}


@service
def benchmark_activate(*, actor, benchmark: PenaltyBenchmark, version: int | None = None) -> PenaltyBenchmark:
    """Put a draft into effect from its 施行日期. The version in effect before (without an end, or ending
    after this one starts) ends on that day, so exactly one version is in effect on any day after."""
    _require(actor, PenaltyBenchmark, "change")
    benchmark = lock_for_update(benchmark, version)
    _draft_only(benchmark)
    if not benchmark.rows.exists():
        raise DomainError(_("裁量基准 %(b)s 还没有任何行，不能发布") % {"b": benchmark})
    earlier = PenaltyBenchmark.objects.select_for_update().filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=benchmark.effective_from),
        status=BenchmarkStatus.EFFECTIVE,
        effective_from__lt=benchmark.effective_from,
    )
    for old in earlier:
        old.effective_to = benchmark.effective_from
        save_validated(old)
    clash = PenaltyBenchmark.objects.filter(
        status=BenchmarkStatus.EFFECTIVE, effective_from__gte=benchmark.effective_from
    ).first()
    if clash is not None:
        raise DomainError(
            _("已有 %(d)s 起施行的生效版本 %(b)s：新版本的施行日期须晚于它")
            % {"d": clash.effective_from.isoformat(), "b": clash}
        )
    benchmark.status = BenchmarkStatus.EFFECTIVE
    return save_validated(benchmark)


@service
def benchmark_retire(
    *, actor, benchmark: PenaltyBenchmark, on: dt.date, version: int | None = None
) -> PenaltyBenchmark:
    _require(actor, PenaltyBenchmark, "change")
    benchmark = lock_for_update(benchmark, version)
    if benchmark.status != BenchmarkStatus.EFFECTIVE:
        raise DomainError(_("只有生效的裁量基准可以废止"))
    benchmark.status = BenchmarkStatus.RETIRED
    benchmark.effective_to = on
    return save_validated(benchmark)


def propose(
    *,
    violation: str,
    harm: str,
    corrected: bool = False,
    first_offence: bool = False,
    factors: Sequence[str] = (),
    illegal_income=None,
    chosen_fine=None,
    on: str | dt.date | None = None,
    benchmark: str | None = None,
    version: str | None = None,
) -> dict:
    """The calculator: the benchmark version in effect on ``on`` (or the edition named) → its rows of
    ``violation`` → ``rules.discretion.propose_penalty``. The page and the command line call this."""
    if isinstance(on, str):
        on = dt.date.fromisoformat(on)
    found = selectors.benchmark_for(edition=benchmark, on=on)
    result = propose_penalty(
        rows=selectors.violation_rows(found, violation),
        harm=harm,
        corrected=corrected,
        first_offence=first_offence,
        factors=list(factors),
        illegal_income=illegal_income,
        chosen_fine=chosen_fine,
        version=version,
    )
    result["benchmark"] = {"edition": found.edition, "title": found.title, "is_example": found.is_example}
    return result
