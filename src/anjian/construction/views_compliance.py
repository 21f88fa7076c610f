"""Pages of the compliance records: 安全生产许可证 (with 证后核查 and the due list), 项目负责人带班 (with the
monthly on-site report), 安全生产责任保险 (with the projects under construction uninsured today) and
分包 (with the rule's 转包/违法分包 flags). Every read starts from ``restrict()``; every write calls
``services_compliance``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.exceptions import DomainError
from anjian.common.generic import ObjectDetailView, ObjectEditView, ObjectListView, scoped_object_or_404
from anjian.common.imports import ImportView
from anjian.common.scope import can, has_role, may
from anjian.common.text import labelled
from anjian.construction import selectors_compliance as selectors
from anjian.construction import services_compliance as services
from anjian.construction.filtersets_compliance import (
    LeaderShiftFilterSet,
    LiabilityPolicyFilterSet,
    SafetyLicenceFilterSet,
    SubcontractFilterSet,
)
from anjian.construction.forms_compliance import (
    LicenceCheckForm,
    LicenceForm,
    PolicyForm,
    ShiftForm,
    SubcontractForm,
)
from anjian.construction.imports_compliance import LicenceImport, PolicyImport, ShiftImport, SubcontractImport
from anjian.construction.models import LeaderShift, LiabilityPolicy, Project, SafetyLicence, Subcontract
from anjian.construction.models.licences import licence_status_q
from anjian.construction.tables_compliance import (
    LeaderShiftTable,
    LiabilityPolicyTable,
    SafetyLicenceTable,
    SubcontractTable,
    licence_badge,
    subcontract_badges,
)
from anjian.construction.views import _READERS, _UNIT_WORKERS, _error_messages
from anjian.orgs.choices import Role

_WITH_ENTERPRISE = (*_UNIT_WORKERS, Role.ENTERPRISE_USER)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = str(form.fields[field].label) if field in form.fields else ""
        for message in errors:
            messages.error(request, labelled(label, message) if label else message)


class _Create(ObjectEditView):
    """A create page: refused to a role without ``add``; ``?project=`` preselects the project."""

    create = None  # the service

    def check_create_permission(self):
        if not may(self.request.user, self.model, "add"):
            raise PermissionDenied(_("您的角色无权登记%(t)s") % {"t": self.model._meta.verbose_name})

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project") and "project" in self.form_class.base_fields:
            initial["project"] = self.request.GET["project"]
        return initial

    def save(self, form):
        return type(self).create(actor=self.request.user, data=form.service_data())


class _Edit(ObjectEditView):
    update = None  # the service
    kwarg = ""  # the service's and the form's name for the record

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs[self.kwarg] = self.object
        # Always: a disabled field (the record's fixed parties) takes its value from the initial.
        kwargs["initial"] = self.form_class.initial_for(self.object)
        return kwargs

    def save(self, form):
        data = {k: v for k, v in form.service_data().items() if not form.fields[k].disabled}
        return type(self).update(
            actor=self.request.user, **{self.kwarg: self.object}, data=data, version=form.cleaned_data.get("version")
        )


# ---------------------------------------------------------------------------
# 安全生产许可证
# ---------------------------------------------------------------------------
LICENCE_EXPORT_COLUMNS = [
    (gettext_lazy("许可证编号"), "licence_no"),
    (gettext_lazy("企业"), "enterprise.name"),
    (gettext_lazy("统一社会信用代码"), "enterprise.uscc"),
    (gettext_lazy("发证机关"), "issuer"),
    (gettext_lazy("发证日期"), "issued_on"),
    (gettext_lazy("有效期至"), "valid_until"),
    (gettext_lazy("状态"), lambda lic: lic.status_label()),
    (gettext_lazy("处理日期"), "action_on"),
]


class SafetyLicenceListView(ObjectListView):
    queryset = SafetyLicence.objects.select_related("enterprise")
    filterset_class = SafetyLicenceFilterSet
    table_class = SafetyLicenceTable
    title = gettext_lazy("安全生产许可证")
    create_url = "construction:licence_add"
    create_roles = _UNIT_WORKERS
    import_url = "construction:licence_import"
    import_roles = _UNIT_WORKERS
    export_filename = "safety-licences"
    export_columns = LICENCE_EXPORT_COLUMNS


class SafetyLicenceDueListView(SafetyLicenceListView):
    """The licences expired, or (still 有效) ending within 90 days, soonest first."""

    title = gettext_lazy("安全生产许可证到期")
    export_filename = "safety-licences-due"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(licence_status_q("expired") | licence_status_q("expiring"))
            .order_by("valid_until", "pk")
        )


class SafetyLicenceCreateView(_Create):
    model = SafetyLicence
    form_class = LicenceForm
    title = gettext_lazy("安全生产许可证")
    create = services.licence_create


class SafetyLicenceEditView(_Edit):
    model = SafetyLicence
    form_class = LicenceForm
    title = gettext_lazy("安全生产许可证")
    update = services.licence_update
    kwarg = "licence"


class SafetyLicenceDetailView(ObjectDetailView):
    model = SafetyLicence
    template_name = "construction/licence_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        licence = self.object
        ctx["status_badge"] = licence_badge(licence)
        ctx["status"] = licence.status()
        ctx["checks"] = licence.checks.all()
        if can(self.request.user, "check", licence):
            ctx["check_form"] = LicenceCheckForm(initial={"inspector": self.request.user.real_name})
        ctx["title"] = str(licence)
        return ctx


@login_required
def licence_check(request, pk: int):
    """证后核查 (POST from the licence's page)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    licence = scoped_object_or_404(SafetyLicence, request.user, pk)
    form = LicenceCheckForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(licence.get_absolute_url())
    try:
        services.licence_check_create(actor=request.user, data={**form.service_data(), "licence": licence})
    except ValidationError as exc:
        _error_messages(request, exc, type(licence).checks.field.model)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("您无权进行该操作"))
    else:
        messages.success(request, _("已记录证后核查"))
    return redirect(licence.get_absolute_url())


