"""Pages of the construction registry. Thin: every read starts from ``restrict()``, every write calls a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.common.exceptions import DomainError
from anjian.common.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
    scoped_object_or_404,
)
from anjian.common.imports import ImportView
from anjian.common.scope import can, has_role, may, restrict
from anjian.common.text import labelled
from anjian.common.validation import chunks
from anjian.construction import dashboard, selectors, services
from anjian.construction.filtersets import (
    EnterpriseProfileFilterSet,
    HighRiskWorkFilterSet,
    MachineFilterSet,
    ProjectFilterSet,
    WorkerFilterSet,
    inspection_q,
)
from anjian.construction.forms import (
    DemonstrationForm,
    ExpertFormSet,
    HighRiskWorkEditForm,
    HighRiskWorkForm,
    MachineForm,
    MachineUseForm,
    OverAgeForm,
    ProfileForm,
    ProjectEditForm,
    ProjectForm,
    QualificationFormSet,
    SpecialPlanForm,
    WorkerEditForm,
    WorkerForm,
)
from anjian.construction.imports import ProjectImport, WorkerImport
from anjian.construction.imports_equipment import MACHINE_EXPORT_COLUMNS
from anjian.construction.models import EnterpriseProfile, HighRiskWork, Machine, Project, Worker
from anjian.construction.tables import (
    EnterpriseProfileTable,
    HighRiskWorkTable,
    MachineTable,
    ProjectTable,
    WorkerTable,
    certificate_badge,
    inspection_badge,
    level_badge,
    qualification_badge,
)
from anjian.orgs.choices import Role

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)
_READERS = (Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.OFFICER, Role.LEGAL_REVIEWER, Role.ENTERPRISE_USER)


def _error_messages(request, exc: ValidationError, model) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            try:
                label = str(model._meta.get_field(field).verbose_name)
            except Exception:  # noqa: BLE001 - not a model field: the message alone
                label = ""
            for message in errors:
                messages.error(request, labelled(label, message) if label else str(message))
    else:
        for message in exc.messages:
            messages.error(request, message)


# ---------------------------------------------------------------------------
# Dashboard (建设工程概况)
# ---------------------------------------------------------------------------
@login_required
def dashboard_page(request):
    """The sector's figures within the reader's scope, each linking to the list it counts."""
    if not has_role(request.user, *_READERS):
        raise PermissionDenied(_("您的角色无权查看建设工程概况"))
    today = timezone.localdate()
    return render(
        request,
        "construction/dashboard.html",
        {"title": _("建设工程概况"), "today": today, **dashboard.figures(request.user, today)},
    )


# ---------------------------------------------------------------------------
# Enterprise profiles (建筑业企业档案)
# ---------------------------------------------------------------------------
class EnterpriseListView(ObjectListView):
    queryset = EnterpriseProfile.objects.select_related("enterprise", "enterprise__division")
    filterset_class = EnterpriseProfileFilterSet
    table_class = EnterpriseProfileTable
    template_name = "construction/enterprise_list.html"
    title = gettext_lazy("建筑业企业档案")
    export_filename = "enterprise-profiles"
    export_columns = [
        (gettext_lazy("企业名称"), "enterprise.name"),
        (gettext_lazy("统一社会信用代码"), "enterprise.uscc"),
        (gettext_lazy("企业类型"), "get_enterprise_type_display"),
        (gettext_lazy("法定代表人"), "legal_representative"),
        (gettext_lazy("安全生产管理负责人"), "safety_manager"),
        (gettext_lazy("安全负责人电话"), "masked_phone"),
        (gettext_lazy("信用评分"), "credit_score"),
        (gettext_lazy("风险等级"), "risk_grade"),
        (gettext_lazy("所在街镇"), "enterprise.division.name"),
        (gettext_lazy("资质数"), "quals_total"),
        (gettext_lazy("已过期资质数"), "quals_expired"),
        (gettext_lazy("90 日内到期资质数"), "quals_expiring"),
    ]

    def get_queryset(self):
        return selectors.with_qualification_counts(super().get_queryset(), timezone.localdate())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if may(user, EnterpriseProfile, "add"):
            ctx["without_profile"] = list(
                selectors.enterprises_visible(user).filter(construction_profile__isnull=True).order_by("name")[:50]
            )
        return ctx


class EnterpriseDetailView(ObjectDetailView):
    model = EnterpriseProfile
    template_name = "construction/enterprise_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "enterprise__division")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        profile = self.object
        user = self.request.user
        ctx["qualifications"] = [(q, qualification_badge(q)) for q in profile.qualifications.all()]
        unit = profile.enterprise_id
        projects = Project.objects.restrict(user, "view").filter(
            Q(builder_id=unit) | Q(contractor_id=unit) | Q(supervisor_id=unit)
        )
        ctx["projects"] = list(projects.select_related("town").order_by("-start_date")[:20])
        ctx["workers_on_site"] = (
            Worker.objects.restrict(user, "view").filter(employer_id=unit, exit_date__isnull=True).count()
        )
        ctx["today"] = timezone.localdate()
        ctx["title"] = str(profile)
        return ctx


@login_required
def enterprise_profile_edit(request, unit_pk: int):
    """Create or change the profile of one enterprise unit, with its qualifications."""
    unit = selectors.enterprises_visible(request.user).filter(pk=unit_pk).first()
    if unit is None:
        raise Http404
    profile = EnterpriseProfile.objects.filter(enterprise=unit).first()
    if profile is None and not may(request.user, EnterpriseProfile, "add"):
        raise PermissionDenied(_("您的角色无权建立企业档案"))
    if profile is not None and not can(request.user, "change", profile):
        raise Http404
    if request.method == "POST":
        form = ProfileForm(request.POST, user=request.user)
        formset = QualificationFormSet(request.POST, prefix="q")
        if form.is_valid() and formset.is_valid():
            rows = [
                {k: f.cleaned_data.get(k) for k in ("id", "name", "grade", "certificate_no", "expiry", "delete")}
                for f in formset.forms
                if f.cleaned_data and (f.cleaned_data.get("name") or f.cleaned_data.get("id"))
            ]
            try:
                profile = services.profile_save(
                    actor=request.user,
                    enterprise=unit,
                    data=form.service_data(),
                    qualifications=rows,
                    version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, getattr(exc, "message", None) or str(exc))
            else:
                messages.success(request, _("已保存"))
                return redirect(profile.get_absolute_url())
    else:
        initial = {}
        rows = []
        if profile is not None:
            initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS} | {"version": profile.version}
            rows = [
                {"id": q.pk, "name": q.name, "grade": q.grade, "certificate_no": q.certificate_no, "expiry": q.expiry}
                for q in profile.qualifications.all()
            ]
        form = ProfileForm(initial=initial, user=request.user)
        formset = QualificationFormSet(initial=rows, prefix="q")
    return render(
        request,
        "construction/enterprise_edit.html",
        {"unit": unit, "object": profile, "form": form, "formset": formset, "title": _("建筑业企业档案")},
    )


# ---------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------
PROJECT_EXPORT_COLUMNS = [
    (gettext_lazy("施工许可证号"), "permit_no"),
    (gettext_lazy("项目名称"), "name"),
    (gettext_lazy("所在街镇"), "town.name"),
    (gettext_lazy("项目地址"), "address"),
    (gettext_lazy("纬度(WGS84)"), "lat"),
    (gettext_lazy("经度(WGS84)"), "lng"),
    (gettext_lazy("建设单位"), "builder.name"),
    (gettext_lazy("施工总承包单位"), "contractor.name"),
    (gettext_lazy("监理单位"), "supervisor.name"),
    (gettext_lazy("监管单位"), "supervising_unit.name"),
    (gettext_lazy("工程规模"), "get_scale_display"),
    (gettext_lazy("建筑面积(㎡)"), "floor_area"),
    (gettext_lazy("合同价(万元)"), "contract_value"),
    (gettext_lazy("开工日期"), "start_date"),
    (gettext_lazy("计划竣工日期"), "planned_finish"),
    (gettext_lazy("状态"), "get_status_display"),
]


class ProjectListView(ObjectListView):
    queryset = Project.objects.select_related("town", "contractor", "builder", "supervisor", "supervising_unit")
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    title = gettext_lazy("工程项目")
    create_url = "construction:project_add"
    create_roles = _UNIT_WORKERS
    import_url = "construction:project_import"
    import_roles = _UNIT_WORKERS
    export_filename = "projects"
    export_columns = PROJECT_EXPORT_COLUMNS


class ProjectCreateView(ObjectEditView):
    model = Project
    form_class = ProjectForm
    title = gettext_lazy("工程项目")

    def check_create_permission(self):
        if not has_role(self.request.user, *_UNIT_WORKERS):
            raise PermissionDenied(_("您的角色无权登记工程项目"))

    def save(self, form):
        return services.project_create(actor=self.request.user, data=form.service_data())


class ProjectEditView(ObjectEditView):
    model = Project
    form_class = ProjectEditForm
    title = gettext_lazy("工程项目")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = ProjectEditForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        data = form.service_data()
        return services.project_update(
            actor=self.request.user, project=self.object, data=data, version=form.cleaned_data.get("version")
        )


class ProjectDetailView(ObjectDetailView):
    model = Project
    template_name = "construction/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("town", "builder", "contractor", "supervisor", "supervising_unit")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        project = self.object
        user = self.request.user
        workers = Worker.objects.restrict(user, "view").filter(project=project)
        ctx["on_site"] = workers.filter(exit_date__isnull=True).count()
        ctx["left"] = workers.filter(exit_date__isnull=False).count()
        ctx["over_age"] = selectors.over_age_workers(user, timezone.localdate(), project=project)
        ctx["can_add_worker"] = may(user, Worker, "add")
        works = HighRiskWork.objects.restrict(user, "view").filter(project=project).order_by("planned_start", "pk")
        ctx["high_risk_works"] = [(w, level_badge(w)) for w in works]
        machines = (
            Machine.objects.restrict(user, "view").filter(project=project).order_by("inspection_valid_until", "pk")
        )
        ctx["machines"] = [(m, inspection_badge(m)) for m in machines]
        from anjian.construction.views_safety import project_safety_context  # its accidents and 消防审验

        ctx.update(project_safety_context(user, project))
        ctx["title"] = project.name
        return ctx


class ProjectImportView(ImportView):
    spec_class = ProjectImport
    success_url = reverse_lazy("construction:project_list")


# ---------------------------------------------------------------------------
# Workers (实名制)
# ---------------------------------------------------------------------------
WORKER_EXPORT_COLUMNS = [
    (gettext_lazy("姓名"), "name"),
    # Masked in every export, whoever exports.
    (gettext_lazy("身份证号"), "masked_id_number"),
    (gettext_lazy("性别"), "get_sex_display"),
    (gettext_lazy("出生年份"), lambda w: w.birth_date.year),
    (gettext_lazy("工种"), "get_trade_display"),
    (gettext_lazy("从事高风险作业"), "high_risk"),
    (gettext_lazy("特种作业操作证号"), "cert_no"),
    (gettext_lazy("操作证有效期至"), "cert_expiry"),
    (gettext_lazy("用工企业"), "employer.name"),
    (gettext_lazy("工程项目"), "project.name"),
    (gettext_lazy("施工许可证号"), "project.permit_no"),
    (gettext_lazy("进场日期"), "entry_date"),
    (gettext_lazy("退场日期"), "exit_date"),
]


class WorkerListView(ObjectListView):
    queryset = Worker.objects.select_related("employer", "project")
    filterset_class = WorkerFilterSet
    table_class = WorkerTable
    title = gettext_lazy("实名制作业人员")
    create_url = "construction:worker_add"
    create_roles = (*_UNIT_WORKERS, Role.ENTERPRISE_USER)
    import_url = "construction:worker_import"
    import_roles = (*_UNIT_WORKERS, Role.ENTERPRISE_USER)
    export_filename = "workers"
    export_columns = WORKER_EXPORT_COLUMNS


class WorkerCreateView(ObjectEditView):
    model = Worker
    form_class = WorkerForm
    title = gettext_lazy("作业人员")

    def check_create_permission(self):
        if not may(self.request.user, Worker, "add"):
            raise PermissionDenied(_("您的角色无权登记实名制人员"))

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project"):
            initial["project"] = self.request.GET["project"]
        return initial

    def save(self, form):
        return services.worker_create(actor=self.request.user, data=form.service_data())


class WorkerEditView(ObjectEditView):
    model = Worker
    form_class = WorkerEditForm
    title = gettext_lazy("作业人员")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["worker"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = WorkerEditForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services.worker_update(
            actor=self.request.user,
            worker=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class WorkerDetailView(ObjectDetailView):
    model = Worker
    template_name = "construction/worker_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("employer", "project", "project__town", "age_hazard")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        worker = self.object
        user = self.request.user
        today = timezone.localdate()
        ctx["can_unmask"] = can(user, "unmask", worker)
        if worker.certificate_state(today) in ("expired", "expiring", "missing"):
            ctx["certificate_flag"] = certificate_badge(worker, with_date=False)
        ctx["allowed"], ctx["age_reason"] = worker.age_verdict(today) if worker.birth_date <= today else (True, "")
        ctx["can_raise"] = (
            not ctx["allowed"]
            and worker.on_site
            and not worker.age_hazard_id
            and can(user, "raise_hazard", worker)
            and services.hazard_services.units_for(user, "add").filter(pk=worker.project.supervising_unit_id).exists()
        )
        ctx["today"] = today
        ctx["title"] = worker.name
        return ctx


@login_required
def worker_unmask(request, pk: int):
    """The full 身份证号 for a role allowed to see it (POST only; an audit event each time)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    worker = scoped_object_or_404(Worker, request.user, pk)
    try:
        number = services.worker_unmask(actor=request.user, worker=worker)
    except PermissionDenied:
        return HttpResponse(_("无权查看"), status=403)
    return HttpResponse(format_html('<span class="font-monospace" data-testid="id-number-full">{}</span>', number))


