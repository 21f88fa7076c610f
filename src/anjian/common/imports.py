"""The one Excel import pipeline (ARCHITECTURE §7).

An import is declared once, as an ``ImportSpec``: ordered ``Column``s (Chinese header, the form
field it feeds, type, required, example, help), the form and the service a typed record goes
through, and optional page options (e.g. the parent unit). From that declaration:

* ``build_template()`` — a downloadable .xlsx with the headers (Chinese msgids, written in the
  page's language), text-formatted code columns (18-digit codes and leading zeros survive Excel),
  dropdowns for choice columns, a frozen header and an instructions sheet;
* ``read_rows()`` — streams the uploaded sheet with openpyxl in read-only mode, finds the header
  row, matches headers by name in any order and in any of the site's languages (a template
  downloaded in English imports on a Chinese page, and the other way round), skips blank rows and
  normalises cells (Excel dates, numbers stored as text and text stored as numbers, full-width
  characters and spaces);
* ``run_import()`` — validates each row with the same form and writes it with the same service a
  typed record uses, inside one transaction: foreign keys come from a cache built once per file
  (one query per column, never per row), every error is collected as (row as Excel numbers it,
  column header, message) and nothing is saved if any row is bad. A successful import is one
  audit event of action ``import`` beside the per-row events the services write;
* ``failed_rows_workbook()`` — the bad rows back as an .xlsx with an extra “错误说明” column, to
  fix and upload again (the extra column is ignored on upload);
* ``ImportView`` and ``ImportCommand`` — the page (检查 / 导入, error table, template and
  failed-rows downloads) and ``anjian import_<thing> FILE [--dry-run] [--json]``, each wired by an
  app in a few lines.

Large files are not queued: an import runs in the request or the command that started it, within
the row limit (``ANJIAN_IMPORT_MAX_ROWS``, default 100 000) and the upload size limit.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import io
import json
import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from anjian.common import audit
from anjian.common.exceptions import DomainError
from anjian.common.exports import attachment_response
from anjian.common.models import AuditAction
from anjian.common.services import service
from anjian.common.text import join_clauses, join_list, labelled

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_MAX_ROWS = 100_000
# The extra column of a failed-rows file and the template's other sheets, named in the page's language.
ERROR_HEADER = gettext_lazy("错误说明")
INSTRUCTIONS_TITLE = gettext_lazy("填写说明")
OPTIONS_SHEET = gettext_lazy("下拉选项")
# Headers are looked for in the first rows (a title row above the header is common).
HEADER_SEARCH_ROWS = 20
# After this many consecutive blank rows the sheet is taken to have ended: Excel often leaves
# thousands of formatted but empty rows behind, and reading them would only cost time.
TRAILING_BLANK_ROWS = 2000
# Up to this many distinct keys a lookup asks for exactly those keys; above it, it loads the
# lookup's whole queryset. Either way it is one query per column.
LOOKUP_IN_LIMIT = 2000
DROPDOWN_LIMIT = 1000
# Template rows that get the dropdowns and text format beyond the column style.
TEMPLATE_ROWS = 5000
WRITE_BATCH = 500

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
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
ERROR_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def max_import_rows() -> int:
    return int(getattr(settings, "ANJIAN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_import_bytes() -> int:
    return int(getattr(settings, "ANJIAN_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def in_every_language(text) -> list[str]:
    """``text`` (a lazy translation or a plain string) as the active language and then every configured
    language writes it, without repeats. Headers, choice labels and sheet names are matched against all
    of them: a template downloaded in English imports on a Chinese page and the other way round."""
    names = [str(text)]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            name = str(text)
        if name not in names:
            names.append(name)
    return names


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, a required column missing, too big)."""

    def __init__(self, message) -> None:
        self.message = str(message)
        super().__init__(self.message)


# ---------------------------------------------------------------------------
# Declaration: Column, Lookup, ImportSpec
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Lookup:
    """How a foreign-key column finds its record from what a person writes: a natural key.

    ``queryset`` is a queryset or ``callable(ctx) -> queryset`` (so it can depend on the actor or
    the page options); ``fields`` are the natural keys tried in order (e.g. name, then code).
    ``transform`` normalises the written value before matching (e.g. ``str.upper`` for codes).
    ``dropdown`` offers the records' first key as a dropdown in the template (small lists only).
    """

    queryset: Any
    fields: tuple[str, ...] = ("name",)
    label: str = ""
    transform: Callable[[str], str] | None = None
    dropdown: bool = False

    def get_queryset(self, ctx: ImportContext):
        qs = self.queryset(ctx) if callable(self.queryset) else self.queryset
        return qs.all()


