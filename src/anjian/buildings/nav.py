from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

_GOV = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})
_WORKERS = frozenset({"unit_head", "unit_staff", "officer"})

register(
    NavSection(
        key="buildings",
        label=pgettext_lazy("navigation", "既有建筑"),
        weight=260,
        items=[
            NavItem(pgettext_lazy("navigation", "玻璃幕墙"), "buildings:wall_list", _GOV | {"enterprise_user"}),
            NavItem(pgettext_lazy("navigation", "幕墙检查逾期"), "buildings:wall_overdue", _GOV | {"enterprise_user"}),
            NavItem(pgettext_lazy("navigation", "幕墙受损事件"), "buildings:event_list", _GOV | {"enterprise_user"}),
            NavItem(pgettext_lazy("navigation", "农村房屋"), "buildings:house_list", _GOV),
            NavItem(pgettext_lazy("navigation", "在用危房"), "buildings:house_flagged", _GOV),
            NavItem(pgettext_lazy("navigation", "导入玻璃幕墙"), "buildings:wall_import", _WORKERS),
            NavItem(pgettext_lazy("navigation", "导入农村房屋"), "buildings:house_import", _WORKERS),
        ],
    )
)
