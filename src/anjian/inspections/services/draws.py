"""The double-random draw's life cycle (RULES.md §8; ``inspections.draw`` is the pure algorithm).

``draw_prepare`` freezes the pool (the subjects the saved filter selects now, with their risk
grades), the officers (certified or not, with their avoidance relations) and the configuration, and
makes a fresh seed: the commitment SHA-256(seed) and the three canonical digests are fixed and shown
before anything is drawn. ``draw_execute`` reveals the seed and computes the result from the
snapshots (or records the failure and its reason); ``draw_publish`` makes it public.
``draw_redraw`` makes a NEW prepared draw naming the old one and the reason (audited); nothing is
ever redrawn in place. ``draw_verify`` recomputes a stored draw (``anjian verify_draw``).
"""

from __future__ import annotations

import contextvars
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.common import numbering
from anjian.common.exceptions import DomainError, TransitionNotAllowed
from anjian.common.scope import allowed_roles, can, has_role
from anjian.common.services import ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.workflow import transition
from anjian.inspections import draw as algorithm
from anjian.inspections import pools
from anjian.inspections.models import (
    DrawAssignment,
    DrawStatus,
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    RandomDraw,
    SubjectGrade,
    SubjectPool,
)
from anjian.inspections.services.grading import active_scheme, grade_subjects
from anjian.orgs.choices import Role
from anjian.orgs.models import RoleAssignment, User

NUMBERING_KIND = "inspections.draw"
numbering.register_numbering(NUMBERING_KIND, "SJ-{year}-{seq:04d}", label="双随机抽取编号")

DEFAULT_RATIOS = {"A": "1/20", "B": "1/10", "C": "3/10", "D": "1"}

# The outcome the service computed, handed to the hook of the transition it runs (no second draw).
_OUTCOME: contextvars.ContextVar = contextvars.ContextVar("draw_outcome", default=None)


# ---------------------------------------------------------------------------
# Snapshots
# ---------------------------------------------------------------------------
def officer_snapshot(officers, on) -> tuple[list[dict], dict[str, str]]:
    """The officers as ``draw`` takes them, and their names. Certified = holds the officer role, a
    执法证号 and a certificate valid on ``on``, and takes part in draws (``in_pool``)."""
    officers = list(officers)
    with_role = set(
        RoleAssignment.objects.filter(user_id__in=[o.user_id for o in officers], role=Role.OFFICER).values_list(
            "user_id", flat=True
        )
    )
    rows, labels = [], {}
    for officer in officers:
        key = f"user:{officer.user_id}"
        rows.append(
            {
                "id": key,
                "certified": officer.user_id in with_role and officer.certified_on(on),
                "unit": f"unit:{officer.user.unit_id}" if officer.user.unit_id else None,
                "relations": [{"kind": r.kind, "to": f"unit:{r.enterprise_id}"} for r in officer.relations.all()],
            }
        )
        labels[key] = officer.user.real_name or officer.user.username
    return rows, labels


def officer_pool(unit):
    """The officer pool a unit draws from: every officer profile under the same committee (the
    district's 执法检查人员名录库 is one register; an organising 科室 does not see the 监督站's
    people through its own scope, yet draws from them). Another district's officers never."""
    root = "/".join(unit.path.split("/")[:2]) + "/"
    return (
        OfficerProfile.objects.filter(user__unit__path__startswith=root)
        .select_related("user")
        .prefetch_related("relations")
    )


def pool_snapshot(pool: SubjectPool, actor, scheme) -> tuple[list[list], dict[str, str]]:
    """The subjects the pool selects now (within the actor's scope), each ``[key, grade, links]``;
    subjects not yet graded are graded now under the scheme in force."""
    subjects = list(pools.subjects(pool, actor))
    keys = [pools.subject_key(s) for s in subjects]
    grades = dict(SubjectGrade.objects.filter(subject_key__in=keys).values_list("subject_key", "grade"))
    missing = [s for s, k in zip(subjects, keys, strict=True) if k not in grades]
    if missing:
        if scheme is None:
            raise DomainError(_("有 %(n)s 个检查对象尚未评定风险等级，且没有现行的分级方案") % {"n": len(missing)})
        for record in grade_subjects(missing, scheme=scheme):
            grades[record.subject_key] = record.grade
    rows = [[k, grades[k], pools.subject_links(s)] for s, k in zip(subjects, keys, strict=True)]
    labels = {k: pools.subject_name(s) for s, k in zip(subjects, keys, strict=True)}
    return rows, labels


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="invalid")})


