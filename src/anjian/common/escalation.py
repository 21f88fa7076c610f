"""The escalation ladder for anything with a deadline (ARCHITECTURE §5).

An app registers each model that has a deadline, once, in its ``AppConfig.ready()``::

    register_escalation(
        Hazard,
        due_field="deadline",
        open_q=Q(status__in=[HazardStatus.ASSIGNED, HazardStatus.RECTIFYING]),
        policy_key="hazard",
        responsible_unit=lambda h: h.responsible_unit,
        recipients=lambda h, level: ...,        # optional; default: escalation_recipients(unit, level)
        label=lambda h: f"隐患 {h.number}",      # optional; default str(obj)
        on_step=lambda h, escalation: ...,      # optional; runs in the step's transaction
    )

Every day ``escalate_overdue(today)`` (the huey job ``daily_escalate_overdue`` at 07:00
Asia/Shanghai, or ``anjian escalate [--date] [--dry-run]``) walks each registered model with one
query for its open records past due, counts the working days overdue with the holiday calendar
(``common.calendar.working_days_overdue``) and compares them with the model's
``EscalationPolicy`` — data the system admin edits, e.g. 1 → 提醒, 5 → 督办, 10 → 约谈.

Each rung reached is an ``Escalation`` row, created at most once per record, deadline and level
(the database enforces it, so re-runs and concurrent runs are harmless; a deadline extended by
the app starts a fresh ladder for the new date). A 督办 step takes the next number of the
built-in ``supervision`` numbering kind (金建督〔2026〕N号). Each issued step is an audit event on
the record itself (so it shows in the record's history) besides the audited ``Escalation`` row,
notifies the recipients, and calls the app's ``on_step``. All of one record's steps commit
together; a failure on one record is reported and does not stop the others.

A late first run (the job was down, or the record was entered already overdue) may find several
rungs reached at once. Only the highest is issued; the lower ones are recorded as ``skipped``
(no number, no message) so the ladder reads complete without sending three notices in one
morning for one lateness.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import audit, numbering
from anjian.common.calendar import CalendarUnknownYear, working_days_overdue
from anjian.common.models import AuditAction, Escalation, EscalationLevel, EscalationPolicy, NotificationLevel
from anjian.common.notifications import notify
from anjian.common.scope import may, provider
from anjian.common.services import apply_fields, lock_for_update, save_validated, service

log = logging.getLogger("anjian.escalation")

DEFAULT_POLICY_KEY = "default"
# Thresholds of a policy created on first use (the system admin then edits them).
DEFAULT_THRESHOLDS = {"reminder_days": 1, "supervision_days": 5, "summons_days": 10}
SYSTEM_ACTOR_NAME = "系统（逾期升级）"

NOTIFY_LEVEL = {
    EscalationLevel.REMINDER: NotificationLevel.WARNING,
    EscalationLevel.SUPERVISION: NotificationLevel.DANGER,
    EscalationLevel.SUMMONS_PROPOSAL: NotificationLevel.DANGER,
}


# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EscalationRegistration:
    model: type[models.Model]
    due_field: str
    open_q: Q
    policy_key: str
    responsible_unit: Callable[[models.Model], object]
    recipients: Callable[[models.Model, str], Iterable] | None
    label: Callable[[models.Model], str]
    url: Callable[[models.Model], str] | None
    on_step: Callable[[models.Model, Escalation], None] | None
    select_related: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


_REGISTRY: dict[str, EscalationRegistration] = {}


def register_escalation(
    model: type[models.Model],
    *,
    due_field: str,
    responsible_unit: Callable[[models.Model], object],
    open_q: Q | None = None,
    policy_key: str = DEFAULT_POLICY_KEY,
    recipients: Callable[[models.Model, str], Iterable] | None = None,
    label: Callable[[models.Model], str] | None = None,
    url: Callable[[models.Model], str] | None = None,
    on_step: Callable[[models.Model, Escalation], None] | None = None,
    select_related: Iterable[str] = (),
) -> EscalationRegistration:
    """Put ``model`` on the ladder. Call once per model from the app's ``AppConfig.ready()``.

    ``due_field``: a DateField (or DateTimeField, read in Asia/Shanghai) holding the deadline;
    ``open_q``: which records still count (e.g. not closed); ``policy_key``: the
    ``EscalationPolicy`` to apply (created with the default thresholds on first use);
    ``responsible_unit(obj)``: the OrgUnit answerable for it (scopes the escalation rows);
    ``recipients(obj, level)``: whom to notify (default ``escalation_recipients``);
    ``label(obj)``: how messages name it; ``url(obj)``: the page to open (default
    ``get_absolute_url``); ``on_step(obj, escalation)``: app side effect of an issued step, in
    its transaction; ``select_related``: relations the callables read, fetched in the one query.
    """
    try:
        due = model._meta.get_field(due_field)
    except Exception as exc:
        raise ImproperlyConfigured(f"{model._meta.label} has no field {due_field!r} to escalate on") from exc
    if not isinstance(due, models.DateField):  # DateTimeField is a DateField subclass
        raise ImproperlyConfigured(f"{model._meta.label}.{due_field} must be a DateField or DateTimeField")
    registration = EscalationRegistration(
        model=model,
        due_field=due_field,
        open_q=open_q if open_q is not None else Q(),
        policy_key=policy_key,
        responsible_unit=responsible_unit,
        recipients=recipients,
        label=label or str,
        url=url,
        on_step=on_step,
        select_related=tuple(select_related),
    )
    _REGISTRY[registration.key] = registration
    return registration


def unregister_escalation(model) -> None:
    _REGISTRY.pop(model._meta.label_lower, None)


def registrations() -> list[EscalationRegistration]:
    return sorted(_REGISTRY.values(), key=lambda r: r.key)


# ---------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------
def policy_for(key: str, *, create: bool = True) -> EscalationPolicy:
    """The policy ``key``; a missing one is created with ``DEFAULT_THRESHOLDS`` (audited, as the system)."""
    policy = EscalationPolicy.objects.filter(key=key).first()
    if policy is not None:
        return policy
    policy = EscalationPolicy(key=key, name=_("逾期升级规则（%(k)s）") % {"k": key}, **DEFAULT_THRESHOLDS)
    if not create:
        return policy
    policy.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError:  # a concurrent run created it first
        return EscalationPolicy.objects.get(key=key)
    return policy


POLICY_FIELDS = ("key", "name", "description", "is_active", "reminder_days", "supervision_days", "summons_days")


@service
def escalation_policy_save(
    *, actor, data: dict, policy: EscalationPolicy | None = None, version: int | None = None
) -> EscalationPolicy:
    """Create or edit a policy (system admin). The key is fixed once created: code refers to it."""
    if actor is not None and not may(actor, EscalationPolicy, "change"):
        raise PermissionDenied(_("只有系统管理员可以修改逾期升级规则"))
    if policy is None:
        policy = EscalationPolicy()
    else:
        policy = lock_for_update(policy, version)
        if "key" in data and data["key"] != policy.key:
            raise ValidationError(
                {"key": ValidationError(_("标识创建后不能修改（程序按标识引用该规则）"), code="key_fixed")}
            )
    apply_fields(policy, data, POLICY_FIELDS)
    save_validated(policy)
    return policy


# ---------------------------------------------------------------------------
# Who hears of it
# ---------------------------------------------------------------------------
def escalation_recipients(unit, level: str) -> list:
    """The default recipients of a rung for the responsible ``unit``.

    提醒: the people of the unit (its heads and staff, or an enterprise's / agency's users);
    督办: those and the unit's heads (found upward when the unit has none);
    约谈: those and the leaders whose grant covers the unit.
    """
    if unit is None:
        return []
    people = provider()
    recipients = list(people.unit_people(unit))
    if level in (EscalationLevel.SUPERVISION, EscalationLevel.SUMMONS_PROPOSAL):
        recipients += list(people.unit_heads(unit))
    if level == EscalationLevel.SUMMONS_PROPOSAL:
        recipients += list(people.leaders_over(unit))
    return recipients


# ---------------------------------------------------------------------------
# The ladder
# ---------------------------------------------------------------------------
def plan_steps(steps: list[tuple[int, str]], days_overdue: int, done: set[str]) -> list[tuple[str, bool]]:
    """Pure: the rungs to create now as (level, skipped), lowest first.

    ``steps``: the policy's (days, level) lowest first; ``done``: levels already created for this
    record and deadline. The highest rung reached is issued when new; any other new rung
    reached is recorded as skipped.
    """
    reached = [level for days, level in steps if days_overdue >= days]
    if not reached:
        return []
    highest = reached[-1]
    return [(level, level != highest) for level in reached if level not in done]


@dataclass
class EscalationStep:
    """One rung created (or, in a dry run, that would be)."""

    model: str
    object_id: str
    object_repr: str
    level: str
    skipped: bool
    due_date: dt.date
    days_overdue: int
    notice_number: str = ""
    recipients: int = 0
    escalation_id: int | None = None

    @property
    def level_label(self) -> str:
        return str(EscalationLevel(self.level).label)


@dataclass
class EscalationRun:
    as_of: dt.date
    dry_run: bool
    checked: dict[str, int] = field(default_factory=dict)
    steps: list[EscalationStep] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def issued(self) -> list[EscalationStep]:
        return [s for s in self.steps if not s.skipped]

    def summary(self) -> str:
        skipped = len(self.steps) - len(self.issued)
        text = _("%(d)s：检查 %(n)d 件逾期事项，新升级 %(i)d 级") % {
            "d": self.as_of.isoformat(),
            "n": sum(self.checked.values()),
            "i": len(self.issued),
        }
        if skipped:
            text += _("，越级记录 %(s)d 级") % {"s": skipped}
        if self.errors:
            text += _("，%(e)d 件出错") % {"e": len(self.errors)}
        return text


def _due_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _due_filter(reg: EscalationRegistration, today: dt.date) -> Q:
    if isinstance(reg.model._meta.get_field(reg.due_field), models.DateTimeField):
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        return Q(**{f"{reg.due_field}__lt": start})
    return Q(**{f"{reg.due_field}__lt": today})


def _existing_levels(model, object_ids: list[str]) -> dict[tuple[str, dt.date], set[str]]:
    ct = ContentType.objects.get_for_model(model)
    done: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for start in range(0, len(object_ids), 900):  # under SQLite's parameter limit
        rows = Escalation.objects.filter(content_type=ct, object_id__in=object_ids[start : start + 900]).values_list(
            "object_id", "due_date", "level"
        )
        for object_id, due, level in rows:
            done[(object_id, due)].add(level)
    return done


def _message(level: str, label: str, days: int, due: dt.date, today: dt.date, number: str) -> tuple[str, str]:
    level_label = EscalationLevel(level).label
    title = _("【%(level)s】%(label)s已逾期 %(days)d 个工作日") % {"level": level_label, "label": label, "days": days}
    body = _("截止日期 %(due)s，截至 %(today)s 已逾期 %(days)d 个工作日。") % {
        "due": due.isoformat(),
        "today": today.isoformat(),
        "days": days,
    }
    if level == EscalationLevel.SUPERVISION:
        body += _("督办编号：%(n)s。请责任单位立即办理并反馈。") % {"n": number}
    elif level == EscalationLevel.SUMMONS_PROPOSAL:
        body += _("已达约谈门槛，建议约谈责任单位负责人。")
    else:
        body += _("请尽快办理。")
    return title[:200], body


def _object_url(reg: EscalationRegistration, obj) -> str:
    if reg.url is not None:
        return reg.url(obj) or ""
    getter = getattr(obj, "get_absolute_url", None)
    return getter() if callable(getter) else ""


def _escalate_one(reg, policy, obj, *, today, due, days, plan, dry_run: bool) -> list[EscalationStep]:
    unit = reg.responsible_unit(obj)
    label = str(reg.label(obj))[:200]
    url = _object_url(reg, obj)
    steps = []
    with transaction.atomic():
        for level, skipped in plan:
            step = EscalationStep(
                model=reg.key,
                object_id=str(obj.pk),
                object_repr=label,
                level=level,
                skipped=skipped,
                due_date=due,
                days_overdue=days,
            )
            steps.append(step)
            if dry_run:
                continue
            escalation = Escalation(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=label,
                url=url,
                level=level,
                policy=policy,
                due_date=due,
                days_overdue=days,
                as_of=today,
                responsible_unit=unit,
                skipped=skipped,
                note=_("首次发现时已逾期 %(d)d 个工作日，越过本级") % {"d": days} if skipped else "",
            )
            if level == EscalationLevel.SUPERVISION and not skipped:
                escalation.notice_number = numbering.allocate_number(
                    numbering.SUPERVISION, year=today.year, target=obj
                ).number
            escalation.save()
            step.escalation_id = escalation.pk
            step.notice_number = escalation.notice_number
            if skipped:
                continue
            audit.record(
                AuditAction.ESCALATE,
                obj,
                changes={
                    "level": level,
                    "days_overdue": days,
                    "due_date": due,
                    "as_of": today,
                    "notice_number": escalation.notice_number,
                    "escalation_id": escalation.pk,
                    "skipped": [s.level for s in steps if s.skipped],
                },
            )
            people = reg.recipients(obj, level) if reg.recipients is not None else escalation_recipients(unit, level)
            title, body = _message(level, label, days, due, today, escalation.notice_number)
            step.recipients = len(notify(people, title=title, body=body, url=url, level=NOTIFY_LEVEL[level], obj=obj))
            if reg.on_step is not None:
                reg.on_step(obj, escalation)
    return steps


def escalate_overdue(today: dt.date | None = None, *, dry_run: bool = False) -> EscalationRun:
    """Run the ladder for every registered model as of ``today`` (default: today in Asia/Shanghai).

    One query per model finds its open records due before ``today``; one more reads the rungs
    they already have. ``dry_run`` computes the same steps and writes nothing (no numbers are
    taken). Returns what was done, with per-record errors collected rather than raised.
    """
    today = today or timezone.localdate()
    run = EscalationRun(as_of=today, dry_run=dry_run)
    policies: dict[str, EscalationPolicy] = {}
    for reg in registrations():
        if reg.policy_key not in policies:
            policies[reg.policy_key] = policy_for(reg.policy_key, create=not dry_run)
        policy = policies[reg.policy_key]
        if not policy.is_active or not policy.steps():
            run.checked[reg.key] = 0
            continue
        steps = policy.steps()
        candidates = list(
            reg.model._default_manager.filter(reg.open_q)
            .filter(_due_filter(reg, today))
            .select_related(*reg.select_related)
            .order_by("pk")
        )
        run.checked[reg.key] = len(candidates)
        done = _existing_levels(reg.model, [str(obj.pk) for obj in candidates])
        calendar_errors: set[int] = set()
        for obj in candidates:
            due = _due_date(getattr(obj, reg.due_field))
            try:
                days = working_days_overdue(due, today)
            except CalendarUnknownYear as exc:
                if exc.year not in calendar_errors:
                    calendar_errors.add(exc.year)
                    run.errors.append(str(exc))
                continue
            plan = plan_steps(steps, days, done.get((str(obj.pk), due), set()))
            if not plan:
                continue
            try:
                run.steps.extend(
                    _escalate_one(reg, policy, obj, today=today, due=due, days=days, plan=plan, dry_run=dry_run)
                )
            except IntegrityError:
                # A concurrent run created these rungs first; its transaction has them.
                log.info("escalation of %s #%s already made by a concurrent run", reg.key, obj.pk)
            except Exception as exc:  # noqa: BLE001 - one bad record must not stop the district's ladder
                log.exception("escalation of %s #%s failed", reg.key, obj.pk)
                run.errors.append(f"{reg.verbose_name} #{obj.pk}：{exc}")
    return run


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def escalations_of(obj: models.Model):
    """The rungs ``obj`` has reached, newest first (the caller has checked ``obj`` is visible)."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        Escalation.objects.filter(content_type=ct, object_id=str(obj.pk))
        .select_related("responsible_unit")
        .order_by("-due_date", "-as_of", "-id")
    )
