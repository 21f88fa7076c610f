"""Writes of 一单两库 and the plans: inspection items, subject pools, officers and their avoidance
relations, plans with their targets. One save path per record (page, API, import, demo)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from anjian.common.scope import allowed_roles, can, has_role
from anjian.common.services import apply_fields, ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.text import join_clauses
from anjian.inspections.models import (
    InspectionItem,
    InspectionPlan,
    OfficerProfile,
    OfficerRelation,
    PlanTarget,
    SubjectPool,
)

ITEM_FIELDS = ("code", "name", "basis", "subject_type", "method", "frequency", "unit", "is_active")
POOL_FIELDS = ("name", "subject_type", "filter_spec", "unit", "note")
PLAN_FIELDS = ("title", "year", "period", "period_no", "unit", "basis")
TARGET_FIELDS = ("sector", "item", "target_count", "note")
OFFICER_FIELDS = ("cert_valid_from", "cert_valid_until", "in_pool", "keeper", "note")
RELATION_FIELDS = ("enterprise", "kind", "note")


def _save(model, *, actor, instance, data: dict, fields: tuple, version, what: str):
    if instance is None:
        if actor is not None and not has_role(actor, *allowed_roles(model, "add")):
            raise PermissionDenied(_("您的角色无权新建%(w)s") % {"w": what})
        instance = model()
    else:
        if actor is not None and not can(actor, "change", instance):
            raise PermissionDenied(_("您无权修改该%(w)s") % {"w": what})
        instance = lock_for_update(instance, version)
    apply_fields(instance, data, fields)
    save_validated(instance, bump_version=instance.pk is not None)
    if actor is not None:
        ensure_in_scope(actor, instance, "change")
    return instance


@service
def item_save(*, actor, data: dict, item: InspectionItem | None = None, version=None) -> InspectionItem:
    return _save(
        InspectionItem, actor=actor, instance=item, data=data, fields=ITEM_FIELDS, version=version, what=_("检查事项")
    )


@service
def pool_save(*, actor, data: dict, pool: SubjectPool | None = None, version=None) -> SubjectPool:
    return _save(
        SubjectPool, actor=actor, instance=pool, data=data, fields=POOL_FIELDS, version=version, what=_("名录库")
    )


@service
def plan_save(
    *, actor, data: dict, plan: InspectionPlan | None = None, targets: list[dict] | None = None, version=None
) -> InspectionPlan:
    """Create or change a plan; ``targets`` is the whole list of its lines as it should be (rows with an
    ``id`` updated, without one created, the others — or those marked ``delete`` — removed)."""
    plan = _save(
        InspectionPlan, actor=actor, instance=plan, data=data, fields=PLAN_FIELDS, version=version, what=_("检查计划")
    )
    if targets is not None:
        existing = {t.pk: t for t in plan.targets.all()}
        keep = set()
        for n, row in enumerate(targets, start=1):
            if row.get("delete"):
                continue
            record = existing.get(row.get("id")) or PlanTarget(plan=plan)
            apply_fields(record, {k: row.get(k) for k in TARGET_FIELDS if k in row}, TARGET_FIELDS)
            if record.note is None:
                record.note = ""
            try:
                save_validated(record, bump_version=record.pk is not None)
            except ValidationError as exc:
                raise ValidationError(
                    {"targets": [_("第 %(n)d 行指标：%(m)s") % {"n": n, "m": join_clauses(exc.messages)}]}
                ) from None
            keep.add(record.pk)
        for pk, record in existing.items():
            if pk not in keep:
                record.delete()
    return plan


@service
def officer_save(
    *, actor, data: dict, user=None, officer: OfficerProfile | None = None, version=None
) -> OfficerProfile:
    """Enter a user in the officer pool (``user``) or change an officer's certificate validity;
    ``cert_no`` in ``data`` sets the user's 执法证号."""
    data = dict(data)
    cert_no = data.pop("cert_no", None)
    if officer is None:
        if user is None:
            raise ValidationError({"user": ValidationError(_("请选择执法人员"), code="required")})
        if OfficerProfile.objects.filter(user=user).exists():
            raise ValidationError({"user": ValidationError(_("该用户已在执法人员名录库中"), code="duplicate")})
        data["user"] = user
        saved = _save(
            OfficerProfile,
            actor=actor,
            instance=None,
            data=data,
            fields=(*OFFICER_FIELDS, "user"),
            version=None,
            what=_("执法人员"),
        )
    else:
        saved = _save(
            OfficerProfile,
            actor=actor,
            instance=officer,
            data=data,
            fields=OFFICER_FIELDS,
            version=version,
            what=_("执法人员"),
        )
    if cert_no is not None and cert_no.strip() != saved.user.enforcement_cert_no:
        person = saved.user
        person.enforcement_cert_no = cert_no.strip()
        person.full_clean(exclude=["password"])
        person.save(update_fields=["enforcement_cert_no"])
    return saved


@service
def relation_add(*, actor, officer: OfficerProfile, data: dict) -> OfficerRelation:
    if actor is not None and not can(actor, "change", officer):
        raise PermissionDenied(_("您无权修改该执法人员的回避关系"))
    relation = OfficerRelation(officer=officer)
    apply_fields(relation, data, RELATION_FIELDS)
    save_validated(relation)
    return relation


@service
def relation_remove(*, actor, relation: OfficerRelation) -> None:
    if actor is not None and not can(actor, "change", relation.officer):
        raise PermissionDenied(_("您无权修改该执法人员的回避关系"))
    relation.delete()
