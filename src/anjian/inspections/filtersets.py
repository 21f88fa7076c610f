"""Filters of the inspection lists; the exports use the same ones."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.hazards.choices import Sector
from anjian.inspections.models import (
    DrawStatus,
    Grade,
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    RandomDraw,
    SubjectGrade,
    SubjectPool,
)
from anjian.inspections.models.items import SubjectType
from anjian.inspections.models.plans import PlanPeriod

ALL = _("全部")


class InspectionItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编码/名称/依据"), method="search")
    subject_type = django_filters.ChoiceFilter(label=_("检查对象类型"), choices=SubjectType.choices, empty_label=ALL)

    class Meta:
        model = InspectionItem
        fields = ["q", "subject_type"]

    def search(self, queryset, name, value):
        v = value.strip()
        return queryset.filter(Q(code__icontains=v) | Q(name__icontains=v) | Q(basis__icontains=v))


class SubjectPoolFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = SubjectPool
        fields = ["q"]


class OfficerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名/执法证号"), method="search")
    in_pool = django_filters.BooleanFilter(label=_("参加抽取"))

    class Meta:
        model = OfficerProfile
        fields = ["q", "in_pool"]

    def search(self, queryset, name, value):
        v = value.strip()
        return queryset.filter(
            Q(user__real_name__icontains=v) | Q(user__username__icontains=v) | Q(user__enforcement_cert_no__icontains=v)
        )


class InspectionPlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    period = django_filters.ChoiceFilter(label=_("计划周期"), choices=PlanPeriod.choices, empty_label=ALL)
    sector = django_filters.ChoiceFilter(
        label=_("行业"), choices=Sector.choices, empty_label=ALL, field_name="targets__sector", distinct=True
    )

    class Meta:
        model = InspectionPlan
        fields = ["year", "period", "sector"]


class RandomDrawFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/名称"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DrawStatus.choices, empty_label=ALL)

    class Meta:
        model = RandomDraw
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        v = value.strip()
        return queryset.filter(Q(number__icontains=v) | Q(title__icontains=v))


class SubjectGradeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("对象类型"),
        choices=[("project", _("工程项目")), ("enterprise", _("建筑业企业"))],
        empty_label=ALL,
        method="filter_kind",
    )
    grade = django_filters.ChoiceFilter(label=_("风险等级"), choices=Grade.choices, empty_label=ALL)

    class Meta:
        model = SubjectGrade
        fields = ["q", "kind", "grade"]

    def search(self, queryset, name, value):
        v = value.strip()
        return queryset.filter(Q(project__name__icontains=v) | Q(profile__enterprise__name__icontains=v))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(**{f"{'project' if value == 'project' else 'profile'}__isnull": False})
