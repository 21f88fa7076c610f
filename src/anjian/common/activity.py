""" "My recent actions" on the home page: the audit trail as a person reads it.

Each entry says what was done in words (新增, a workflow step's own verb such as 发布 or 交办, …),
names the object by its kind, number and display name, and links to it when the user may still
open it. The events of one request on one object (a step writes a transition and an update) are
one entry, and bookkeeping rows (document numbers, logins) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _

from anjian.common.models import AuditAction, AuditEvent

# Rows a person did not set out to write: shown through the record they belong to, or not at all.
_HIDDEN_TYPES = frozenset({"common.issuednumber", "common.attachment"})
_HIDDEN_ACTIONS = frozenset({AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN_FAILED, AuditAction.VERIFY})
# Which event of one request on one object speaks for the others.
_WEIGHT = {AuditAction.TRANSITION: 0, AuditAction.CREATE: 1, AuditAction.DELETE: 2, AuditAction.ESCALATE: 3}


@dataclass
class RecentAction:
    at: object
    verb: str
    kind: str
    name: str
    url: str | None


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _verb(event: AuditEvent, model) -> str:
    if event.action == AuditAction.TRANSITION and model is not None:
        from anjian.common.workflow import action_label

        name = (event.changes or {}).get("transition", "")
        spec = (getattr(model, "TRANSITIONS", None) or {}).get(name)
        if spec is not None:
            return action_label(spec, name)
    return str(event.get_action_display())


def _display_name(obj) -> str:
    """The object's display name, led by its number when it has one the name does not show."""
    name = str(obj)
    number = str(getattr(obj, "number", "") or "")
    return f"{number} {name}" if number and number not in name else name


def recent_actions_for(user, limit: int = 8) -> list[RecentAction]:
    events = list(
        AuditEvent.objects.filter(actor_id=user.pk)
        .exclude(object_type__in=_HIDDEN_TYPES)
        .exclude(action__in=_HIDDEN_ACTIONS)
        .order_by("-seq")[: limit * 6]
    )
    # One entry per request and object, spoken for by its most telling event.
    groups: dict[tuple, list[AuditEvent]] = {}
    for e in events:
        key = (e.request_id or f"#{e.seq}", e.object_type, e.object_id)
        groups.setdefault(key, []).append(e)
    chosen = []
    for group in groups.values():
        event = min(group, key=lambda e: (_WEIGHT.get(e.action, 9), -e.seq))
        event.at = max(e.at for e in group)  # shown at the time of the group's latest write
        chosen.append((max(e.seq for e in group), event))
    chosen = [event for _seq, event in sorted(chosen, key=lambda pair: -pair[0])[:limit]]
    # The objects that still exist and that the user may open: one query per kind.
    wanted: dict[str, set[str]] = {}
    for e in chosen:
        if e.object_id:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    found: dict[tuple[str, str], object] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is None:
            continue
        rows = model._default_manager.all()
        rows = rows.restrict(user, "view") if hasattr(rows, "restrict") else rows.none()
        try:
            for obj in rows.filter(pk__in=ids):
                found[(object_type, str(obj.pk))] = obj
        except (ValueError, TypeError):
            continue
    out = []
    for e in chosen:
        model = _model(e.object_type)
        obj = found.get((e.object_type, e.object_id))
        url = getattr(obj, "get_absolute_url", None) if obj is not None else None
        out.append(
            RecentAction(
                at=e.at,
                verb=_verb(e, model),
                kind=str(model._meta.verbose_name) if model is not None else "",
                name=_display_name(obj) if obj is not None else (e.object_repr or _("（已删除）")),
                url=url() if callable(url) else None,
            )
        )
    return out
