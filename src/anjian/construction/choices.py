"""Choices of the construction registry: enterprise types and grades, project status and scale, trades."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.choices import StatusChoices, Style


class EnterpriseType(models.TextChoices):
    GENERAL_CONTRACTOR = "general_contractor", _("施工总承包")
    SPECIALTY_CONTRACTOR = "specialty_contractor", _("专业承包")
    LABOUR = "labour", _("劳务分包")
    SUPERVISOR = "supervisor", _("工程监理")
    BUILDER = "builder", _("建设单位")
    DESIGN = "design", _("勘察设计")
    OTHER = "other", _("其他")


class RiskGrade(models.TextChoices):
    """The sector's risk grading of an enterprise (A lowest risk … D highest)."""

    A = "A", _("A 级（低风险）")
    B = "B", _("B 级（一般风险）")
    C = "C", _("C 级（较大风险）")
    D = "D", _("D 级（重大风险）")


class QualificationGrade(models.TextChoices):
    SPECIAL = "special", _("特级")
    FIRST = "first", _("一级")
    SECOND = "second", _("二级")
    THIRD = "third", _("三级")
    CLASS_A = "class_a", _("甲级")
    CLASS_B = "class_b", _("乙级")
    UNGRADED = "ungraded", _("不分等级")


class ProjectStatus(StatusChoices):
    PREPARING = "preparing", Style("secondary"), _("未开工")
    IN_PROGRESS = "in_progress", Style("primary"), _("在建")
    SUSPENDED = "suspended", Style("warning"), _("停工")
    COMPLETED = "completed", Style("success"), _("已竣工")


class ProjectScale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Trade(models.TextChoices):
    """工种 of the real-name register (the common ones; 其他 for the rest)."""

    GENERAL = "general", _("普工")
    REBAR = "rebar", _("钢筋工")
    CARPENTER = "carpenter", _("木工")
    CONCRETE = "concrete", _("混凝土工")
    MASON = "mason", _("砌筑工")
    PAINTER = "painter", _("油漆工")
    WATERPROOF = "waterproof", _("防水工")
    PLASTERER = "plasterer", _("抹灰工")
    SCAFFOLDER = "scaffolder", _("架子工")
    ELECTRICIAN = "electrician", _("建筑电工")
    WELDER = "welder", _("电焊工")
    TOWER_CRANE = "tower_crane", _("塔式起重机司机")
    SIGNALLER = "signaller", _("信号司索工")
    HOIST = "hoist", _("施工升降机司机")
    GONDOLA = "gondola", _("高处作业吊篮安装拆卸工")
    CRANE_INSTALLER = "crane_installer", _("建筑起重机械安装拆卸工")
    MANAGER = "manager", _("管理人员")
    OTHER = "other", _("其他")


# Trades that are high-risk work in the sense of the age rule (高空作业, RULES.md §6): the register
# marks their workers as high-risk whatever was typed; others may be marked by hand (e.g. 井下).
HIGH_RISK_TRADES = frozenset(
    {
        Trade.SCAFFOLDER,
        Trade.TOWER_CRANE,
        Trade.SIGNALLER,
        Trade.HOIST,
        Trade.GONDOLA,
        Trade.WELDER,
        Trade.CRANE_INSTALLER,
    }
)
# 特种作业: the trades whose workers must hold a 特种作业操作证 (number and validity) to enter a site.
# 住建部《建筑施工特种作业人员管理规定》建质〔2008〕75号 第三条: 建筑电工、建筑架子工、建筑起重信号司索工、
# 建筑起重机械司机 (塔式起重机、施工升降机、物料提升机司机)、建筑起重机械安装拆卸工、高处作业吊篮安装拆卸工
# and others a provincial department names. [M] the list is restated from memory, not yet checked
# against the published text. 电焊工 is not in 75号: its 特种作业操作证 (焊接与热切割作业) is the
# 应急管理部门's under 原安监总局令第30号 [M] — held here to the same check on entry.
SPECIAL_OPERATION_TRADES = frozenset(
    {
        Trade.ELECTRICIAN,
        Trade.SCAFFOLDER,
        Trade.SIGNALLER,
        Trade.TOWER_CRANE,
        Trade.HOIST,
        Trade.CRANE_INSTALLER,
        Trade.GONDOLA,
        Trade.WELDER,
    }
)
CERT_EXPIRING_DAYS = 30  # a 特种作业操作证 "expiring": its validity ends within this many days
OVER_AGE_CAMPAIGN = "严禁超龄用工专项整治"