class WorkerImportView(ImportView):
    spec_class = WorkerImport
    success_url = reverse_lazy("construction:worker_list")


# ---------------------------------------------------------------------------
# 严禁超龄用工
# ---------------------------------------------------------------------------
@login_required
def over_age(request):
    """Per project, the workers on site on the check date (today by default; for a past date, those
    on site that day, whether or not they have left since) who are over (or under) age on it."""
    form = OverAgeForm(request.GET or None)
    today = timezone.localdate()
    on, town = today, None
    if form.is_bound and form.is_valid():
        on = form.cleaned_data.get("on") or today
        town = form.cleaned_data.get("town")
    groups = selectors.over_age_by_project(request.user, on, town=town)
    user = request.user
    raisable = set()
    if may(user, Worker, "raise_hazard"):
        # The button where the hazard can be registered: the worker is in the user's scope and the
        # project's supervising unit is one the user registers hazards for.
        units = set(services.hazard_services.units_for(user, "add").values_list("pk", flat=True))
        # (A worker who has left since the check date is listed but no longer raised.)
        pks = [
            w.pk
            for _p, rows in groups
            for w, _r in rows
            if not w.age_hazard_id and w.on_site and w.project.supervising_unit_id in units
        ]
        raisable = set()
        for part in chunks(pks):
            raisable.update(
                restrict(Worker.objects.filter(pk__in=part), user, "raise_hazard").values_list("pk", flat=True)
            )
    return render(
        request,
        "construction/over_age.html",
        {
            "title": _("严禁超龄用工"),
            "form": form,
            "on": on,
            "groups": groups,
            "count": sum(len(rows) for _p, rows in groups),
            "raisable": raisable,
            "campaign": services.over_age_campaign(),
        },
    )


