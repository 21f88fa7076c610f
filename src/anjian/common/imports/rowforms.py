"""Validating a file's rows with its form, built once per file instead of once per row.

Building a Django form copies every field and widget (``copy.deepcopy`` of ``base_fields``): for an
import that was about half the time of a whole file. ``RowForms`` builds the spec's form once and
binds it again for each row: the same fields, the same ``clean_<field>()`` methods, the same
``clean()`` and ``_post_clean()``, the same messages — only the copying is gone. What a row leaves
behind (``cleaned_data``, ``errors``) is handed on as a shallow copy of the form, so the ``write()``
and ``save()`` hooks get one form per row as before.

It is used when the spec's form is a plain ``forms.Form`` and the spec keeps the pipeline's own
``build_form()``; a ModelForm (its ``instance`` carries state from row to row) or a spec with its own
``build_form()`` gets a new form per row, as before (``FreshForms``).
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from anjian.common.imports.specs import ImportContext, ImportSpec, ResolvedField, is_resolved


class FreshForms:
    """A new form per row (``spec.build_form``), validated as Django validates it."""

    def __init__(self, spec: ImportSpec, ctx: ImportContext) -> None:
        self.spec, self.ctx = spec, ctx

    def validate(self, data: dict) -> forms.BaseForm:
        form = self.spec.build_form(data, self.ctx)
        form.is_valid()
        return form


class RowForms:
    """One bound form per file, cleaned again for every row (see the module's docstring)."""

    def __init__(self, spec: ImportSpec, ctx: ImportContext) -> None:
        self.form = spec.form_class(data={}, **spec.form_kwargs(ctx))
        form = self.form
        # Per field: (name, the form's field, the field a resolved record is cleaned by or None, the
        # html name or None where the widget reads the data as ``data.get(name)``, whether it is a
        # FileField, its clean_<name> method's name or None, what it cleans a blank ("" or None) to
        # where that is fixed, else _UNKNOWN).
        self.plan = []
        for name, field in form.fields.items():
            resolved = ResolvedField(field) if isinstance(field, forms.ModelChoiceField) else None
            method = f"clean_{name}" if hasattr(form, f"clean_{name}") else None
            html_name = form.add_prefix(name)
            plain_widget = type(field.widget).value_from_datadict is forms.Widget.value_from_datadict
            self.plan.append(
                (
                    name,
                    field,
                    resolved,
                    html_name if not plain_widget or html_name != name else None,
                    isinstance(field, forms.FileField),
                    method,
                    _blank_value(field),
                )
            )

    @staticmethod
    def suits(spec: ImportSpec) -> bool:
        form_class = spec.form_class
        return (
            form_class is not None
            and not issubclass(form_class, forms.BaseModelForm)
            and type(spec).build_form is ImportSpec.build_form
        )

    def validate(self, data: dict) -> forms.BaseForm:
        """``form.full_clean()`` for ``data``, as ``build_form(data).is_valid()`` would run it: a
        ModelChoiceField given a record already resolved is cleaned by a ``ResolvedField``."""
        form = self.form
        form.data = data
        form._bound_fields_cache = {}
        form._errors = ErrorDict(renderer=form.renderer)
        form.cleaned_data = cleaned = {}
        files = form.files
        for name, field, resolved, html_name, is_file, method, blank in self.plan:
            if field.disabled:
                value = form.get_initial_for_field(field, name)
            elif html_name is None:
                value = data.get(name)
            else:
                value = field.widget.value_from_datadict(data, files, html_name)
            if blank is not _UNKNOWN and method is None and (value is None or value == ""):
                cleaned[name] = blank
                continue
            cleaner = resolved if resolved is not None and is_resolved(value) else field
            try:
                if is_file:
                    cleaned[name] = cleaner.clean(value, form.get_initial_for_field(field, name))
                else:
                    cleaned[name] = cleaner.clean(value)
                if method is not None:
                    cleaned[name] = getattr(form, method)()
            except ValidationError as exc:
                form.add_error(name, exc)
        form._clean_form()
        form._post_clean()
        row = copy.copy(form)
        form._bound_fields_cache = {}  # the row's copy keeps the one it was given
        return row


_UNKNOWN = object()
_DJANGO_METHODS = ("clean", "to_python", "validate", "run_validators")


def _blank_value(field: forms.Field):
    """What ``field.clean()`` makes of a blank cell, when that is the same for every row: an optional,
    enabled field whose cleaning is Django's own (not overridden) and gives None or "" (immutable)."""
    if field.required or field.disabled or isinstance(field, forms.FileField | forms.ModelMultipleChoiceField):
        return _UNKNOWN
    if not all(getattr(type(field), m).__module__.startswith("django.") for m in _DJANGO_METHODS):
        return _UNKNOWN
    try:
        results = {field.clean(None), field.clean("")}
    except (ValidationError, TypeError):  # refused, or a value that is no constant (a list)
        return _UNKNOWN
    if len(results) != 1:
        return _UNKNOWN
    value = results.pop()
    return value if value is None or value == "" else _UNKNOWN


def row_forms(spec: ImportSpec, ctx: ImportContext):
    return RowForms(spec, ctx) if RowForms.suits(spec) else FreshForms(spec, ctx)