def draw_config(*, ratios: dict, multiplier, team_size: int, avoid: list[str]) -> dict:
    """The configuration as ``draw`` takes it, checked (a bad value → a field error)."""
    config = {
        "ratios": {g: str(v) for g, v in ratios.items()},
        "team_size": team_size,
        "multiplier": str(multiplier),
        "avoid": list(avoid),
    }
    try:
        algorithm.canonical_config(config)
    except algorithm.DrawInputError as exc:
        message = str(exc)
        field = "ratios"
        for name in ("team_size", "multiplier", "avoid"):
            if name in message:
                field = name
        raise _field_error(field, message) from None
    return config


# ---------------------------------------------------------------------------
# Prepare
# ---------------------------------------------------------------------------
@service
def draw_prepare(
    *,
    actor,
    plan: InspectionPlan,
    item: InspectionItem,
    pool: SubjectPool,
    title: str,
    ratios: dict | None = None,
    multiplier="1",
    special_period: str = "",
    team_size: int = algorithm.MIN_TEAM,
    avoid: list[str] | None = None,
    redraw_of: RandomDraw | None = None,
    redraw_reason: str = "",
    on=None,
) -> RandomDraw:
    """A prepared draw: snapshots, digests, a fresh seed and its commitment (shown from now on)."""
    if actor is not None and not has_role(actor, *allowed_roles(RandomDraw, "add")):
        raise PermissionDenied(_("您的角色无权组织双随机抽取"))
    for field, obj in (("plan", plan), ("item", item), ("pool", pool)):
        if actor is not None and not can(actor, "view", obj):
            raise _field_error(field, _("不在您的数据范围内"))
    if item.subject_type != pool.subject_type:
        raise _field_error(
            "pool",
            _("名录库的对象类型（%(a)s）与检查事项的对象类型（%(b)s）不一致")
            % {"a": pool.get_subject_type_display(), "b": item.get_subject_type_display()},
        )
    on = on or timezone.localdate()
    scheme = active_scheme()
    if ratios is None:
        ratios = dict(scheme.spec["ratios"]) if scheme is not None else dict(DEFAULT_RATIOS)
    config = draw_config(
        ratios=ratios,
        multiplier=multiplier,
        team_size=team_size,
        avoid=list(algorithm.DEFAULT_AVOID if avoid is None else avoid),
    )
    subjects, subject_labels = pool_snapshot(pool, actor, scheme)
    officers, officer_labels = officer_snapshot(officer_pool(plan.unit).order_by("pk"), on)
    missing = sorted({row[1] for row in subjects} - set(config["ratios"]))
    if missing:
        raise _field_error("ratios", _("缺少风险等级 %(g)s 的抽查比例") % {"g": "、".join(missing)})
    if not subjects:
        raise _field_error("pool", _("名录库当前没有检查对象，不能抽取"))
    canonical = algorithm.canonical_config(config)
    digests = algorithm.digests(algorithm.canonical_pool(subjects), algorithm.canonical_officers(officers), canonical)
    seed = algorithm.new_seed()
    issued = numbering.allocate_number(NUMBERING_KIND, year=on.year)
    draw = RandomDraw(
        number=issued.number,
        title=title,
        plan=plan,
        item=item,
        pool=pool,
        unit=plan.unit,
        pool_filter=dict(pool.filter_spec),
        pool_snapshot=subjects,
        officers_snapshot=officers,
        config=config,
        labels={"subjects": subject_labels, "officers": officer_labels},
        special_period=special_period,
        seed=seed,
        commitment=algorithm.commitment_of(seed),
        prepared_at=timezone.now(),
        redraw_of=redraw_of,
        redraw_reason=redraw_reason,
        **digests,
    )
    save_validated(draw)
    numbering.link_number(issued, draw)
    if actor is not None:
        ensure_in_scope(actor, draw, "view")
    return draw


@service
def draw_redraw(*, actor, old: RandomDraw, reason: str, **changes) -> RandomDraw:
    """A NEW draw replacing ``old`` (which stays as it is, with its history): the reason is required
    and both are on the audit chain; the pool is taken afresh."""
    if actor is not None and not (has_role(actor, *allowed_roles(RandomDraw, "redraw")) and can(actor, "redraw", old)):
        raise PermissionDenied(_("您无权对该抽取重新抽取（须单位负责人）"))
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("redraw_reason", _("重新抽取须填写理由"))
    old = lock_for_update(old, None)  # two redraws of one draw at once: the second waits, then is refused
    if old.redraws.exists():
        raise DomainError(_("该抽取已有重新抽取记录 %(n)s，请在其上操作") % {"n": old.redraws.first().number})
    config = old.config
    params = {
        "plan": old.plan,
        "item": old.item,
        "pool": old.pool,
        "title": old.title,
        "ratios": config["ratios"],
        "multiplier": config["multiplier"],
        "team_size": config["team_size"],
        "avoid": config["avoid"],
        "special_period": old.special_period,
    }
    params.update(changes)
    return draw_prepare(actor=actor, redraw_of=old, redraw_reason=reason, **params)


