"""Filters of the compliance lists; the exports and the API use the same ones."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.construction.filtersets import ALL, YES_NO, _towns
from anjian.construction.models import LeaderShift, LiabilityPolicy, Project, SafetyLicence, Subcontract
from anjian.construction.models.insurance import in_force_q
from anjian.construction.models.licences import LICENCE_STATUS, licence_status_q
from anjian.construction.models.shifts import LeaderRole
from anjian.construction.models.subcontracts import SubcontractKind
from anjian.places.models import Division


def _viewer(filterset, user):
    return user or getattr(getattr(filterset, "request", None), "user", None)


def _projects(viewer):
    qs = Project.objects.order_by("name")
    return qs.restrict(viewer, "view") if viewer is not None else qs


class SafetyLicenceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/企业"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=list(LICENCE_STATUS.items()), empty_label=ALL, method="filter_status"
    )
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="enterprise__division", queryset=Division.objects.none(), empty_label=ALL
    )

    class Meta:
        model = SafetyLicence
        fields = ["q", "status", "town"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(licence_no__icontains=value) | Q(enterprise__name__icontains=value) | Q(enterprise__uscc=value.upper())
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(licence_status_q(value))


class LeaderShiftFilterSet(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    role = django_filters.ChoiceFilter(label=_("岗位"), choices=LeaderRole.choices, empty_label=ALL)
    on_site = django_filters.BooleanFilter(label=_("在岗"), widget=YES_NO)
    date_from = django_filters.DateFilter(label=_("日期自"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("日期至"), field_name="date", lookup_expr="lte")
    person = django_filters.CharFilter(label=_("姓名"), field_name="person_name", lookup_expr="icontains")

    class Meta:
        model = LeaderShift
        fields = ["project", "role", "on_site", "date_from", "date_to", "person"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project"].queryset = _projects(_viewer(self, user))


class LiabilityPolicyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("保单号/保险公司"), method="search")
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    in_force = django_filters.BooleanFilter(label=_("今日有效"), method="filter_in_force", widget=YES_NO)

    class Meta:
        model = LiabilityPolicy
        fields = ["q", "project", "in_force"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project"].queryset = _projects(_viewer(self, user))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(policy_no__icontains=value) | Q(insurer__icontains=value))

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(in_force_q()) if value else queryset.exclude(in_force_q())


class SubcontractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("合同编号/分包内容/单位"), method="search")
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    kind = django_filters.ChoiceFilter(label=_("分包类型"), choices=SubcontractKind.choices, empty_label=ALL)
    flag = django_filters.ChoiceFilter(
        label=_("判定"),
        choices=[
            ("flagged", _("转包或违法分包")),
            ("transfer", _("转包")),
            ("illegal", _("违法分包")),
            ("clear", _("未发现问题")),
        ],
        empty_label=ALL,
        method="filter_flag",
    )

    class Meta:
        model = Subcontract
        fields = ["q", "project", "kind", "flag"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project"].queryset = _projects(_viewer(self, user))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(contract_no__icontains=value)
            | Q(scope__icontains=value)
            | Q(subcontractor__name__icontains=value)
            | Q(contractor__name__icontains=value)
        )

    def filter_flag(self, queryset, name, value):
        return queryset.filter(
            {
                "flagged": Q(is_transfer=True) | Q(is_illegal=True),
                "transfer": Q(is_transfer=True),
                "illegal": Q(is_illegal=True),
                "clear": Q(is_transfer=False, is_illegal=False),
            }.get(value, Q())
        )