@login_required
def worker_raise_hazard(request, pk: int):
    if request.method != "POST":
        return HttpResponse(status=405)
    worker = scoped_object_or_404(Worker, request.user, pk)
    on = None
    if request.POST.get("on"):
        try:
            on = timezone.datetime.fromisoformat(request.POST["on"]).date()
        except ValueError:
            on = None
    try:
        hazard = services.worker_raise_age_hazard(actor=request.user, worker=worker, on=on)
    except ValidationError as exc:
        _error_messages(request, exc, Worker)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("您无权进行该操作"))
    else:
        messages.success(
            request,
            format_html(_('已登记超龄用工隐患 <a href="{}">{}</a>'), hazard.get_absolute_url(), hazard.number),
        )
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = worker.get_absolute_url()
    return redirect(next_url)


# ---------------------------------------------------------------------------
# 危大工程
# ---------------------------------------------------------------------------


class HighRiskWorkListView(ObjectListView):
    queryset = HighRiskWork.objects.select_related("project", "project__town")
    filterset_class = HighRiskWorkFilterSet
    table_class = HighRiskWorkTable
    title = gettext_lazy("危大工程")
    create_url = "construction:high_risk_add"
    create_roles = _UNIT_WORKERS
    import_url = "construction:high_risk_import"
    import_roles = _UNIT_WORKERS
    export_filename = "high-risk-works"

    @property
    def export_columns(self):
        # The import's headers (a column per category parameter), then what the rule computed.
        from anjian.construction.imports_equipment import high_risk_export_columns

        return high_risk_export_columns()


