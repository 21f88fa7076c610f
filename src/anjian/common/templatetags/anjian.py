import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from anjian.common import text as punctuation
from anjian.common.audit import actor_label as audit_actor_label
from anjian.common.audit import canonical_json
from anjian.common.choices import status_color

register = template.Library()

_SELECTS = {"select", "selectmultiple", "nullbooleanselect"}


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap classes (and is-invalid when it has errors)."""
    css = "form-select" if field.widget_type in _SELECTS else "form-control"
    if field.errors:
        css += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


def _fields_of(object_type: str | None) -> tuple[dict, dict]:
    """(label by field name, choice labels by field name) of the model an audit event names, so a
    history shows 状态: 草稿 → 生效, not status: draft → effective. ({}, {}) when it names no model."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        model = None
    if model is None:
        return {}, {}
    labels, choices = {}, {}
    for field in model._meta.concrete_fields:
        labels[field.name] = labels[field.attname] = str(field.verbose_name)
        if field.choices:
            choices[field.name] = choices[field.attname] = {k: str(v) for k, v in field.flatchoices}
    return labels, choices


def _shown(key: str, value, choices: dict):
    if key in choices and isinstance(value, str | int) and value in choices[key]:
        return choices[key][value]
    return _short(_mask(key, value))


@register.filter
def pretty_changes(changes, object_type: str | None = None):
    """Audit-event changes as readable lines: field: before → after — with ``object_type`` (the
    event's model label), the field's name and choice values as people read them."""
    if not changes:
        return ""
    labels, choices = _fields_of(object_type)
    if isinstance(changes, dict) and ("before" in changes or "after" in changes):
        before, after = changes.get("before") or {}, changes.get("after") or {}
        keys = sorted(set(before) | set(after))
        lines = []
        for key in keys:
            name = labels.get(key, key)
            if key in before and key in after:
                lines.append(
                    format_html(
                        "<div><code>{}</code>: {} → {}</div>",
                        name,
                        _shown(key, before[key], choices),
                        _shown(key, after[key], choices),
                    )
                )
            elif key in after:
                lines.append(format_html("<div><code>{}</code>: {}</div>", name, _shown(key, after[key], choices)))
            else:
                lines.append(format_html("<div><code>{}</code>: {} → ∅</div>", name, _shown(key, before[key], choices)))
        return mark_safe("".join(lines))  # noqa: S308 - every part is escaped by format_html
    if isinstance(changes, dict) and "transition" in changes:
        # A workflow step: action, from → to, and the reason given.
        reason = changes.get("reason") or ""
        return format_html(
            "<div><code>{}</code>: {} → {}</div>{}",
            changes.get("transition", ""),
            changes.get("from", ""),
            changes.get("to", ""),
            format_html("<div>{}</div>", _short(reason)) if reason else "",
        )
    return format_html("<code class='small'>{}</code>", canonical_json(changes).decode()[:400])


# Personal data shown masked wherever an audit event is displayed (the stored event keeps it).
PERSONAL_FIELDS = frozenset({"phone", "contact_phone", "mobile", "id_number", "id_card"})


def _mask(key: str, value):
    if key in PERSONAL_FIELDS and isinstance(value, str) and value:
        return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"
    return value


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


@register.simple_tag
def object_label(obj):
    return obj._meta.label_lower


@register.filter(name="has_role")
def has_role_filter(user, role: str) -> bool:
    from anjian.common.scope import has_role

    return has_role(user, role)


@register.filter
def changes_summary(changes, object_type: str | None = None) -> str:
    """A one-line summary of an event's changes for table cells: the changed fields' names (as people
    read them when ``object_type``, the event's model label, is given)."""
    if not changes:
        return ""
    labels, _choices = _fields_of(object_type)
    if isinstance(changes, dict) and ("before" in changes or "after" in changes):
        keys = sorted(set(changes.get("before") or {}) | set(changes.get("after") or {}))
        keys = [labels.get(k, k) for k in keys]
        shown = punctuation.join_list(keys[:3])
        return gettext("%(shown)s 等 %(n)s 项") % {"shown": shown, "n": len(keys)} if len(keys) > 3 else shown
    if isinstance(changes, dict):
        keys = sorted(changes)
        return punctuation.join_list(keys[:3]) + (" …" if len(keys) > 3 else "")
    return "…"


@register.filter
def actor_label(name) -> str:
    """A recorded actor name, the system's own names in the page's language."""
    return audit_actor_label(name or "")


@register.filter
def join_list(items) -> str:
    """A list as one enumeration in the page's language: 甲、乙 / A, B (the ``join:"、"`` of old)."""
    return punctuation.join_list(items)


@register.filter
def paren(note) -> str:
    """A note in brackets after the text before it: （note） / " (note)"."""
    return pgettext("note in brackets", "（%(note)s）") % {"note": note}


# ---------------------------------------------------------------------------
# Workflow, escalation: includes usable on any object's detail page
# ---------------------------------------------------------------------------
@register.inclusion_tag("common/_transition_actions.html", takes_context=True)
def transition_actions(context, obj):
    """The actions the current user may take on ``obj`` now, as POST buttons (reason box when required)."""
    from anjian.common.workflow import available_actions

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "object": obj,
        "actions": available_actions(obj, user) if user is not None else [],
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
    }


@register.inclusion_tag("common/_transition_history.html")
def transition_history(obj, limit: int = 50):
    """The workflow history of ``obj`` (state changes with actor, time and reason)."""
    from anjian.common.workflow import transition_history as history

    return {"records": list(history(obj)[:limit])}


@register.inclusion_tag("common/_escalations.html")
def escalations(obj):
    """The escalation ladder ``obj`` has climbed (提醒 / 督办 / 约谈), read-only."""
    from anjian.common.escalation import escalations_of

    return {"escalations": list(escalations_of(obj))}


@register.filter
def status_badge(obj):
    """``obj``'s status as a coloured badge (the colour its ``StatusChoices`` declares)."""
    color = status_color(obj)
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>', color, obj.status, obj.get_status_display()
    )
