import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.orgs.choices import GOVERNMENT_KINDS
from anjian.orgs.models import OrgUnit
from anjian.plans.choices import (
    DerivedStatus,
    LetterStatus,
    MeetingKind,
    ProgressStatus,
    SummonsStatus,
    SupervisionStatus,
    TaskSource,
)
from anjian.plans.models import (
    Bulletin,
    Meeting,
    PlanSection,
    ProgressReport,
    ResponsibilityLetter,
    Summons,
    SupervisionNotice,
    Task,
    WorkPlan,
)
from anjian.plans.selectors import STATUS_FIELD


def _visible_plans(request):
    if request is None:
        return WorkPlan.objects.none()
    return WorkPlan.objects.restrict(request.user, "view").order_by("-year", "-id")


def _sections(request):
    if request is None:
        return PlanSection.objects.none()
    plans = _visible_plans(request)
    plan = request.GET.get("plan")
    qs = PlanSection.objects.filter(plan__in=plans)
    if plan and plan.isdigit():
        qs = qs.filter(plan_id=int(plan))
    return qs.select_related("plan").order_by("plan", "number")


def _units(request):
    return OrgUnit.objects.filter(is_active=True, kind__in=GOVERNMENT_KINDS).order_by("path")


class TaskFilterSet(django_filters.FilterSet):
    """Filters of the task list and the board: plan, section, unit (lead or co), status, text."""

    plan = django_filters.ModelChoiceFilter(label=_("工作要点"), queryset=_visible_plans, empty_label=_("全部"))
    section = django_filters.ModelChoiceFilter(
        label=_("部分"), field_name="item__section", queryset=_sections, empty_label=_("全部")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=_units, method="filter_unit", empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), field_name=STATUS_FIELD, choices=DerivedStatus.choices, empty_label=_("全部")
    )
    source = django_filters.ChoiceFilter(label=_("来源"), choices=TaskSource.choices, empty_label=_("全部"))
    q = django_filters.CharFilter(label=_("内容/序号"), method="search")

    class Meta:
        model = Task
        fields = ["plan", "section", "unit", "status", "source", "q"]

    def filter_unit(self, queryset, name, value: OrgUnit):
        return queryset.filter(
            Q(lead_unit=value) | Q(pk__in=Task.co_units.through.objects.filter(orgunit=value).values("task_id"))
        )

    def search(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(code=value.strip()))


class ReportFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProgressStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(label=_("报告单位"), queryset=_units, empty_label=_("全部"))
    plan = django_filters.ModelChoiceFilter(
        label=_("工作要点"), field_name="task__plan", queryset=_visible_plans, empty_label=_("全部")
    )

    class Meta:
        model = ProgressReport
        fields = ["status", "unit", "plan"]


class NoticeFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SupervisionStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(label=_("责任单位"), queryset=_units, empty_label=_("全部"))
    number = django_filters.CharFilter(label=_("督办编号"), lookup_expr="icontains")

    class Meta:
        model = SupervisionNotice
        fields = ["status", "unit", "number"]


class LetterFilterSet(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(label=_("工作要点"), queryset=_visible_plans, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LetterStatus.choices, empty_label=_("全部"))
    level = django_filters.NumberFilter(label=_("层级"))

    class Meta:
        model = ResponsibilityLetter
        fields = ["plan", "status", "level"]


class MeetingFilterSet(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(label=_("工作要点"), queryset=_visible_plans, empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=MeetingKind.choices, empty_label=_("全部"))

    class Meta:
        model = Meeting
        fields = ["plan", "kind"]


class SummonsFilterSet(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(label=_("工作要点"), queryset=_visible_plans, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SummonsStatus.choices, empty_label=_("全部"))

    class Meta:
        model = Summons
        fields = ["plan", "status"]


class BulletinFilterSet(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(label=_("工作要点"), queryset=_visible_plans, empty_label=_("全部"))

    class Meta:
        model = Bulletin
        fields = ["plan"]


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    q = django_filters.CharFilter(label=_("标题/文号"), method="search")

    class Meta:
        model = WorkPlan
        fields = ["year", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(document_number__icontains=value))