class HighRiskWorkCreateView(ObjectEditView):
    model = HighRiskWork
    form_class = HighRiskWorkForm
    title = gettext_lazy("危大工程")
    template_name = "construction/high_risk_form.html"

    def check_create_permission(self):
        if not may(self.request.user, HighRiskWork, "add"):
            raise PermissionDenied(_("您的角色无权登记危大工程"))

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project"):
            initial["project"] = self.request.GET["project"]
        return initial

    def save(self, form):
        return services.high_risk_create(actor=self.request.user, data=form.service_data())


class HighRiskWorkEditView(ObjectEditView):
    model = HighRiskWork
    form_class = HighRiskWorkEditForm
    title = gettext_lazy("危大工程")
    template_name = "construction/high_risk_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["work"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = HighRiskWorkEditForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services.high_risk_update(
            actor=self.request.user,
            work=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


def _may_record(user, work) -> bool:
    return can(user, "record_obligation", work) and not services.high_risk_party(work, user)


class HighRiskWorkDetailView(ObjectDetailView):
    model = HighRiskWork
    template_name = "construction/high_risk_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__town", "project__contractor")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        work = self.object
        ctx["obligation_states"] = work.obligation_states()
        ctx["may_record"] = _may_record(self.request.user, work)
        ctx["level_badge"] = level_badge(work)
        ctx["parameter_rows"] = _parameter_rows(work)
        ctx["title"] = work.name
        return ctx


