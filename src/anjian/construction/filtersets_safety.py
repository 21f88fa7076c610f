"""Filters of the safety records' lists (the exports use the same ones)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.construction.filtersets import ALL, _towns
from anjian.construction.models import Accident, FireReview, Project
from anjian.construction.models.accidents import AccidentLevel, AccidentStatus, AccidentType, year_bounds
from anjian.construction.models.fire_review import FireReviewKind, FireReviewResult
from anjian.places.models import Division


def _visible_projects(filterset, user, kwargs):
    qs = Project.objects.order_by("name")
    viewer = user or getattr(kwargs.get("request"), "user", None)
    filterset.filters["project"].queryset = qs.restrict(viewer, "view") if viewer is not None else qs


class AccidentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("项目/单位/经过"), method="search")
    year = django_filters.NumberFilter(label=_("年度"), field_name="occurred_at", method="filter_year")
    level = django_filters.ChoiceFilter(label=_("事故等级"), choices=AccidentLevel.choices, empty_label=ALL)
    accident_type = django_filters.ChoiceFilter(label=_("事故类别"), choices=AccidentType.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AccidentStatus.choices, empty_label=ALL)
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="project__town", queryset=Division.objects.none(), empty_label=ALL
    )

    class Meta:
        model = Accident
        fields = ["q", "year", "level", "accident_type", "status", "project", "town"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()
        _visible_projects(self, user, kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(project__name__icontains=value)
            | Q(project__permit_no__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_year(self, queryset, name, value):
        if not 1900 <= value <= 2999:
            return queryset.none()
        start, end = year_bounds(int(value))
        return queryset.filter(occurred_at__gte=start, occurred_at__lt=end)


class FireReviewFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("项目/文书编号"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=FireReviewKind.choices, empty_label=ALL)
    result = django_filters.ChoiceFilter(label=_("结果"), choices=FireReviewResult.choices, empty_label=ALL)
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="project__town", queryset=Division.objects.none(), empty_label=ALL
    )

    class Meta:
        model = FireReview
        fields = ["q", "kind", "result", "project", "town"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()
        _visible_projects(self, user, kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(project__name__icontains=value) | Q(project__permit_no__icontains=value) | Q(document_no__icontains=value)
        )


class MissingFireAcceptanceFilterSet(django_filters.FilterSet):
    """The projects in use or completed without a passed acceptance or a standing filing."""

    q = django_filters.CharFilter(label=_("许可证号/名称"), method="search")
    town = django_filters.ModelChoiceFilter(label=_("街镇"), queryset=Division.objects.none(), empty_label=ALL)
    contractor = django_filters.CharFilter(
        label=_("施工总承包单位"), field_name="contractor__name", lookup_expr="icontains"
    )

    class Meta:
        model = Project
        fields = ["q", "town", "contractor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(permit_no__icontains=value) | Q(name__icontains=value))
