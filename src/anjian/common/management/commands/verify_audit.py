import json
import sys

from django.core.management.base import BaseCommand, CommandError

from anjian.common import audit
from anjian.common.tasks import run_verification


class Command(BaseCommand):
    help = (
        "校验审计链：逐条验证哈希链，指出第一条被篡改的记录；给出 --anchor 时还要求链经过该锚点。"
        " Verify the audit chain; exits 1 naming the first broken entry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", help="公布过的锚点 SEQ:HASH（anjian audit_anchor 的输出）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **opts):
        anchor = None
        if opts.get("anchor"):
            try:
                anchor = audit.parse_anchor(opts["anchor"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        row = run_verification(trigger="command", anchor=anchor)
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": row.ok,
                        "checked": row.checked,
                        "head": f"{row.head_seq}:{row.head_hash}",
                        "broken_seq": row.broken_seq,
                        "message": row.message,
                    },
                    ensure_ascii=False,
                )
            )
        elif row.ok:
            self.stdout.write(f"审计链完整：{row.checked} 条，链头 {row.head_seq}:{row.head_hash}")
        else:
            self.stderr.write(f"审计链被破坏：第一条异常记录 #{row.broken_seq}：{row.message}")
        if not row.ok:
            sys.exit(1)