@dataclass(frozen=True)
class Column:
    """One column of an import: its header (a Chinese msgid, shown translated) and the form field it feeds.

    ``kind`` is one of text, code, int, decimal, date, bool, choice, fk, fks; left empty it follows
    the form field (ChoiceField → choice, DateField → date, …). ``required`` left as None follows
    the form field too. ``code`` columns are identifiers (统一社会信用代码, 身份证号, phone numbers):
    text-formatted in the template, spaces removed, full-width characters folded, upper case.
    ``unique`` reports a value that repeats within the file on the later row. A file is read with
    the header, and ``aliases``, in any of the site's languages (see ``in_every_language``).
    """

    header: str
    field: str
    kind: str = ""
    required: bool | None = None
    lookup: Lookup | None = None
    choices: Sequence[tuple[Any, str]] | None = None
    example: Any = ""
    help: str = ""
    unique: bool = False
    width: int | None = None
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind and self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind in (FK, FKS) and self.lookup is None:
            raise ValueError(f"column {self.header!r} of kind {self.kind} needs a lookup")


@dataclass
class BoundColumn:
    """A column with what the form says about it filled in (kind, required, choices, help)."""

    column: Column
    index: int
    kind: str
    required: bool
    label: str
    help: str
    choices: list[tuple[Any, str]] = field(default_factory=list)
    # The choices' labels in the other languages too, so a cell written in any of them is understood.
    choice_aliases: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def header(self) -> str:
        return str(self.column.header)

    @property
    def field(self) -> str:
        return self.column.field

    def choice_map(self) -> dict[str, Any]:
        out = {}
        for value, label in self.choice_aliases:
            out.setdefault(_fold(label), value)
        for value, label in self.choices:
            out[_fold(str(value))] = value
            out[_fold(str(label))] = value
        return out


@dataclass
class ImportContext:
    """Who imports, with which page options, from which file."""

    actor: Any = None
    options: dict = field(default_factory=dict)
    dry_run: bool = False
    filename: str = ""
    sha256: str = ""
    forms: dict = field(default_factory=dict, repr=False)  # the prototype form, built once


