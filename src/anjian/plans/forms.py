"""Forms of the work plan: shape and parsing only; who may do what and the rules across records live
in the services. ``TaskAssignmentForm`` serves both the assignment page and every row of the Excel
import (the same form, the same service)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.attachments import ALLOWED_EXTENSIONS
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind
from anjian.orgs.forms import UnitChoiceField, VersionedModelForm
from anjian.orgs.models import OrgUnit
from anjian.plans import rules, selectors
from anjian.plans.choices import MeetingKind, MilestoneKind, TaskSource, TaskStatus
from anjian.plans.models import AssessmentScheme, Meeting, Milestone, PlanItem, Task, WorkPlan
from anjian.plans.permissions import ISSUER_ROLES, MANAGER_ROLES, ORGANISER_ROLES
from anjian.plans.services import MEETING_FIELDS, PLAN_FIELDS, PROGRESS_FIELDS, SCHEME_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def plan_units(plan: WorkPlan | None, *, government_only: bool = True):
    """The units a plan's tasks may be assigned to: active units under its owner unit."""
    qs = OrgUnit.objects.filter(is_active=True)
    if plan is not None:
        qs = qs.filter(path__startswith=plan.owner_unit.path)
    if government_only:
        qs = qs.filter(kind__in=GOVERNMENT_KINDS)
    return qs.order_by("path")


