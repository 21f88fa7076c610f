import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AuditAction, AuditEvent


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEventFilterSet(django_filters.FilterSet):
    """Filters of the audit page. Dates become index-friendly datetime ranges in Asia/Shanghai."""

    q = django_filters.CharFilter(label=_("对象"), method="filter_object", help_text=_("对象名称包含"))
    object_type = django_filters.CharFilter(label=_("对象类型"), help_text=_("如 orgs.user"))
    object_id = django_filters.CharFilter(label=_("对象ID"))
    actor = django_filters.CharFilter(label=_("操作人"), field_name="actor_name", lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=AuditAction.choices)
    since = django_filters.DateFilter(
        label=_("起始日期"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("截止日期"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["q", "object_type", "object_id", "actor", "action", "since", "until"]

    def filter_object(self, queryset, name, value):
        return queryset.filter(object_repr__icontains=value)

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=_day_start(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=_day_start(value + dt.timedelta(days=1)))
