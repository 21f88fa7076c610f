import sys

from django.core.management.base import BaseCommand

from anjian.hazards.figures import figures_check

SHOWN = 50


class Command(BaseCommand):
    help = (
        "核对隐患统计表与隐患台账的实时汇总（只读，不重建）：一致时退出码 0；不一致时列出差异并以退出码 1 退出，"
        "可用 anjian rebuild_figures 重建。"
    )

    def handle(self, *args, **opts):
        differences = figures_check()
        if not differences:
            self.stdout.write("隐患统计表与实时汇总一致")
            return
        for difference in differences[:SHOWN]:
            self.stderr.write(str(difference))
        if len(differences) > SHOWN:
            self.stderr.write(f"… 另有 {len(differences) - SHOWN} 处差异")
        self.stderr.write(f"隐患统计表与实时汇总有 {len(differences)} 处差异")
        sys.exit(1)
