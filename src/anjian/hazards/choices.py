"""Choices of the hazard app: the life cycle, sectors, levels, sources, campaigns and measures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style


class HazardStatus(StatusChoices):
    """The life cycle of a hazard (SPEC §2.3): reported → assigned → rectifying → submitted →
    verified → closed out (销号), with rejection, extension and cancellation. Each with its badge
    colour and the hex the map and the charts use."""

    REPORTED = "reported", Style("secondary", hex="#6c757d"), _("待交办")
    ASSIGNED = "assigned", Style("info", hex="#0dcaf0"), _("已交办")
    RECTIFYING = "rectifying", Style("warning", hex="#fd7e14"), _("整改中")
    EXTENSION_REQUESTED = "extension_requested", Style("warning", hex="#ffc107"), _("申请延期")
    SUBMITTED = "submitted", Style("primary", hex="#0d6efd"), _("待验收")
    VERIFIED = "verified", Style("success", hex="#20c997"), _("已验收")
    CLOSED = "closed", Style("dark", hex="#198754"), _("已销号")
    CANCELLED = "cancelled", Style("light", hex="#adb5bd"), _("已撤销")


# States in which a hazard still has to be dealt with.
OPEN_STATES = (
    HazardStatus.REPORTED,
    HazardStatus.ASSIGNED,
    HazardStatus.RECTIFYING,
    HazardStatus.EXTENSION_REQUESTED,
    HazardStatus.SUBMITTED,
    HazardStatus.VERIFIED,
)
# States in which the deadline runs against the responsible enterprise (the escalation ladder's "open").
DEADLINE_STATES = (HazardStatus.ASSIGNED, HazardStatus.RECTIFYING, HazardStatus.EXTENSION_REQUESTED)
# The map's and the figures' colours (the same hex on the map and in the charts).
STATUS_HEX = HazardStatus.hexes()


class Sector(models.TextChoices):
    CONSTRUCTION = "construction", _("建筑施工")
    GAS = "gas", _("燃气")
    UNDERGROUND = "underground", _("地下空间")
    MUNICIPAL = "municipal", _("市政设施")
    FIRE = "fire", _("消防")
    CURTAIN_WALL = "curtain_wall", _("玻璃幕墙")
    RURAL_HOUSE = "rural_house", _("农村房屋")
    OTHER = "other", _("其他")


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般")
    MAJOR = "major", _("重大")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("监督检查")
    SELF_CHECK = "self_check", _("企业自查")
    THIRD_PARTY = "third_party", _("第三方巡查")
    PUBLIC_REPORT = "public_report", _("群众举报")
    CAMPAIGN = "campaign", _("专项整治")


class PhotoStage(models.TextChoices):
    FOUND = "found", _("发现时")
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")


class SubmissionVerdict(models.TextChoices):
    PENDING = "pending", _("待验收")
    ACCEPTED = "accepted", _("验收通过")
    REJECTED = "rejected", _("退回")


class CampaignKind(models.TextChoices):
    PROGRAMME = "programme", _("专项行动")
    THEME = "theme", _("专项行动子专题")
    SPECIAL = "special", _("专项整治")


class MeasureKind(models.TextChoices):
    REGULATION = "regulation", _("制度")
    MECHANISM = "mechanism", _("机制")
    STANDARD = "standard", _("标准")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已建立")
    OVERDUE = "overdue", _("滞后")


class Standard(models.TextChoices):
    """The determination standards criteria data exists for (``rules.py`` engines)."""

    CONSTRUCTION = "construction_major", _("房屋市政工程生产安全重大事故隐患判定标准")
    FIRE = "fire_major", _("重大火灾隐患判定方法（GB 35181）")


class CoordinateSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS84（GPS、天地图）")
    GCJ02 = "gcj02", _("GCJ-02（高德、腾讯地图）")
