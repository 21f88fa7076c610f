from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.common.audit import audit_context
from anjian.common.exceptions import DomainError
from anjian.orgs import services
from anjian.orgs.choices import DataScope, Role
from anjian.orgs.models import OrgUnit, User


class Command(BaseCommand):
    help = (
        "在服务器上授予角色（用于首次部署时设置第一位安全管理员）。"
        " Grant a role from the server shell, e.g. the first security admin of a new installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--unit", required=True, help="单位 ID 或名称")
        parser.add_argument("--scope", choices=DataScope.values, required=True)

    def handle(self, *args, **opts):
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"用户 {opts['username']} 不存在") from exc
        unit_ref = opts["unit"]
        unit = OrgUnit.objects.filter(pk=int(unit_ref)).first() if unit_ref.isdigit() else None
        unit = unit or OrgUnit.objects.filter(name=unit_ref).first()
        if unit is None:
            raise CommandError(f"单位 {unit_ref} 不存在")
        try:
            with audit_context(actor_name="grant_role（服务器命令）"):
                services.role_grant(actor=None, user=user, role=opts["role"], unit=unit, scope=opts["scope"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已授予 {user} {Role(opts['role']).label}（{unit}，{DataScope(opts['scope']).label}）")