# ---------------------------------------------------------------------------
# Execute, publish
# ---------------------------------------------------------------------------
def _compute(draw: RandomDraw):
    try:
        return algorithm.draw(draw.seed, draw.pool_snapshot, draw.officers_snapshot, draw.config), None
    except algorithm.DrawFailed as exc:
        return None, exc


@service
def draw_execute(*, actor, draw: RandomDraw, version=None) -> RandomDraw:
    """Reveal the seed and draw from the snapshots: → drawn, or → failed with the reason (too few
    eligible officers), recorded either way."""
    draw = RandomDraw.objects.get(pk=draw.pk)
    result, failure = _compute(draw)
    if failure is not None:
        return transition(draw, "fail", actor=actor, reason=str(failure), expected_version=version)
    token = _OUTCOME.set(result)
    try:
        return transition(draw, "execute", actor=actor, expected_version=version)
    finally:
        _OUTCOME.reset(token)


def on_execute(draw: RandomDraw, *, actor, reason="", **extra) -> None:
    """Hook of ``execute``: the result (computed by ``draw_execute``, else here), its digest, the rows."""
    result = _OUTCOME.get()
    if result is None or result.get("commitment") != draw.commitment:
        result, failure = _compute(draw)
        if failure is not None:
            raise TransitionNotAllowed(str(failure), code="draw_failed")
    draw.result = result
    draw.result_digest = result["result_digest"]
    draw.drawn_at = timezone.now()
    _write_assignments(draw, result)


def _write_assignments(draw: RandomDraw, result: dict) -> None:
    from anjian.construction.models import Project

    names = draw.labels.get("subjects", {})
    rows, teams = [], []
    project_ids = {
        int(i["subject"].split(":")[1]) for i in result["inspections"] if i["subject"].startswith("project:")
    }
    existing_projects = set(Project.objects.filter(pk__in=project_ids).values_list("pk", flat=True))
    for position, inspection in enumerate(result["inspections"], start=1):
        kind, _sep, pk = inspection["subject"].partition(":")
        row = DrawAssignment(
            draw=draw,
            position=position,
            subject_key=inspection["subject"],
            subject_name=names.get(inspection["subject"], inspection["subject"])[:200],
            grade=inspection["grade"],
        )
        if kind == "project" and int(pk) in existing_projects:
            row.project_id = int(pk)
        elif kind == "enterprise":
            row.enterprise_id = int(pk)
        rows.append(row)
        teams.append([int(o.split(":")[1]) for o in inspection["team"]])
    DrawAssignment.objects.bulk_create(rows)
    through = DrawAssignment.officers.through
    users = set(User.objects.filter(pk__in={u for t in teams for u in t}).values_list("pk", flat=True))
    through.objects.bulk_create(
        [
            through(drawassignment_id=row.pk, user_id=u)
            for row, team in zip(rows, teams, strict=True)
            for u in team
            if u in users
        ]
    )


def on_fail(draw: RandomDraw, *, actor, reason="", **extra) -> None:
    """Hook of ``fail``: only a draw that really fails is recorded so, with the algorithm's reason
    (a person cannot fail a draw that would succeed, to redraw it)."""
    _result, failure = _compute(draw)
    if failure is None:
        raise TransitionNotAllowed(_("该抽取可以完成，不能记录为失败"), code="draw_not_failed")
    draw.failure_reason = str(failure)
    draw.drawn_at = timezone.now()


@service
def draw_publish(*, actor, draw: RandomDraw, version=None) -> RandomDraw:
    return transition(draw, "publish", actor=actor, expected_version=version)


def on_publish(draw: RandomDraw, *, actor, reason="", **extra) -> None:
    draw.published_at = timezone.now()


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
def draw_verify(draw: RandomDraw) -> tuple[bool, list[str]]:
    """Recompute ``draw`` from its stored snapshots and compare with its stored result (``draw.verify``).
    A prepared draw has nothing to verify yet; a failed one is recomputed and must fail the same way."""
    if draw.status == DrawStatus.PREPARED:
        return False, [_("尚未抽取：种子未公开，只能核对承诺值")]
    if draw.status == DrawStatus.FAILED:
        result, failure = _compute(draw)
        if failure is not None and str(failure) == draw.failure_reason:
            return True, []
        return False, [_("按存储的快照重算，结果与记录的失败原因不符")]
    reasons = []
    for field in ("pool_digest", "officers_digest", "config_digest"):
        if (draw.result or {}).get(field) != getattr(draw, field):
            reasons.append(_("结果中的 %(f)s 与抽取前公示的摘要不符") % {"f": field})
    ok, more = algorithm.verify(
        draw.commitment, draw.seed, draw.pool_snapshot, draw.officers_snapshot, draw.config, draw.result
    )
    reasons.extend(more)
    return ok and not reasons, reasons


def ratio_percent(text: str) -> str:
    value = Fraction(text) * 100
    return f"{float(value):g}%"
