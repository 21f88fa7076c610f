from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.common.audit import audit_context
from anjian.hazards import criteria


class Command(BaseCommand):
    help = (
        "载入重大隐患判定标准的新版本（JSON，格式同 hazards/data/criteria/*.json），如 2024版建筑施工判定标准："
        "anjian load_criteria FILE.json。不带文件时同步随系统发布的版本。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="判定标准数据文件（JSON）")

    def handle(self, *args, **opts):
        if not opts.get("file"):
            created, updated = criteria.sync_packaged()
            self.stdout.write(f"随系统发布的判定标准：新增 {created}，更新 {updated}")
            return
        try:
            with open(opts["file"], "rb") as fh:
                content = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {opts['file']}：{exc.strerror}") from exc
        try:
            with audit_context(actor_name="load_criteria（服务器命令）"):
                row = criteria.criteria_load(actor=None, content=content)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"已载入：{row}（{row.document}），数据 SHA-256 {row.sha256}")
