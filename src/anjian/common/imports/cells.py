"""Column kinds and the cells of a sheet: normalising what openpyxl reads (Excel dates, numbers stored as
text and text stored as numbers, full-width characters and spaces), and converting a cell to the value its
form field takes — foreign keys from the per-file cache (``Lookups``), one query per column."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from anjian.common.text import join_clauses, join_list

if TYPE_CHECKING:
    from anjian.common.imports.specs import BoundColumn, ImportContext


# Up to this many distinct keys a lookup asks for exactly those keys; above it, it loads the
# lookup's whole queryset. Either way it is one query per column.
LOOKUP_IN_LIMIT = 2000

TEXT, CODE, INT, DECIMAL, DATE, BOOL, CHOICE, FK, FKS = (
    "text",
    "code",
    "int",
    "decimal",
    "date",
    "bool",
    "choice",
    "fk",
    "fks",
)
KINDS = (TEXT, CODE, INT, DECIMAL, DATE, BOOL, CHOICE, FK, FKS)
KIND_LABELS = {
    TEXT: gettext_lazy("文本"),
    CODE: gettext_lazy("文本（编码，按文本格式填写）"),
    INT: gettext_lazy("整数"),
    DECIMAL: gettext_lazy("数字"),
    DATE: gettext_lazy("日期，如 2021-03-09"),
    BOOL: gettext_lazy("是 / 否"),
    CHOICE: gettext_lazy("下拉选择"),
    FK: gettext_lazy("名称（须为系统中已有的）"),
    FKS: gettext_lazy("多个名称，用顿号“、”分隔"),
}
# Columns Excel must keep as text: set to the "@" number format in the template.
TEXT_FORMATTED = frozenset({TEXT, CODE, CHOICE, FK, FKS})
MULTI_SEPARATORS = re.compile(r"[、，,；;／/\n]+")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_TRUE = frozenset({"是", "true", "yes", "y", "1", "√", "✓", "对"})
_FALSE = frozenset({"否", "false", "no", "n", "0", "×", "✗", "不"})
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_INT_RE = re.compile(r"^[+-]?\d+(\.0*)?$")


# ---------------------------------------------------------------------------
# Cell normalisation and conversion
# ---------------------------------------------------------------------------
def fold(text: str) -> str:
    """Loose comparison key: full-width folded, no whitespace, case-insensitive."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def clean_text(value: str) -> str:
    """Zero-width characters dropped, full-width and non-breaking spaces made plain, trimmed."""
    return value.translate(_ZERO_WIDTH).replace("\u3000", " ").replace("\xa0", " ").strip()


def normalise_cell(value, kind: str):
    """A raw openpyxl cell value as the pipeline keeps it: str, int, float, Decimal, bool, date,
    datetime, or None for blank."""
    if value is None:
        return None
    if isinstance(value, str):
        text = clean_text(value)
        if kind != TEXT and kind != FK and kind != FKS:
            text = unicodedata.normalize("NFKC", text)
        if kind == CODE:
            text = re.sub(r"\s+", "", text).upper()
        return text or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dt.datetime) and kind != DATE and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def as_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if 1 <= float(value) < 2958466:  # Excel serials of 1900-01-01 … 9999-12-31
            result = from_excel(float(value))
            return result.date() if isinstance(result, dt.datetime) else result
        return None
    text = str(value).strip()
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2}[ T]", text) else text
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class Lookups:
    """The per-file cache of every foreign-key column: one query per column, whatever the row count."""

    def __init__(self, columns: list[BoundColumn], rows: Iterable[tuple], ctx: ImportContext) -> None:
        self.indexes: dict[int, dict[str, dict[str, list]]] = {}
        self.queries = 0
        wanted: dict[int, set[str]] = {c.index: set() for c in columns if c.kind in (FK, FKS)}
        if not wanted:
            return
        fk_columns = [c for c in columns if c.index in wanted]
        cells: dict[int, set] = {c.index: set() for c in fk_columns}  # each distinct cell once
        for values in rows:
            for column in fk_columns:
                raw = values[column.index]
                if raw is not None:
                    cells[column.index].add((type(raw), raw))
        for column in fk_columns:
            for _type, raw in cells[column.index]:
                wanted[column.index].update(self.keys_of(column, raw))
        for column in fk_columns:
            lookup = column.column.lookup
            keys = wanted[column.index]
            index: dict[str, dict[str, list]] = {name: defaultdict(list) for name in lookup.fields}
            if keys:
                qs = lookup.get_queryset(ctx)
                if len(keys) <= LOOKUP_IN_LIMIT:
                    condition = Q()
                    for name in lookup.fields:
                        condition |= Q(**{f"{name}__in": sorted(keys)})
                    qs = qs.filter(condition)
                self.queries += 1
                for obj in qs:
                    for name in lookup.fields:
                        key = getattr(obj, name, None)
                        if key not in (None, ""):
                            bucket = index[name][str(key)]
                            if all(o.pk != obj.pk for o in bucket):
                                bucket.append(obj)
            self.indexes[column.index] = index

    @staticmethod
    def keys_of(column: BoundColumn, raw) -> list[str]:
        transform = column.column.lookup.transform
        parts = MULTI_SEPARATORS.split(as_text(raw)) if column.kind == FKS else [as_text(raw)]
        keys = []
        for part in parts:
            part = clean_text(part)
            if part:
                keys.append(transform(part) if transform else part)
        return keys

    def resolve(self, column: BoundColumn, key: str):
        """(record, None) or (None, message)."""
        index = self.indexes[column.index]
        lookup = column.column.lookup
        for name in lookup.fields:
            matches = index[name].get(key, [])
            if len(matches) == 1:
                return matches[0], None
            if len(matches) > 1:
                return None, _("“%(v)s”对应多个%(what)s，无法确定是哪一个") % {
                    "v": key,
                    "what": lookup.label or column.header,
                }
        return None, _("找不到%(what)s“%(v)s”") % {"what": lookup.label or column.header, "v": key}


def convert(column: BoundColumn, raw, lookups: Lookups | None = None):
    """(form value, None) or (None, message in the active language) for one normalised cell."""
    kind = column.kind
    if raw is None:
        return ([] if kind == FKS else ""), None
    if kind in (TEXT, CODE):
        if kind == CODE and isinstance(raw, float) and abs(raw) >= 1e15:
            return None, _(
                "该编码被 Excel 当作数字保存（显示为科学计数法），后几位可能已丢失；请把该列设为文本格式后重新填写"
            )
        if kind == CODE and isinstance(raw, Decimal | float):
            return None, _("应按文本填写，不能是小数")
        return as_text(raw), None
    if kind == INT:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw), None
        text = as_text(raw).replace(",", "")
        if _INT_RE.match(text):
            return str(int(Decimal(text))), None
        return None, _("应为整数，实为“%(v)s”") % {"v": as_text(raw)}
    if kind == DECIMAL:
        if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
            return str(Decimal(str(raw))), None
        try:
            return str(Decimal(as_text(raw).replace(",", ""))), None
        except InvalidOperation:
            return None, _("应为数字，实为“%(v)s”") % {"v": as_text(raw)}
    if kind == DATE:
        value = parse_date(raw)
        if value is None:
            return None, _("日期格式不正确（“%(v)s”），应为 2021-03-09 这样的格式") % {"v": as_text(raw)}
        return value, None
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw, None
        folded = fold(as_text(raw))
        if folded in _TRUE:
            return True, None
        if folded in _FALSE:
            return False, None
        return None, _("应填“是”或“否”，实为“%(v)s”") % {"v": as_text(raw)}
    if kind == CHOICE:
        value = column.choice_map().get(fold(as_text(raw)))
        if value is None:
            labels = [str(label) for _v, label in column.choices]
            shown = join_list(labels[:12]) + ("…" if len(labels) > 12 else "")
            return None, _("“%(v)s”不是可选值（可选：%(choices)s）") % {"v": as_text(raw), "choices": shown}
        return value, None
    if kind in (FK, FKS):
        found, problems = [], []
        for key in Lookups.keys_of(column, raw):
            obj, problem = lookups.resolve(column, key)
            if problem:
                problems.append(problem)
            elif obj not in found:
                found.append(obj)
        if problems:
            return None, join_clauses(problems)
        if kind == FK:
            return (found[0] if found else ""), None
        return found, None
    raise ValueError(kind)  # pragma: no cover - Column validates kinds