class LicenceImportView(ImportView):
    spec_class = LicenceImport
    success_url = reverse_lazy("construction:licence_list")


# ---------------------------------------------------------------------------
# 项目负责人带班
# ---------------------------------------------------------------------------
SHIFT_EXPORT_COLUMNS = [
    (gettext_lazy("带班日期"), "date"),
    (gettext_lazy("工程项目"), "project.name"),
    (gettext_lazy("施工许可证号"), "project.permit_no"),
    (gettext_lazy("姓名"), "person_name"),
    (gettext_lazy("岗位"), "get_role_display"),
    (gettext_lazy("在岗"), "on_site"),
    (gettext_lazy("备注"), "note"),
]


class LeaderShiftListView(ObjectListView):
    queryset = LeaderShift.objects.select_related("project")
    filterset_class = LeaderShiftFilterSet
    table_class = LeaderShiftTable
    title = gettext_lazy("项目负责人带班")
    create_url = "construction:shift_add"
    create_roles = _WITH_ENTERPRISE
    import_url = "construction:shift_import"
    import_roles = _WITH_ENTERPRISE
    export_filename = "leader-shifts"
    export_columns = SHIFT_EXPORT_COLUMNS
    template_name = "construction/shift_list.html"


class LeaderShiftCreateView(_Create):
    model = LeaderShift
    form_class = ShiftForm
    title = gettext_lazy("带班记录")
    create = services.shift_create


class LeaderShiftEditView(_Edit):
    model = LeaderShift
    form_class = ShiftForm
    title = gettext_lazy("带班记录")
    update = services.shift_update
    kwarg = "shift"


class LeaderShiftDetailView(ObjectDetailView):
    model = LeaderShift
    template_name = "construction/shift_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = str(self.object)
        return ctx


class MonthForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("月份"), widget=forms.DateInput(attrs={"type": "month"}), required=False)
    project = forms.ModelChoiceField(label=gettext_lazy("工程项目"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user, "view").order_by("name")

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            today = timezone.localdate()
            return today.year, today.month
        try:
            day = dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError(_("月份格式应为 YYYY-MM")) from None
        return day.year, day.month


@login_required
def shift_report(request):
    """The month's on-site days per project and leader, flagged below the threshold (rules.leader_on_site)."""
    if not has_role(request.user, *_READERS):
        raise PermissionDenied(_("您的角色无权查看带班情况"))
    form = MonthForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    year, month, project = today.year, today.month, None
    if form.is_bound and form.is_valid():
        (year, month), project = form.cleaned_data["month"], form.cleaned_data["project"]
    report = selectors.shift_month_report(request.user, year, month, project=project)
    return render(
        request,
        "construction/shift_report.html",
        {
            "title": _("带班月报"),
            "form": form,
            "month_label": f"{year}-{month:02d}",
            "report": report,
        },
    )


class ShiftImportView(ImportView):
    spec_class = ShiftImport
    success_url = reverse_lazy("construction:shift_list")


# ---------------------------------------------------------------------------
# 安全生产责任保险
# ---------------------------------------------------------------------------
POLICY_EXPORT_COLUMNS = [
    (gettext_lazy("保单号"), "policy_no"),
    (gettext_lazy("保险公司"), "insurer"),
    (gettext_lazy("投保企业"), "insured.name"),
    (gettext_lazy("工程项目"), "project.name"),
    (gettext_lazy("施工许可证号"), "project.permit_no"),
    (gettext_lazy("保险起期"), "start"),
    (gettext_lazy("保险止期"), "end"),
    (gettext_lazy("保费(元)"), "premium"),
    (gettext_lazy("投保人数"), "insured_count"),
]


class LiabilityPolicyListView(ObjectListView):
    queryset = LiabilityPolicy.objects.select_related("project", "insured")
    filterset_class = LiabilityPolicyFilterSet
    table_class = LiabilityPolicyTable
    title = gettext_lazy("安全生产责任保险")
    create_url = "construction:policy_add"
    create_roles = _WITH_ENTERPRISE
    import_url = "construction:policy_import"
    import_roles = _WITH_ENTERPRISE
    export_filename = "liability-policies"
    export_columns = POLICY_EXPORT_COLUMNS


class LiabilityPolicyCreateView(_Create):
    model = LiabilityPolicy
    form_class = PolicyForm
    title = gettext_lazy("安全生产责任保险")
    create = services.policy_create


class LiabilityPolicyEditView(_Edit):
    model = LiabilityPolicy
    form_class = PolicyForm
    title = gettext_lazy("安全生产责任保险")
    update = services.policy_update
    kwarg = "policy"


class LiabilityPolicyDetailView(ObjectDetailView):
    model = LiabilityPolicy
    template_name = "construction/policy_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "insured")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["in_force"] = self.object.in_force()
        ctx["title"] = str(self.object)
        return ctx


@login_required
def uninsured_projects(request):
    """在建 projects with no policy in force today (the reader's scope)."""
    if not has_role(request.user, *_READERS):
        raise PermissionDenied(_("您的角色无权查看"))
    projects = list(selectors.uninsured_projects(request.user).order_by("name", "pk")[:500])
    return render(
        request,
        "construction/uninsured_projects.html",
        {"title": _("在建项目未投保安全生产责任保险"), "projects": projects, "today": timezone.localdate()},
    )


class PolicyImportView(ImportView):
    spec_class = PolicyImport
    success_url = reverse_lazy("construction:policy_list")


# ---------------------------------------------------------------------------
# 分包
# ---------------------------------------------------------------------------
SUBCONTRACT_EXPORT_COLUMNS = [
    (gettext_lazy("合同编号"), "contract_no"),
    (gettext_lazy("工程项目"), "project.name"),
    (gettext_lazy("施工许可证号"), "project.permit_no"),
    (gettext_lazy("上级合同编号"), lambda c: c.parent.contract_no if c.parent_id else ""),
    (gettext_lazy("分包层级"), "level"),
    (gettext_lazy("发包单位"), "contractor.name"),
    (gettext_lazy("分包单位"), "subcontractor.name"),
    (gettext_lazy("分包类型"), "get_kind_display"),
    (gettext_lazy("分包内容"), "scope"),
    (gettext_lazy("所需资质"), "required_qualification"),
    (gettext_lazy("合同价(万元)"), "value"),
    (gettext_lazy("签订日期"), "signed_on"),
    (gettext_lazy("判定"), lambda c: "；".join(f"{f['label']}：{f['reason']}" for f in c.flags) or "未发现问题"),
]


class SubcontractListView(ObjectListView):
    queryset = Subcontract.objects.select_related("project", "contractor", "subcontractor", "parent")
    filterset_class = SubcontractFilterSet
    table_class = SubcontractTable
    title = gettext_lazy("分包合同")
    create_url = "construction:subcontract_add"
    create_roles = _WITH_ENTERPRISE
    import_url = "construction:subcontract_import"
    import_roles = _WITH_ENTERPRISE
    export_filename = "subcontracts"
    export_columns = SUBCONTRACT_EXPORT_COLUMNS


class SubcontractCreateView(_Create):
    model = Subcontract
    form_class = SubcontractForm
    title = gettext_lazy("分包合同")
    create = services.subcontract_create

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("parent"):
            initial["parent"] = self.request.GET["parent"]
        return initial


class SubcontractEditView(_Edit):
    model = Subcontract
    form_class = SubcontractForm
    title = gettext_lazy("分包合同")
    update = services.subcontract_update
    kwarg = "contract"


class SubcontractDetailView(ObjectDetailView):
    model = Subcontract
    template_name = "construction/subcontract_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "contractor", "subcontractor", "parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        contract = self.object
        ctx["badges"] = subcontract_badges(contract)
        visible = Subcontract.objects.restrict(self.request.user, "view")
        ctx["children"] = visible.filter(parent=contract).select_related("subcontractor")
        ctx["parent_visible"] = contract.parent_id and visible.filter(pk=contract.parent_id).exists()
        ctx["title"] = str(contract)
        return ctx


@login_required
def subcontract_reclassify(request, pk: int):
    if request.method != "POST":
        return HttpResponse(status=405)
    contract = scoped_object_or_404(Subcontract, request.user, pk)
    try:
        services.subcontract_reclassify(actor=request.user, contract=contract)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已按当前资质重新判定"))
    return redirect(contract.get_absolute_url())


class SubcontractImportView(ImportView):
    spec_class = SubcontractImport
    success_url = reverse_lazy("construction:subcontract_list")