def _parameter_rows(work) -> list[tuple[str, str]]:
    from anjian.construction.rules import high_risk_work_categories

    declared = (high_risk_work_categories().get(work.category) or {}).get("parameters", {})
    rows = []
    for name, value in (work.parameters or {}).items():
        spec = declared.get(name, {})
        if spec.get("type") == "boolean":
            shown = _("是") if value else _("否")
        else:
            shown = f"{value} {spec.get('unit', '')}".strip()
        rows.append((spec.get("label", name), shown))
    return rows


def _obligation_page(request, pk: int, *, form_class, template: str, save, initial, formset=False):
    work = scoped_object_or_404(HighRiskWork, request.user, pk)
    if not _may_record(request.user, work):
        raise PermissionDenied(_("您无权记录该危大工程的方案或论证"))
    experts = None
    if request.method == "POST":
        form = form_class(request.POST)
        experts = ExpertFormSet(request.POST, prefix="e") if formset else None
        if form.is_valid() and (experts is None or experts.is_valid()):
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            if experts is not None:
                data["experts"] = [f.cleaned_data for f in experts.forms if f.cleaned_data]
            try:
                save(actor=request.user, work=work, data=data, version=form.cleaned_data.get("version"))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, getattr(exc, "message", None) or str(exc))
            else:
                messages.success(request, _("已保存"))
                return redirect(work.get_absolute_url())
    else:
        form = form_class(initial=initial(work) | {"version": work.version})
        if formset:
            experts = ExpertFormSet(initial=work.experts or [], prefix="e")
    return render(request, template, {"object": work, "form": form, "experts": experts, "title": work.name})


