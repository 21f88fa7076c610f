import sys

from django.core.management.base import BaseCommand, CommandError

from anjian.inspections.models import RandomDraw
from anjian.inspections.services.draws import draw_verify


class Command(BaseCommand):
    help = (
        "校验双随机抽取：按存储的主体库、人员库快照与配置重算，核对承诺值、摘要与结果。"
        " anjian verify_draw DRAW_ID — prints 'confirmed' or the reasons (exit 1 on mismatch)."
    )

    def add_arguments(self, parser):
        parser.add_argument("draw_id", help="抽取的 ID 或编号（如 SJ-2021-0001）")

    def handle(self, *args, **opts):
        key = opts["draw_id"]
        draw = RandomDraw.objects.filter(number=key).first()
        if draw is None and key.isdigit():
            draw = RandomDraw.objects.filter(pk=int(key)).first()
        if draw is None:
            raise CommandError(f"没有 ID 或编号为 {key} 的抽取")
        ok, reasons = draw_verify(draw)
        if ok:
            self.stdout.write(f"confirmed: {draw.number} {draw.get_status_display()}（承诺值 {draw.commitment}）")
            return
        self.stderr.write(f"mismatch: {draw.number}")
        for reason in reasons:
            self.stderr.write(f"  - {reason}")
        sys.exit(1)
