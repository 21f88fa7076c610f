from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

_GOV = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})
_WORKERS = frozenset({"unit_head", "unit_staff", "officer"})
_READERS = _GOV | {"enterprise_user"}

register(
    NavSection(
        key="construction",
        label=pgettext_lazy("navigation", "建设工程"),
        weight=250,
        items=[
            NavItem(pgettext_lazy("navigation", "建设工程概况"), "construction:dashboard", _READERS),
            NavItem(pgettext_lazy("navigation", "工程项目"), "construction:project_list", _READERS),
            NavItem(pgettext_lazy("navigation", "实名制人员"), "construction:worker_list", _READERS),
            NavItem(pgettext_lazy("navigation", "严禁超龄用工"), "construction:over_age", _READERS),
            NavItem(pgettext_lazy("navigation", "危大工程"), "construction:high_risk_list", _READERS),
            NavItem(pgettext_lazy("navigation", "起重机械"), "construction:machine_list", _READERS),
            NavItem(pgettext_lazy("navigation", "起重机械检验到期"), "construction:machine_expiring", _READERS),
            NavItem(pgettext_lazy("navigation", "建筑业企业档案"), "construction:enterprise_list", _READERS),
            NavItem(pgettext_lazy("navigation", "安全生产许可证"), "construction:licence_list", _READERS),
            NavItem(pgettext_lazy("navigation", "安全生产许可证到期"), "construction:licence_due", _READERS),
            NavItem(pgettext_lazy("navigation", "项目负责人带班"), "construction:shift_list", _READERS),
            NavItem(pgettext_lazy("navigation", "带班月报"), "construction:shift_report", _READERS),
            NavItem(pgettext_lazy("navigation", "安全生产责任保险"), "construction:policy_list", _READERS),
            NavItem(pgettext_lazy("navigation", "在建项目未投保"), "construction:uninsured_projects", _READERS),
            NavItem(pgettext_lazy("navigation", "分包合同"), "construction:subcontract_list", _READERS),
            NavItem(pgettext_lazy("navigation", "导入工程项目"), "construction:project_import", _WORKERS),
            NavItem(
                pgettext_lazy("navigation", "导入实名制人员"),
                "construction:worker_import",
                _WORKERS | {"enterprise_user"},
            ),
        ],
    )
)

# The safety records (生产安全事故, 消防审验): appended to the same section.
register(
    NavSection(
        key="construction",
        label=pgettext_lazy("navigation", "建设工程"),
        weight=250,
        items=[
            NavItem(pgettext_lazy("navigation", "生产安全事故"), "construction:accident_list", _READERS),
            NavItem(pgettext_lazy("navigation", "消防审验"), "construction:fire_review_list", _READERS),
            NavItem(pgettext_lazy("navigation", "竣工未通过消防验收"), "construction:fire_missing", _READERS),
        ],
    )
)
