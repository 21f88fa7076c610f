"""Reads of the discretion benchmark."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from anjian.enforcement.choices import BenchmarkStatus
from anjian.enforcement.models import PenaltyBenchmark, PenaltyBenchmarkRow
from anjian.hazards.rules import CriteriaError


def effective_benchmark(on: dt.date | None = None) -> PenaltyBenchmark | None:
    """The version in effect on ``on`` (default today, Asia/Shanghai): status 生效, started on or before
    the day and not yet ended; the latest-starting one if several overlap."""
    on = on or timezone.localdate()
    return (
        PenaltyBenchmark.objects.filter(status=BenchmarkStatus.EFFECTIVE, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from", "-pk")
        .first()
    )


def benchmark_for(*, edition: str | None = None, on: dt.date | None = None) -> PenaltyBenchmark:
    if edition:
        found = PenaltyBenchmark.objects.filter(edition=edition).first()
        if found is None:
            raise CriteriaError(gettext("字段 benchmark：没有版本号为 %(v)s 的裁量基准") % {"v": edition})
        return found
    found = effective_benchmark(on)
    if found is None:
        raise CriteriaError(
            gettext("%(d)s 没有生效的裁量基准：请法制部门导入并发布") % {"d": on or timezone.localdate()}
        )
    return found


def violation_rows(benchmark: PenaltyBenchmark, violation_code: str) -> list[dict]:
    rows = PenaltyBenchmarkRow.objects.filter(benchmark=benchmark, violation_code=violation_code).select_related(
        "benchmark"
    )
    return [row.as_rule_row() for row in rows]


def violations(benchmark: PenaltyBenchmark) -> list[tuple[str, str]]:
    """(violation_code, violation) of a version, in its order — the calculator's choices."""
    seen = {}
    for code, text in benchmark.rows.order_by("position", "pk").values_list("violation_code", "violation"):
        seen.setdefault(code, text)
    return list(seen.items())
