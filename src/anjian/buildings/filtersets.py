"""Filters of the existing-building lists; the exports and the API use the same ones."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.buildings.choices import DamageKind, Dilapidation, HouseStructure, HouseUse, Renovation
from anjian.buildings.models import CurtainWall, DamageEvent, RuralHouse
from anjian.buildings.models.curtain_walls import DUE_SOON_DAYS
from anjian.places.models import Division

ALL = _("全部")
YES_NO = forms.Select(choices=[("", ALL), ("true", _("是")), ("false", _("否"))])


def _towns():
    return Division.objects.filter(level="town").order_by("sort_order", "code")


def due_q(state: str, on=None) -> Q:
    """The walls whose next due date is ``state`` (as ``CurtainWall.due_state``) on ``on``."""
    on = on or timezone.localdate()
    soon = on + dt.timedelta(days=DUE_SOON_DAYS)
    return {
        "overdue": Q(next_due_on__lt=on),
        "soon": Q(next_due_on__gte=on, next_due_on__lte=soon),
        "later": Q(next_due_on__gt=soon),
        "none": Q(next_due_on__isnull=True),
    }.get(state, Q())


class CurtainWallFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/地址/业主"), method="search")
    town = django_filters.ModelChoiceFilter(label=_("街镇"), queryset=Division.objects.none(), empty_label=ALL)
    due = django_filters.ChoiceFilter(
        label=_("到期情况"),
        choices=[("overdue", _("已逾期")), ("soon", _("90 日内到期")), ("later", _("未到期"))],
        empty_label=ALL,
        method="filter_due",
    )
    cable_system = django_filters.BooleanFilter(label=_("拉杆或拉索结构"), widget=YES_NO)

    class Meta:
        model = CurtainWall
        fields = ["q", "town", "due", "cable_system"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(address__icontains=value)
            | Q(owner_name__icontains=value)
            | Q(owner_unit__name__icontains=value)
        )

    def filter_due(self, queryset, name, value):
        return queryset.filter(due_q(value))


class RuralHouseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("村/地址/户主"), method="search")
    town = django_filters.ModelChoiceFilter(label=_("街镇"), queryset=Division.objects.none(), empty_label=ALL)
    dilapidation = django_filters.ChoiceFilter(
        label=_("危险性等级"),
        choices=[*Dilapidation.choices, ("none", _("未评定"))],
        empty_label=ALL,
        method="filter_class",
    )
    renovation = django_filters.ChoiceFilter(label=_("整治状态"), choices=Renovation.choices, empty_label=ALL)
    structure = django_filters.ChoiceFilter(label=_("结构类型"), choices=HouseStructure.choices, empty_label=ALL)
    use = django_filters.ChoiceFilter(label=_("用途"), choices=HouseUse.choices, empty_label=ALL)
    flagged = django_filters.BooleanFilter(label=_("在用危房"), widget=YES_NO)

    class Meta:
        model = RuralHouse
        fields = ["q", "town", "dilapidation", "renovation", "structure", "use", "flagged"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(village__icontains=value) | Q(address__icontains=value) | Q(owner_name__icontains=value)
        )

    def filter_class(self, queryset, name, value):
        return queryset.filter(dilapidation="" if value == "none" else value)


class DamageEventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=DamageKind.choices, empty_label=ALL)
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="walls__town", queryset=Division.objects.none(), empty_label=ALL, distinct=True
    )

    class Meta:
        model = DamageEvent
        fields = ["kind", "town"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()