class ImportSpec:
    """Declare an import once; the template, reader, page and command all follow from it.

    Subclass and set ``name`` (ASCII, for file names and the command), ``title`` (Chinese),
    ``form_class``, ``service`` (called as ``service(actor=…, data=form.service_data())``; override
    ``save()`` for another signature), ``columns``, and optionally ``fixed`` (form data every row
    gets), ``options_form_class`` (validated once per file on the page or from command options;
    each option whose name is a form field is given to every row), ``required_roles``.
    """

    name: str = ""
    title: str = ""
    model: type[models.Model] | None = None
    form_class: type[forms.BaseForm] | None = None
    service: Callable | None = None
    columns: Sequence[Column] = ()
    fixed: dict = {}
    options_form_class: type[forms.Form] | None = None
    required_roles: tuple[str, ...] = ()
    max_rows: int | None = None
    notes: Sequence[str] = ()

    # -- hooks an app may override --------------------------------------------------------
    def form_kwargs(self, ctx: ImportContext) -> dict:
        return {"user": ctx.actor} if _accepts_user(self.form_class) else {}

    def row_defaults(self, ctx: ImportContext) -> dict:
        """Form data every row starts from (before the row's own cells): fixed values and options."""
        fields = self.prototype_form(ctx).fields
        return {**self.fixed, **{k: v for k, v in ctx.options.items() if k in fields}}

    def build_form(self, data: dict, ctx: ImportContext) -> forms.BaseForm:
        form = self.form_class(data=data, **self.form_kwargs(ctx))
        for name, value in data.items():
            original = form.fields.get(name)
            if isinstance(original, forms.ModelChoiceField) and _is_resolved(value):
                form.fields[name] = ResolvedField(original)
        return form

    def service_data(self, form) -> dict:
        if hasattr(form, "service_data"):
            return form.service_data()
        return dict(form.cleaned_data)

    def save(self, form, ctx: ImportContext):
        """Write one validated row through the service a typed record uses."""
        return type(self).service(actor=ctx.actor, data=self.service_data(form))

    def write(self, rows: list[tuple[int, forms.BaseForm]], ctx: ImportContext, result: ImportResult) -> None:
        """Write validated rows. The default calls ``save()`` row by row, each in a savepoint, so a
        refused row is reported and the next is still tried; an app with a bulk service may override
        this and report errors with ``result.add_error()``."""
        for row_no, form in rows:
            self.save_row(row_no, form, ctx, result)

    # -- derived --------------------------------------------------------------------------
    def get_model(self):
        if self.model is not None:
            return self.model
        meta = getattr(self.form_class, "_meta", None)
        return getattr(meta, "model", None)

    @property
    def object_type(self) -> str:
        model = self.get_model()
        return model._meta.label_lower if model is not None else f"import.{self.name}"

    @property
    def sheet_title(self) -> str:
        return (str(self.title) or _("数据"))[:31]

    def sheet_titles(self) -> list[str]:
        """The data sheet's name in every language (a template made in any of them is read)."""
        if not str(self.title):
            return [self.sheet_title]
        return [name[:31] for name in in_every_language(self.title)]

    def row_limit(self) -> int:
        return self.max_rows or max_import_rows()

    def prototype_form(self, ctx: ImportContext) -> forms.BaseForm:
        if id(self) not in ctx.forms:
            ctx.forms[id(self)] = self.form_class(**self.form_kwargs(ctx))
        return ctx.forms[id(self)]

    def options_form(self, data=None, *, user=None):
        if self.options_form_class is None:
            return None
        kwargs = {"user": user} if _accepts_user(self.options_form_class) else {}
        return self.options_form_class(data=data, **kwargs)

    def bind(self, ctx: ImportContext) -> list[BoundColumn]:
        proto = self.prototype_form(ctx)
        bound = []
        for index, column in enumerate(self.columns):
            form_field = proto.fields.get(column.field)
            if form_field is None:
                raise ValueError(
                    f"{type(self).__name__}: column {column.header!r} feeds unknown field {column.field!r}"
                )
            kind = column.kind or _kind_of(form_field)
            required = form_field.required if column.required is None else column.required
            choices = list(column.choices or [])
            if kind == CHOICE and not choices:
                choices = [(v, lbl) for v, lbl in getattr(form_field, "choices", []) if v not in ("", None)]
            aliases = [(v, name) for v, lbl in choices for name in in_every_language(lbl)[1:]]
            if not column.choices:
                choices = [(v, str(lbl)) for v, lbl in choices]
            bound.append(
                BoundColumn(
                    column=column,
                    index=index,
                    kind=kind,
                    required=bool(required),
                    label=str(form_field.label or column.header),
                    help=str(column.help or form_field.help_text or ""),
                    choices=choices,
                    choice_aliases=aliases,
                )
            )
        return bound

    def check_permission(self, user) -> None:
        from anjian.common.scope import has_role

        if self.required_roles and (user is None or not has_role(user, *self.required_roles)):
            raise PermissionDenied(_("您的角色无权进行该导入"))

    # -- per row --------------------------------------------------------------------------
    def save_row(self, row_no: int, form, ctx: ImportContext, result: ImportResult) -> None:
        try:
            with transaction.atomic():
                obj = self.save(form, ctx)
        except ValidationError as exc:
            result.add_validation_error(row_no, exc, self, ctx)
        except DomainError as exc:
            result.add_error(row_no, "", exc.message)
        except PermissionDenied as exc:
            result.add_error(row_no, "", str(exc) or _("您无权进行该操作"))
        except IntegrityError:
            result.add_error(row_no, "", _("与已有记录冲突（违反唯一性或关联约束），未能保存"))
        else:
            result.saved += 1
            if obj is not None and getattr(obj, "pk", None) is not None:
                result.created_ids.append(obj.pk)

    def header_for(self, field_name: str, ctx: ImportContext, error: ValidationError | None = None) -> str:
        """The header an error on ``field_name`` is reported under; '' for the whole row. A
        non-field error of a unique constraint (“包含 上级单位 和 名称 的 单位 已经存在”) goes under
        the first of the constraint's fields that is a column of the file."""
        if field_name in ("", None, NON_FIELD_ERRORS):
            unique = (getattr(error, "params", None) or {}).get("unique_check") or ()
            for column in self.columns:
                if column.field in unique:
                    return str(column.header)
            return ""
        for column in self.columns:
            if column.field == field_name:
                return str(column.header)
        form_field = self.prototype_form(ctx).fields.get(field_name)
        return str(form_field.label) if form_field is not None and form_field.label else field_name


@functools.cache
def _accepts_user(form_class) -> bool:
    """Whether a form takes the acting ``user`` (the house forms do, to scope their choices)."""
    return "user" in inspect.signature(form_class.__init__).parameters


