import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anjian.common.audit import audit_context
from anjian.orgs.demo import print_logins


class Command(BaseCommand):
    help = (
        "加载演示数据（可重复执行）：区划、示例单位与每个角色一个用户，以及各业务模块的示例数据。"
        " Load the demo data (idempotent) and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="所有演示账号的密码（设置后会重置已有演示账号的密码）")

    def handle(self, *args, **opts):
        password = opts.get("password")
        if password:
            from django.contrib.auth.password_validation import validate_password
            from django.core.exceptions import ValidationError

            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError("--password 不符合密码策略：" + "；".join(exc.messages)) from exc
        # Each app with a demo.py contributes, in INSTALLED_APPS order (places before orgs before …);
        # with -v2 each part's time is printed after it (benchmarks/bench_demo.py reads them).
        with audit_context(actor_name="load_demo"), transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("anjian."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                started = time.perf_counter()
                module.load(password=password, stdout=self.stdout)
                if opts["verbosity"] >= 2:
                    self.stdout.write(f"  用时 {config.label}：{time.perf_counter() - started:.1f} 秒")
        print_logins(self.stdout, password)
