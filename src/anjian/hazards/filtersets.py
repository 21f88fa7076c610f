"""Filters of the hazard list; the map's points, the figures and the export use the same ones."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.hazards.choices import (
    DEADLINE_STATES,
    OPEN_STATES,
    HazardLevel,
    HazardSource,
    HazardStatus,
    MeasureKind,
    MeasureStatus,
    Sector,
)
from anjian.hazards.models import Campaign, Hazard, Measure
from anjian.places.models import Division

ALL = _("全部")
OPEN = "open"
YES_NO = forms.Select(choices=[("", ALL), ("true", _("是")), ("false", _("否"))])
DATE = forms.DateInput(attrs={"type": "date"})


class HazardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/名称/地址"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(OPEN, _("未销号（全部在办）")), *HazardStatus.choices],
        method="filter_status",
        empty_label=ALL,
    )
    level = django_filters.ChoiceFilter(label=_("等级"), choices=HazardLevel.choices, empty_label=ALL)
    sector = django_filters.ChoiceFilter(label=_("行业"), choices=Sector.choices, empty_label=ALL)
    town = django_filters.ModelChoiceFilter(label=_("街镇"), queryset=Division.objects.none(), empty_label=ALL)
    campaign = django_filters.ModelChoiceFilter(
        label=_("专项整治"), queryset=Campaign.objects.none(), method="filter_campaign", empty_label=ALL
    )
    source = django_filters.ChoiceFilter(label=_("来源"), choices=HazardSource.choices, empty_label=ALL)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue", widget=YES_NO)
    found_from = django_filters.DateFilter(
        label=_("发现日期起"), field_name="found_date", lookup_expr="gte", widget=DATE
    )
    found_to = django_filters.DateFilter(label=_("发现日期止"), field_name="found_date", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Hazard
        fields = ["q", "status", "level", "sector", "town", "campaign", "source", "overdue", "found_from", "found_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = Division.objects.filter(level="town").order_by("sort_order", "code")
        self.filters["campaign"].queryset = Campaign.objects.select_related("parent").order_by(
            "sort_order", "start_date", "name"
        )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(address__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATES)
        return queryset.filter(status=value)

    def filter_campaign(self, queryset, name, value):
        return queryset.filter(campaign_id__in=value.family_ids())

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = Q(status__in=DEADLINE_STATES, deadline__lt=today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="search")
    is_active = django_filters.BooleanFilter(label=_("进行中"), widget=YES_NO)
    sector = django_filters.ChoiceFilter(label=_("行业"), choices=Sector.choices, empty_label=ALL)

    class Meta:
        model = Campaign
        fields = ["q", "is_active", "sector"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class MeasureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/文号"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=MeasureKind.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("进展"), choices=MeasureStatus.choices, empty_label=ALL)
    campaign = django_filters.ModelChoiceFilter(
        label=_("专项整治"), queryset=Campaign.objects.none(), field_name="campaigns", empty_label=ALL
    )

    class Meta:
        model = Measure
        fields = ["q", "kind", "status", "campaign"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["campaign"].queryset = Campaign.objects.order_by("sort_order", "name")

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(document_no__icontains=value))
