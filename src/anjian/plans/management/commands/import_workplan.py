"""``anjian import_workplan FILE [--dry-run] [--json] [--owner UNIT] [--user NAME]``

Reads a work-priorities notice (.txt or .docx) and builds its work plan — idempotently, so running it
again on the same file changes nothing. ``--json`` prints the parsed notice as
``{"issuer", "document_number", "date", "title", "sections": [{"number", "title", "items":
[{"number", "title", "text", "tasks": [...]}]}]}`` on stdout; warnings go to stderr.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.common.audit import audit_context
from anjian.common.imports import command_user, read_command_file
from anjian.orgs.choices import OrgUnitKind
from anjian.orgs.models import OrgUnit
from anjian.plans import services
from anjian.plans.parser import parse


class Command(BaseCommand):
    help = (
        "导入工作要点通知（.txt 或 .docx）为工作计划，可重复执行：anjian import_workplan FILE "
        "[--dry-run] [--json] [--owner 主管单位] [--user 用户名]"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="通知文件（.txt 或 .docx）")
        parser.add_argument("--dry-run", action="store_true", help="只解析，不保存")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出解析结果")
        parser.add_argument("--owner", help="主管单位（ID 或名称）；默认为唯一的顶层委员会")
        parser.add_argument("--user", help="以该用户的身份和权限导入（默认以服务器身份）")

    def handle(self, *args, **opts):
        content, filename = read_command_file(opts["file"])
        try:
            text = services.read_notice(content, filename)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        parsed = parse(text)
        for warning in parsed.warnings:
            self.stderr.write(f"提示：{warning}")
        for piece in parsed.unplaced:
            self.stderr.write(f"未能归入结构：{piece}")
        if not parsed.sections:
            raise CommandError("未能识别出任何部分（“一、”），未导入")
        outcome = None
        if not opts["dry_run"]:
            user = command_user(opts.get("user"))
            owner = self._owner(opts.get("owner"))
            with audit_context(actor=user, actor_name="import_workplan（服务器命令）"):
                try:
                    outcome = services.plan_import(actor=user, text=text, owner_unit=owner, filename=filename)
                except (ValidationError, PermissionDenied) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    raise CommandError("；".join(messages)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(services.notice_json(parsed), ensure_ascii=False, indent=2))
            return
        items = parsed.items()
        self.stdout.write(
            f"{parsed.document_number or '（无文号）'} {parsed.title}：{len(parsed.sections)} 个部分、"
            f"{len(items)} 个条目、{sum(len(i.tasks) for i in items)} 项任务"
        )
        if outcome is None:
            self.stdout.write("（试运行，未保存）")
        elif outcome.created:
            self.stdout.write(f"已创建工作计划 #{outcome.plan.pk}")
        elif outcome.changed:
            c = outcome.counts
            self.stdout.write(
                f"已更新工作计划 #{outcome.plan.pk}：新增任务 {c['tasks_created']}，修改 {c['tasks_updated']}，"
                f"删除 {c['tasks_removed']}，保留 {c['tasks_kept']}"
            )
        else:
            self.stdout.write(f"工作计划 #{outcome.plan.pk} 已是最新，没有变化")

    def _owner(self, value) -> OrgUnit:
        if value:
            qs = OrgUnit.objects.filter(pk=int(value)) if value.isdigit() else OrgUnit.objects.filter(name=value)
            matches = list(qs[:2])
            if len(matches) != 1:
                raise CommandError(f"--owner：{'找不到' if not matches else '有多个'}单位“{value}”")
            return matches[0]
        roots = list(OrgUnit.objects.filter(parent__isnull=True, kind=OrgUnitKind.COMMITTEE, is_active=True)[:2])
        if len(roots) != 1:
            raise CommandError("有多个（或没有）顶层委员会，请用 --owner 指定主管单位")
        return roots[0]
