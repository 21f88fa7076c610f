"""Navigation by capability. Each app's ``nav.py`` registers its section; a section appears for a
user once it holds at least one page that user's roles may open."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every logged-in user


@dataclass
class NavSection:
    key: str
    label: str
    weight: int = 100
    items: list[NavItem] = field(default_factory=list)


_SECTIONS: dict[str, NavSection] = {}


def register(section: NavSection) -> None:
    """Add a section; an app adding pages to an existing section (same key) appends its items."""
    if section.key in _SECTIONS:
        _SECTIONS[section.key].items.extend(section.items)
    else:
        _SECTIONS[section.key] = section


def sections_for(user) -> list[dict]:
    from anjian.common.scope import user_roles

    if not getattr(user, "is_authenticated", False):
        return []
    roles = user_roles(user)
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.weight, s.key)):
        items = []
        for item in section.items:
            if item.roles is not None and not (roles & item.roles):
                continue
            try:
                items.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
            except NoReverseMatch:
                continue
        if items:
            out.append({"key": section.key, "label": section.label, "items": items})
    return out


# The framework's own pages.
register(
    NavSection(
        key="system",
        label=pgettext_lazy("navigation", "系统管理"),
        weight=900,
        items=[
            NavItem(pgettext_lazy("navigation", "审计日志"), "common:audit_list", frozenset({"auditadmin"})),
            NavItem(pgettext_lazy("navigation", "节假日安排"), "common:calendar_list", frozenset({"sysadmin"})),
            NavItem(
                pgettext_lazy("navigation", "逾期升级规则"), "common:escalation_policy_list", frozenset({"sysadmin"})
            ),
        ],
    )
)
# Supervision of deadlines across apps; the plans app adds its 督办 and 约谈 pages to this section.
register(
    NavSection(
        key="supervision",
        label=pgettext_lazy("navigation", "督查督办"),
        weight=300,
        items=[
            NavItem(
                pgettext_lazy("navigation", "逾期升级台账"),
                "common:escalation_list",
                frozenset(
                    {"leader", "unit_head", "unit_staff", "officer", "legal_reviewer", "enterprise_user", "agency_user"}
                ),
            ),
        ],
    )
)
