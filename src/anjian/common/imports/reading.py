"""Reading the uploaded sheet: openpyxl in read-only mode, the header row found by name (in any order, in
any of the site's languages), blank rows skipped, cells normalised."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from anjian.common.imports.cells import as_text, fold, normalise_cell
from anjian.common.imports.sheets import SheetXMLError, iter_values
from anjian.common.imports.specs import BoundColumn, ImportContext, ImportSpec, in_every_language
from anjian.common.imports.workbooks import ERROR_HEADER
from anjian.common.text import join_list

# Headers are looked for in the first rows (a title row above the header is common).
HEADER_SEARCH_ROWS = 20
# After this many consecutive blank rows the sheet is taken to have ended: Excel often leaves
# thousands of formatted but empty rows behind, and reading them would only cost time.
TRAILING_BLANK_ROWS = 2000
# A progress callback (see ``run_import``) hears of the reading every this many sheet rows.
PROGRESS_EVERY = 500


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, a required column missing, too big)."""

    def __init__(self, message) -> None:
        self.message = str(message)
        super().__init__(self.message)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def header_key(text) -> str:
    key = fold(as_text(text))
    key = key.lstrip("*")
    for suffix in ("(必填)", "(选填)", "(可选)"):
        key = key.removesuffix(suffix)
    return key.rstrip("*")


@dataclass
class ParsedFile:
    columns: list[BoundColumn]  # the spec's columns present in the file
    rows: list[tuple[int, tuple]]  # (row number, cells aligned to the spec's columns; None where absent)
    header_row: int
    warnings: list[str]


def read_rows(spec: ImportSpec, fileobj, ctx: ImportContext | None = None, *, progress=None) -> ParsedFile:
    """Stream the data sheet in read-only mode: header row by name, blank rows skipped, cells normalised.
    ``progress("read", rows_read, 0)`` is called every ``PROGRESS_EVERY`` sheet rows when given."""
    ctx = ctx or ImportContext()
    bound = spec.bind(ctx)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an .xlsx workbook
        raise _not_a_workbook() from exc
    try:
        return _read(spec, wb, bound, progress)
    except SheetXMLError as exc:  # the workbook opened, but its sheet is not well-formed XML
        raise _not_a_workbook() from exc
    finally:
        wb.close()


def _not_a_workbook() -> ImportFileError:
    return ImportFileError(_("无法读取该文件：不是有效的 .xlsx 工作簿（旧的 .xls 或 WPS 格式请先另存为 .xlsx）"))


def _read(spec: ImportSpec, wb, bound: list[BoundColumn], progress) -> ParsedFile:
    limit = spec.row_limit()
    ws = next((wb[name] for name in spec.sheet_titles() if name in wb.sheetnames), wb.worksheets[0])
    # The stored dimensions may be wrong (some generators write A1); read to the real end.
    ws.reset_dimensions()
    known: dict[str, BoundColumn] = {}
    # The headers in the page's language win; the same headers in the other languages are understood too.
    for column in bound:
        for alias in (column.column.header, *column.column.aliases):
            for name in in_every_language(alias)[1:]:
                known.setdefault(header_key(name), column)
    for column in bound:
        for name in (column.header, *map(str, column.column.aliases)):
            known[header_key(name)] = column
    # ws.iter_rows(values_only=True), without openpyxl's per-cell objects (``sheets``).
    rows = iter_values(wb, ws)
    header_row, positions, warnings = 0, {}, []
    for row_no, values in enumerate(rows, start=1):
        if row_no > HEADER_SEARCH_ROWS:
            break
        matched = {i: known[header_key(v)] for i, v in enumerate(values) if v is not None and header_key(v) in known}
        if matched:
            header_row = row_no
            positions = _check_header(values, matched, bound)
            warnings = _unknown_headers(values, matched)
            break
    if not header_row:
        raise ImportFileError(
            _("找不到表头：第一行应为列名（%(names)s），请使用导入模板") % {"names": join_list(c.header for c in bound)}
        )
    present = sorted(positions.values(), key=lambda c: c.index)
    by_position = sorted(positions.items())
    data: list[tuple[int, tuple]] = []
    blank_run = 0
    width = len(bound)
    for row_no, values in enumerate(rows, start=header_row + 1):
        if progress is not None and (row_no - header_row) % PROGRESS_EVERY == 0:
            progress("read", row_no - header_row, 0)
        cells: list = [None] * width
        empty = True
        length = len(values)
        for position, column in by_position:
            if position >= length:
                break  # by_position is in sheet order: the row ends before the rest
            raw = values[position]
            if raw is None:
                continue
            value = normalise_cell(raw, column.kind)
            if value is not None:
                empty = False
                cells[column.index] = value
        if empty:
            blank_run += 1
            if blank_run >= TRAILING_BLANK_ROWS:
                break
            continue
        blank_run = 0
        data.append((row_no, tuple(cells)))
        if len(data) > limit:
            raise ImportFileError(
                _("文件超过单次导入上限 %(limit)s 行，请拆分为多个文件后分别导入") % {"limit": f"{limit:,}"}
            )
    return ParsedFile(columns=present, rows=data, header_row=header_row, warnings=warnings)


def _check_header(values, matched: dict[int, BoundColumn], bound: list[BoundColumn]) -> dict[int, BoundColumn]:
    seen: dict[str, int] = {}
    for position, column in sorted(matched.items()):
        if column.field in seen:
            raise ImportFileError(
                _("列“%(name)s”出现了两次（第 %(a)s 列和第 %(b)s 列），请只保留一列")
                % {
                    "name": column.header,
                    "a": get_column_letter(seen[column.field] + 1),
                    "b": get_column_letter(position + 1),
                }
            )
        seen[column.field] = position
    missing = [c.header for c in bound if c.required and c.field not in seen]
    if missing:
        raise ImportFileError(
            _("缺少必填列：%(names)s。请使用导入模板，列名须与模板一致（列的顺序可以不同）")
            % {"names": join_list(missing)}
        )
    return matched


def _unknown_headers(values, matched) -> list[str]:
    error_headers = {header_key(name) for name in in_every_language(ERROR_HEADER)}
    unknown = [
        as_text(v).strip()
        for i, v in enumerate(values)
        if v is not None and i not in matched and as_text(v).strip() and header_key(v) not in error_headers
    ]
    if not unknown:
        return []
    return [_("以下列不在导入范围内，已忽略：%(names)s") % {"names": join_list(unknown)}]
