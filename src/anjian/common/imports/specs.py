"""Declaration of an import: ``Column``, ``Lookup`` and ``ImportSpec`` (what the template, the reader,
the page and the command all follow from), with the limits every import shares."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.common.exceptions import DomainError
from anjian.common.imports.cells import BOOL, CHOICE, DATE, DECIMAL, FK, FKS, INT, KINDS, TEXT, fold

if TYPE_CHECKING:
    from anjian.common.imports.results import ImportResult


DEFAULT_MAX_ROWS = 250_000  # the settings' default too: a 200,000-worker register is one file


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
        """Folded label or value → value; built once per bound column (a file's every row asks)."""
        cached = self.__dict__.get("_choice_map")
        if cached is not None:
            return cached
        out = self.__dict__["_choice_map"] = {}
        for value, label in self.choice_aliases:
            out.setdefault(fold(label), value)
        for value, label in self.choices:
            out[fold(str(value))] = value
            out[fold(str(label))] = value
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
            if isinstance(original, forms.ModelChoiceField) and is_resolved(value):
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
            if kind in (FK, FKS) and column.lookup is None:
                raise ValueError(f"{type(self).__name__}: column {column.header!r} names records and needs a lookup")
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


def is_resolved(value) -> bool:
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
