import json

from django.core.management.base import BaseCommand, CommandError

from anjian.common import rules


class Command(BaseCommand):
    help = (
        "运行一条规则：anjian rule NAME --json '{…}'，或 anjian rule --list 列出全部规则。"
        " Run a registered regulation rule on a JSON input."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="规则名称")
        parser.add_argument("--json", dest="payload", help="输入（JSON 对象）")
        parser.add_argument("--list", action="store_true", help="列出规则")

    def handle(self, *args, **opts):
        if opts["list"] or not opts.get("name"):
            for rule in rules.all_rules():
                self.stdout.write(f"{rule.name}\t{rule.description}")
            return
        try:
            payload = json.loads(opts.get("payload") or "{}")
        except json.JSONDecodeError as exc:
            raise CommandError(f"--json 不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）") from exc
        try:
            result = rules.run_rule(opts["name"], payload)
        except (rules.UnknownRule, rules.RuleInputError, LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))
