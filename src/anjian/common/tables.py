import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.common.audit import actor_label
from anjian.common.models import AuditEvent


class AuditEventTable(tables.Table):
    seq = tables.Column(verbose_name=_("序号"))
    at = tables.DateTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i:s")
    actor_name = tables.Column(verbose_name=_("操作人"))
    ip = tables.Column(verbose_name=_("IP地址"))
    action = tables.Column(verbose_name=_("操作"))
    object_repr = tables.Column(verbose_name=_("对象"))
    changes = tables.TemplateColumn(
        template_name="common/_changes_cell.html", verbose_name=_("变更内容"), orderable=False
    )

    class Meta:
        model = AuditEvent
        fields = ("seq", "at", "actor_name", "ip", "action", "object_type", "object_id", "object_repr", "changes")
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("-seq",)

    def render_actor_name(self, value):
        return actor_label(value)

    def render_object_type(self, value, record):
        return format_html('<code class="small">{}</code>', value)
