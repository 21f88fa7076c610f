import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.common.text import join_list
from anjian.orgs.models import OrgUnit, RoleAssignment, User


class OrgUnitTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), order_by=("path",))
    kind = tables.Column(verbose_name=_("类型"))
    uscc = tables.Column(verbose_name=_("统一社会信用代码"))
    division = tables.Column(verbose_name=_("所在区划"))
    contact_person = tables.Column(verbose_name=_("联系人"))
    is_active = tables.BooleanColumn(verbose_name=_("启用"), yesno="✔,✘")

    class Meta:
        model = OrgUnit
        fields = ("name", "kind", "uscc", "division", "contact_person", "is_active")
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("name",)

    def render_name(self, value, record):
        indent = "　" * record.depth
        sample = (
            format_html(' <span class="badge text-bg-light border">{}</span>', _("示例")) if record.is_sample else ""
        )
        return format_html('{}<a href="{}">{}</a>{}', indent, record.get_absolute_url(), value, sample)


class UserTable(tables.Table):
    username = tables.Column(verbose_name=_("用户名"), linkify=True)
    real_name = tables.Column(verbose_name=_("姓名"))
    unit = tables.Column(verbose_name=_("所属单位"))
    phone = tables.Column(verbose_name=_("手机号"), orderable=False)
    roles = tables.Column(verbose_name=_("角色"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("启用"), yesno="✔,✘")
    last_login = tables.DateTimeColumn(verbose_name=_("最近登录"), format="Y-m-d H:i")

    class Meta:
        model = User
        fields = ("username", "real_name", "unit", "phone", "roles", "is_active", "last_login")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_phone(self, record):
        return record.masked_phone

    def render_roles(self, record):
        labels = sorted({a.get_role_display() for a in record.role_assignments.all()})
        return join_list(labels) or "—"


class RoleAssignmentTable(tables.Table):
    user = tables.Column(verbose_name=_("用户"), linkify=lambda record: record.user.get_absolute_url())
    role = tables.Column(verbose_name=_("角色"))
    unit = tables.Column(verbose_name=_("范围单位"))
    scope = tables.Column(verbose_name=_("数据范围"))
    note = tables.Column(verbose_name=_("备注"))
    actions = tables.TemplateColumn(template_name="orgs/_assignment_actions.html", verbose_name="", orderable=False)

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "unit", "scope", "note", "actions")
        attrs = {"class": "table table-sm table-hover align-middle"}
