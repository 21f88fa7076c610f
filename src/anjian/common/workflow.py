"""Workflow transitions (ARCHITECTURE §4): one helper runs every state change of every app.

A model declares a ``status`` field with ``TextChoices``, a ``TRANSITIONS`` map and a history
model ``<Model>Transition`` (a ``TransitionRecord`` with a foreign key to it)::

    class HazardStatus(models.TextChoices):
        REPORTED = "reported", _("已上报")
        ...

    class Hazard(AnjianModel):
        status = models.CharField(_("状态"), max_length=20, choices=HazardStatus.choices, default=...)
        TRANSITIONS = {
            "assign": Transition([HazardStatus.REPORTED], HazardStatus.ASSIGNED, label=_("交办"),
                                 form=AssignForm, hook=_on_assign),
            "reject": Transition([HazardStatus.SUBMITTED], HazardStatus.RECTIFYING, needs_reason=True,
                                 label=_("退回"), style="outline-danger"),
        }
        STATUS_COLORS = {HazardStatus.REPORTED: "secondary", ...}   # optional, for status_badge

    class HazardTransition(TransitionRecord):
        hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="transitions")

Who may take an action is the app's ``permissions.ACTIONS`` table, under the action's name (or
the ``permission`` a Transition names) — ``{"hazards.Hazard": {"assign": {Role.UNIT_HEAD}, ...}}``
— limited by the data scope of the user's grants, exactly like ``view`` and ``change``.

``transition(obj, "assign", actor=user, reason="", assignee=...)`` locks the row, checks the
state, the role, the scope and the reason, applies the target state and the hook, bumps
``version``, validates and saves, writes the ``<Model>Transition`` row and the audit event, and
queues ``on_commit`` side effects. Anything refused raises ``TransitionNotAllowed`` (HTTP 409,
a message on a page) with a Chinese message that says why, and nothing is written.

Pages: ``{% transition_actions obj %}`` renders the allowed actions as POST buttons (posting to
``common:transition`` unless the model defines ``get_transition_url(action)``);
``{% transition_history obj %}`` the history. API: ``TransitionActionsMixin`` in
``anjian.common.api.workflow`` adds ``POST /api/v1/<things>/{id}/{action}/`` to a viewset.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from anjian.common import audit
from anjian.common.exceptions import TransitionNotAllowed
from anjian.common.models.workflow import TransitionRecord
from anjian.common.scope import actions_of, allowed_roles, can, can_many, role_label, user_roles
from anjian.common.services import ensure_in_scope, lock_for_update, save_validated, service
from anjian.common.text import join_list


# ---------------------------------------------------------------------------
# Declaring a workflow
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Transition:
    """One action of a workflow.

    ``sources``: the states it may start from; ``target``: the state it leads to (may equal a
    source, e.g. an extension that keeps the state). ``permission``: the action name in the
    app's ``permissions.ACTIONS`` that decides who may take it (default: the action's own name).
    ``needs_reason``: refuse without a non-blank reason. ``label``: the Chinese verb shown on the
    button and in messages ("提交", "退回"). ``hook(obj, *, actor, reason, **extra)``: runs on the
    locked row after the state is set and before it is validated and saved — set fields here
    (``closed_at``, ``assignee``), call ``notify()`` (in-app rows commit with the transition),
    or raise ``ValidationError``/``DomainError`` to refuse. ``on_commit(obj, record)``: runs
    after the transaction commits (external side effects); never runs after a rollback.
    ``form``: a ``TransitionForm`` whose cleaned data become the ``**extra`` of ``transition()``
    on pages and in the API. ``style``/``confirm``: the button's Bootstrap style and an optional
    confirmation question. ``party(obj, user)``: who, beyond role and scope, is a party to this
    step (the head of the *reporting* unit, the letter's signee): returns ``None`` when ``user``
    may act, else the reason in Chinese — checked before the transition and when offering buttons,
    so a page never shows a button the step would refuse.

    ``hook``, ``on_commit``, ``form`` and ``party`` may be given as dotted paths
    (``"anjian.hazards.services.on_assign"``), resolved on first use: the model declares its state
    machine as data and imports neither its services nor its forms (the side effects live in the
    app's services; no import circle).
    """

    sources: tuple[str, ...]
    target: str
    permission: str = ""
    needs_reason: bool = False
    label: Any = ""
    hook: Callable[..., None] | str | None = None
    on_commit: Callable[[models.Model, TransitionRecord], None] | str | None = None
    form: type[forms.Form] | str | None = None
    style: str = "primary"
    confirm: Any = ""
    party: Callable[[models.Model, Any], Any] | str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.permission, str):
            raise ImproperlyConfigured(
                "Transition.permission names an action of the app's permissions.ACTIONS table "
                f"(put the roles there), not {self.permission!r}"
            )
        sources = (self.sources,) if isinstance(self.sources, str) else tuple(self.sources)
        object.__setattr__(self, "sources", tuple(str(s) for s in sources))
        object.__setattr__(self, "target", str(self.target))


class TransitionForm(forms.Form):
    """Base of the extra input a transition asks for (an assignee, a new deadline).

    Built as ``Form(data, obj=obj, user=user)`` so it can limit its choices to the record and
    to the user's scope; its ``cleaned_data`` is passed to ``transition()`` as ``**extra``.
    """

    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj = obj
        self.user = user
        super().__init__(*args, **kwargs)


@functools.cache
def _import(path: str):
    return import_string(path)


def resolved(value):
    """A hook, form or party given as a dotted path, imported once; anything else as it is."""
    return _import(value) if isinstance(value, str) else value


def transitions_of(model) -> dict[str, Transition]:
    table = getattr(model, "TRANSITIONS", None)
    if not isinstance(table, dict):
        raise ImproperlyConfigured(f"{model._meta.label} has no TRANSITIONS map")
    return table


def permission_of(action: str, spec: Transition) -> str:
    return spec.permission or action


def status_label(model, value: str) -> str:
    choices = dict(model._meta.get_field("status").flatchoices)
    return str(choices.get(value, value))


def action_label(spec: Transition, action: str) -> str:
    return str(spec.label) if spec.label else action


@functools.cache
def history_model(model) -> tuple[type[TransitionRecord], str]:
    """The ``<Model>Transition`` class that follows ``model`` and the name of its foreign key."""
    found = [
        rel
        for rel in model._meta.related_objects
        if rel.one_to_many and issubclass(rel.related_model, TransitionRecord)
    ]
    if len(found) > 1:
        preferred = [rel for rel in found if rel.related_model.__name__ == f"{model.__name__}Transition"]
        found = preferred or found[:1]
    if not found:
        raise ImproperlyConfigured(
            f"{model._meta.label} needs a {model.__name__}Transition(TransitionRecord) model with a ForeignKey to it"
        )
    return found[0].related_model, found[0].field.name


def transition_history(obj: models.Model):
    """The workflow history of ``obj``, newest first (the caller has already checked ``obj`` is visible)."""
    record_model, fk = history_model(type(obj))
    return record_model.objects.filter(**{fk: obj}).select_related("actor").order_by("-at", "-id")


# ---------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------
def get_transition(model, action: str) -> Transition:
    spec = transitions_of(model).get(action)
    if spec is None:
        raise TransitionNotAllowed(_("没有名为“%(a)s”的操作") % {"a": action}, code="unknown_action")
    return spec


def _role_labels(roles: Iterable[str]) -> str:
    return join_list(role_label(r) for r in sorted(roles))


def check_transition(obj: models.Model, action: str, actor, *, reason: str = "") -> Transition:
    """Raise ``TransitionNotAllowed`` saying why ``actor`` may not take ``action`` on ``obj`` now.

    The checks, in order: the action exists; the state allows it; the actor holds a role the
    permission table names; the object is within that role's data scope; a required reason is
    given. ``actor=None`` is the system (a scheduled job, a data migration): only state and
    reason are checked.
    """
    model = type(obj)
    spec = get_transition(model, action)
    label = action_label(spec, action)
    if obj.status not in spec.sources:
        raise TransitionNotAllowed(
            _("当前状态为%(state)s，不能%(action)s") % {"state": status_label(model, obj.status), "action": label},
            code="wrong_state",
        )
    if actor is not None:
        permission = permission_of(action, spec)
        roles = allowed_roles(model, permission)
        if not getattr(actor, "is_authenticated", False) or not (user_roles(actor) & roles):
            raise TransitionNotAllowed(
                _("您的角色无权%(action)s（可办理的角色：%(roles)s）")
                % {"action": label, "roles": _role_labels(roles) or _("无")},
                code="forbidden_role",
            )
        if not can(actor, permission, obj):
            raise TransitionNotAllowed(
                _("该记录不在您可%(action)s的数据范围内") % {"action": label}, code="out_of_scope"
            )
        if spec.party is not None:
            why = resolved(spec.party)(obj, actor)
            if why:
                raise TransitionNotAllowed(str(why), code="not_party")
    if spec.needs_reason and not (reason or "").strip():
        raise TransitionNotAllowed(_("%(action)s须填写理由") % {"action": label}, code="reason_required")
    return spec


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------
def _jsonable(value):
    if isinstance(value, models.Model):
        return {"id": audit.to_jsonable(value.pk), "repr": str(value)[:200]}
    if isinstance(value, list | tuple) and value and all(isinstance(v, models.Model) for v in value):
        return [_jsonable(v) for v in value]
    if hasattr(value, "all") and hasattr(value, "model"):  # a queryset of model instances
        return [_jsonable(v) for v in value.all()]
    return audit.to_jsonable(value)


@service
def transition(obj: models.Model, action: str, *, actor, reason: str = "", expected_version=None, **extra):
    """Take ``action`` on ``obj`` as ``actor`` (a user, or ``None`` for the system); return ``obj`` updated.

    One transaction: lock the row, check (``check_transition``), set the target state, run the
    hook with ``**extra``, bump ``version``, ``full_clean()`` and save, check the row is still
    visible to the actor, write the ``<Model>Transition`` row and the audit event, and queue the
    ``on_commit`` side effect. ``expected_version``: the version the user's page showed; a
    stale one raises ``ConcurrentEditError``. Refusals raise ``TransitionNotAllowed``
    (409) and leave everything as it was, including ``obj``.
    """
    model = type(obj)
    get_transition(model, action)
    locked = lock_for_update(obj, expected_version)
    _share_related(obj, locked)
    spec = check_transition(locked, action, actor, reason=reason)
    reason = (reason or "").strip()
    from_state = locked.status
    locked.status = spec.target
    if spec.hook is not None:
        resolved(spec.hook)(locked, actor=actor, reason=reason, **extra)
    save_validated(locked)
    if actor is not None:
        ensure_in_scope(actor, locked, "view")
    record_model, fk = history_model(model)
    actor_id, actor_name = audit.current_context().resolve_actor()
    recorded_extra = {key: _jsonable(value) for key, value in extra.items()}
    record = record_model.objects.create(
        **{fk: locked},
        from_state=from_state,
        to_state=spec.target,
        action=action,
        actor_id=actor_id,
        actor_name=actor_name[:150],
        reason=reason,
        extra=recorded_extra,
    )
    audit.record_transition(
        locked,
        from_state=from_state,
        to_state=spec.target,
        action=action,
        reason=reason,
        **({"extra": recorded_extra} if recorded_extra else {}),
    )
    if spec.on_commit is not None:
        transaction.on_commit(functools.partial(resolved(spec.on_commit), locked, record))
    # The caller's instance reflects the committed state, as after obj.save().
    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    _share_related(locked, obj)
    return obj


def _share_related(source: models.Model, target: models.Model) -> None:
    """Hand the rows ``source``'s foreign keys already hold to ``target`` where both name the same row.

    The locked copy of a record has no related rows loaded; validating it (``clean()`` reads the
    town's level, the units' kinds) would load each again, in every step. The caller's instance
    usually has them, and after the step gets back the ones the step loaded, so a run of steps on
    one record loads each related row once. A foreign key the step changed is not shared."""
    source_cache, target_cache = source._state.fields_cache, target._state.fields_cache
    if not source_cache:
        return
    for fk in type(source)._meta.concrete_fields:
        if not fk.many_to_one or fk.name not in source_cache or fk.name in target_cache:
            continue
        related, value = source_cache[fk.name], getattr(target, fk.attname)
        if getattr(source, fk.attname) != value:
            continue
        if (related is None) != (value is None) or (
            related is not None and getattr(related, fk.target_field.attname) != value
        ):
            continue
        target_cache[fk.name] = related


# ---------------------------------------------------------------------------
# What a page offers
# ---------------------------------------------------------------------------
@dataclass
class AvailableAction:
    name: str
    label: str
    needs_reason: bool
    style: str
    confirm: str
    url: str
    form: forms.Form | None = field(default=None)


def transition_url(obj: models.Model, action: str) -> str:
    """Where the page posts ``action``: the model's ``get_transition_url(action)``, else the generic view."""
    custom = getattr(obj, "get_transition_url", None)
    if callable(custom):
        return custom(action)
    return reverse("common:transition", args=[obj._meta.app_label, obj._meta.model_name, obj.pk, action])


def build_form(spec: Transition, action: str, *, obj, user, data=None) -> forms.Form | None:
    if spec.form is None:
        return None
    return resolved(spec.form)(data, obj=obj, user=user, auto_id=f"id_{action}_%s")


def available_actions(obj: models.Model, user) -> list[AvailableAction]:
    """The actions ``user`` may take on ``obj`` in its current state (no reason checked yet)."""
    return available_actions_many([obj], user).get(obj.pk, [])


def available_actions_many(objs: Iterable[models.Model], user) -> dict[object, list[AvailableAction]]:
    """The actions ``user`` may take on each of ``objs`` (one model), keyed by primary key.

    Role membership is checked in memory; the scope takes one query per distinct permission for
    the whole list, so a list page that offers actions per row costs one query per permission,
    not one per row.
    """
    objs = list(objs)
    if not objs or not getattr(user, "is_authenticated", False):
        return {}
    model = type(objs[0])
    roles = user_roles(user)
    table = transitions_of(model)
    wanted: dict[str, list[models.Model]] = {}
    for obj in objs:
        for name, spec in table.items():
            permission = permission_of(name, spec)
            if obj.status in spec.sources and roles & allowed_roles(model, permission):
                wanted.setdefault(permission, []).append(obj)
    in_scope = {permission: can_many(user, permission, rows) for permission, rows in wanted.items()}
    return {obj.pk: _actions_for(obj, user, table, in_scope) for obj in objs}


def _actions_for(obj, user, table, in_scope) -> list[AvailableAction]:
    out = []
    for name, spec in table.items():
        if obj.status not in spec.sources:
            continue
        if obj.pk not in in_scope.get(permission_of(name, spec), ()):
            continue
        if spec.party is not None and resolved(spec.party)(obj, user):
            continue
        out.append(
            AvailableAction(
                name=name,
                label=action_label(spec, name),
                needs_reason=spec.needs_reason,
                style=spec.style,
                confirm=str(spec.confirm or ""),
                url=transition_url(obj, name),
                form=build_form(spec, name, obj=obj, user=user),
            )
        )
    return out


# ---------------------------------------------------------------------------
# Configuration check (``anjian check``): typos in a TRANSITIONS map fail at start-up
# ---------------------------------------------------------------------------
def check_model(model) -> list[checks.CheckMessage]:
    errors = []
    label = model._meta.label
    try:
        statuses = {str(v) for v, _l in model._meta.get_field("status").flatchoices}
    except Exception:  # noqa: BLE001 - reported as a configuration error
        return [checks.Error(f"{label} declares TRANSITIONS but has no status field with choices", id="anjian.W001")]
    try:
        history_model(model)
    except ImproperlyConfigured as exc:
        errors.append(checks.Error(str(exc), id="anjian.W002"))
    table = actions_of(model)
    for action, spec in transitions_of(model).items():
        if not isinstance(spec, Transition):
            errors.append(checks.Error(f"{label}.TRANSITIONS[{action!r}] is not a Transition", id="anjian.W003"))
            continue
        for state in (*spec.sources, spec.target):
            if state not in statuses:
                errors.append(
                    checks.Error(f"{label}.TRANSITIONS[{action!r}] names unknown status {state!r}", id="anjian.W004")
                )
        if not table.get(permission_of(action, spec)):
            errors.append(
                checks.Error(
                    f"{label}.TRANSITIONS[{action!r}]: no role may take it — add "
                    f"{permission_of(action, spec)!r} to the app's permissions.ACTIONS",
                    id="anjian.W005",
                )
            )
    return errors


@checks.register()
def check_workflows(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from django.apps import apps

    errors = []
    for model in apps.get_models():
        if isinstance(getattr(model, "TRANSITIONS", None), dict):
            errors.extend(check_model(model))
    return errors