# ---------------------------------------------------------------------------
# Notices and plans
# ---------------------------------------------------------------------------
class NoticeImportForm(forms.Form):
    file = forms.FileField(
        label=_("通知文件"),
        required=False,
        help_text=_("Word（.docx）或文本（.txt）；也可以直接在下方粘贴全文"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )
    text = forms.CharField(label=_("通知全文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    owner_unit = UnitChoiceField(label=_("主管单位"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.units_acted_for(user, MANAGER_ROLES).filter(kind__in=GOVERNMENT_KINDS, is_active=True)
        self.fields["owner_unit"].queryset = units.order_by("path")
        if not self.is_bound:
            self.fields["owner_unit"].initial = units.order_by("path").first()
        self.fields["owner_unit"].help_text = _("管理该计划的单位：导入、分工、延期、印发通报")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError({"file": ValidationError(_("请上传通知文件或粘贴通知全文"), code="required")})
        return data


class PlanForm(VersionedModelForm):
    class Meta:
        model = WorkPlan
        fields = list(PLAN_FIELDS)


# ---------------------------------------------------------------------------
# Assignment (责任分工) — the page and each Excel row
# ---------------------------------------------------------------------------
class TimeLimitMixin:
    """Reads 完成时限 (and 阶段目标) into an end date, a cadence and milestones, in the plan's year."""

    def _plan_year(self) -> int:
        plan = self.cleaned_data.get("plan") or getattr(self, "plan", None)
        return plan.year if plan is not None else timezone.localdate().year

    def clean_time_limit(self):
        text = self.cleaned_data["time_limit"]
        try:
            self._limit = rules.parse_time_limit(text, self._plan_year())
        except rules.TimeLimitError as exc:
            raise ValidationError(str(exc), code="time_limit") from exc
        return self._limit.text

    def clean_milestones(self):
        text = self.cleaned_data.get("milestones") or ""
        try:
            self._milestones = rules.parse_milestones(text, self._plan_year())
        except rules.TimeLimitError as exc:
            raise ValidationError(str(exc), code="milestones") from exc
        return text

    def assignment_data(self) -> dict:
        limit = self._limit
        return {
            "lead_unit": self.cleaned_data["lead_unit"],
            "co_units": list(self.cleaned_data.get("co_units") or []),
            "time_limit": limit.text,
            "end": limit.end,
            "cadence": limit.cadence,
            "milestones": getattr(self, "_milestones", []),
            "deliverables": self.cleaned_data.get("deliverables", ""),
        }


def _normalise(text: str) -> str:
    return re.sub(r"[\s，。；、,.;“”\"'（）()]", "", str(text or ""))


class TaskAssignmentForm(TimeLimitMixin, forms.Form):
    """One row of the division table: 序号 names a task ("5.3") or a whole item ("5", "（五）");
    工作内容, when given, must agree with it (a guard against shifted rows)."""

    plan = forms.ModelChoiceField(label=_("工作要点"), queryset=WorkPlan.objects.all(), widget=forms.HiddenInput)
    code = forms.CharField(label=_("序号"), max_length=20)
    content = forms.CharField(label=_("工作内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=OrgUnit.objects.none())
    co_units = UnitsChoiceField(
        label=_("配合单位"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    time_limit = forms.CharField(
        label=_("完成时限"),
        max_length=60,
        help_text=_("日期（2021-06-30）、“6月底前”、“三季度”、“年底前”，或周期“每月/每季度/每年”"),
    )
    milestones = forms.CharField(
        label=_("阶段目标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，以时限开头，如“6月底前：完成全面排查”"),
    )
    deliverables = forms.CharField(
        label=_("预期成果"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, plan: WorkPlan | None = None, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.plan = plan
        self.task = task
        units = plan_units(plan)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = plan_units(plan, government_only=False) if plan else units
        if plan is not None:
            self.fields["plan"].queryset = WorkPlan.objects.filter(pk=plan.pk)
            self.fields["plan"].initial = plan.pk
        if task is not None:
            self.fields["code"].initial = task.code
            self.fields["code"].disabled = True
            self.fields["content"].initial = task.text
            self.fields["content"].disabled = True
            self.fields["lead_unit"].initial = task.lead_unit_id
            self.fields["co_units"].initial = list(task.co_units.values_list("pk", flat=True))
            self.fields["time_limit"].initial = task.time_limit
            self.fields["milestones"].initial = "\n".join(
                f"{m.planned_on:%Y-%m-%d}：{m.title}" for m in task.milestones.filter(kind=MilestoneKind.MILESTONE)
            )
            self.fields["deliverables"].initial = task.deliverables
            self.fields["version"].initial = task.version

    def targets(self) -> list[Task]:
        return getattr(self, "_targets", [])

    def clean(self):
        data = super().clean()
        plan = data.get("plan")
        code = (data.get("code") or "").strip()
        if plan is None or not code:
            return data
        targets, description = self._resolve(plan, code)
        if not targets:
            self.add_error(
                "code", ValidationError(_("该工作要点中没有序号为“%(c)s”的任务或条目") % {"c": code}, code="unknown")
            )
            return data
        content = _normalise(data.get("content"))
        if content and self.task is None:
            haystack = _normalise(description)
            probe = content[:12]
            if probe not in haystack and haystack[:12] not in content:
                self.add_error(
                    "content",
                    ValidationError(
                        _("与序号“%(c)s”在系统中的内容不符（系统中为：%(t)s）")
                        % {"c": code, "t": description[:40] + ("…" if len(description) > 40 else "")},
                        code="content_mismatch",
                    ),
                )
        self._targets = targets
        return data

    @staticmethod
    def _resolve(plan: WorkPlan, code: str) -> tuple[list[Task], str]:
        """A task code ("5.3") → that task; an item number ("5", "五", "（五）", "(5)") → its tasks."""
        norm = re.sub(r"\s+", "", code).replace("．", ".")
        live = plan.tasks.exclude(status=TaskStatus.CANCELLED)
        task = live.filter(code=norm).first()
        if task is not None:
            return [task], task.text
        m = re.fullmatch(r"[（(]?([一二三四五六七八九十]+|\d{1,2})[）)、.]?", norm)
        if m:
            from anjian.plans.parser import cn_to_int

            item = PlanItem.objects.filter(plan=plan, number=cn_to_int(m.group(1))).first()
            if item is not None:
                tasks = list(live.filter(item=item, source=TaskSource.NOTICE).order_by("position"))
                return tasks, f"{item.title}。{item.text}"
        return [], ""

    def service_data(self) -> dict:
        return self.assignment_data()


class AssignmentImportOptionsForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("工作要点"), queryset=WorkPlan.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        plans = WorkPlan.objects.all() if user is None else selectors.managed_plans(user)
        self.fields["plan"].queryset = plans.order_by("-year", "-id")
        self.fields["plan"].help_text = _("分工写入该工作要点的任务（须为您主管的工作要点）")
        if not self.is_bound:
            self.fields["plan"].initial = self.fields["plan"].queryset.first()


class NewTaskForm(TimeLimitMixin, forms.Form):
    """A meeting's decision or a summons commitment: a new task with its assignment."""

    text = forms.CharField(label=_("事项内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=OrgUnit.objects.none())
    co_units = UnitsChoiceField(
        label=_("配合单位"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    time_limit = forms.CharField(
        label=_("完成时限"), max_length=60, help_text=TaskAssignmentForm.base_fields["time_limit"].help_text
    )
    deliverables = forms.CharField(label=_("预期成果"), required=False, max_length=2000)

    def __init__(self, *args, plan: WorkPlan, allow_enterprise: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["lead_unit"].queryset = plan_units(plan, government_only=not allow_enterprise)
        self.fields["co_units"].queryset = plan_units(plan, government_only=False)

    def service_data(self) -> dict:
        return {"text": self.cleaned_data["text"], **self.assignment_data()}


# ---------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------
class ProgressReportForm(forms.Form):
    unit = UnitChoiceField(label=_("报告单位"), queryset=OrgUnit.objects.none())
    milestone = forms.ModelChoiceField(
        label=_("对应节点"), queryset=Milestone.objects.none(), required=False, empty_label=_("（不对应具体节点）")
    )
    progress_on = forms.DateField(label=_("进展截至日期"), widget=DATE_INPUT)
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000)
    files = MultipleFileField(label=_("佐证材料"), required=False, help_text=_("照片、PDF、Word、Excel，可多选"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, task: Task, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        units = selectors.reporting_units(user, task)
        self.fields["unit"].queryset = units
        self.fields["milestone"].queryset = task.milestones.filter(done_on__isnull=True).order_by("due_date")
        self.fields["milestone"].help_text = _("牵头单位报告某个阶段目标或周期节点的完成情况时选择")
        if report is not None:
            self.fields["unit"].queryset = OrgUnit.objects.filter(pk=report.unit_id)
            self.fields["unit"].disabled = True
            self.fields["files"].widget = forms.HiddenInput()
            for name in PROGRESS_FIELDS:
                value = getattr(report, f"{name}_id", None) if name in ("unit", "milestone") else getattr(report, name)
                self.fields[name].initial = value
            self.fields["version"].initial = report.version
        elif not self.is_bound:
            self.fields["progress_on"].initial = timezone.localdate()
            own = units.filter(pk=getattr(user, "unit_id", None)).first() or units.first()
            self.fields["unit"].initial = own.pk if own else None
            self.fields["percent"].initial = task.percent
            self.fields["milestone"].initial = (
                task.milestones.filter(done_on__isnull=True).order_by("due_date").values_list("pk", flat=True).first()
            )

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in PROGRESS_FIELDS}


class SupervisionIssueForm(forms.Form):
    content = forms.CharField(
        label=_("督办事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("留空则按任务的逾期情况自动生成"),
    )


# ---------------------------------------------------------------------------
# Meetings and summons
# ---------------------------------------------------------------------------
class MeetingForm(VersionedModelForm):
    organiser_unit = UnitChoiceField(label=_("召集单位"), queryset=OrgUnit.objects.none())
    units = UnitsChoiceField(
        label=_("参会单位"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "held_on": DATE_INPUT,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = selectors.visible_plans(user).order_by("-year")
        organisers = selectors.units_acted_for(user, ISSUER_ROLES).filter(kind__in=GOVERNMENT_KINDS, is_active=True)
        if self.instance.pk:
            organisers = organisers | OrgUnit.objects.filter(pk=self.instance.organiser_unit_id)
        self.fields["organiser_unit"].queryset = organisers.order_by("path")
        self.fields["units"].queryset = OrgUnit.objects.filter(is_active=True, kind__in=GOVERNMENT_KINDS).order_by(
            "path"
        )
        self.fields["kind"].choices = MeetingKind.choices
        if not self.is_bound and not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
            self.fields["plan"].initial = self.fields["plan"].queryset.first()
            own = organisers.filter(pk=getattr(user, "unit_id", None)).first() or organisers.order_by("path").first()
            self.fields["organiser_unit"].initial = own


class SummonsForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("工作要点"), queryset=WorkPlan.objects.none())
    task = forms.ModelChoiceField(label=_("所涉任务"), queryset=Task.objects.none(), required=False)
    target_unit = UnitChoiceField(label=_("被约谈单位"), queryset=OrgUnit.objects.none())
    target_person = forms.CharField(label=_("被约谈人及职务"), max_length=200, required=False)
    organiser_unit = UnitChoiceField(label=_("约谈单位"), queryset=OrgUnit.objects.none())
    interviewers = forms.CharField(label=_("约谈人"), max_length=200, required=False)
    reason = forms.CharField(label=_("约谈事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        plans = selectors.visible_plans(user).order_by("-year")
        self.fields["plan"].queryset = plans
        self.fields["task"].queryset = Task.objects.restrict(user, "view").filter(status=TaskStatus.ACTIVE)
        self.fields["target_unit"].queryset = (
            OrgUnit.objects.filter(is_active=True)
            .filter(Q(kind__in=GOVERNMENT_KINDS) | Q(kind__in=[OrgUnitKind.ENTERPRISE, OrgUnitKind.AGENCY]))
            .order_by("path")
        )
        organisers = selectors.units_acted_for(user, ORGANISER_ROLES).filter(kind__in=GOVERNMENT_KINDS, is_active=True)
        self.fields["organiser_unit"].queryset = organisers.order_by("path")
        if not self.is_bound:
            self.fields["plan"].initial = plans.first()
            self.fields["organiser_unit"].initial = organisers.order_by("path").first()

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


# ---------------------------------------------------------------------------
# Letters, bulletins, assessment
# ---------------------------------------------------------------------------
class LetterIssueForm(forms.Form):
    signee_unit = UnitChoiceField(label=_("乙方（签订单位）"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, parent, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        issuer = parent.signee_unit
        plan = parent.plan
        below = Q(path__startswith=issuer.path) & ~Q(pk=issuer.pk)
        supervised = Q(kind__in=[OrgUnitKind.ENTERPRISE, OrgUnitKind.AGENCY], path__startswith=plan.owner_unit.path)
        self.fields["signee_unit"].queryset = (
            OrgUnit.objects.filter(is_active=True).filter(below | supervised).order_by("path")
        )


class BulletinForm(forms.Form):
    month = forms.DateField(
        label=_("通报月份"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("数据截至该月末（当月则截至今天）"),
    )

    def __init__(self, *args, plan: WorkPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        last = today if today.year == plan.year else dt.date(plan.year, 12, 1)
        self.fields["month"].initial = last.strftime("%Y-%m")


class AssessmentSchemeForm(VersionedModelForm):
    class Meta:
        model = AssessmentScheme
        fields = list(SCHEME_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
