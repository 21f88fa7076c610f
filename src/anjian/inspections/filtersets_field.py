import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.inspections.models import Inspection, InspectionStatus

ALL = _("全部")


class InspectionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/检查对象"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=InspectionStatus.choices, empty_label=ALL)
    planned_after = django_filters.DateFilter(label=_("检查日期自"), field_name="planned_on", lookup_expr="gte")
    planned_before = django_filters.DateFilter(label=_("检查日期至"), field_name="planned_on", lookup_expr="lte")
    project = django_filters.NumberFilter(label=_("工程项目ID"), field_name="project_id")

    class Meta:
        model = Inspection
        fields = ["q", "status", "planned_after", "planned_before", "project"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(subject_name__icontains=value))
