from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

_GOV = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})

# Added to the inspections' section (same key: the items are appended) — a period scales their draws.
register(
    NavSection(
        key="inspections",
        label=pgettext_lazy("navigation", "监督检查"),
        weight=300,
        items=[NavItem(pgettext_lazy("navigation", "特殊时段"), "periods:period_list", _GOV)],
    )
)
