"""The work plan itself: a notice read (.docx or text), parsed and built into sections, items and
tasks, idempotently on re-import; the plan's own settings."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from anjian.common.services import apply_fields, lock_for_update, save_validated, service
from anjian.common.text import join_clauses
from anjian.orgs.models import OrgUnit
from anjian.plans import selectors
from anjian.plans.choices import TaskSource
from anjian.plans.models import PlanItem, PlanSection, Task, WorkPlan
from anjian.plans.parser import ParsedPlan, docx_to_text, parse
from anjian.plans.permissions import MANAGER_ROLES
from anjian.plans.services.shared import require_manager
from anjian.plans.services.tasks import refresh_plan_units


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


def _keep_in_step(obj, make, fields: dict, counts: dict, what: str):
    """A section or item of the notice: created as ``make(**fields)``, or brought up to ``fields``
    (saved only when something changed); ``counts`` learns which."""
    if obj is None:
        obj = make(**fields)
        save_validated(obj, bump_version=False)
        counts[f"{what}_created"] += 1
    elif _set_if_changed(obj, fields):
        save_validated(obj)
        counts[f"{what}_updated"] += 1
    else:
        counts[f"{what}_unchanged"] += 1
    return obj


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
        require_manager(actor, plan)
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
        fields = {"label": parsed_section.label, "title": parsed_section.title[:200], "intro": parsed_section.intro}
        section = _keep_in_step(
            sections.get(parsed_section.number),
            partial(PlanSection, plan=plan, number=parsed_section.number),
            fields,
            counts,
            "sections",
        )
        for parsed_item in parsed_section.items:
            wanted_items.add(parsed_item.number)
            fields = {
                "section": section,
                "label": parsed_item.label,
                "title": parsed_item.title[:200],
                "text": parsed_item.text,
            }
            item = _keep_in_step(
                items.get(parsed_item.number),
                partial(PlanItem, plan=plan, number=parsed_item.number),
                fields,
                counts,
                "items",
            )
            items[item.number] = item
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


PLAN_FIELDS = ("title", "at_risk_days")


@service
def plan_update(*, actor, plan: WorkPlan, data: dict, version: int | None = None) -> WorkPlan:
    require_manager(actor, plan)
    plan = lock_for_update(plan, version)
    apply_fields(plan, data, PLAN_FIELDS)
    save_validated(plan)
    return plan
