"""Filters of the registry's lists; the exports use the same ones."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.construction.choices import (
    CERT_EXPIRING_DAYS,
    SPECIAL_OPERATION_TRADES,
    EnterpriseType,
    ProjectStatus,
    RiskGrade,
    Sex,
    Trade,
)
from anjian.construction.models import EnterpriseProfile, HighRiskWork, Machine, Project, Worker
from anjian.construction.models.high_risk import HighRiskLevel, HighRiskStatus
from anjian.construction.models.machinery import EXPIRING_DAYS, MachineType
from anjian.construction.rules.people import normalize_id_number
from anjian.places.models import Division

ALL = _("全部")
YES_NO = forms.Select(choices=[("", ALL), ("true", _("是")), ("false", _("否"))])


def _towns():
    return Division.objects.filter(level="town").order_by("sort_order", "code")


class EnterpriseProfileFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/统一社会信用代码"), method="search")
    enterprise_type = django_filters.ChoiceFilter(label=_("企业类型"), choices=EnterpriseType.choices, empty_label=ALL)
    risk_grade = django_filters.ChoiceFilter(label=_("风险等级"), choices=RiskGrade.choices, empty_label=ALL)
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="enterprise__division", queryset=Division.objects.none(), empty_label=ALL
    )
    qualification = django_filters.ChoiceFilter(
        label=_("企业资质"),
        choices=[
            ("expired", _("有已过期资质")),
            ("expiring", _("有 90 日内到期资质")),
            ("valid", _("资质均在有效期内")),
            ("none", _("无资质记录")),
        ],
        empty_label=ALL,
        method="filter_qualification",
    )

    class Meta:
        model = EnterpriseProfile
        fields = ["q", "enterprise_type", "risk_grade", "town", "qualification"]

    def filter_qualification(self, queryset, name, value):
        from django.db.models import Exists, OuterRef

        from anjian.construction.models import Qualification
        from anjian.construction.selectors import qualification_q

        today = timezone.localdate()
        held = Qualification.objects.filter(profile=OuterRef("pk"))
        if value in ("expired", "expiring"):
            return queryset.filter(Exists(held.filter(qualification_q(value, today))))
        if value == "valid":
            due = qualification_q("expired", today) | qualification_q("expiring", today)
            return queryset.filter(Exists(held)).exclude(Exists(held.filter(due)))
        if value == "none":
            return queryset.exclude(Exists(held))
        return queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__short_name__icontains=value)
            | Q(enterprise__uscc=value.upper())
        )


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("许可证号/名称/地址"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProjectStatus.choices, empty_label=ALL)
    town = django_filters.ModelChoiceFilter(label=_("街镇"), queryset=Division.objects.none(), empty_label=ALL)
    enterprise = django_filters.CharFilter(label=_("参建企业"), method="filter_enterprise")

    class Meta:
        model = Project
        fields = ["q", "status", "town", "enterprise"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(permit_no__icontains=value) | Q(name__icontains=value) | Q(address__icontains=value))

    def filter_enterprise(self, queryset, name, value):
        value = value.strip()
        q = Q()
        for role in ("builder", "contractor", "supervisor"):
            q |= Q(**{f"{role}__name__icontains": value}) | Q(**{f"{role}__uscc": value.upper()})
        return queryset.filter(q)


class WorkerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名/身份证号"), method="search", help_text=_("身份证号须填完整的 18 位"))
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    trade = django_filters.ChoiceFilter(label=_("工种"), choices=Trade.choices, empty_label=ALL)
    sex = django_filters.ChoiceFilter(label=_("性别"), choices=Sex.choices, empty_label=ALL)
    on_site = django_filters.BooleanFilter(label=_("在场"), field_name="exit_date", lookup_expr="isnull", widget=YES_NO)
    certificate = django_filters.ChoiceFilter(
        label=_("特种作业操作证"),
        choices=[
            ("expired", _("已过期")),
            ("expiring", _("30 日内到期")),
            ("missing", _("特种作业缺证")),
            ("valid", _("有效")),
        ],
        empty_label=ALL,
        method="filter_certificate",
    )

    class Meta:
        model = Worker
        fields = ["q", "project", "trade", "sex", "on_site", "certificate"]

    def filter_certificate(self, queryset, name, value):
        return queryset.filter(certificate_q(value))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Project.objects.order_by("name")
        request = kwargs.get("request")
        viewer = user or getattr(request, "user", None)
        self.filters["project"].queryset = qs.restrict(viewer, "view") if viewer is not None else qs

    def search(self, queryset, name, value):
        value = value.strip()
        # A number is found only whole: a part of it would let anyone probe the masked digits.
        number = normalize_id_number(value)
        if len(number) == 18:
            return queryset.filter(id_number=number)
        return queryset.filter(name__icontains=value)


class HighRiskWorkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/项目"), method="search")
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="project__town", queryset=Division.objects.none(), empty_label=ALL
    )
    level = django_filters.ChoiceFilter(label=_("等级"), choices=HighRiskLevel.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=HighRiskStatus.choices, empty_label=ALL)
    obligations_open = django_filters.BooleanFilter(label=_("有未完成义务"), widget=YES_NO)

    class Meta:
        model = HighRiskWork
        fields = ["q", "project", "town", "level", "status", "obligations_open"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()
        qs = Project.objects.order_by("name")
        request = kwargs.get("request")
        viewer = user or getattr(request, "user", None)
        self.filters["project"].queryset = qs.restrict(viewer, "view") if viewer is not None else qs

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(project__name__icontains=value))


class MachineFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("备案编号/型号/制造单位"), method="search")
    project = django_filters.ModelChoiceFilter(label=_("工程项目"), queryset=Project.objects.none(), empty_label=ALL)
    town = django_filters.ModelChoiceFilter(
        label=_("街镇"), field_name="project__town", queryset=Division.objects.none(), empty_label=ALL
    )
    machine_type = django_filters.ChoiceFilter(label=_("设备类型"), choices=MachineType.choices, empty_label=ALL)
    inspection = django_filters.ChoiceFilter(
        label=_("定期检验"),
        choices=[
            ("expired", _("已过期")),
            ("expiring", _("30 日内到期")),
            ("valid", _("有效")),
            ("unknown", _("未记录")),
        ],
        empty_label=ALL,
        method="filter_inspection",
    )
    registered = django_filters.BooleanFilter(
        label=_("已使用登记"), field_name="use_registered_on", lookup_expr="isnull", exclude=True, widget=YES_NO
    )

    class Meta:
        model = Machine
        fields = ["q", "project", "town", "machine_type", "inspection", "registered"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["town"].queryset = _towns()
        qs = Project.objects.order_by("name")
        request = kwargs.get("request")
        viewer = user or getattr(request, "user", None)
        self.filters["project"].queryset = qs.restrict(viewer, "view") if viewer is not None else qs

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(record_no__icontains=value) | Q(model_no__icontains=value) | Q(manufacturer__icontains=value)
        )

    def filter_inspection(self, queryset, name, value):
        return queryset.filter(inspection_q(value))


def inspection_q(state: str, on=None) -> Q:
    """The machines whose inspection is ``state`` (as ``Machine.inspection_state``) on ``on``."""
    on = on or timezone.localdate()
    soon = on + dt.timedelta(days=EXPIRING_DAYS)
    return {
        "expired": Q(inspection_valid_until__lt=on),
        "expiring": Q(inspection_valid_until__gte=on, inspection_valid_until__lte=soon),
        "valid": Q(inspection_valid_until__gt=soon),
        "unknown": Q(inspection_valid_until__isnull=True),
    }.get(state, Q())


def certificate_q(state: str, on=None) -> Q:
    """The workers whose 特种作业操作证 is ``state`` (as ``Worker.certificate_state``) on ``on``."""
    on = on or timezone.localdate()
    soon = on + dt.timedelta(days=CERT_EXPIRING_DAYS)
    held = ~Q(cert_no="") & Q(cert_expiry__isnull=False)
    return {
        "expired": held & Q(cert_expiry__lt=on),
        "expiring": held & Q(cert_expiry__gte=on, cert_expiry__lte=soon),
        "valid": held & Q(cert_expiry__gt=soon),
        "missing": Q(trade__in=SPECIAL_OPERATION_TRADES) & (Q(cert_no="") | Q(cert_expiry__isnull=True)),
    }.get(state, Q())
