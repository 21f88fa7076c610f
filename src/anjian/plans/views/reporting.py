"""The monthly bulletin (定期通报) and the year-end assessment (督查考核)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.common import exports
from anjian.common.documents import docx_response
from anjian.common.generic import ObjectDetailView, ObjectEditView, ObjectListView, scoped_object_or_404
from anjian.common.text import labelled, year_month_label
from anjian.plans import selectors, services
from anjian.plans.choices import BOARD_STATUSES, DerivedStatus, MeetingKind
from anjian.plans.documents import bulletin_document
from anjian.plans.filtersets import BulletinFilterSet
from anjian.plans.forms import AssessmentSchemeForm, BulletinForm
from anjian.plans.models import Assessment, AssessmentScheme, Bulletin
from anjian.plans.tables import BulletinTable
from anjian.plans.views.common import run_service, visible_plan_or_404


class BulletinListView(ObjectListView):
    queryset = Bulletin.objects.select_related("plan").order_by("-year", "-month", "-id")
    filterset_class = BulletinFilterSet
    table_class = BulletinTable
    template_name = "plans/bulletin_list.html"
    title = gettext_lazy("定期通报")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["prepare_forms"] = [
            (plan, BulletinForm(plan=plan)) for plan in selectors.managed_plans(self.request.user).order_by("-year")
        ]
        return ctx


@login_required
@require_POST
def bulletin_prepare(request, pk: int):
    plan = visible_plan_or_404(request.user, pk)
    form = BulletinForm(request.POST, plan=plan)
    if form.is_valid():
        month = form.cleaned_data["month"]
        bulletin = run_service(
            request,
            form,
            lambda: services.bulletin_prepare(actor=request.user, plan=plan, year=month.year, month=month.month),
        )
        if bulletin is not None:
            messages.success(request, _("已按最新数据生成通报草稿"))
            return redirect(bulletin)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, labelled(form.fields[field].label if field in form.fields else "", error))
    return redirect("plans:bulletin_list")


class BulletinDetailView(ObjectDetailView):
    model = Bulletin
    template_name = "plans/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        b = self.object
        figures = b.figures or {}
        totals = figures.get("totals", {})
        ctx["title"] = str(b)
        ctx["totals"] = [
            {"key": str(s), "label": str(DerivedStatus(s).label), "count": totals.get(str(s), 0)}
            for s in BOARD_STATUSES
        ]
        ctx["figures"] = figures
        ctx["meeting_kinds"] = dict(MeetingKind.choices)
        ctx["can_refresh"] = b.status == "draft" and selectors.can_manage(self.request.user, b.plan)
        ctx["refresh_form"] = BulletinForm(plan=b.plan, initial={"month": f"{b.year}-{b.month:02d}"})
        return ctx


@login_required
def bulletin_docx(request, pk: int):
    bulletin = scoped_object_or_404(Bulletin, request.user, pk)
    name = _("%(period)s安全生产和消防工作通报") % {"period": year_month_label(bulletin.year, bulletin.month)}
    return docx_response(
        bulletin_document(bulletin),
        f"{name}.docx",
        object_type="plans.bulletin",
        object_id=bulletin.pk,
        actor=request.user,
        ascii_name="bulletin.docx",
    )


# ---------------------------------------------------------------------------
# Assessment
# ---------------------------------------------------------------------------
RANKING_COLUMNS = [
    (gettext_lazy("名次"), lambda r: r["rank"] or ""),
    (gettext_lazy("单位"), lambda r: r["unit"]),
    (gettext_lazy("得分"), lambda r: float(r["score"])),
    (gettext_lazy("牵头任务"), lambda r: r["counts"]["led"]),
    (gettext_lazy("已完成"), lambda r: r["counts"]["done"]),
    (gettext_lazy("完成率（%）"), lambda r: float(r["completion_rate"])),
    (gettext_lazy("按期完成"), lambda r: r["counts"]["done_on_time"]),
    (gettext_lazy("按时率（%）"), lambda r: float(r["timeliness_rate"])),
    (gettext_lazy("提醒"), lambda r: r["counts"]["reminders"]),
    (gettext_lazy("督办"), lambda r: r["counts"]["supervisions"]),
    (gettext_lazy("约谈建议"), lambda r: r["counts"]["summons_proposals"]),
    (gettext_lazy("约谈"), lambda r: r["counts"]["summonses"]),
    (gettext_lazy("扣分"), lambda r: float(r["deduction_total"])),
]


@login_required
def assessment(request, pk: int):
    """The year's ranking under the plan's scheme, computed from the record; exported to Excel; filed
    (定稿) by the plan's manager."""
    plan = visible_plan_or_404(request.user, pk)
    user = request.user
    can_manage = selectors.can_manage(user, plan)
    scheme = services.scheme_for(plan)
    as_of = selectors.assessment_as_of(plan)
    rows = selectors.assessment_rows_for(user, plan, scheme.as_dict(), as_of)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("只有主管单位可以定稿考核结果"))
        filed = services.assessment_finalise(actor=user, plan=plan)
        messages.success(request, _("已定稿 %(n)d 个单位的考核结果") % {"n": len(filed)})
        return redirect("plans:assessment", pk=plan.pk)
    if request.GET.get("export") == "xlsx":
        return exports.xlsx_response(
            rows,
            RANKING_COLUMNS,
            filename="assessment",
            actor=user,
            object_type="plans.assessment",
            filters={"plan": plan.pk, "as_of": as_of.isoformat()},
            title=_("%(y)s年度考核排名") % {"y": plan.year},
        )
    filed = Assessment.objects.restrict(user, "view").filter(plan=plan).select_related("unit").order_by("rank")
    return render(
        request,
        "plans/assessment.html",
        {
            "title": _("%(y)s年度督查考核") % {"y": plan.year},
            "plan": plan,
            "scheme": scheme,
            "rows": rows,
            "as_of": as_of,
            "filed": filed,
            "can_manage": can_manage,
        },
    )


class AssessmentSchemeEditView(ObjectEditView):
    model = AssessmentScheme
    form_class = AssessmentSchemeForm
    title = gettext_lazy("考核方案")

    def get_object(self):
        plan = visible_plan_or_404(self.request.user, self.kwargs["pk"])
        if not selectors.can_manage(self.request.user, plan):
            raise PermissionDenied(_("只有主管单位可以修改考核方案"))
        return services.scheme_for(plan)

    def save(self, form):
        return services.assessment_scheme_save(
            actor=self.request.user,
            scheme=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )
