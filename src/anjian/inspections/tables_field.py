import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from anjian.common.templatetags.anjian import status_badge
from anjian.inspections.models import Inspection

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


class InspectionTable(tables.Table):
    number = tables.Column(verbose_name=_("检查编号"), linkify=lambda record: record.get_absolute_url())
    subject_name = tables.Column(verbose_name=_("检查对象"), attrs={"td": {"class": "text-wrap"}})
    planned_on = tables.DateColumn(verbose_name=_("检查日期"), format="Y-m-d")
    checklist = tables.Column(
        verbose_name=_("检查表"), accessor="checklist__name", attrs={"td": {"class": "text-wrap"}}
    )
    status = tables.Column(verbose_name=_("状态"))
    score_total = tables.Column(verbose_name=_("得分"))
    grade = tables.Column(verbose_name=_("等级"))

    class Meta:
        model = Inspection
        # The town and the inspecting unit are in the export; the list keeps to what fits at 1366 px.
        fields = ("number", "subject_name", "planned_on", "checklist", "status", "score_total", "grade")
        attrs = TABLE_ATTRS

    def render_status(self, value, record):
        return status_badge(record)
