"""Plans, tasks (the division table) and progress reports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.common.documents import docx_response
from anjian.common.generic import ObjectDetailView, ObjectEditView, ObjectListView, scoped_object_or_404
from anjian.common.imports import ImportView
from anjian.common.scope import can, has_role
from anjian.plans import selectors, services
from anjian.plans.choices import MilestoneKind, ProgressStatus, TaskStatus
from anjian.plans.documents import division_table_document
from anjian.plans.filtersets import PlanFilterSet, ReportFilterSet, TaskFilterSet
from anjian.plans.forms import (
    NoticeImportForm,
    PlanForm,
    ProgressReportForm,
    SupervisionIssueForm,
    TaskAssignmentForm,
)
from anjian.plans.imports import AssignmentImport
from anjian.plans.models import ProgressReport, Task, WorkPlan
from anjian.plans.parser import parse
from anjian.plans.permissions import MANAGER_ROLES
from anjian.plans.rules import format_time_limit
from anjian.plans.tables import PlanTable, ReportTable, TaskTable
from anjian.plans.views.common import as_of_from, run_service, visible_plan_or_404

ITEM_TASKS_SHOWN = 400  # above this many tasks, the plan page lists counts per item, not every task


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------
class PlanListView(ObjectListView):
    queryset = WorkPlan.objects.select_related("owner_unit").order_by("-year", "-id")
    filterset_class = PlanFilterSet
    table_class = PlanTable
    title = gettext_lazy("工作要点")
    create_url = "plans:plan_import"
    create_roles = tuple(MANAGER_ROLES)
    empty_text = gettext_lazy("工作要点由区建管委发给委内科室和单位，您所在单位不在任何工作要点的分工中。")


class PlanDetailView(ObjectDetailView):
    model = WorkPlan
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        as_of = as_of_from(self.request)
        qs, day = selectors.tasks_for(user, plans=[plan], as_of=as_of)
        counts = selectors.status_counts(qs)
        by_item: dict[int | None, list] = {}
        per_item_counts: dict[int | None, dict] = {}
        show_tasks = counts["total"] <= ITEM_TASKS_SHOWN
        if show_tasks:
            for task in qs.select_related("lead_unit").order_by("position"):
                by_item.setdefault(task.item_id, []).append(task)
        for row in qs.order_by().values("item_id", selectors.STATUS_FIELD).annotate(n=Count("pk")):
            per_item_counts.setdefault(row["item_id"], {})[row[selectors.STATUS_FIELD]] = row["n"]
        sections = []
        for section in plan.sections.prefetch_related("items").order_by("number"):
            items = [
                {"item": item, "tasks": by_item.get(item.pk, []), "counts": per_item_counts.get(item.pk, {})}
                for item in section.items.all()
            ]
            sections.append({"section": section, "items": items})
        ctx.update(
            title=plan.title,
            as_of=as_of,
            day=day,
            counts=counts,
            sections=sections,
            other_tasks=by_item.get(None, []),
            show_tasks=show_tasks,
            units=selectors.completion_by_unit(qs)[:12],
            can_manage=selectors.can_manage(user, plan),
            past_year=as_of.year > plan.year,
        )
        return ctx


class PlanEditView(ObjectEditView):
    model = WorkPlan
    form_class = PlanForm
    title = gettext_lazy("工作要点")

    def get_object(self):
        plan = visible_plan_or_404(self.request.user, self.kwargs["pk"])
        if not selectors.can_manage(self.request.user, plan):
            raise PermissionDenied(_("只有主管单位可以修改工作要点"))
        return plan

    def save(self, form):
        return services.plan_update(
            actor=self.request.user, plan=self.object, data=form.service_data(), version=form.cleaned_data["version"]
        )


@login_required
def notice_import(request):
    """Upload (or paste) a notice: 预览 shows what the parser made of it; 导入 builds the plan."""
    if not has_role(request.user, *MANAGER_ROLES):
        raise PermissionDenied(_("您的角色无权导入工作要点"))
    form = NoticeImportForm(request.POST or None, request.FILES or None, user=request.user)
    ctx = {"form": form, "title": _("导入工作要点")}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        text = form.cleaned_data.get("text") or ""
        filename = ""
        if upload is not None:
            filename = upload.name or ""
            text = run_service(request, form, lambda: services.read_notice(upload.read(), filename)) or ""
        if text:
            if request.POST.get("mode") == "import":
                outcome = run_service(
                    request,
                    form,
                    lambda: services.plan_import(
                        actor=request.user, text=text, owner_unit=form.cleaned_data["owner_unit"], filename=filename
                    ),
                )
                if outcome is not None:
                    c = outcome.counts
                    if outcome.created:
                        messages.success(
                            request,
                            _("已导入：%(s)d 个部分、%(i)d 个条目、%(t)d 项任务")
                            % {"s": c["sections_created"], "i": c["items_created"], "t": c["tasks_created"]},
                        )
                    elif outcome.changed:
                        messages.success(
                            request,
                            _("已更新：新增任务 %(a)d 项，修改 %(u)d 项，删除 %(r)d 项")
                            % {"a": c["tasks_created"], "u": c["tasks_updated"], "r": c["tasks_removed"]},
                        )
                    else:
                        messages.info(request, _("该通知此前已导入，内容没有变化"))
                    for note in outcome.warnings:
                        messages.warning(request, note)
                    return redirect(outcome.plan)
            else:
                parsed = parse(text)
                # The text read from the file goes into the text box, so 导入 needs no second upload.
                data = request.POST.copy()
                data["text"] = text
                form = NoticeImportForm(data, user=request.user)
                form.is_valid()
                ctx.update(
                    form=form,
                    parsed=parsed,
                    task_count=sum(len(i.tasks) for i in parsed.items()),
                    parsed_json=json.dumps(services.notice_json(parsed), ensure_ascii=False, indent=2),
                )
    return render(request, "plans/notice_import.html", ctx)


# ---------------------------------------------------------------------------
# Tasks: the division table
# ---------------------------------------------------------------------------
def _co_units(task) -> str:
    return "、".join(u.name for u in task.co_units.all())


def _milestones(task) -> str:
    return "；".join(
        f"{m.planned_on:%Y-%m-%d}：{m.title}" for m in task.milestones.all() if m.kind == MilestoneKind.MILESTONE
    )


class TaskListView(ObjectListView):
    """The division table (责任分工表) of the tasks the user may see; its Excel export has the 附件 columns,
    so it can be edited and imported again."""

    queryset = Task.objects.all()
    filterset_class = TaskFilterSet
    table_class = TaskTable
    template_name = "plans/task_list.html"
    title = gettext_lazy("工作任务（责任分工表）")
    export_filename = "division-table"
    export_columns = [
        (gettext_lazy("序号"), "code"),
        (gettext_lazy("工作内容"), "text"),
        (gettext_lazy("牵头单位"), "lead_unit.name"),
        (gettext_lazy("配合单位"), _co_units),
        (gettext_lazy("完成时限"), lambda t: format_time_limit(t.deadline, t.cadence, t.time_limit)),
        (gettext_lazy("阶段目标"), _milestones),
        (gettext_lazy("预期成果"), "deliverables"),
        (gettext_lazy("截止日期"), "deadline"),
        (gettext_lazy("状态"), lambda t: selectors.status_label(t.derived_status)),
        (gettext_lazy("完成进度（%）"), "percent"),
        (gettext_lazy("工作要点"), "plan.title"),
    ]

    def get_queryset(self):
        qs, self.day = selectors.tasks_for(self.request.user)
        return (
            qs.select_related("lead_unit", "plan", "item")
            .prefetch_related("co_units", "milestones")
            .order_by("plan", "position")
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "docx":
            plan = visible_plan_or_404(request.user, request.GET.get("plan", ""))
            filterset = self.get_filterset(self.get_filterset_class())
            rows = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            rows = rows.filter(plan=plan)
            document = division_table_document(plan, rows)
            return docx_response(
                document,
                f"{document.title}.docx",
                object_type="plans.workplan",
                object_id=plan.pk,
                actor=request.user,
                ascii_name="division-table.docx",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan_id = self.request.GET.get("plan", "")
        ctx["plan_id"] = plan_id if plan_id.isdigit() else ""
        ctx["can_import"] = selectors.managed_plans(self.request.user).exists()
        ctx["calendar_warning"] = self.day.warning
        return ctx


class TaskDetailView(ObjectDetailView):
    model = Task
    template_name = "plans/task_detail.html"

    def get_queryset(self):
        qs, self.day = selectors.tasks_for(self.request.user)
        return qs.select_related("plan", "plan__owner_unit", "item__section", "lead_unit", "meeting", "summons")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        reports = (
            ProgressReport.objects.restrict(user, "view")
            .filter(task=task)
            .select_related("unit", "reported_by", "milestone")
            .order_by("-progress_on", "-id")
        )
        from anjian.common.calendar import CalendarUnknownYear, working_days_overdue

        try:
            days_overdue = working_days_overdue(task.current_due, self.day.as_of) if task.current_due else 0
        except CalendarUnknownYear:
            days_overdue = 0
        ctx.update(
            title=str(task),
            plan=task.plan,
            status=task.derived_status,
            status_label=selectors.status_label(task.derived_status),
            days_overdue=days_overdue,
            milestones=task.milestones.order_by("due_date"),
            co_units=task.co_units.order_by("path"),
            reports=reports,
            notices=task.supervision_notices.restrict(user, "view").order_by("-issued_on"),
            summonses=task.summonses.restrict(user, "view"),
            can_report=task.status == TaskStatus.ACTIVE
            and can(user, "report", task)
            and selectors.reporting_units(user, task).exists(),
            can_assign=task.status != TaskStatus.CANCELLED and selectors.can_manage(user, task.plan),
            can_supervise=task.status == TaskStatus.ACTIVE and task.lead_unit_id and can(user, "supervise", task),
            supervise_form=SupervisionIssueForm(),
            calendar_warning=self.day.warning,
        )
        return ctx


class TaskAssignView(ObjectEditView):
    """The assignment of one task (责任分工), by the plan's manager."""

    model = Task
    form_class = TaskAssignmentForm
    template_name = "plans/task_assign.html"
    title = gettext_lazy("责任分工")

    def get_object(self):
        task = scoped_object_or_404(Task, self.request.user, self.kwargs["pk"])
        if not selectors.can_manage(self.request.user, task.plan):
            raise PermissionDenied(_("只有工作要点的主管单位可以分工"))
        return task

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(plan=self.object.plan, task=self.object)
        return kwargs

    def save(self, form):
        return services.task_assign(
            actor=self.request.user,
            task=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )


class AssignmentImportView(ImportView):
    spec_class = AssignmentImport
    success_url = reverse_lazy("plans:task_list")


@login_required
def task_report(request, pk: int):
    """A unit files progress on a task, with evidence."""
    task = scoped_object_or_404(Task, request.user, pk)
    if not can(request.user, "report", task) or task.status != TaskStatus.ACTIVE:
        raise PermissionDenied(_("您不能报告该任务的进展"))
    form = ProgressReportForm(request.POST or None, request.FILES or None, user=request.user, task=task)
    if not form.fields["unit"].queryset.exists():
        raise PermissionDenied(_("您不属于该任务的牵头或配合单位"))
    if request.method == "POST" and form.is_valid():
        report = run_service(
            request,
            form,
            lambda: services.progress_report_create(
                actor=request.user,
                task=task,
                data=form.service_data(),
                files=form.cleaned_data["files"],
                submit=request.POST.get("mode") != "draft",
            ),
        )
        if report is not None:
            messages.success(
                request,
                _("进展已提交，等待单位负责人审核") if report.status == ProgressStatus.SUBMITTED else _("草稿已保存"),
            )
            return redirect(report)
    return render(request, "plans/report_form.html", {"form": form, "task": task, "title": _("报告进展")})


@login_required
@require_POST
def task_supervise(request, pk: int):
    task = scoped_object_or_404(Task, request.user, pk)
    form = SupervisionIssueForm(request.POST)
    if form.is_valid():
        notice = run_service(
            request,
            form,
            lambda: services.supervision_notice_issue(
                actor=request.user, task=task, content=form.cleaned_data["content"]
            ),
        )
        if notice is not None:
            messages.success(request, _("已发出督办通知 %(n)s") % {"n": notice.number})
            return redirect(notice)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(task)