class ResolvedField(forms.Field):
    """Stands in for a ModelChoiceField whose record the import already resolved from the
    per-file cache (or the page options), so validating a row costs no lookup query."""

    def __init__(self, original: forms.ModelChoiceField) -> None:
        super().__init__(required=original.required, label=original.label)
        self.multiple = isinstance(original, forms.ModelMultipleChoiceField)

    def to_python(self, value):
        if value in self.empty_values:
            return [] if self.multiple else None
        return value


def _is_resolved(value) -> bool:
    if isinstance(value, models.Model):
        return True
    return isinstance(value, list | tuple) and all(isinstance(v, models.Model) for v in value)


def _kind_of(form_field) -> str:
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return FKS
    if isinstance(form_field, forms.ModelChoiceField):
        return FK
    if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField):
        return CHOICE
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        return BOOL
    if isinstance(form_field, forms.DateField):
        return DATE
    # DecimalField and FloatField are IntegerFields to Django: ask for them first.
    if isinstance(form_field, forms.DecimalField | forms.FloatField):
        return DECIMAL
    if isinstance(form_field, forms.IntegerField):
        return INT
    return TEXT


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


# ---------------------------------------------------------------------------
# Cell normalisation and conversion
# ---------------------------------------------------------------------------
def _fold(text: str) -> str:
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


def _as_text(value) -> str:
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


class _Lookups:
    """The per-file cache of every foreign-key column: one query per column, whatever the row count."""

    def __init__(self, columns: list[BoundColumn], rows: Iterable[tuple], ctx: ImportContext) -> None:
        self.indexes: dict[int, dict[str, dict[str, list]]] = {}
        self.queries = 0
        wanted: dict[int, set[str]] = {c.index: set() for c in columns if c.kind in (FK, FKS)}
        if not wanted:
            return
        fk_columns = [c for c in columns if c.index in wanted]
        for values in rows:
            for column in fk_columns:
                raw = values[column.index]
                if raw is None:
                    continue
                for key in self.keys_of(column, raw):
                    wanted[column.index].add(key)
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
        parts = MULTI_SEPARATORS.split(_as_text(raw)) if column.kind == FKS else [_as_text(raw)]
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


def convert(column: BoundColumn, raw, lookups: _Lookups | None = None):
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
        return _as_text(raw), None
    if kind == INT:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw), None
        text = _as_text(raw).replace(",", "")
        if _INT_RE.match(text):
            return str(int(Decimal(text))), None
        return None, _("应为整数，实为“%(v)s”") % {"v": _as_text(raw)}
    if kind == DECIMAL:
        if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
            return str(Decimal(str(raw))), None
        try:
            return str(Decimal(_as_text(raw).replace(",", ""))), None
        except InvalidOperation:
            return None, _("应为数字，实为“%(v)s”") % {"v": _as_text(raw)}
    if kind == DATE:
        value = parse_date(raw)
        if value is None:
            return None, _("日期格式不正确（“%(v)s”），应为 2021-03-09 这样的格式") % {"v": _as_text(raw)}
        return value, None
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw, None
        folded = _fold(_as_text(raw))
        if folded in _TRUE:
            return True, None
        if folded in _FALSE:
            return False, None
        return None, _("应填“是”或“否”，实为“%(v)s”") % {"v": _as_text(raw)}
    if kind == CHOICE:
        value = column.choice_map().get(_fold(_as_text(raw)))
        if value is None:
            labels = [str(label) for _v, label in column.choices]
            shown = join_list(labels[:12]) + ("…" if len(labels) > 12 else "")
            return None, _("“%(v)s”不是可选值（可选：%(choices)s）") % {"v": _as_text(raw), "choices": shown}
        return value, None
    if kind in (FK, FKS):
        found, problems = [], []
        for key in _Lookups.keys_of(column, raw):
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


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def _header_key(text) -> str:
    key = _fold(_as_text(text))
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


