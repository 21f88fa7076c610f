"""Pages of the safety records: 生产安全事故 and 消防审验. Thin: every read starts from ``restrict()``,
every write calls a service (``services_safety``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
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
from anjian.common.scope import can, may
from anjian.construction import services_safety
from anjian.construction.filtersets_safety import (
    AccidentFilterSet,
    FireReviewFilterSet,
    MissingFireAcceptanceFilterSet,
)
from anjian.construction.forms_safety import AccidentForm, AccidentInvestigationForm, FireReviewForm
from anjian.construction.imports_safety import AccidentImport, FireReviewImport
from anjian.construction.models import Accident, FireReview, Project
from anjian.construction.models.fire_review import lacks_fire_acceptance_q
from anjian.construction.tables_safety import (
    AccidentTable,
    FireReviewTable,
    MissingFireAcceptanceTable,
    accident_level_badge,
    fire_result_badge,
)
from anjian.orgs.choices import Role

_UNIT_WORKERS = (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICER)


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# ---------------------------------------------------------------------------
# 生产安全事故
# ---------------------------------------------------------------------------
ACCIDENT_EXPORT_COLUMNS = [
    (gettext_lazy("发生时间"), lambda a: _local(a.occurred_at)),
    (gettext_lazy("工程项目"), "project.name"),
    (gettext_lazy("施工许可证号"), "project.permit_no"),
    (gettext_lazy("所在街镇"), "project.town.name"),
    (gettext_lazy("事故发生单位"), "enterprise.name"),
    (gettext_lazy("事故类别"), "get_accident_type_display"),
    (gettext_lazy("死亡人数"), "deaths"),
    (gettext_lazy("重伤人数"), "serious_injuries"),
    (gettext_lazy("轻伤人数"), "minor_injuries"),
    (gettext_lazy("直接经济损失(万元)"), "direct_loss_wan"),
    (gettext_lazy("事故等级"), "get_level_display"),
    (
        gettext_lazy("等级依据"),
        lambda a: "；".join(f"{b['label']} {b['value']}{b['unit']}" for b in a.level_basis or []),
    ),
    (gettext_lazy("依据版本"), "criteria_version"),
    (gettext_lazy("状态"), "get_status_display"),
    (gettext_lazy("四不放过未落实"), lambda a: "、".join(str(i["short"]) for i in a.open_items())),
    (gettext_lazy("结案日期"), "closed_on"),
    (gettext_lazy("事故经过"), "description"),
]


class AccidentListView(ObjectListView):
    queryset = Accident.objects.select_related("project", "project__town", "enterprise")
    filterset_class = AccidentFilterSet
    table_class = AccidentTable
    title = gettext_lazy("生产安全事故")
    create_url = "construction:accident_add"
    create_roles = _UNIT_WORKERS
    import_url = "construction:accident_import"
    import_roles = _UNIT_WORKERS
    export_filename = "accidents"
    export_columns = ACCIDENT_EXPORT_COLUMNS


class AccidentCreateView(ObjectEditView):
    model = Accident
    form_class = AccidentForm
    title = gettext_lazy("报告生产安全事故")

    def check_create_permission(self):
        if not may(self.request.user, Accident, "add"):
            raise PermissionDenied(_("您的角色无权登记生产安全事故"))

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project"):
            initial["project"] = self.request.GET["project"]
        return initial

    def save(self, form):
        return services_safety.accident_create(actor=self.request.user, data=form.service_data())


class AccidentEditView(ObjectEditView):
    model = Accident
    form_class = AccidentForm
    title = gettext_lazy("生产安全事故")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["accident"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = AccidentForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services_safety.accident_update(
            actor=self.request.user,
            accident=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class AccidentDetailView(ObjectDetailView):
    model = Accident
    template_name = "construction/accident_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__town", "project__contractor", "enterprise")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        accident = self.object
        ctx["level_badge"] = accident_level_badge(accident)
        ctx["four_nots"] = accident.four_nots()
        ctx["open_items"] = accident.open_items()
        ctx["may_record"] = ctx["can_change"] and accident.status != "closed"
        ctx["title"] = str(accident)
        return ctx


@login_required
def accident_investigation(request, pk: int):
    """调查处理: the report, the accountability decisions, the lessons and the 四不放过 checklist."""
    accident = scoped_object_or_404(Accident, request.user, pk)
    if not can(request.user, "change", accident):
        raise PermissionDenied(_("您无权记录该事故的调查处理"))
    if request.method == "POST":
        form = AccidentInvestigationForm(request.POST)
        if form.is_valid():
            try:
                services_safety.accident_record_investigation(
                    actor=request.user,
                    accident=accident,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, getattr(exc, "message", None) or str(exc))
            else:
                messages.success(request, _("已保存"))
                return redirect(accident.get_absolute_url())
    else:
        form = AccidentInvestigationForm(initial=AccidentInvestigationForm.initial_for(accident))
    return render(
        request,
        "construction/accident_investigation.html",
        {"object": accident, "form": form, "title": _("调查处理")},
    )


class AccidentImportView(ImportView):
    spec_class = AccidentImport
    success_url = reverse_lazy("construction:accident_list")


# ---------------------------------------------------------------------------
# 消防审验
# ---------------------------------------------------------------------------
FIRE_REVIEW_EXPORT_COLUMNS = [
    (gettext_lazy("工程项目"), "project.name"),
    (gettext_lazy("施工许可证号"), "project.permit_no"),
    (gettext_lazy("类别"), "get_kind_display"),
    (gettext_lazy("申请日期"), "applied_on"),
    (gettext_lazy("决定日期"), "decided_on"),
    (gettext_lazy("结果"), "get_result_display"),
    (gettext_lazy("文书编号"), "document_no"),
    (gettext_lazy("备注"), "notes"),
]


class FireReviewListView(ObjectListView):
    queryset = FireReview.objects.select_related("project")
    filterset_class = FireReviewFilterSet
    table_class = FireReviewTable
    title = gettext_lazy("消防审验")
    create_url = "construction:fire_review_add"
    create_roles = _UNIT_WORKERS
    import_url = "construction:fire_review_import"
    import_roles = _UNIT_WORKERS
    export_filename = "fire-reviews"
    export_columns = FIRE_REVIEW_EXPORT_COLUMNS


class MissingFireAcceptanceListView(ObjectListView):
    """Projects in use or completed without a passed 消防验收 or a filing that stands."""

    queryset = Project.objects.select_related("town", "contractor")
    filterset_class = MissingFireAcceptanceFilterSet
    table_class = MissingFireAcceptanceTable
    title = gettext_lazy("竣工未通过消防验收（备案）的项目")
    empty_text = gettext_lazy("您的数据范围内没有竣工而未通过消防验收或备案的项目。")
    export_filename = "projects-without-fire-acceptance"

    def get_queryset(self):
        return super().get_queryset().filter(lacks_fire_acceptance_q())

    @property
    def export_columns(self):
        from anjian.construction.views import PROJECT_EXPORT_COLUMNS

        return PROJECT_EXPORT_COLUMNS


class FireReviewCreateView(ObjectEditView):
    model = FireReview
    form_class = FireReviewForm
    title = gettext_lazy("消防审验")

    def check_create_permission(self):
        if not may(self.request.user, FireReview, "add"):
            raise PermissionDenied(_("您的角色无权登记消防审验"))

    def get_initial(self):
        initial = super().get_initial()
        for key in ("project", "kind"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def save(self, form):
        return services_safety.fire_review_create(actor=self.request.user, data=form.service_data())


class FireReviewEditView(ObjectEditView):
    model = FireReview
    form_class = FireReviewForm
    title = gettext_lazy("消防审验")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["review"] = self.object
        if self.request.method != "POST":
            kwargs["initial"] = FireReviewForm.initial_for(self.object)
        return kwargs

    def save(self, form):
        return services_safety.fire_review_update(
            actor=self.request.user,
            review=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class FireReviewDetailView(ObjectDetailView):
    model = FireReview
    template_name = "construction/fire_review_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__town")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["result_badge"] = fire_result_badge(self.object)
        ctx["title"] = str(self.object)
        return ctx


class FireReviewImportView(ImportView):
    spec_class = FireReviewImport
    success_url = reverse_lazy("construction:fire_review_list")


# ---------------------------------------------------------------------------
# On the project page
# ---------------------------------------------------------------------------
def project_safety_context(user, project) -> dict:
    """What the project page shows of the safety records: its accidents, its fire reviews, and the
    flag when it is in use or completed without a passed acceptance or filing (reads in scope)."""
    accidents = Accident.objects.restrict(user, "view").filter(project=project).order_by("-occurred_at")
    reviews = FireReview.objects.restrict(user, "view").filter(project=project).order_by("-applied_on", "-pk")
    return {
        "project_accidents": [(a, accident_level_badge(a)) for a in accidents[:20]],
        "project_fire_reviews": [(r, fire_result_badge(r)) for r in reviews[:20]],
        "lacks_fire_acceptance": Project.objects.filter(pk=project.pk).filter(lacks_fire_acceptance_q()).exists(),
        "may_add_fire_review": may(user, FireReview, "add"),
        "may_add_accident": may(user, Accident, "add"),
    }
