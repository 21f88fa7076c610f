from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

register(
    NavSection(
        key="system",
        label=pgettext_lazy("navigation", "系统管理"),
        weight=900,
        items=[
            NavItem(pgettext_lazy("navigation", "安全策略"), "accounts:policy", frozenset({"secadmin"})),
            NavItem(pgettext_lazy("navigation", "登录锁定"), "accounts:lockouts", frozenset({"secadmin"})),
        ],
    )
)
