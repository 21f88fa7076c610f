from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodsConfig(AppConfig):
    """Special periods (特殊时段, source clause (十) 强化特殊时间节点安全管控): 春节、全国两会、国庆、
    进博会、汛期、夏季高温、冬春火灾防控 … as a calendar of the whole committee, each with its duty level
    and the multiplier the inspection draws apply to their sampling ratios (``selectors.multiplier_on``)."""

    name = "anjian.periods"
    verbose_name = _("特殊时段")

    def ready(self) -> None:
        from anjian.common.home_panels import register_panel
        from anjian.periods import home

        register_panel(home.current_periods_panel)
