from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

_GOV = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})

# Other modules of the app append their items to ITEMS before the section is registered below.
ITEMS = [
    NavItem(pgettext_lazy("navigation", "检查计划"), "inspections:plan_list", _GOV),
    NavItem(pgettext_lazy("navigation", "检查事项清单"), "inspections:item_list", _GOV),
    NavItem(pgettext_lazy("navigation", "检查对象名录库"), "inspections:pool_list", _GOV),
    NavItem(pgettext_lazy("navigation", "执法人员名录库"), "inspections:officer_list", _GOV),
    NavItem(pgettext_lazy("navigation", "双随机抽取"), "inspections:draw_list", _GOV),
    NavItem(pgettext_lazy("navigation", "风险分级"), "inspections:grade_list", _GOV),
    NavItem(pgettext_lazy("navigation", "风险分级方案"), "inspections:scheme_list", _GOV),
    # Field inspections: enterprises read their own published results.
    NavItem(pgettext_lazy("navigation", "检查记录"), "inspections:inspection_list", _GOV | {"enterprise_user"}),
]

register(NavSection(key="inspections", label=pgettext_lazy("navigation", "监督检查"), weight=300, items=ITEMS))
