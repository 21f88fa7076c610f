"""Excel import of a discretion benchmark's rows into a draft version (the shared pipeline:
template, 检查 then 导入, errors by row and column, all or nothing), so the legal office loads the
published Shanghai table instead of typing it; the rows list's export has the same headers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import CHOICE, CODE, DECIMAL, TEXT, Column, ImportContext, ImportSpec
from anjian.enforcement import services
from anjian.enforcement.forms import BenchmarkRowForm, RowImportOptionsForm
from anjian.enforcement.models import PenaltyBenchmarkRow
from anjian.enforcement.permissions import EDITORS

COLUMNS = [
    Column(_("编号"), "code", kind=CODE, required=True, unique=True, example="AQ65-1"),
    Column(_("违法行为编码"), "violation_code", kind=CODE, required=True, example="AQ-65"),
    Column(_("违法行为"), "violation", kind=TEXT, required=True, example="未编制专项施工方案，逾期未改正"),
    Column(_("违法依据"), "legal_basis", kind=TEXT, required=True, example="《建设工程安全生产管理条例》第二十六条"),
    Column(_("处罚依据"), "penalty_basis", kind=TEXT, required=True, example="《建设工程安全生产管理条例》第六十五条"),
    Column(_("裁量等级"), "level", kind=CHOICE, required=True, example="轻微"),
    Column(_("违法情节"), "circumstances", kind=TEXT, example="逾期未改正，涉及一项"),
    Column(_("罚款下限（元）"), "fine_min", kind=DECIMAL, example="100000"),
    Column(_("罚款上限（元）"), "fine_max", kind=DECIMAL, example="150000"),
    Column(_("违法所得倍数下限"), "multiple_min", kind=DECIMAL),
    Column(_("违法所得倍数上限"), "multiple_max", kind=DECIMAL),
    Column(_("其他处罚"), "other_penalties", kind=TEXT, example="责令停业整顿"),
]
# The rows list's export: the import's headers, so an exported version, corrected, imports into a new draft.
EXPORT_COLUMNS = [(c.header, "get_level_display" if c.field == "level" else c.field) for c in COLUMNS]


class BenchmarkRowImport(ImportSpec):
    name = "enforcement_benchmark_rows"
    title = _("裁量基准行")
    model = PenaltyBenchmarkRow
    form_class = BenchmarkRowForm
    options_form_class = RowImportOptionsForm
    required_roles = tuple(EDITORS)
    columns = COLUMNS
    notes = [
        _("同一违法行为的各裁量等级（轻微、一般、较重、严重）各占一行，共用违法行为编码。"),
        _("罚款幅度填“罚款下限/上限（元）”，按违法所得倍数处罚的填倍数；两者都填时，有违法所得按倍数计算。"),
        _("导入到草稿版本；检查无误后在裁量基准页面发布生效。"),
    ]

    def row_defaults(self, ctx: ImportContext) -> dict:
        return {}

    def write(self, rows, ctx, result) -> None:
        row_numbers = [row_no for row_no, _form in rows]
        saved, errors = services.rows_register(
            actor=ctx.actor, benchmark=ctx.options["benchmark"], rows=[form.service_data() for _r, form in rows]
        )
        for index, error in sorted(errors.items()):
            result.add_validation_error(row_numbers[index], error, self, ctx)
        result.saved += len(saved)
        result.created_ids.extend(obj.pk for obj in saved)