def read_rows(spec: ImportSpec, fileobj, ctx: ImportContext | None = None) -> ParsedFile:
    """Stream the data sheet in read-only mode: header row by name, blank rows skipped, cells normalised."""
    ctx = ctx or ImportContext()
    bound = spec.bind(ctx)
    limit = spec.row_limit()
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an .xlsx workbook
        raise ImportFileError(
            _("无法读取该文件：不是有效的 .xlsx 工作簿（旧的 .xls 或 WPS 格式请先另存为 .xlsx）")
        ) from exc
    try:
        ws = next((wb[name] for name in spec.sheet_titles() if name in wb.sheetnames), wb.worksheets[0])
        # The stored dimensions may be wrong (some generators write A1); read to the real end.
        ws.reset_dimensions()
        known: dict[str, BoundColumn] = {}
        # The headers in the page's language win; the same headers in the other languages are understood too.
        for column in bound:
            for alias in (column.column.header, *column.column.aliases):
                for name in in_every_language(alias)[1:]:
                    known.setdefault(_header_key(name), column)
        for column in bound:
            for name in (column.header, *map(str, column.column.aliases)):
                known[_header_key(name)] = column
        rows = ws.iter_rows(values_only=True)
        header_row, positions, warnings = 0, {}, []
        for row_no, values in enumerate(rows, start=1):
            if row_no > HEADER_SEARCH_ROWS:
                break
            matched = {
                i: known[_header_key(v)] for i, v in enumerate(values) if v is not None and _header_key(v) in known
            }
            if matched:
                header_row = row_no
                positions = _check_header(values, matched, bound)
                warnings = _unknown_headers(values, matched)
                break
        if not header_row:
            raise ImportFileError(
                _("找不到表头：第一行应为列名（%(names)s），请使用导入模板")
                % {"names": join_list(c.header for c in bound)}
            )
        present = sorted(positions.values(), key=lambda c: c.index)
        by_position = sorted(positions.items())
        data: list[tuple[int, tuple]] = []
        blank_run = 0
        width = len(bound)
        for row_no, values in enumerate(rows, start=header_row + 1):
            cells: list = [None] * width
            empty = True
            for position, column in by_position:
                raw = values[position] if position < len(values) else None
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
    finally:
        wb.close()


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
    error_headers = {_header_key(name) for name in in_every_language(ERROR_HEADER)}
    unknown = [
        _as_text(v).strip()
        for i, v in enumerate(values)
        if v is not None and i not in matched and _as_text(v).strip() and _header_key(v) not in error_headers
    ]
    if not unknown:
        return []
    return [_("以下列不在导入范围内，已忽略：%(names)s") % {"names": join_list(unknown)}]


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------
def file_digest(fileobj) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a seekable file, left at the start."""
    fileobj.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def run_import(
    spec: ImportSpec,
    fileobj,
    *,
    actor,
    filename: str = "",
    options: dict | None = None,
    dry_run: bool = False,
    max_bytes: int | None = None,
) -> ImportResult:
    """Check (``dry_run``) or import one file. The file is read before the transaction starts, so a
    long parse holds no lock; the rows are then validated and written in one transaction."""
    if isinstance(fileobj, bytes | bytearray):
        fileobj = io.BytesIO(fileobj)
    ctx = ImportContext(actor=actor, options=dict(options or {}), dry_run=dry_run, filename=filename)
    sha256, size = file_digest(fileobj)
    ctx.sha256 = sha256
    result = ImportResult(spec_name=spec.name, filename=filename, sha256=sha256, dry_run=dry_run)
    limit = max_import_bytes() if max_bytes is None else max_bytes
    if size > limit:
        result.file_error = _("文件大小 %(size).1f MB 超过上限 %(limit)s MB，请拆分后分别导入") % {
            "size": size / 1024 / 1024,
            "limit": limit // (1024 * 1024),
        }
        return result
    try:
        parsed = read_rows(spec, fileobj, ctx)
    except ImportFileError as exc:
        result.file_error = exc.message
        return result
    result.columns = parsed.columns
    result.warnings = parsed.warnings
    result.total = len(parsed.rows)
    if not parsed.rows:
        result.file_error = _("文件中没有数据行（表头下方为空）")
        return result
    return import_rows(actor=actor, spec=spec, parsed=parsed, ctx=ctx, result=result)


@service
def import_rows(
    *, actor, spec: ImportSpec, parsed: ParsedFile, ctx: ImportContext, result: ImportResult
) -> ImportResult:
    """Validate and write every row in one transaction; roll it all back on any error or a dry run."""
    bound = spec.bind(ctx)
    lookups = _Lookups(bound, (cells for _row, cells in parsed.rows), ctx)
    defaults = _form_defaults(spec, ctx)
    present = parsed.columns
    unique_seen: dict[int, dict[str, int]] = {c.index: {} for c in present if c.column.unique}
    pending: list[tuple[int, forms.BaseForm]] = []
    pending_cells: dict[int, tuple] = {}
    for row_no, cells in parsed.rows:
        errors_before = len(result.errors)
        bad_fields: set[str] = set()
        data = dict(defaults)
        for column in present:
            value, problem = convert(column, cells[column.index], lookups)
            if problem:
                result.add_error(row_no, column.header, problem)
                bad_fields.add(column.field)
                continue
            if column.required and value in ("", None, []):
                result.add_error(row_no, column.header, _("必填，不能为空"))
                bad_fields.add(column.field)
                continue
            if column.index in unique_seen and value not in ("", None):
                first = unique_seen[column.index].setdefault(_fold(_as_text(value)), row_no)
                if first != row_no:
                    result.add_error(row_no, column.header, _("与第 %(row)s 行重复") % {"row": first})
                    bad_fields.add(column.field)
                    continue
            data[column.field] = value
        form = spec.build_form(data, ctx)
        if not form.is_valid():
            for name, errors in form.errors.as_data().items():
                if name in bad_fields:
                    continue
                seen = set()
                for error in errors:
                    for message in error.messages:
                        if message not in seen:
                            seen.add(message)
                            result.add_error(row_no, spec.header_for(name, ctx, error), message)
        if len(result.errors) == errors_before:
            pending.append((row_no, form))
            pending_cells[row_no] = cells
        else:
            result.failed_cells[row_no] = cells
        # Rows are written in batches as the file is walked (``ImportSpec.write`` may be a bulk
        # service); the service validates each row again against everything written before it.
        if len(pending) >= WRITE_BATCH:
            _write(spec, pending, pending_cells, ctx, result)
            pending, pending_cells = [], {}
    _write(spec, pending, pending_cells, ctx, result)
    result.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their column order
    if result.errors or ctx.dry_run:
        transaction.set_rollback(True)
        result.created_ids = []
        return result
    audit.record(
        AuditAction.IMPORT,
        object_type=spec.object_type,
        object_repr=_("导入%(title)s %(n)s 行（%(file)s）")
        % {"title": spec.title, "n": result.saved, "file": ctx.filename},
        changes={
            "import": spec.name,
            "file": ctx.filename,
            "sha256": ctx.sha256,
            "rows": result.saved,
            "options": {k: _option_json(v) for k, v in ctx.options.items()},
        },
    )
    return result


def _write(spec: ImportSpec, pending, pending_cells: dict, ctx: ImportContext, result: ImportResult) -> None:
    if not pending:
        return
    before = len(result.errors)
    spec.write(pending, ctx, result)
    for error in result.errors[before:]:
        if error.row in pending_cells:
            result.failed_cells[error.row] = pending_cells[error.row]


def _form_defaults(spec: ImportSpec, ctx: ImportContext) -> dict:
    """What a row's form sees for fields the file does not give: the form's initial values (model
    defaults for a ModelForm), then the spec's fixed values and the page options."""
    proto = spec.prototype_form(ctx)
    out = {}
    for name, form_field in proto.fields.items():
        initial = proto.get_initial_for_field(form_field, name)
        if initial is None:
            continue
        if isinstance(form_field, forms.ModelChoiceField) and not _is_resolved(initial):
            initial = form_field.clean(initial)  # once per file, not per row
        out[name] = initial
    out.update(spec.row_defaults(ctx))
    return out


