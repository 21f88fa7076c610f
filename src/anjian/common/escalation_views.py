"""Pages of the escalation ladder: the policies (system admin) and the scoped list of escalations."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.escalation import DEFAULT_THRESHOLDS, escalation_policy_save, registrations
from anjian.common.generic import ObjectEditView, ObjectListView
from anjian.common.models import Escalation, EscalationLevel, EscalationPolicy
from anjian.common.scope import may


# ---------------------------------------------------------------------------
# Policies (system admin)
# ---------------------------------------------------------------------------
class EscalationPolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EscalationPolicy
        fields = ["key", "name", "description", "is_active", "reminder_days", "supervision_days", "summons_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("创建后不能修改（程序按标识引用该规则）")

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        if self.instance.pk:
            data.pop("key", None)
        return data


class EscalationPolicyEditView(ObjectEditView):
    model = EscalationPolicy
    form_class = EscalationPolicyForm
    title = gettext_lazy("逾期升级规则")

    def check_create_permission(self):
        if not may(self.request.user, EscalationPolicy, "change"):
            raise PermissionDenied(_("只有系统管理员可以修改逾期升级规则"))

    def get_initial(self):
        initial = super().get_initial()
        key = self.request.GET.get("key", "")
        if self.object is None and key:
            initial.update(key=key, name=_("逾期升级规则（%(k)s）") % {"k": key}, **DEFAULT_THRESHOLDS)
        return initial

    def save(self, form):
        return escalation_policy_save(
            actor=self.request.user,
            policy=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


@login_required
def escalation_policy_list(request):
    if not may(request.user, EscalationPolicy, "change"):
        raise PermissionDenied(_("您的角色无权访问该页面"))
    policies = list(EscalationPolicy.objects.order_by("key"))
    users: dict[str, list[str]] = {}
    for reg in registrations():
        users.setdefault(reg.policy_key, []).append(str(reg.model._meta.verbose_name))
    known = {p.key for p in policies}
    for policy in policies:
        policy.used_by = users.get(policy.key, [])
    missing = [{"key": key, "used_by": names} for key, names in sorted(users.items()) if key not in known]
    return render(
        request,
        "common/escalation_policy_list.html",
        {
            "title": _("逾期升级规则"),
            "policies": policies,
            "missing": missing,
            "defaults": DEFAULT_THRESHOLDS,
            "levels": EscalationLevel,
        },
    )


# ---------------------------------------------------------------------------
# The escalations a user may see (督查督办台账)
# ---------------------------------------------------------------------------
class EscalationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("事项"), field_name="object_repr", lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=gettext_lazy("级别"), choices=EscalationLevel.choices)
    notice_number = django_filters.CharFilter(label=gettext_lazy("督办编号"), lookup_expr="icontains")
    since = django_filters.DateFilter(
        label=gettext_lazy("检查日期起"),
        field_name="as_of",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=gettext_lazy("检查日期止"),
        field_name="as_of",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Escalation
        fields = ["q", "level", "notice_number", "since", "until"]


class EscalationTable(tables.Table):
    as_of = tables.DateColumn(verbose_name=gettext_lazy("检查日期"), format="Y-m-d")
    level = tables.Column(verbose_name=gettext_lazy("级别"))
    object_repr = tables.Column(verbose_name=gettext_lazy("事项"))
    responsible_unit = tables.Column(verbose_name=gettext_lazy("责任单位"))
    due_date = tables.DateColumn(verbose_name=gettext_lazy("截止日期"), format="Y-m-d")
    days_overdue = tables.Column(verbose_name=gettext_lazy("逾期工作日"))
    notice_number = tables.Column(verbose_name=gettext_lazy("督办编号"))

    class Meta:
        model = Escalation
        fields = ("as_of", "level", "object_repr", "responsible_unit", "due_date", "days_overdue", "notice_number")
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("-as_of",)

    def render_level(self, value, record):
        skipped = format_html(' <span class="text-muted small">{}</span>', _("越级未发")) if record.skipped else ""
        return format_html('<span class="badge text-bg-{}">{}</span>{}', record.color, value, skipped)

    def render_object_repr(self, value, record):
        if record.url:
            return format_html('<a href="{}">{}</a>', record.url, value)
        return value


class EscalationListView(ObjectListView):
    queryset = Escalation.objects.select_related("responsible_unit").order_by("-as_of", "-id")
    filterset_class = EscalationFilterSet
    table_class = EscalationTable
    title = gettext_lazy("逾期升级台账")
    export_filename = "escalations"
    export_columns = [
        (gettext_lazy("检查日期"), "as_of"),
        (gettext_lazy("级别"), "get_level_display"),
        (gettext_lazy("事项"), "object_repr"),
        (gettext_lazy("对象类型"), lambda e: f"{e.content_type.app_label}.{e.content_type.model}"),
        (gettext_lazy("对象ID"), "object_id"),
        (gettext_lazy("责任单位"), "responsible_unit.name"),
        (gettext_lazy("截止日期"), "due_date"),
        (gettext_lazy("逾期工作日"), "days_overdue"),
        (gettext_lazy("督办编号"), "notice_number"),
        (gettext_lazy("越级未发"), "skipped"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("content_type")
