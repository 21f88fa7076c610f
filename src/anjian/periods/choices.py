from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    HOLIDAY = "holiday", _("节日")
    MAJOR_EVENT = "major_event", _("重大活动")
    FLOOD = "flood", _("汛期")
    HEAT = "heat", _("高温")
    WINTER_SPRING = "winter_spring", _("冬春")
    OTHER = "other", _("其他")


class DutyLevel(models.TextChoices):
    """值守等级: 一级 the highest (leaders on duty around the clock), 三级 the ordinary reinforced duty."""

    FIRST = "1", _("一级值守")
    SECOND = "2", _("二级值守")
    THIRD = "3", _("三级值守")
