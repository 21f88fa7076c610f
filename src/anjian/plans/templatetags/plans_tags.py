from django import template

from anjian.plans.tables import derived_badge as _derived_badge

register = template.Library()


@register.simple_tag
def derived_badge(status):
    """A task's derived status as a coloured badge with its symbol."""
    return _derived_badge(status) if status else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def quarter(month) -> int:
    """The quarter (1–4) of a month number (1–12): the board shows one quarter at a time on a phone."""
    try:
        return (int(month) - 1) // 3 + 1
    except (TypeError, ValueError):
        return 1
