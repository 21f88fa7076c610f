from django.utils.translation import pgettext_lazy

from anjian.common.nav import NavItem, NavSection, register

GOVERNMENT = frozenset({"leader", "unit_head", "unit_staff", "officer", "legal_reviewer"})
SIGNERS = GOVERNMENT | {"enterprise_user", "agency_user"}

register(
    NavSection(
        key="plans",
        label=pgettext_lazy("navigation", "工作计划"),
        weight=200,
        items=[
            NavItem(pgettext_lazy("navigation", "工作要点"), "plans:plan_list", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "挂图作战"), "plans:board", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "统计图表"), "plans:charts", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "工作任务"), "plans:task_list", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "进展报告"), "plans:report_list", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "目标责任书"), "plans:letter_list", SIGNERS),
            NavItem(pgettext_lazy("navigation", "会议"), "plans:meeting_list", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "定期通报"), "plans:bulletin_list", GOVERNMENT),
        ],
    )
)
# The plan's 督办 and 约谈 pages join the shared supervision section.
register(
    NavSection(
        key="supervision",
        label=pgettext_lazy("navigation", "督查督办"),
        weight=300,
        items=[
            NavItem(pgettext_lazy("navigation", "督办通知"), "plans:notice_list", GOVERNMENT),
            NavItem(pgettext_lazy("navigation", "约谈"), "plans:summons_list", GOVERNMENT),
        ],
    )
)
