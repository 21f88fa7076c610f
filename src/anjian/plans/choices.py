"""Choices of the work-plan app, each status with the colour the pages show it in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style


class TaskStatus(StatusChoices):
    """The stored workflow state of a task. What a page shows is the *derived* status (below)."""

    ACTIVE = "active", Style("primary"), _("进行中")
    DONE = "done", Style("success"), _("已完成")
    CANCELLED = "cancelled", Style("light"), _("已撤销")


class DerivedStatus(StatusChoices):
    """How a task stands on a given day, derived from its deadlines in working days (rules.derived_status):
    the badge colour (and the board's cell class, static/plans/plans.css), the chart colour (ECharts)
    and a symbol, so the board reads without colour vision too."""

    NOT_STARTED = "not_started", Style("secondary", hex="#adb5bd", symbol="○"), _("未启动")
    ON_TRACK = "on_track", Style("primary", hex="#0d6efd", symbol="▶"), _("正常推进")
    AT_RISK = "at_risk", Style("warning", hex="#e0a800", symbol="!"), _("临期预警")
    OVERDUE = "overdue", Style("danger", hex="#dc3545", symbol="✕"), _("逾期")
    DONE = "done", Style("success", hex="#198754", symbol="✓"), _("已完成")
    CANCELLED = "cancelled", Style("light", hex="#adb5bd", symbol="—"), _("已撤销")


DERIVED_COLORS = DerivedStatus.colors()
DERIVED_SYMBOLS = DerivedStatus.symbols()
DERIVED_CHART_COLORS = DerivedStatus.hexes()

# The statuses of live work, in the order the board and the charts list them.
BOARD_STATUSES = (
    DerivedStatus.OVERDUE,
    DerivedStatus.AT_RISK,
    DerivedStatus.NOT_STARTED,
    DerivedStatus.ON_TRACK,
    DerivedStatus.DONE,
)


class Cadence(models.TextChoices):
    NONE = "none", _("一次性")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


class TaskSource(models.TextChoices):
    NOTICE = "notice", _("工作要点")
    MEETING = "meeting", _("会议决定")
    SUMMONS = "summons", _("约谈承诺")


class MilestoneKind(models.TextChoices):
    MILESTONE = "milestone", _("阶段目标")
    PERIOD = "period", _("周期节点")


class ProgressStatus(StatusChoices):
    DRAFT = "draft", Style("secondary"), _("草稿")
    SUBMITTED = "submitted", Style("info"), _("待审核")
    APPROVED = "approved", Style("success"), _("已通过")
    RETURNED = "returned", Style("danger"), _("已退回")


class SupervisionStatus(StatusChoices):
    ISSUED = "issued", Style("danger"), _("待反馈")
    REPLIED = "replied", Style("info"), _("已反馈")
    CLOSED = "closed", Style("success"), _("已办结")


class LetterStatus(StatusChoices):
    ISSUED = "issued", Style("warning"), _("待签订")
    SIGNED = "signed", Style("success"), _("已签订")
    REVOKED = "revoked", Style("secondary"), _("已作废")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("工作例会")
    SPECIAL = "special", _("专题会议")
    PROGRESS = "progress", _("推进会")


class SummonsStatus(StatusChoices):
    PROPOSED = "proposed", Style("warning"), _("拟约谈")
    HELD = "held", Style("dark"), _("已约谈")
    DISMISSED = "dismissed", Style("secondary"), _("不约谈")


class BulletinStatus(StatusChoices):
    DRAFT = "draft", Style("secondary"), _("草稿")
    PUBLISHED = "published", Style("success"), _("已印发")
