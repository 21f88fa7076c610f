import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.common import audit
from anjian.common.escalation import SYSTEM_ACTOR_NAME, escalate_overdue


class Command(BaseCommand):
    help = (
        "逾期升级：按逾期工作日数对已登记的事项逐级提醒、督办（自动编号）、建议约谈；每级只发一次。"
        " Run the escalation ladder (the daily job) for a date; --dry-run shows what it would do."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="检查日期 YYYY-MM-DD（默认今天，北京时间）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要升级的事项，不写入、不编号、不通知")

    def handle(self, *args, **opts):
        today = timezone.localdate()
        if opts.get("date"):
            try:
                today = dt.date.fromisoformat(opts["date"])
            except ValueError:
                raise CommandError(f"--date 格式应为 YYYY-MM-DD，例如 2026-02-24，而不是 {opts['date']!r}") from None
        with audit.audit_context(actor_name=SYSTEM_ACTOR_NAME):
            run = escalate_overdue(today, dry_run=opts["dry_run"])
        prefix = "（试运行，未写入）" if run.dry_run else ""
        for step in run.steps:
            line = f"{step.level_label}{'（越级未发）' if step.skipped else ''} {step.object_repr}：截止 {step.due_date}，逾期 {step.days_overdue} 个工作日"
            if step.notice_number:
                line += f"，督办编号 {step.notice_number}"
            if step.recipients:
                line += f"，通知 {step.recipients} 人"
            self.stdout.write(line)
        for error in run.errors:
            self.stderr.write(f"出错：{error}")
        self.stdout.write(prefix + run.summary())
        if run.errors:
            sys.exit(1)
