from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

_GOV = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})

register(
    NavSection(
        key="enforcement",
        label=pgettext_lazy("navigation", "行政执法"),
        weight=320,
        items=[
            NavItem(pgettext_lazy("navigation", "处罚裁量计算"), "enforcement:calculator", _GOV),
            NavItem(pgettext_lazy("navigation", "裁量基准"), "enforcement:benchmark_list", _GOV),
        ],
    )
)
