from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

register(
    NavSection(
        key="orgs",
        label=pgettext_lazy("navigation", "组织与人员"),
        weight=800,
        items=[
            NavItem(pgettext_lazy("navigation", "单位"), "orgs:unit_list"),
            NavItem(pgettext_lazy("navigation", "导入企业"), "orgs:unit_import", frozenset({"sysadmin"})),
            NavItem(pgettext_lazy("navigation", "人员"), "orgs:user_list"),
            NavItem(
                pgettext_lazy("navigation", "角色授权"),
                "orgs:assignment_list",
                frozenset({"secadmin", "sysadmin", "auditadmin"}),
            ),
        ],
    )
)
