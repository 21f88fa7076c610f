from django.db import models
from django.utils.translation import gettext_lazy as _


class WallCheckKind(models.TextChoices):
    PERIODIC = "periodic", _("定期检查")
    APPRAISAL = "appraisal", _("安全性鉴定")
    SILICONE = "silicone", _("硅酮结构胶检查")
    CABLE = "cable", _("索杆检查")
    SPECIAL = "special", _("专项鉴定")


class WallCheckResult(models.TextChoices):
    PASSED = "passed", _("合格")
    DEFECTS = "defects", _("存在缺陷须整改")
    UNSAFE = "unsafe", _("不安全")


class DamageKind(models.TextChoices):
    TYPHOON = "typhoon", _("台风")
    EARTHQUAKE = "earthquake", _("地震")
    FIRE = "fire", _("火灾")
    LIGHTNING = "lightning", _("雷击")
    EXPLOSION = "explosion", _("爆炸")


# What a due date is for (``rules.dues.DueItem.kind``).
DUE_KIND_LABELS = {
    "periodic": _("定期检查"),
    "silicone": _("硅酮结构胶检查"),
    "cable": _("索杆检查"),
    "appraisal": _("超设计使用年限安全性鉴定"),
    "damage": _("受损后安全性鉴定"),
}


class HouseStructure(models.TextChoices):
    BRICK_CONCRETE = "brick_concrete", _("砖混")
    BRICK_WOOD = "brick_wood", _("砖木")
    EARTH_WOOD = "earth_wood", _("土木")
    FRAME = "frame", _("框架")
    OTHER = "other", _("其他")


class HouseUse(models.TextChoices):
    OWN = "own", _("自住")
    BUSINESS = "business", _("经营")
    RENTED = "rented", _("出租")
    MIXED = "mixed", _("自住兼经营")
    VACANT = "vacant", _("闲置")
    OTHER = "other", _("其他")


class Dilapidation(models.TextChoices):
    A = "A", _("A 级")
    B = "B", _("B 级")
    C = "C", _("C 级（局部危房）")
    D = "D", _("D 级（整栋危房）")


class Renovation(models.TextChoices):
    NOT_STARTED = "not_started", _("未整治")
    IN_PROGRESS = "in_progress", _("整治中")
    RENOVATED = "renovated", _("已整治")
    DEMOLISHED = "demolished", _("已拆除")
