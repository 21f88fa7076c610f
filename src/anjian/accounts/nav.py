from anjian.common.nav import NavItem, NavSection, register

register(
    NavSection(
        key="system",
        label="系统管理",
        weight=900,
        items=[
            NavItem("安全策略", "accounts:policy", frozenset({"secadmin"})),
            NavItem("登录锁定", "accounts:lockouts", frozenset({"secadmin"})),
        ],
    )
)
