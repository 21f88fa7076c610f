from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

_GOV = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})
_WORKERS = frozenset({"unit_head", "unit_staff", "officer"})

register(
    NavSection(
        key="hazards",
        label=pgettext_lazy("navigation", "隐患治理"),
        weight=200,
        items=[
            NavItem(pgettext_lazy("navigation", "问题隐患清单"), "hazards:hazard_list", _GOV | {"enterprise_user"}),
            NavItem(pgettext_lazy("navigation", "登记隐患"), "hazards:hazard_add", _WORKERS),
            NavItem(
                pgettext_lazy("navigation", "上报自查隐患"),
                "hazards:hazard_self_report",
                frozenset({"enterprise_user"}),
            ),
            NavItem(pgettext_lazy("navigation", "导入隐患"), "hazards:hazard_import", _WORKERS),
            NavItem(pgettext_lazy("navigation", "挂图作战"), "hazards:map", _GOV | {"enterprise_user"}),
            NavItem(pgettext_lazy("navigation", "统计分析"), "hazards:figures", _GOV | {"enterprise_user"}),
            NavItem(pgettext_lazy("navigation", "专项整治"), "hazards:campaign_list", _GOV),
            NavItem(pgettext_lazy("navigation", "制度措施清单"), "hazards:measure_list", _GOV),
            NavItem(pgettext_lazy("navigation", "重大隐患判定"), "hazards:checklist_index", _WORKERS),
            NavItem(
                pgettext_lazy("navigation", "判定标准版本"), "hazards:criteria_list", _WORKERS | {"leader", "sysadmin"}
            ),
        ],
    )
)
register(
    NavSection(
        key="system",
        label=pgettext_lazy("navigation", "系统管理"),
        weight=900,
        items=[NavItem(pgettext_lazy("navigation", "举报受理分派"), "hazards:report_routes", frozenset({"sysadmin"}))],
    )
)