# ---------------------------------------------------------------------------
# Progress reports
# ---------------------------------------------------------------------------
class ReportListView(ObjectListView):
    queryset = ProgressReport.objects.select_related("task", "unit", "reported_by").order_by("-progress_on", "-id")
    filterset_class = ReportFilterSet
    table_class = ReportTable
    title = gettext_lazy("进展报告")
    export_filename = "progress-reports"
    export_columns = [
        (gettext_lazy("序号"), "task.code"),
        (gettext_lazy("工作任务"), "task.text"),
        (gettext_lazy("报告单位"), "unit.name"),
        (gettext_lazy("进展截至"), "progress_on"),
        (gettext_lazy("完成进度（%）"), "percent"),
        (gettext_lazy("进展情况"), "text"),
        (gettext_lazy("状态"), "get_status_display"),
        (gettext_lazy("审核意见"), "review_note"),
    ]


class ReportDetailView(ObjectDetailView):
    model = ProgressReport
    template_name = "plans/report_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("task__plan", "unit", "reported_by", "reviewed_by", "milestone")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = self.object
        from anjian.plans.permissions import REPORTER_ROLES

        ctx["title"] = _("进展报告")
        ctx["show_attachments"] = True
        ctx["can_edit"] = report.status in (ProgressStatus.DRAFT, ProgressStatus.RETURNED) and selectors.acts_for(
            self.request.user, report.unit, REPORTER_ROLES
        )
        return ctx


class ReportEditView(ObjectEditView):
    model = ProgressReport
    form_class = ProgressReportForm
    template_name = "plans/report_form.html"
    title = gettext_lazy("进展报告")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(task=self.object.task, report=self.object)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["task"] = self.object.task
        ctx["editing"] = True
        return ctx

    def save(self, form):
        report = services.progress_report_update(
            actor=self.request.user,
            report=self.object,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        )
        return report
