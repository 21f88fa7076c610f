"""The workbooks an import hands out: the template (headers in the page's language, text-formatted code
columns, dropdowns, an instructions sheet) and the failed rows with an extra “错误说明” column."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from anjian.common.imports.cells import BOOL, CHOICE, CODE, DATE, FK, KIND_LABELS, TEXT_FORMATTED, as_text
from anjian.common.imports.results import ImportResult
from anjian.common.imports.specs import BoundColumn, ImportContext, ImportSpec, max_import_bytes
from anjian.common.text import join_clauses, join_list, labelled

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The extra column of a failed-rows file and the template's other sheets, named in the page's language.
ERROR_HEADER = gettext_lazy("错误说明")
INSTRUCTIONS_TITLE = gettext_lazy("填写说明")
OPTIONS_SHEET = gettext_lazy("下拉选项")
DROPDOWN_LIMIT = 1000
# Template rows that get the dropdowns and text format beyond the column style.
TEMPLATE_ROWS = 5000
ERROR_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


# ---------------------------------------------------------------------------
# Workbooks: template and failed rows
# ---------------------------------------------------------------------------
def _header_text(column: BoundColumn) -> str:
    return f"*{column.header}" if column.required else column.header


def _column_width(column: BoundColumn) -> int:
    if column.column.width:
        return column.column.width
    if column.kind == CODE:
        return 24
    if column.kind == DATE:
        return 14
    return max(12, min(40, len(column.header) * 2 + 6))


def _dropdown_values(column: BoundColumn, ctx: ImportContext) -> list[str]:
    if column.kind == CHOICE:
        return [str(label) for _value, label in column.choices]
    if column.kind == BOOL:
        return [_("是"), _("否")]
    lookup = column.column.lookup
    if column.kind == FK and lookup is not None and lookup.dropdown:
        qs = lookup.get_queryset(ctx).values_list(lookup.fields[0], flat=True)[:DROPDOWN_LIMIT]
        return [str(v) for v in dict.fromkeys(qs) if v not in (None, "")]
    return []


def _data_sheet(wb: Workbook, spec: ImportSpec, columns: list[BoundColumn], ctx: ImportContext, *, error_column: bool):
    ws = wb.active
    ws.title = spec.sheet_title
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = ws.cell(row=1, column=position, value=_header_text(column))
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        note = column.help or ""
        if column.column.example not in ("", None):
            example = labelled(_("示例"), as_text(column.column.example))
            note = f"{note}\n{example}".strip()
        if note:
            cell.comment = Comment(note, "Anjian", width=240, height=90)
        dim = ws.column_dimensions[letter]
        dim.width = _column_width(column)
        if column.kind in TEXT_FORMATTED:
            # The column's own style: what a person types in Excel stays text (leading zeros,
            # 18-digit codes). Excel and LibreOffice apply it to new cells of the column.
            dim.number_format = "@"
        elif column.kind == DATE:
            dim.number_format = "yyyy-mm-dd"
    if error_column:
        position = len(columns) + 1
        cell = ws.cell(row=1, column=position, value=str(ERROR_HEADER))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C00000")
        ws.column_dimensions[get_column_letter(position)].width = 60
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22
    return ws


def _add_dropdowns(wb: Workbook, ws, columns: list[BoundColumn], ctx: ImportContext, last_row: int) -> None:
    options_ws = None
    options_title = str(OPTIONS_SHEET)
    for position, column in enumerate(columns, start=1):
        values = _dropdown_values(column, ctx)
        if not values:
            continue
        if options_ws is None:
            options_ws = wb.create_sheet(options_title)
            options_ws.sheet_state = "hidden"
        option_col = get_column_letter(options_ws.max_column + 1 if options_ws.max_row > 1 else 1)
        if options_ws.cell(row=1, column=1).value is None:
            option_col = "A"
        options_ws[f"{option_col}1"] = column.header
        for i, value in enumerate(values, start=2):
            cell = options_ws[f"{option_col}{i}"]
            cell.value = value
            cell.data_type = "s"
        source = f"{quote_sheetname(options_title)}!${option_col}$2:${option_col}${len(values) + 1}"
        strict = column.kind in (CHOICE, BOOL)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=column.header,
            error=_("请从下拉列表中选择") if strict else _("该值不在下拉列表中，请确认系统中已有"),
        )
        letter = get_column_letter(position)
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(validation)


def _instructions_sheet(wb: Workbook, spec: ImportSpec, columns: list[BoundColumn], ctx: ImportContext) -> None:
    ws = wb.create_sheet(str(INSTRUCTIONS_TITLE))
    ws["A1"] = _("%(title)s导入说明") % {"title": spec.title}
    ws["A1"].font = Font(bold=True, size=14)
    notes = [
        _(
            "请在“%(sheet)s”工作表中填写，每行一条记录；第一行是列名，请勿修改列名（列的顺序可以调整，多出的列会被忽略）。"
        )
        % {"sheet": spec.sheet_title},
        _("列名前带 * 的列必须填写。"),
        _(
            "编码类的列（如统一社会信用代码、电话）已设为文本格式，请勿改为数字格式，以免 18 位代码或开头的 0 被 Excel 改写。"
        ),
        _("带下拉箭头的列请从下拉列表中选择；日期请按 2021-03-09 的格式填写。"),
        _("一次最多导入 %(rows)s 行，文件不超过 %(mb)s MB。")
        % {"rows": f"{spec.row_limit():,}", "mb": max_import_bytes() // (1024 * 1024)},
        _(
            "导入前可先“检查”：任何一行有错，整个文件都不会保存；系统列出出错的行号、列名和原因，并提供只含出错行（带“错误说明”列）的文件，改正后可直接重新上传。"
        ),
        *[str(n) for n in spec.notes],
    ]
    for i, note in enumerate(notes, start=3):
        ws.cell(row=i, column=1, value=f"{i - 2}. {note}")
    start = len(notes) + 4
    headers = [_("列名"), _("必填"), _("类型"), _("示例"), _("说明")]
    for position, text in enumerate(headers, start=1):
        cell = ws.cell(row=start, column=position, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for offset, column in enumerate(columns, start=1):
        help_text = column.help
        if column.kind == CHOICE and column.choices:
            choices = labelled(_("可选"), join_list(lbl for _v, lbl in column.choices))
            help_text = f"{help_text} {choices}".strip()
        row = start + offset
        values = [
            column.header,
            _("是") if column.required else _("否"),
            str(KIND_LABELS[column.kind]),
            as_text(column.column.example) if column.column.example not in ("", None) else "",
            help_text,
        ]
        for position, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=position, value=value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (22, 8, 26, 26, 60), strict=True):
        ws.column_dimensions[letter].width = width


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_template(spec: ImportSpec, *, actor=None, options: dict | None = None) -> bytes:
    """The downloadable template: headers in the page's language, text-formatted code columns, dropdowns, frozen
    header, and an instructions sheet listing every column with its type, example and help."""
    ctx = ImportContext(actor=actor, options=dict(options or {}))
    columns = spec.bind(ctx)
    wb = Workbook()
    ws = _data_sheet(wb, spec, columns, ctx, error_column=False)
    _instructions_sheet(wb, spec, columns, ctx)
    _add_dropdowns(wb, ws, columns, ctx, last_row=max(TEMPLATE_ROWS, spec.row_limit() + 1))
    wb.active = 0
    return _save(wb)


def _write_value(cell, value) -> None:
    """Echo a person's value back exactly: a string that looks like a formula stays text."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True


def failed_rows_workbook(spec: ImportSpec, result: ImportResult, *, actor=None, options: dict | None = None) -> bytes:
    """The failed rows, as uploaded, with an extra “错误说明” column; fix and upload it again."""
    ctx = ImportContext(actor=actor, options=dict(options or {}))
    columns = spec.bind(ctx)
    wb = Workbook()
    ws = _data_sheet(wb, spec, columns, ctx, error_column=True)
    by_row = result.errors_by_row()
    header_positions = {c.header: i for i, c in enumerate(columns, start=1)}
    out_row = 1
    for row_no in result.failed_row_numbers:
        cells = result.failed_cells.get(row_no, ())
        out_row += 1
        for position, column in enumerate(columns, start=1):
            value = cells[column.index] if column.index < len(cells) else None
            if value is None:
                continue
            cell = ws.cell(row=out_row, column=position)
            _write_value(cell, as_text(value) if column.kind in TEXT_FORMATTED else value)
            if column.kind == DATE and isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        reasons = []
        for error in by_row[row_no]:
            reasons.append(labelled(error.column, error.message) if error.column else error.message)
            if error.column in header_positions:
                ws.cell(row=out_row, column=header_positions[error.column]).fill = ERROR_FILL
        reason = _("（原第 %(row)s 行）") % {"row": row_no} + join_clauses(reasons)
        cell = ws.cell(row=out_row, column=len(columns) + 1)
        _write_value(cell, reason)
        cell.font = Font(color="C00000")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _add_dropdowns(wb, ws, columns, ctx, last_row=max(out_row, 2) + 1000)
    wb.active = 0
    return _save(wb)
