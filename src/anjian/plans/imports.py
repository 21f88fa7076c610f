"""The division table (责任分工表) in bulk from Excel, in the layout of the notice's 附件 — 序号, 工作内容,
牵头单位, 配合单位, 完成时限 (plus 阶段目标 and 预期成果) — through the one import pipeline: each row goes
through ``TaskAssignmentForm`` and ``services.task_assign``, exactly like the assignment page;
errors are reported by row and column and nothing is saved if any row is bad."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.common.imports import Column, ImportContext, ImportSpec
from anjian.orgs.imports import units_named
from anjian.plans import services
from anjian.plans.forms import AssignmentImportOptionsForm, TaskAssignmentForm, plan_units
from anjian.plans.models import Task
from anjian.plans.permissions import MANAGER_ROLES


def _units(*, government_only: bool):
    """Units under the chosen plan's owner (so two districts' "办公室" are never confused)."""
    return lambda ctx: plan_units(ctx.options.get("plan"), government_only=government_only)


class AssignmentImport(ImportSpec):
    """Assign the tasks of a plan from its division table. 序号 is a task ("5.3") or an item ("5" or
    "（五）", applied to all its tasks); rows apply in order, so a task row after its item row refines it."""

    name = "assignments"
    title = _("责任分工")
    model = Task
    form_class = TaskAssignmentForm
    options_form_class = AssignmentImportOptionsForm
    required_roles = tuple(MANAGER_ROLES)
    columns = [
        Column(
            _("序号"),
            "code",
            unique=True,
            example="5.3",
            help=_("任务序号（如 5.3），或条目序号（如 5、（五）），条目序号对该条目下全部任务分工"),
        ),
        Column(
            _("工作内容"),
            "content",
            example="强化深基坑、起重机械、高支模等危险性较大的分部分项工程安全风险防控",
            help=_("可留空；填写时须与该序号在系统中的内容一致（用于发现错行）"),
            width=60,
        ),
        Column(
            _("牵头单位"),
            "lead_unit",
            lookup=units_named(_units(government_only=True), dropdown=True),
            example="建筑建材业管理科",
            help=_("单位全称或简称"),
        ),
        Column(
            _("配合单位"),
            "co_units",
            lookup=units_named(_units(government_only=False)),
            example="建设工程安全质量监督站、安全监管科",
            help=_("多个单位用顿号“、”分隔"),
            width=40,
        ),
        # The help is the form's: 完成时限 reads the same on the page and in the sheet.
        Column(_("完成时限"), "time_limit", example="6月底前"),
        Column(
            _("阶段目标"),
            "milestones",
            example="3月底前：完成全面排查；6月底前：完成整改",
            help=_("以时限开头，多个用分号或换行分隔"),
            width=40,
        ),
        Column(_("预期成果"), "deliverables", example="专项整治工作总结", width=30),
    ]
    notes = [
        _("序号为条目号（如 5）的行对该条目下全部任务分工；其后出现的任务行（如 5.3）可单独覆盖。"),
        _("表格可直接使用“导出 Excel”得到的责任分工表，修改后重新导入。"),
    ]

    def save(self, form, ctx: ImportContext):
        data = form.service_data()
        task = None
        for task in form.targets():
            services.task_assign(actor=ctx.actor, task=task, data=data)
        return task
