"""Choices of the work-plan app, each status with the colour the pages show it in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    """The stored workflow state of a task. What a page shows is the *derived* status (below)."""

    ACTIVE = "active", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


class DerivedStatus(models.TextChoices):
    """How a task stands on a given day, derived from its deadlines in working days (rules.derived_status)."""

    NOT_STARTED = "not_started", _("未启动")
    ON_TRACK = "on_track", _("正常推进")
    AT_RISK = "at_risk", _("临期预警")
    OVERDUE = "overdue", _("逾期")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


# Bootstrap colours of the badges, and the board's cell classes (static/plans/plans.css).
DERIVED_COLORS = {
    DerivedStatus.NOT_STARTED: "secondary",
    DerivedStatus.ON_TRACK: "primary",
    DerivedStatus.AT_RISK: "warning",
    DerivedStatus.OVERDUE: "danger",
    DerivedStatus.DONE: "success",
    DerivedStatus.CANCELLED: "light",
}
# A symbol beside the colour, so the board reads without colour vision too.
DERIVED_SYMBOLS = {
    DerivedStatus.NOT_STARTED: "○",
    DerivedStatus.ON_TRACK: "▶",
    DerivedStatus.AT_RISK: "!",
    DerivedStatus.OVERDUE: "✕",
    DerivedStatus.DONE: "✓",
    DerivedStatus.CANCELLED: "—",
}
# Chart colours (ECharts), the same hues as the badges.
DERIVED_CHART_COLORS = {
    DerivedStatus.DONE: "#198754",
    DerivedStatus.ON_TRACK: "#0d6efd",
    DerivedStatus.AT_RISK: "#e0a800",
    DerivedStatus.OVERDUE: "#dc3545",
    DerivedStatus.NOT_STARTED: "#adb5bd",
}
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


class ProgressStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")


class SupervisionStatus(models.TextChoices):
    ISSUED = "issued", _("待反馈")
    REPLIED = "replied", _("已反馈")
    CLOSED = "closed", _("已办结")


class LetterStatus(models.TextChoices):
    ISSUED = "issued", _("待签订")
    SIGNED = "signed", _("已签订")
    REVOKED = "revoked", _("已作废")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("工作例会")
    SPECIAL = "special", _("专题会议")
    PROGRESS = "progress", _("推进会")


class SummonsStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟约谈")
    HELD = "held", _("已约谈")
    DISMISSED = "dismissed", _("不约谈")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已印发")
