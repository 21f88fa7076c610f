from anjian.common.nav import NavItem, NavSection, register

register(
    NavSection(
        key="orgs",
        label="组织与人员",
        weight=800,
        items=[
            NavItem("单位", "orgs:unit_list"),
            NavItem("导入企业", "orgs:unit_import", frozenset({"sysadmin"})),
            NavItem("人员", "orgs:user_list"),
            NavItem("角色授权", "orgs:assignment_list", frozenset({"secadmin", "sysadmin", "auditadmin"})),
        ],
    )
)
