"""``anjian import_<thing> FILE [--dry-run] [--json]``: an app's import as a management command."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from anjian.common import audit
from anjian.common.imports.results import ImportResult
from anjian.common.imports.running import run_import
from anjian.common.imports.specs import ImportSpec
from anjian.common.imports.workbooks import failed_rows_workbook


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------
def read_command_file(path: str) -> tuple[bytes, str]:
    """The bytes and the base name of the file a command was given; a ``CommandError`` naming it if unreadable."""
    try:
        with open(path, "rb") as fh:
            content = fh.read()
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
    return content, path.replace("\\", "/").rsplit("/", 1)[-1]


def command_user(username: str | None):
    """The active user a command's ``--user`` names (None without it: the command acts as the server)."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户 {username} 不存在或已停用")
    return user


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
        user = command_user(opts.get("user"))
        if user is not None:
            try:
                self.spec.check_permission(user)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
        options = self._options(opts, user)
        content, filename = read_command_file(opts["file"])
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
