"""Running an import: the file read before the transaction, then every row validated by the same form and
written by the same service a typed record uses, in one transaction; nothing is saved if any row is bad."""

from __future__ import annotations

import hashlib
import io

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext as _

from anjian.common import audit
from anjian.common.imports.cells import BOOL, CHOICE, DATE, FK, FKS, Lookups, as_text, convert, fold
from anjian.common.imports.reading import ImportFileError, ParsedFile, read_rows
from anjian.common.imports.results import ImportResult
from anjian.common.imports.rowforms import row_forms
from anjian.common.imports.specs import ImportContext, ImportSpec, is_resolved, max_import_bytes
from anjian.common.models import AuditAction
from anjian.common.services import service

# Rows go to ``ImportSpec.write`` in batches of this many as the file is walked, so a queued import's
# progress moves through the writes too (2,000 a batch left its bar still for the whole write).
WRITE_BATCH = 500
# A progress callback hears of the validated rows every this many rows (and once at the end).
PROGRESS_EVERY = 100


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
    progress=None,
) -> ImportResult:
    """Check (``dry_run``) or import one file. The file is read before the transaction starts, so a
    long parse holds no lock; the rows are then validated and written in one transaction.

    ``progress``, when given, is called as ``progress(phase, done, total)``: ``("read", rows read,
    0)`` while the sheet is read, then ``("rows", rows validated and written, data rows)`` every
    ``PROGRESS_EVERY`` rows and once at the end with ``done == total`` (the queued import's bar)."""
    ctx, parsed, result = prepare_import(
        spec,
        fileobj,
        actor=actor,
        filename=filename,
        options=options,
        dry_run=dry_run,
        max_bytes=max_bytes,
        progress=progress,
    )
    if parsed is None:
        return result
    return import_rows(actor=actor, spec=spec, parsed=parsed, ctx=ctx, result=result, progress=progress)


def prepare_import(
    spec: ImportSpec,
    fileobj,
    *,
    actor,
    filename: str = "",
    options: dict | None = None,
    dry_run: bool = False,
    max_bytes: int | None = None,
    progress=None,
) -> tuple[ImportContext, ParsedFile | None, ImportResult]:
    """The part of ``run_import`` before the transaction: the size check and the read. ``parsed`` is
    None when the file as a whole cannot be imported (``result.file_error`` says why)."""
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
        return ctx, None, result
    try:
        parsed = read_rows(spec, fileobj, ctx, progress=progress)
    except ImportFileError as exc:
        result.file_error = exc.message
        return ctx, None, result
    result.columns = parsed.columns
    result.warnings = parsed.warnings
    result.total = len(parsed.rows)
    if not parsed.rows:
        result.file_error = _("文件中没有数据行（表头下方为空）")
        return ctx, None, result
    return ctx, parsed, result


@service
def import_rows(
    *, actor, spec: ImportSpec, parsed: ParsedFile, ctx: ImportContext, result: ImportResult, progress=None
) -> ImportResult:
    """Validate and write every row in one transaction; roll it all back on any error or a dry run."""
    bound = spec.bind(ctx)
    lookups = Lookups(bound, (cells for _row, cells in parsed.rows), ctx)
    defaults = _form_defaults(spec, ctx)
    validator = row_forms(spec, ctx)
    present = parsed.columns
    unique_seen: dict[int, dict[str, int]] = {c.index: {} for c in present if c.column.unique}
    # A record, choice, date or yes/no column repeats the same few cells down the file: each distinct
    # cell is converted once (the lookups and the language are the file's).
    memo: dict[int, dict] = {c.index: {} for c in present if c.kind in (FK, CHOICE, DATE, BOOL)}
    pending: list[tuple[int, forms.BaseForm]] = []
    pending_cells: dict[int, tuple] = {}
    total = len(parsed.rows)
    if progress is not None:
        progress("rows", 0, total)
    for done, (row_no, cells) in enumerate(parsed.rows, start=1):
        errors_before = len(result.errors)
        bad_fields: set[str] = set()
        data = dict(defaults)
        for column in present:
            raw = cells[column.index]
            if raw is None and column.kind != FKS:  # a blank cell: "" for the form, or “必填”
                if column.required:
                    result.add_error(row_no, column.header, _("必填，不能为空"))
                    bad_fields.add(column.field)
                else:
                    data[column.field] = ""
                continue
            seen = memo.get(column.index)
            if seen is None:
                value, problem = convert(column, raw, lookups)
            else:
                key = (type(raw), raw)  # 1, 1.0 and True are equal keys otherwise
                converted = seen.get(key)
                if converted is None:
                    converted = seen[key] = convert(column, raw, lookups)
                value, problem = converted
            if problem:
                result.add_error(row_no, column.header, problem)
                bad_fields.add(column.field)
                continue
            if column.required and value in ("", None, []):
                result.add_error(row_no, column.header, _("必填，不能为空"))
                bad_fields.add(column.field)
                continue
            if column.index in unique_seen and value not in ("", None):
                first = unique_seen[column.index].setdefault(fold(as_text(value)), row_no)
                if first != row_no:
                    result.add_error(row_no, column.header, _("与第 %(row)s 行重复") % {"row": first})
                    bad_fields.add(column.field)
                    continue
            data[column.field] = value
        form = validator.validate(data)
        if form.errors:
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
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress("rows", done, total)
    _write(spec, pending, pending_cells, ctx, result)
    if progress is not None:
        progress("rows", total, total)
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
        if isinstance(form_field, forms.ModelChoiceField) and not is_resolved(initial):
            initial = form_field.clean(initial)  # once per file, not per row
        out[name] = initial
    out.update(spec.row_defaults(ctx))
    return out


def _option_json(value):
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    return audit.to_jsonable(value)