def _option_json(value):
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    return audit.to_jsonable(value)


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
            example = labelled(_("示例"), _as_text(column.column.example))
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
            _as_text(column.column.example) if column.column.example not in ("", None) else "",
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
            _write_value(cell, _as_text(value) if column.kind in TEXT_FORMATTED else value)
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


# ---------------------------------------------------------------------------
# Kept files (failed rows, a checked file awaiting "导入") — per user, in the default storage
# ---------------------------------------------------------------------------
STASH_MAX_AGE = dt.timedelta(days=1)


def _stash_path(user, kind: str, token: str) -> str:
    return f"imports/{int(user.pk)}/{kind}-{token}.xlsx"


def stash(user, kind: str, content: bytes) -> str:
    _prune(user)
    token = secrets.token_hex(16)
    default_storage.save(_stash_path(user, kind, token), ContentFile(content))
    return token


def unstash(user, kind: str, token: str) -> bytes | None:
    if not token or not _TOKEN_RE.match(token):
        return None
    path = _stash_path(user, kind, token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as fh:
        return fh.read()


def discard(user, kind: str, token: str) -> None:
    if token and _TOKEN_RE.match(token):
        default_storage.delete(_stash_path(user, kind, token))


def _prune(user) -> None:
    folder = f"imports/{int(user.pk)}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - STASH_MAX_AGE
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (NotImplementedError, OSError):
            continue


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------
class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"), required=False)
    staged = forms.CharField(widget=forms.HiddenInput, required=False)


class ImportView(LoginRequiredMixin, TemplateView):
    """Upload → 检查 (dry run) or 导入; the error table by row and column; template and failed-rows
    downloads. An app wires it with ``spec_class`` and ``success_url``:

        class EnterpriseImportView(ImportView):
            spec_class = EnterpriseImport
            success_url = reverse_lazy("orgs:unit_list")
    """

    spec_class: type[ImportSpec] | None = None
    template_name = "common/import_page.html"
    success_url = None
    shown_errors = 500

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.spec = self.spec_class()
        self.spec.check_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        download = request.GET.get("download")
        if download == "template":
            return attachment_response(
                build_template(self.spec, actor=request.user),
                _("%(title)s导入模板") % {"title": self.spec.title} + ".xlsx",
                ascii_name=f"{self.spec.name}-import-template.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        if download == "failed":
            content = unstash(request.user, "failed", request.GET.get("token", ""))
            if content is None:
                raise Http404
            return attachment_response(
                content,
                _("%(title)s导入出错行") % {"title": self.spec.title} + ".xlsx",
                ascii_name=f"{self.spec.name}-import-errors.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        return self.render_to_response(
            self.get_context_data(
                upload_form=ImportUploadForm(), options_form=self.spec.options_form(user=request.user)
            )
        )

    def post(self, request, *args, **kwargs):
        upload_form = ImportUploadForm(request.POST, request.FILES)
        options_form = self.spec.options_form(request.POST, user=request.user)
        mode = request.POST.get("mode")
        dry_run = mode != "import"
        ctx = {"upload_form": upload_form, "options_form": options_form}
        if not upload_form.is_valid() or (options_form is not None and not options_form.is_valid()):
            return self.render_to_response(self.get_context_data(**ctx))
        options = options_form.cleaned_data if options_form is not None else {}
        content, filename, staged = self._incoming(request, upload_form)
        if content is None:
            return self.render_to_response(self.get_context_data(**ctx))
        result = run_import(self.spec, content, actor=request.user, filename=filename, options=options, dry_run=dry_run)
        ctx["result"] = result
        if not result.ok:
            if staged:
                discard(request.user, "staged", staged)
            if result.failed_row_numbers:
                failed = failed_rows_workbook(self.spec, result, actor=request.user, options=options)
                ctx["failed_token"] = stash(request.user, "failed", failed)
            return self.render_to_response(self.get_context_data(**ctx))
        if dry_run:
            token = staged or stash(request.user, "staged", content)
            request.session.setdefault("anjian_import_staged", {})[token] = filename
            request.session.modified = True
            ctx["staged_token"] = token
            ctx["upload_form"] = ImportUploadForm()
            return self.render_to_response(self.get_context_data(**ctx))
        if staged:
            discard(request.user, "staged", staged)
            request.session.get("anjian_import_staged", {}).pop(staged, None)
            request.session.modified = True
        messages.success(
            request,
            _("已导入%(title)s %(n)s 条（%(file)s）") % {"title": self.spec.title, "n": result.saved, "file": filename},
        )
        return HttpResponseRedirect(str(self.success_url or request.path))

    def _incoming(self, request, upload_form) -> tuple[bytes | None, str, str]:
        upload = upload_form.cleaned_data.get("file")
        staged = upload_form.cleaned_data.get("staged") or ""
        if upload is not None:
            name = upload.name or "upload.xlsx"
            if not name.lower().endswith((".xlsx", ".xlsm")):
                upload_form.add_error("file", _("只支持 .xlsx 文件；旧的 .xls 文件请先在 Excel 中另存为 .xlsx"))
                return None, "", ""
            if upload.size > max_import_bytes():
                upload_form.add_error(
                    "file",
                    _("文件超过 %(mb)s MB 的上限，请拆分后分别导入") % {"mb": max_import_bytes() // (1024 * 1024)},
                )
                return None, "", ""
            return upload.read(), name, ""
        if staged:
            content = unstash(request.user, "staged", staged)
            name = request.session.get("anjian_import_staged", {}).get(staged)
            if content is not None and name:
                return content, name, staged
            upload_form.add_error("file", _("检查过的文件已过期，请重新选择文件"))
            return None, "", ""
        upload_form.add_error("file", _("请选择要导入的 Excel 文件"))
        return None, "", ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        spec = self.spec
        columns = spec.bind(ImportContext(actor=self.request.user))
        result = kwargs.get("result")
        ctx.update(
            spec=spec,
            title=_("导入%(title)s") % {"title": spec.title},
            columns=[{"bound": c, "kind_label": KIND_LABELS[c.kind]} for c in columns],
            max_rows=spec.row_limit(),
            max_mb=max_import_bytes() // (1024 * 1024),
            back_url=str(self.success_url) if self.success_url else "",
        )
        if result is not None:
            ctx["shown_errors"] = result.errors[: self.shown_errors]
            ctx["hidden_errors"] = max(0, len(result.errors) - self.shown_errors)
            ctx["failed_count"] = len(result.failed_row_numbers)
        return ctx


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------
class ImportCommand(BaseCommand):
    """``anjian import_<thing> FILE [--dry-run] [--json] [--failed-rows OUT.xlsx] [--user NAME]``.

    Each field of the spec's options form becomes a required or optional ``--option``; a record
    option takes an id or a name. Without ``--user`` the import runs as the server (no role check,
    like every server command); with it, as that user with that user's permissions.
    """

    spec_class: type[ImportSpec] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = self.spec_class()
        if not self.help:
            self.help = (
                f"从 Excel 导入{self.spec.title}（先用 --dry-run 检查）。Import {self.spec.name} from an .xlsx file."
            )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--failed-rows", metavar="OUT.xlsx", help="有错误时把出错的行（带错误说明）写到该文件")
        parser.add_argument("--user", help="以该用户的身份和权限导入（默认以服务器身份）")
        # The class's declared fields, not an instance: building the form may query the database,
        # and `--help` must work before `migrate`.
        form_class = self.spec.options_form_class
        for name, form_field in form_class.base_fields.items() if form_class is not None else ():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                dest=f"option_{name}",
                required=form_field.required,
                help=f"{form_field.label}"
                + ("（ID 或名称）" if isinstance(form_field, forms.ModelChoiceField) else ""),
            )

    def handle(self, *args, **opts):
        from django.contrib.auth import get_user_model

        user = None
        if opts.get("user"):
            user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户 {opts['user']} 不存在或已停用")
            try:
                self.spec.check_permission(user)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
        options = self._options(opts, user)
        path = opts["file"]
        try:
            with open(path, "rb") as fh:
                content = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        filename = path.replace("\\", "/").rsplit("/", 1)[-1]
        command = type(self).__module__.rsplit(".", 1)[-1]
        with audit.audit_context(actor=user, actor_name=f"{command}（服务器命令）"):
            result = run_import(
                self.spec, content, actor=user, filename=filename, options=options, dry_run=opts["dry_run"]
            )
        if opts.get("failed_rows") and result.failed_row_numbers:
            with open(opts["failed_rows"], "wb") as fh:
                fh.write(failed_rows_workbook(self.spec, result, actor=user, options=options))
        self._report(result, opts)
        if not result.ok:
            raise CommandError(
                result.file_error or f"{len(result.failed_row_numbers)} 行有错误，未保存任何数据", returncode=1
            )

    def _options(self, opts, user) -> dict:
        form = self.spec.options_form(user=user)
        if form is None:
            return {}
        data = {}
        for name, form_field in form.fields.items():
            raw = opts.get(f"option_{name}")
            if raw is None:
                continue
            if isinstance(form_field, forms.ModelChoiceField) and not str(raw).isdigit():
                # A record option is named by its natural key: "name", or the field the form names
                # (a work plan is found by its title).
                key = getattr(form_field, "lookup_field", "name")
                if not any(f.name == key for f in form_field.queryset.model._meta.get_fields()):
                    raise CommandError(f"--{name.replace('_', '-')}：请给出{form_field.label}的 ID")
                matches = list(form_field.queryset.filter(**{key: raw}).values_list("pk", flat=True)[:2])
                if len(matches) != 1:
                    what = "找不到" if not matches else "有多个"
                    raise CommandError(f"--{name.replace('_', '-')}：{what}名为“{raw}”的{form_field.label}")
                raw = matches[0]
            data[name] = raw
        bound = self.spec.options_form(data, user=user)
        if not bound.is_valid():
            problems = [f"--{k.replace('_', '-')}：{'；'.join(v)}" for k, v in bound.errors.items()]
            raise CommandError("\n".join(problems))
        return bound.cleaned_data

    def _report(self, result: ImportResult, opts) -> None:
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        for warning in result.warnings:
            self.stderr.write(warning)
        if result.file_error:
            return
        for error in result.errors:
            column = f" · {error.column}" if error.column else ""
            self.stdout.write(f"第 {error.row} 行{column}：{error.message}")
        if result.ok and result.dry_run:
            self.stdout.write(f"检查通过：{result.filename} 共 {result.total} 行，可以导入（本次未保存）")
        elif result.ok:
            self.stdout.write(f"已导入 {result.saved} 行（{result.filename}，sha256 {result.sha256[:16]}…）")
