from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.models.base import AnjianModel
from anjian.common.text import parenthesized


class CalendarYear(AnjianModel):
    """A year of the State Council holiday arrangement entered by an administrator.

    The calendar package knows the years published before its release; when the next year's
    notice (国务院办公厅关于…部分节假日安排的通知, usually issued in November) is out before the
    package is updated, the system admin enters it here. A year entered here overrides the package.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(_("依据通知"), max_length=100, help_text=_("例如：国办发明电〔2025〕7号"))
    holidays = models.JSONField(
        _("放假日期"), default=list, blank=True, help_text=_("放假的日期（含周末以外的法定节假日及调休放假日）")
    )
    workdays = models.JSONField(_("调休上班日期"), default=list, blank=True, help_text=_("周末调休上班的日期"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return parenthesized(self.year, self.notice)
