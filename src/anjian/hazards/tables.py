import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.common.templatetags.anjian import status_badge
from anjian.hazards.models import Campaign, Hazard, Measure

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


class HazardTable(tables.Table):
    number = tables.Column(verbose_name=_("编号"), linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column(verbose_name=_("隐患名称"))
    level = tables.Column(verbose_name=_("等级"))
    status = tables.Column(verbose_name=_("状态"))
    sector = tables.Column(verbose_name=_("行业"))
    town = tables.Column(verbose_name=_("街镇"), order_by=("town__sort_order",))
    responsible_enterprise = tables.Column(verbose_name=_("责任企业"))
    deadline = tables.DateColumn(verbose_name=_("整改期限"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = Hazard
        # Status and level next to the number: at 375 px they are what shows without scrolling.
        fields = ("number", "status", "level", "title", "sector", "town", "responsible_enterprise", "deadline")
        attrs = TABLE_ATTRS
        order_by = ("-found_date",)

    def render_level(self, value, record):
        if record.is_major:
            return format_html('<span class="badge text-bg-danger" title="{}">{}</span>', record.basis_labels, value)
        return value

    def render_status(self, value, record):
        return status_badge(record)

    def render_deadline(self, value, record):
        if value is None:
            return "—"
        if record.is_overdue(timezone.localdate()):
            return format_html('<span class="text-danger fw-semibold">{} {}</span>', value.isoformat(), _("逾期"))
        return value.isoformat()


class CampaignTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), linkify=True)
    kind = tables.Column(verbose_name=_("类型"))
    lead_unit = tables.Column(verbose_name=_("牵头单位"))
    start_date = tables.DateColumn(verbose_name=_("开始"), format="Y-m-d")
    end_date = tables.DateColumn(verbose_name=_("结束"), format="Y-m-d")
    is_active = tables.BooleanColumn(verbose_name=_("进行中"), yesno="✔,✘")

    class Meta:
        model = Campaign
        fields = ("name", "kind", "lead_unit", "start_date", "end_date", "is_active")
        attrs = TABLE_ATTRS

    def render_name(self, value, record):
        indent = "　" if record.parent_id else ""
        return format_html('{}<a href="{}">{}</a>', indent, record.get_absolute_url(), record.name)


class MeasureTable(tables.Table):
    title = tables.Column(verbose_name=_("措施名称"), linkify=True)
    kind = tables.Column(verbose_name=_("类型"))
    responsible_unit = tables.Column(verbose_name=_("责任单位"))
    deadline = tables.DateColumn(verbose_name=_("完成时限"), format="Y-m-d")
    status = tables.Column(verbose_name=_("进展"))
    document_no = tables.Column(verbose_name=_("文号"))

    class Meta:
        model = Measure
        fields = ("title", "kind", "responsible_unit", "deadline", "status", "document_no")
        attrs = TABLE_ATTRS
