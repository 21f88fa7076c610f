"""Writes of the work plan. Pages, the API, the Excel import, the commands, the escalation ladder and
the demo loader all come here; each service is one transaction whose every write lands on the audit
chain (``@service``), checks who may do it, and validates before saving."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import audit, numbering
from anjian.common.attachments import attachment_add
from anjian.common.calendar import CalendarUnknownYear, add_working_days, is_workday
from anjian.common.exceptions import DomainError
from anjian.common.models import EscalationLevel
from anjian.common.scope import can
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.text import join_clauses
from anjian.common.workflow import transition
from anjian.orgs.choices import GOVERNMENT_KINDS, OrgUnitKind
from anjian.orgs.models import OrgUnit
from anjian.plans import rules, selectors
from anjian.plans.choices import (
    BulletinStatus,
    Cadence,
    LetterStatus,
    MilestoneKind,
    ProgressStatus,
    SummonsStatus,
    TaskSource,
    TaskStatus,
)
from anjian.plans.models import (
    AssessmentScheme,
    Bulletin,
    Meeting,
    Milestone,
    PlanItem,
    PlanSection,
    ProgressReport,
    ResponsibilityLetter,
    Summons,
    SupervisionNotice,
    Task,
    WorkPlan,
)
from anjian.plans.parser import ParsedPlan, docx_to_text, parse
from anjian.plans.permissions import ISSUER_ROLES, MANAGER_ROLES, ORGANISER_ROLES, REPORTER_ROLES

LETTER_KIND = "responsibility_letter"
BULLETIN_KIND = "bulletin"
REPLY_WORKING_DAYS = 3  # a supervision notice asks for a reply within this many working days


def register_numbering_kinds() -> None:
    numbering.register_numbering(LETTER_KIND, "金建责〔{year}〕{seq}号", label="目标责任书")
    numbering.register_numbering(BULLETIN_KIND, "金建安通〔{year}〕{seq}号", label="安全生产工作通报")


def _require_manager(actor, plan: WorkPlan) -> None:
    if actor is not None and not selectors.can_manage(actor, plan):
        raise PermissionDenied(_("只有该工作要点的主管单位（%(u)s）可以进行此操作") % {"u": plan.owner_unit})


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------
# Importing a notice
# ---------------------------------------------------------------------------
def read_notice(content: bytes, filename: str) -> str:
    """The text of an uploaded notice: a .docx, or plain text in UTF-8 or GB18030 (Windows' Chinese)."""
    name = (filename or "").lower()
    if name.endswith(".doc") and not content.startswith(b"PK"):
        raise ValidationError({"file": ValidationError(_("不支持旧版 .doc 文件，请在 Word 中另存为 .docx 或 .txt"))})
    if name.endswith(".docx") or content.startswith(b"PK\x03\x04"):
        try:
            return docx_to_text(content)
        except Exception as exc:  # python-docx raises several kinds for a damaged file
            raise ValidationError({"file": ValidationError(_("无法读取该 .docx 文件（文件可能已损坏）"))}) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": ValidationError(_("无法识别文件编码：请保存为 UTF-8 文本或 .docx"))})


def plan_year(parsed: ParsedPlan) -> int | None:
    if parsed.date:
        return int(parsed.date[:4])
    import re

    m = re.search(r"(\d{4})", parsed.document_number or "") or re.search(r"(20\d{2})年", parsed.title or "")
    return int(m.group(1)) if m else None


def notice_json(parsed: ParsedPlan) -> dict:
    """The parsed notice in exactly the shape ``import_workplan --json`` prints (issue 3)."""
    return {
        "issuer": parsed.issuer,
        "document_number": parsed.document_number,
        "date": parsed.date,
        "title": parsed.title,
        "sections": [
            {
                "number": s.number,
                "title": s.title,
                "items": [
                    {"number": i.number, "title": i.title, "text": i.text, "tasks": list(i.tasks)} for i in s.items
                ],
            }
            for s in parsed.sections
        ],
    }


@dataclass
class ImportOutcome:
    plan: WorkPlan
    created: bool
    counts: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or any(
            v for k, v in self.counts.items() if not k.endswith("unchanged") and not k.endswith("kept")
        )


def _set_if_changed(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@service
def plan_import(*, actor, text: str, owner_unit: OrgUnit, filename: str = "") -> ImportOutcome:
    """Build (or bring up to date) the work plan of a notice. Idempotent: importing the same text again
    changes nothing — no row is written, no audit event recorded. A changed text updates titles and
    texts in place; a task that disappeared is deleted unless it already has an assignment or
    progress (then it is kept and reported)."""
    parsed = parse(text)
    if not parsed.sections:
        raise ValidationError(
            {"file": ValidationError(_("未能识别出任何部分（“一、”）。%(w)s") % {"w": join_clauses(parsed.warnings)})}
        )
    year = plan_year(parsed)
    if year is None:
        raise ValidationError({"file": ValidationError(_("无法确定计划年度：未识别到成文日期或发文字号"))})
    if actor is not None and not selectors.acts_for(actor, owner_unit, MANAGER_ROLES):
        raise PermissionDenied(_("您不能以“%(u)s”的名义导入工作要点") % {"u": owner_unit})
    issued_on = dt.date.fromisoformat(parsed.date) if parsed.date else None
    values = {
        "year": year,
        "title": parsed.title or parsed.notice_title or _("%(y)s年工作要点") % {"y": year},
        "notice_title": parsed.notice_title,
        "issuer": parsed.issuer,
        "document_number": parsed.document_number,
        "issued_on": issued_on,
        "salutation": parsed.salutation,
        "transmittal": parsed.transmittal,
        "preamble": parsed.preamble,
        "attachment_names": parsed.attachments,
    }
    if parsed.document_number:
        plan = WorkPlan.objects.filter(document_number=parsed.document_number).first()
    else:
        plan = WorkPlan.objects.filter(owner_unit=owner_unit, year=year, title=values["title"]).first()
    notes = list(parsed.warnings) + [_("未能归入结构的文字：%(t)s") % {"t": u} for u in parsed.unplaced]
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    created = plan is None
    if created:
        plan = WorkPlan(owner_unit=owner_unit, **values)
        plan.source_text, plan.source_sha256, plan.source_name, plan.parse_notes = text, sha, filename[:200], notes
        save_validated(plan, bump_version=False)
    else:
        if plan.owner_unit_id != owner_unit.pk:
            raise ValidationError(
                {"owner_unit": ValidationError(_("该文号的工作要点由“%(u)s”主管") % {"u": plan.owner_unit})}
            )
        _require_manager(actor, plan)
        plan = lock_for_update(plan, None)
        values.update(source_sha256=sha, parse_notes=notes)
        if _set_if_changed(plan, values):
            plan.source_text = text
            if filename:
                plan.source_name = filename[:200]
            save_validated(plan)
    outcome = ImportOutcome(plan=plan, created=created, warnings=notes)
    counts = outcome.counts
    for key in ("sections", "items", "tasks"):
        for what in ("created", "updated", "unchanged"):
            counts[f"{key}_{what}"] = 0
    counts["tasks_removed"] = counts["tasks_kept"] = 0

    sections = {s.number: s for s in plan.sections.all()}
    items = {i.number: i for i in plan.items.all()}
    existing_tasks: dict[int, list[Task]] = {}
    for task in plan.tasks.filter(source=TaskSource.NOTICE).order_by("position"):
        existing_tasks.setdefault(task.item_id, []).append(task)
    wanted_items = set()
    renames: list[tuple[Task, str, int]] = []
    for parsed_section in parsed.sections:
        section = sections.get(parsed_section.number)
        fields = {"label": parsed_section.label, "title": parsed_section.title[:200], "intro": parsed_section.intro}
        if section is None:
            section = PlanSection(plan=plan, number=parsed_section.number, **fields)
            save_validated(section, bump_version=False)
            counts["sections_created"] += 1
        elif _set_if_changed(section, fields):
            save_validated(section)
            counts["sections_updated"] += 1
        else:
            counts["sections_unchanged"] += 1
        for parsed_item in parsed_section.items:
            wanted_items.add(parsed_item.number)
            item = items.get(parsed_item.number)
            fields = {
                "section": section,
                "label": parsed_item.label,
                "title": parsed_item.title[:200],
                "text": parsed_item.text,
            }
            if item is None:
                item = PlanItem(plan=plan, number=parsed_item.number, **fields)
                save_validated(item, bump_version=False)
                items[item.number] = item
                counts["items_created"] += 1
            elif _set_if_changed(item, fields):
                save_validated(item)
                counts["items_updated"] += 1
            else:
                counts["items_unchanged"] += 1
            _import_item_tasks(plan, item, parsed_item.tasks, existing_tasks.pop(item.pk, []), counts, renames, notes)
    for leftover in existing_tasks.values():
        _drop_tasks(leftover, counts, notes, renames)
    for number, item in items.items():
        if number not in wanted_items and not item.tasks.exists():
            item.delete()
    _apply_codes(renames)
    if counts["tasks_removed"]:
        refresh_plan_units(plan)
    for number, section in sections.items():
        if number not in {s.number for s in parsed.sections} and not section.items.exists():
            section.delete()
    outcome.warnings = notes
    if notes != plan.parse_notes:
        WorkPlan.objects.filter(pk=plan.pk).update(parse_notes=notes)
    return outcome


def _import_item_tasks(plan, item, texts: list[str], existing: list[Task], counts, renames, notes) -> None:
    by_text = {}
    for task in existing:
        by_text.setdefault(task.text, []).append(task)
    unmatched = list(existing)
    matched: list[Task | None] = []
    for text in texts:
        candidates = by_text.get(text) or []
        task = candidates.pop(0) if candidates else None
        if task is not None:
            unmatched.remove(task)
        matched.append(task)
    # A sentence that changed keeps the task at its position, unless that task has progress already.
    for index, text in enumerate(texts):
        if matched[index] is not None:
            continue
        reusable = next((t for t in unmatched if not t.reports.exists()), None)
        if reusable is not None:
            unmatched.remove(reusable)
            reusable.text = text
            save_validated(reusable)
            counts["tasks_updated"] += 1
            matched[index] = reusable
    taken = set(plan.tasks.values_list("code", flat=True)) if existing else set()
    for seq, (text, task) in enumerate(zip(texts, matched, strict=True), start=1):
        code, position = f"{item.number}.{seq}", item.number * 1000 + seq
        if task is None:
            # A new task takes its code at once unless another task still holds it (a re-import that
            # moved sentences); then it is renamed with the others at the end.
            free = code not in taken
            task = Task(plan=plan, item=item, source=TaskSource.NOTICE, code=code if free else f"~new{code}", text=text)
            task.position = position
            save_validated(task, bump_version=False)
            if not free:
                renames.append((task, code, position))
            counts["tasks_created"] += 1
        elif task.code != code or task.position != position:
            renames.append((task, code, position))
            counts["tasks_updated"] += 1
        else:
            counts["tasks_unchanged"] += 1
    _drop_tasks(unmatched, counts, notes, renames)


def _drop_tasks(tasks: list[Task], counts, notes, renames) -> None:
    """Tasks whose sentence left the notice: deleted, or — with an assignment or progress — kept under
    their old code marked with "*", after the item's current tasks."""
    for task in tasks:
        if task.lead_unit_id or task.reports.exists() or task.supervision_notices.exists():
            counts["tasks_kept"] += 1
            notes.append(
                _("任务 %(c)s 已不在原文中，但已有分工或进展，未删除：%(t)s") % {"c": task.code, "t": task.text}
            )
            if not task.code.endswith("*"):
                code = f"{task.code}*"
                while Task.objects.filter(plan_id=task.plan_id, code=code).exclude(pk=task.pk).exists():
                    code += "*"
                renames.append((task, code, task.position + 900))
        else:
            task.delete()
            counts["tasks_removed"] += 1


def _apply_codes(renames: list[tuple[Task, str, int]]) -> None:
    """Give tasks their final code in two steps, so a reordering never collides on (plan, code)."""
    for task, _code, _position in renames:
        if not task.code.startswith("~"):
            Task.objects.filter(pk=task.pk).update(code=f"~{task.pk}")
    for task, code, position in renames:
        Task.objects.filter(pk=task.pk).update(code=code, position=position)
        task.code, task.position = code, position


@service
def plan_update(*, actor, plan: WorkPlan, data: dict, version: int | None = None) -> WorkPlan:
    _require_manager(actor, plan)
    plan = lock_for_update(plan, version)
    apply_fields(plan, data, ("title", "at_risk_days"))
    save_validated(plan)
    return plan


# ---------------------------------------------------------------------------
# Assignment (责任分工)
# ---------------------------------------------------------------------------
def _calendar_error(field_name: str, exc: CalendarUnknownYear) -> ValidationError:
    return ValidationError({field_name: ValidationError(str(exc), code="calendar_unknown")})


def refresh_plan_units(plan: WorkPlan) -> None:
    """Keep ``plan.units`` — the units with a task in it, as lead or co-unit — in step with its tasks
    (the plan's reader scope); a no-op when nothing changed, so re-runs write no audit event."""
    tasks = Task.objects.filter(plan=plan)
    ids = set(tasks.exclude(lead_unit__isnull=True).values_list("lead_unit", flat=True))
    ids |= set(Task.co_units.through.objects.filter(task__plan=plan).values_list("orgunit_id", flat=True))
    if ids != set(plan.units.values_list("pk", flat=True)):
        plan.units.set(ids)


def compute_current_due(task: Task) -> dt.date | None:
    """The earliest unfulfilled due date of an active task: an open milestone or period, or the deadline."""
    if task.status != TaskStatus.ACTIVE or task.pk is None:
        return None
    dues = list(task.milestones.filter(done_on__isnull=True).values_list("due_date", flat=True))
    if task.deadline:
        dues.append(task.deadline)
    return min(dues) if dues else None


def _sync_periods(task: Task) -> None:
    """The cadence's periods between the plan's start and the deadline: open ones follow the
    assignment (created, moved, removed); ones already met are kept as they are."""
    wanted = {}
    if task.cadence != Cadence.NONE and task.deadline:
        end = task.deadline
        for title, period_end in rules.cadence_periods(task.cadence, task.plan.start_date, end):
            try:
                wanted[title] = (period_end, rules.effective_due(period_end, is_workday))
            except CalendarUnknownYear as exc:
                raise _calendar_error("time_limit", exc) from exc
    existing = {m.title: m for m in task.milestones.filter(kind=MilestoneKind.PERIOD)}
    for title, milestone in existing.items():
        if milestone.done_on is None and title not in wanted:
            milestone.delete()
    for title, (planned, due) in wanted.items():
        milestone = existing.get(title)
        if milestone is None:
            save_validated(
                Milestone(task=task, kind=MilestoneKind.PERIOD, title=title, planned_on=planned, due_date=due),
                bump_version=False,
            )
        elif milestone.done_on is None and (milestone.planned_on, milestone.due_date) != (planned, due):
            milestone.planned_on, milestone.due_date = planned, due
            save_validated(milestone)


def _sync_milestones(task: Task, wanted: list[tuple[dt.date, str]]) -> None:
    existing = list(task.milestones.filter(kind=MilestoneKind.MILESTONE))
    keys = {(planned, title) for planned, title in wanted}
    for milestone in existing:
        if milestone.done_on is None and (milestone.planned_on, milestone.title) not in keys:
            milestone.delete()
    have = {(m.planned_on, m.title) for m in existing if m.pk}
    for planned, title in wanted:
        if (planned, title) in have:
            continue
        try:
            due = rules.effective_due(planned, is_workday)
        except CalendarUnknownYear as exc:
            raise _calendar_error("milestones", exc) from exc
        save_validated(
            Milestone(task=task, kind=MilestoneKind.MILESTONE, title=title, planned_on=planned, due_date=due),
            bump_version=False,
        )


def _check_unit(plan: WorkPlan, unit: OrgUnit, field_name: str, *, allow_enterprise: bool = False) -> None:
    if not unit.is_active:
        raise ValidationError({field_name: ValidationError(_("“%(u)s”已停用") % {"u": unit}, code="inactive")})
    if not unit.path.startswith(plan.owner_unit.path):
        raise ValidationError(
            {field_name: ValidationError(_("“%(u)s”不在%(o)s之下") % {"u": unit, "o": plan.owner_unit}, code="outside")}
        )
    if not allow_enterprise and unit.kind not in GOVERNMENT_KINDS:
        raise ValidationError(
            {field_name: ValidationError(_("“%(u)s”不是机关科室、委属单位或街镇") % {"u": unit}, code="not_government")}
        )


def _apply_assignment(task: Task, data: dict, *, allow_enterprise: bool = False) -> Task:
    """Set the assignment from cleaned data (lead_unit, co_units, time_limit, end, cadence,
    milestones, deliverables), keep periods and milestones in step, and save. The caller has
    checked who may do it and locked the row."""
    plan = task.plan
    lead = data.get("lead_unit")
    co_units = list(data.get("co_units") or [])
    if lead is None:
        raise ValidationError({"lead_unit": ValidationError(_("请选择牵头单位"), code="required")})
    _check_unit(plan, lead, "lead_unit", allow_enterprise=allow_enterprise)
    for unit in co_units:
        _check_unit(plan, unit, "co_units", allow_enterprise=True)
    if lead in co_units:
        raise ValidationError({"co_units": ValidationError(_("牵头单位不能同时是配合单位"), code="lead_in_co")})
    end: dt.date = data["end"]
    if end < plan.start_date or end.year > plan.year + 1:
        raise ValidationError(
            {
                "time_limit": ValidationError(
                    _("完成时限（%(d)s）应在计划开始（%(s)s）之后、次年年底之前")
                    % {"d": end.isoformat(), "s": plan.start_date.isoformat()},
                    code="out_of_year",
                )
            }
        )
    try:
        deadline = rules.effective_due(end, is_workday)
    except CalendarUnknownYear as exc:
        raise _calendar_error("time_limit", exc) from exc
    milestones = list(data.get("milestones") or [])
    for planned, title in milestones:
        if planned > end or planned < plan.start_date:
            raise ValidationError(
                {
                    "milestones": ValidationError(
                        _("阶段目标“%(t)s”的时限（%(d)s）应在计划开始之后、完成时限之前")
                        % {"t": title, "d": planned.isoformat()},
                        code="milestone_range",
                    )
                }
            )
    task.lead_unit = lead
    task.time_limit = (data.get("time_limit") or "")[:60]
    task.deadline = deadline
    task.cadence = data.get("cadence") or Cadence.NONE
    task.deliverables = data.get("deliverables") or ""
    if task.pk is None:
        save_validated(task, bump_version=False)
    _sync_periods(task)
    _sync_milestones(task, milestones)
    task.current_due = compute_current_due(task)
    save_validated(task)
    task.co_units.set(co_units)
    refresh_plan_units(plan)
    return task


@service
def task_assign(*, actor, task: Task, data: dict, version: int | None = None) -> Task:
    """Assign a task (责任分工): the plan's manager names its lead unit, co-units, 完成时限 (a date or a
    cadence), milestones and deliverables. Page, API and Excel import all come here."""
    _require_manager(actor, task.plan)
    locked = lock_for_update(task, version)
    if locked.status == TaskStatus.CANCELLED:
        raise DomainError(_("任务已撤销，不能分工"))
    _apply_assignment(locked, data, allow_enterprise=locked.source == TaskSource.SUMMONS)
    if actor is not None:
        ensure_in_scope(actor, locked, "view")
    task.refresh_from_db()
    return locked


def _next_child_code(prefix: str, plan: WorkPlan, parent_field: str, parent) -> tuple[str, int]:
    n = Task.objects.filter(plan=plan, **{parent_field: parent}).count() + 1
    return f"{prefix}{parent.pk}.{n}", n


@service
def decision_add(*, actor, meeting: Meeting, data: dict) -> Task:
    """A meeting's decision becomes a task of the plan, assigned like any other."""
    if actor is not None and not (
        selectors.acts_for(actor, meeting.organiser_unit, ISSUER_ROLES) or selectors.can_manage(actor, meeting.plan)
    ):
        raise PermissionDenied(_("只有召集单位可以登记会议决定事项"))
    code, n = _next_child_code("H", meeting.plan, "meeting", meeting)
    task = Task(plan=meeting.plan, source=TaskSource.MEETING, meeting=meeting, code=code, text=data["text"].strip())
    task.position = 100_000 + meeting.pk * 100 + n
    _apply_assignment(task, data)
    if actor is not None:
        ensure_in_scope(actor, task, "view")
    return task


@service
def commitment_add(*, actor, summons: Summons, data: dict) -> Task:
    """A commitment made at a summons becomes a tracked task (its lead may be the summoned enterprise)."""
    if actor is not None and not selectors.acts_for(actor, summons.organiser_unit, ORGANISER_ROLES):
        raise PermissionDenied(_("只有约谈单位可以登记整改承诺"))
    if summons.status != SummonsStatus.HELD:
        raise DomainError(_("约谈记录后才能登记整改承诺"))
    code, n = _next_child_code("Y", summons.plan, "summons", summons)
    task = Task(plan=summons.plan, source=TaskSource.SUMMONS, summons=summons, code=code, text=data["text"].strip())
    task.position = 200_000 + summons.pk * 100 + n
    _apply_assignment(task, data, allow_enterprise=True)
    return task


# ---------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------
PROGRESS_FIELDS = ("unit", "milestone", "progress_on", "percent", "text")


def _check_report(report: ProgressReport) -> None:
    task = report.task
    errors = {}
    units = [task.lead_unit_id, *task.co_units.values_list("pk", flat=True)]
    if report.unit_id not in units:
        errors["unit"] = ValidationError(_("报告单位须是该任务的牵头单位或配合单位"), code="unit_not_on_task")
    if report.milestone_id:
        if report.unit_id != task.lead_unit_id:
            errors["milestone"] = ValidationError(_("只有牵头单位的报告可以对应节点"), code="milestone_lead_only")
        elif report.milestone.done_on is not None:
            errors["milestone"] = ValidationError(_("该节点已完成"), code="milestone_done")
    if report.progress_on and report.progress_on > _today():
        errors["progress_on"] = ValidationError(_("进展截至日期不能晚于今天"), code="future")
    if report.progress_on and report.progress_on < dt.date(task.plan.year, 1, 1):
        errors["progress_on"] = ValidationError(_("进展截至日期不能早于计划年度"), code="before_year")
    if not (report.text or "").strip():
        errors["text"] = ValidationError(_("请填写进展情况"), code="required")
    if errors:
        raise ValidationError(errors)


@service
def progress_report_create(*, actor, task: Task, data: dict, files=(), submit: bool = True) -> ProgressReport:
    """A unit reports progress on a task, with evidence files; submitted for its head's review (or kept
    as a draft)."""
    if task.status != TaskStatus.ACTIVE:
        raise DomainError(_("任务已完成或已撤销，不能再报告进展"))
    unit = data.get("unit")
    if actor is not None:
        if not can(actor, "report", task):
            raise PermissionDenied(_("您无权报告该任务的进展"))
        if unit is None or not selectors.acts_for(actor, unit, REPORTER_ROLES):
            raise ValidationError({"unit": ValidationError(_("您不能代表该单位报告进展"), code="not_your_unit")})
    report = ProgressReport(task=task, status=ProgressStatus.DRAFT, reported_by=actor if actor else None)
    apply_fields(report, data, PROGRESS_FIELDS)
    _check_report(report)
    save_validated(report, bump_version=False)
    for uploaded in files:
        attachment_add(actor=actor, target=report, uploaded_file=uploaded, description=_("佐证材料"))
    if submit:
        transition(report, "submit", actor=actor)
    return report


@service
def progress_report_update(*, actor, report: ProgressReport, data: dict, version: int | None = None) -> ProgressReport:
    """Edit a draft or a returned report (by its unit)."""
    report = lock_for_update(report, version)
    if report.status not in (ProgressStatus.DRAFT, ProgressStatus.RETURNED):
        raise DomainError(_("只能修改草稿或被退回的报告"))
    if actor is not None and not selectors.acts_for(actor, report.unit, REPORTER_ROLES):
        raise PermissionDenied(_("只有报告单位可以修改该报告"))
    data = {k: v for k, v in data.items() if k != "unit"}
    apply_fields(report, data, PROGRESS_FIELDS)
    _check_report(report)
    save_validated(report)
    return report


def apply_approved_report(report: ProgressReport) -> Task:
    """What an approved report does to its task (called in the approval's transaction): the first
    progress date; for the lead unit, the task's percent and the milestone it names; at 100 % the
    task is completed on the report's date."""
    task = Task.objects.select_for_update().get(pk=report.task_id)
    if task.first_reported_on is None or report.progress_on < task.first_reported_on:
        task.first_reported_on = report.progress_on
    lead = report.unit_id == task.lead_unit_id
    if lead:
        task.percent = report.percent
        if report.milestone_id:
            milestone = Milestone.objects.select_for_update().get(pk=report.milestone_id)
            if milestone.done_on is None:
                milestone.done_on = report.progress_on
                milestone.report = report
                save_validated(milestone)
    task.current_due = compute_current_due(task)
    save_validated(task)
    if lead and report.percent == 100 and task.status == TaskStatus.ACTIVE:
        transition(
            task,
            "complete",
            actor=None,
            reason=_("牵头单位进展报告（%(d)s，100%%）审核通过") % {"d": report.progress_on.isoformat()},
            completed_on=report.progress_on,
        )
    return task


# ---------------------------------------------------------------------------
# Supervision (督办) and summons (约谈)
# ---------------------------------------------------------------------------
def _reply_due(day: dt.date) -> dt.date | None:
    try:
        return add_working_days(day, REPLY_WORKING_DAYS)
    except CalendarUnknownYear:
        return None


def _notice_content(task: Task, due: dt.date | None, days: int, as_of: dt.date, reply_due) -> str:
    text = _("你单位牵头的工作任务（序号%(code)s）“%(text)s”") % {"code": task.code, "text": task.short_text}
    if due:
        text += _("截止日期为%(due)s，截至%(as_of)s已逾期%(days)d个工作日。") % {
            "due": due.isoformat(),
            "as_of": as_of.isoformat(),
            "days": days,
        }
    else:
        text += _("进展滞后。")
    if reply_due:
        text += _("请于%(d)s前办结并书面反馈办理情况。") % {"d": reply_due.isoformat()}
    else:
        text += _("请尽快办结并书面反馈办理情况。")
    return text


def on_escalation_step(task: Task, escalation) -> None:
    """The plan's side of the shared ladder (registered in ``PlansConfig.ready``): a 督办 rung issues a
    supervision notice under the rung's number; a 约谈 rung proposes a summons to the plan's leaders."""
    if escalation.level == EscalationLevel.SUPERVISION:
        reply_due = _reply_due(escalation.as_of)
        save_validated(
            SupervisionNotice(
                number=escalation.notice_number,
                task=task,
                unit=escalation.responsible_unit or task.lead_unit,
                escalation=escalation,
                issued_on=escalation.as_of,
                days_overdue=escalation.days_overdue,
                reply_due=reply_due,
                content=_notice_content(
                    task, escalation.due_date, escalation.days_overdue, escalation.as_of, reply_due
                ),
            ),
            bump_version=False,
        )
    elif escalation.level == EscalationLevel.SUMMONS_PROPOSAL:
        save_validated(
            Summons(
                plan=task.plan,
                task=task,
                escalation=escalation,
                target_unit=escalation.responsible_unit or task.lead_unit,
                organiser_unit=task.plan.owner_unit,
                reason=_("工作任务（序号%(code)s）“%(text)s”截止%(due)s，逾期%(days)d个工作日，已达约谈门槛。")
                % {
                    "code": task.code,
                    "text": task.short_text,
                    "due": escalation.due_date.isoformat(),
                    "days": escalation.days_overdue,
                },
            ),
            bump_version=False,
        )


@service
def supervision_notice_issue(*, actor, task: Task, content: str = "") -> SupervisionNotice:
    """A leader supervises a task directly (人工督办), with the next number of the same 督办 sequence."""
    if actor is not None and not can(actor, "supervise", task):
        raise PermissionDenied(_("只有委领导可以发出督办通知"))
    if task.status != TaskStatus.ACTIVE or task.lead_unit_id is None:
        raise DomainError(_("只能督办进行中且已明确牵头单位的任务"))
    today = _today()
    due = task.current_due
    days = 0
    if due and due < today:
        try:
            from anjian.common.calendar import working_days_overdue

            days = working_days_overdue(due, today)
        except CalendarUnknownYear:
            days = 0
    reply_due = _reply_due(today)
    issued = numbering.allocate_number(numbering.SUPERVISION, year=today.year)
    notice = SupervisionNotice(
        number=issued.number,
        task=task,
        unit=task.lead_unit,
        issued_on=today,
        days_overdue=days,
        reply_due=reply_due,
        content=(content or "").strip() or _notice_content(task, due, days, today, reply_due),
    )
    save_validated(notice, bump_version=False)
    numbering.link_number(issued, notice)
    return notice


MEETING_FIELDS = ("plan", "kind", "title", "held_on", "location", "host", "attendees", "organiser_unit", "minutes")


@service
def meeting_save(*, actor, data: dict, meeting: Meeting | None = None, version: int | None = None) -> Meeting:
    units = data.pop("units", None)
    if meeting is None:
        meeting = Meeting()
    else:
        meeting = lock_for_update(meeting, version)
        if actor is not None and not selectors.acts_for(actor, meeting.organiser_unit, ISSUER_ROLES):
            raise PermissionDenied(_("只有召集单位可以修改会议记录"))
    apply_fields(meeting, data, MEETING_FIELDS)
    if actor is not None and not selectors.acts_for(actor, meeting.organiser_unit, ISSUER_ROLES):
        raise ValidationError({"organiser_unit": ValidationError(_("您不能以该单位的名义召集会议"))})
    save_validated(meeting, bump_version=meeting.pk is not None)
    if units is not None:
        meeting.units.set(units)
    if actor is not None:
        ensure_in_scope(actor, meeting, "view")
    return meeting


SUMMONS_FIELDS = ("plan", "task", "target_unit", "target_person", "organiser_unit", "interviewers", "reason")


@service
def summons_create(*, actor, data: dict) -> Summons:
    """A leader proposes a summons (拟约谈); it is recorded when held (transition ``hold``)."""
    summons = Summons(status=SummonsStatus.PROPOSED)
    apply_fields(summons, data, SUMMONS_FIELDS)
    if actor is not None and not selectors.acts_for(actor, summons.organiser_unit, ORGANISER_ROLES):
        raise ValidationError({"organiser_unit": ValidationError(_("您不能以该单位的名义约谈"))})
    if summons.task_id and summons.task.plan_id != summons.plan_id:
        raise ValidationError({"task": ValidationError(_("所涉任务不属于该工作要点"))})
    save_validated(summons, bump_version=False)
    if actor is not None:
        ensure_in_scope(actor, summons, "view")
    return summons


# ---------------------------------------------------------------------------
# Responsibility letters
# ---------------------------------------------------------------------------
def letter_content(plan: WorkPlan, signee: OrgUnit, issuer: OrgUnit) -> dict:
    """The tasks a letter binds the signee to, frozen when it is issued: those it leads, those it
    co-leads, and — for a sub-unit or an enterprise with none of its own — the issuer's tasks it
    helps to carry out."""

    def rows(qs, role):
        return [
            {
                "code": t.code,
                "text": t.text,
                "time_limit": rules.format_time_limit(t.deadline, t.cadence, t.time_limit),
                "deadline": t.deadline.isoformat() if t.deadline else "",
                "role": role,
            }
            for t in qs.order_by("position")
        ]

    live = plan.tasks.exclude(status=TaskStatus.CANCELLED)
    lead = rows(live.filter(lead_unit=signee), "lead")
    co = rows(live.filter(co_units=signee), "co")
    inherited = []
    if not lead and not co and issuer != plan.owner_unit:
        inherited = rows(live.filter(lead_unit=issuer), "inherited")
    return {
        "kind": "enterprise" if signee.kind in (OrgUnitKind.ENTERPRISE, OrgUnitKind.AGENCY) else "government",
        "lead": lead,
        "co": co,
        "inherited": inherited,
    }


@service
def letter_issue(
    *,
    actor,
    plan: WorkPlan,
    signee_unit: OrgUnit,
    parent: ResponsibilityLetter | None = None,
    issued_on: dt.date | None = None,
) -> ResponsibilityLetter:
    """Issue a responsibility letter: the committee to a unit (level 1, by the plan's manager), or the
    signee of a letter on to one of its sub-units or a supervised enterprise (the next level).
    ``issued_on`` records a letter issued on paper earlier (default today)."""
    issued_on = issued_on or _today()
    if issued_on > _today() or issued_on.year < plan.year:
        raise ValidationError({"issued_on": ValidationError(_("发出日期应在计划年度内且不晚于今天"))})
    if parent is None:
        issuer, level = plan.owner_unit, 1
        _require_manager(actor, plan)
    else:
        if parent.plan_id != plan.pk or parent.status == LetterStatus.REVOKED:
            raise ValidationError({"parent": ValidationError(_("上级责任书无效（已作废或不属于该工作要点）"))})
        issuer, level = parent.signee_unit, parent.level + 1
        if actor is not None and not selectors.acts_for(actor, issuer, ISSUER_ROLES):
            raise PermissionDenied(_("只有“%(u)s”可以向下级签发责任书") % {"u": issuer})
        below = signee_unit.path.startswith(issuer.path) and signee_unit.pk != issuer.pk
        supervised = signee_unit.kind in (OrgUnitKind.ENTERPRISE, OrgUnitKind.AGENCY) and signee_unit.path.startswith(
            plan.owner_unit.path
        )
        if not (below or supervised):
            raise ValidationError(
                {"signee_unit": ValidationError(_("乙方须是“%(u)s”的下级单位或监管的企业") % {"u": issuer})}
            )
    if not signee_unit.is_active or signee_unit.pk == issuer.pk:
        raise ValidationError({"signee_unit": ValidationError(_("请选择另一个有效的单位作为乙方"))})
    existing = (
        ResponsibilityLetter.objects.filter(plan=plan, issuer_unit=issuer, signee_unit=signee_unit)
        .exclude(status=LetterStatus.REVOKED)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {"signee_unit": ValidationError(_("已向该单位发出责任书（%(n)s）") % {"n": existing.number})}
        )
    issued = numbering.allocate_number(LETTER_KIND, year=plan.year)
    letter = ResponsibilityLetter(
        plan=plan,
        number=issued.number,
        level=level,
        parent=parent,
        issuer_unit=issuer,
        signee_unit=signee_unit,
        title=_("%(y)s年度安全生产和消防工作目标责任书") % {"y": plan.year},
        content=letter_content(plan, signee_unit, issuer),
        issued_on=issued_on,
    )
    save_validated(letter, bump_version=False)
    numbering.link_number(issued, letter)
    return letter


def level_one_units(plan: WorkPlan):
    """The units expected to sign with the committee: every unit leading or co-leading a live task."""
    live = plan.tasks.exclude(status=TaskStatus.CANCELLED)
    ids = set(live.exclude(lead_unit__isnull=True).values_list("lead_unit", flat=True))
    ids |= set(Task.co_units.through.objects.filter(task__in=live).values_list("orgunit_id", flat=True))
    return OrgUnit.objects.filter(pk__in=ids, kind__in=GOVERNMENT_KINDS).exclude(pk=plan.owner_unit_id).order_by("path")


@service
def letters_issue_level_one(*, actor, plan: WorkPlan, issued_on: dt.date | None = None) -> list[ResponsibilityLetter]:
    """Issue the committee's letter to every unit with tasks that has none yet (repeatable)."""
    _require_manager(actor, plan)
    have = set(
        ResponsibilityLetter.objects.filter(plan=plan, level=1)
        .exclude(status=LetterStatus.REVOKED)
        .values_list("signee_unit", flat=True)
    )
    return [
        letter_issue(actor=actor, plan=plan, signee_unit=unit, issued_on=issued_on)
        for unit in level_one_units(plan)
        if unit.pk not in have
    ]


# ---------------------------------------------------------------------------
# Bulletins
# ---------------------------------------------------------------------------
def bulletin_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def bulletin_figures(plan: WorkPlan, user, year: int, month: int) -> dict:
    """The live figures of a month's bulletin, as of the month's end (or today while it runs)."""
    from anjian.common.bulletins import bulletin_sections
    from anjian.plans.models import Meeting as MeetingModel

    start, end = bulletin_period(year, month)
    as_of = min(end, _today())
    qs, day = selectors.tasks_for(user, plans=[plan], as_of=as_of)
    totals = selectors.status_counts(qs)
    escalations = selectors.task_escalations(user, plan).filter(skipped=False, as_of__range=(start, end))
    by_level = dict.fromkeys(EscalationLevel.values, 0)
    for level in escalations.values_list("level", flat=True):
        by_level[level] += 1
    notices = list(
        SupervisionNotice.objects.restrict(user, "view")
        .filter(task__plan=plan, issued_on__range=(start, end))
        .select_related("unit", "task")
        .order_by("issued_on", "id")
        .values_list("number", "unit__name", "task__code")
    )
    summonses = list(
        Summons.objects.restrict(user, "view")
        .filter(plan=plan, status=SummonsStatus.HELD, held_on__range=(start, end))
        .order_by("held_on")
        .values_list("target_unit__name", "held_on", "reason")
    )
    meetings = list(
        MeetingModel.objects.restrict(user, "view")
        .filter(plan=plan, held_on__range=(start, end))
        .order_by("held_on")
        .values_list("kind", "title", "held_on")
    )
    sections = []
    for section in bulletin_sections(start, end):
        sections.append(
            {
                "title": section.title,
                "paragraphs": list(section.paragraphs),
                "table_headers": list(section.table_headers),
                "table_rows": [[str(c) for c in row] for row in section.table_rows],
            }
        )
    return {
        "period": [start.isoformat(), end.isoformat()],
        "as_of": as_of.isoformat(),
        "calendar_warning": day.warning,
        "totals": totals,
        "units": selectors.completion_by_unit(qs),
        "overdue": selectors.overdue_tasks(qs, as_of),
        "escalations": by_level,
        "notices": [{"number": n, "unit": u, "code": c} for n, u, c in notices],
        "summonses": [{"unit": u, "held_on": h.isoformat(), "reason": r} for u, h, r in summonses],
        "meetings": [{"kind": k, "title": t, "held_on": h.isoformat()} for k, t, h in meetings],
        "sections": sections,
    }


@service
def bulletin_prepare(*, actor, plan: WorkPlan, year: int, month: int) -> Bulletin:
    """Draft (or refresh the draft of) a month's bulletin from the live figures."""
    _require_manager(actor, plan)
    start, _end = bulletin_period(year, month)
    today = _today()
    if start > today:
        raise ValidationError({"month": ValidationError(_("不能为尚未开始的月份生成通报"))})
    if year not in (plan.year, plan.year + 1):
        raise ValidationError({"year": ValidationError(_("通报月份应在计划年度内"))})
    bulletin = Bulletin.objects.filter(plan=plan, year=year, month=month).first()
    if bulletin is not None and bulletin.status == BulletinStatus.PUBLISHED:
        raise DomainError(
            _("%(y)s年%(m)s月通报已印发（%(n)s），不能重新生成") % {"y": year, "m": month, "n": bulletin.number}
        )
    figures = bulletin_figures(plan, actor, year, month)
    bulletin = Bulletin(plan=plan, year=year, month=month) if bulletin is None else lock_for_update(bulletin, None)
    bulletin.figures = figures
    bulletin.as_of = dt.date.fromisoformat(figures["as_of"])
    save_validated(bulletin, bump_version=bulletin.pk is not None)
    return bulletin


def publish_bulletin(bulletin: Bulletin, actor) -> None:
    """The publish hook: refresh the figures once more, number it, and print the audit chain head."""
    figures = bulletin_figures(bulletin.plan, actor, bulletin.year, bulletin.month)
    bulletin.figures = figures
    bulletin.as_of = dt.date.fromisoformat(figures["as_of"])
    bulletin.number = numbering.allocate_number(BULLETIN_KIND, year=bulletin.year, target=bulletin).number
    bulletin.published_on = _today()
    seq, digest = audit.head()
    bulletin.audit_anchor = f"{seq}:{digest}"


# ---------------------------------------------------------------------------
# Assessment
# ---------------------------------------------------------------------------
def scheme_for(plan: WorkPlan) -> AssessmentScheme:
    """The plan's scheme; created with the default points on first use (as the system)."""
    scheme = AssessmentScheme.objects.filter(plan=plan).first()
    if scheme is None:
        with transaction.atomic():
            scheme = AssessmentScheme(plan=plan, name=_("%(y)s年度安全生产和消防工作考核方案") % {"y": plan.year})
            save_validated(scheme, bump_version=False)
    return scheme


SCHEME_FIELDS = (
    "name",
    "completion_points",
    "timeliness_points",
    "reminder_deduction",
    "supervision_deduction",
    "summons_proposal_deduction",
    "summons_deduction",
    "deduction_cap",
    "note",
)


@service
def assessment_scheme_save(*, actor, scheme: AssessmentScheme, data: dict, version: int | None = None):
    _require_manager(actor, scheme.plan)
    scheme = lock_for_update(scheme, version)
    apply_fields(scheme, data, SCHEME_FIELDS)
    save_validated(scheme)
    return scheme


@service
def assessment_finalise(*, actor, plan: WorkPlan) -> list:
    """File the year's scores and ranks (replacing an earlier filing), with the scheme they used."""
    from anjian.plans.models import Assessment

    _require_manager(actor, plan)
    scheme = scheme_for(plan)
    as_of = selectors.assessment_as_of(plan)
    rows = selectors.assessment_rows(actor, plan, scheme.as_dict(), as_of)
    for old in Assessment.objects.filter(plan=plan):
        old.delete()
    out = []
    for row in rows:
        breakdown = {k: v for k, v in row.items() if k not in ("unit_id", "unit", "path", "rank")}
        assessment = Assessment(
            plan=plan,
            unit_id=row["unit_id"],
            as_of=as_of,
            score=row["score"],
            rank=row["rank"],
            breakdown=breakdown,
            scheme=scheme.as_dict(),
        )
        save_validated(assessment, bump_version=False)
        out.append(assessment)
    return out