@login_required
def high_risk_plan(request, pk: int):
    """Record the approved 专项施工方案."""
    return _obligation_page(
        request,
        pk,
        form_class=SpecialPlanForm,
        template="construction/high_risk_plan.html",
        save=services.high_risk_record_plan,
        initial=lambda w: {name: getattr(w, name) for name in services.PLAN_FIELDS},
    )


@login_required
def high_risk_demonstration(request, pk: int):
    """Record the 专家论证 with its experts."""
    return _obligation_page(
        request,
        pk,
        form_class=DemonstrationForm,
        template="construction/high_risk_demonstration.html",
        save=services.high_risk_record_demonstration,
        initial=lambda w: {name: getattr(w, name) for name in services.DEMONSTRATION_FIELDS if name != "experts"},
        formset=True,
    )


# ---------------------------------------------------------------------------
# 起重机械
# ---------------------------------------------------------------------------


class MachineListView(ObjectListView):
    queryset = Machine.objects.select_related("project")
    filterset_class = MachineFilterSet
    table_class = MachineTable
    title = gettext_lazy("起重机械")
    create_url = "construction:machine_add"
    create_roles = _UNIT_WORKERS
    import_url = "construction:machine_import"
    import_roles = _UNIT_WORKERS
    export_filename = "machines"
    export_columns = MACHINE_EXPORT_COLUMNS  # the import's headers (imports_equipment), so a sheet round-trips


class MachineExpiringListView(MachineListView):
    """The machines whose inspection validity has passed or ends within 30 days, soonest first."""

    title = gettext_lazy("起重机械检验到期")
    export_filename = "machines-inspection-due"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(inspection_q("expired") | inspection_q("expiring"))
            .order_by("inspection_valid_until", "pk")
        )


class MachineCreateView(ObjectEditView):
    model = Machine
    form_class = MachineForm
    title = gettext_lazy("起重机械")

    def check_create_permission(self):
        if not may(self.request.user, Machine, "add"):
            raise PermissionDenied(_("您的角色无权登记起重机械"))

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project"):
            initial["project"] = self.request.GET["project"]
        return initial

    def save(self, form):
        return services.machine_create(actor=self.request.user, data=form.service_data())


class MachineEditView(ObjectEditView):
    model = Machine
    form_class = MachineForm
    title = gettext_lazy("起重机械")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["machine"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = MachineForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services.machine_update(
            actor=self.request.user,
            machine=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class MachineDetailView(ObjectDetailView):
    model = Machine
    template_name = "construction/machine_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__town")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        machine = self.object
        if can(self.request.user, "register_use", machine):
            ctx["use_form"] = kwargs.get("use_form") or MachineUseForm(initial={"version": machine.version})
        ctx["inspection_badge"] = inspection_badge(machine)
        ctx["inspection_state"] = machine.inspection_state()
        ctx["title"] = str(machine)
        return ctx


@login_required
def machine_register_use(request, pk: int):
    """使用登记 (POST from the detail page): refused for a machine past its inspection validity."""
    if request.method != "POST":
        return HttpResponse(status=405)
    machine = scoped_object_or_404(Machine, request.user, pk)
    form = MachineUseForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.machine_register_use(
                actor=request.user, machine=machine, data=data, version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            _error_messages(request, exc, Machine)
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc) or _("您无权进行该操作"))
        else:
            messages.success(request, _("已办理使用登记"))
    else:
        for field, errors in form.errors.items():
            label = str(form.fields[field].label) if field in form.fields else ""
            for message in errors:
                messages.error(request, labelled(label, message) if label else message)
    return redirect(machine.get_absolute_url())
