from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    COMMITTEE = "committee", _("委员会")
    DEPARTMENT = "department", _("科室")
    AFFILIATE = "affiliate", _("委属单位")
    TOWN = "town", _("街镇")
    ENTERPRISE = "enterprise", _("企业")
    AGENCY = "agency", _("第三方机构")


GOVERNMENT_KINDS = frozenset({OrgUnitKind.COMMITTEE, OrgUnitKind.DEPARTMENT, OrgUnitKind.AFFILIATE, OrgUnitKind.TOWN})


class Role(models.TextChoices):
    """The roles of SPEC §1 (the anonymous public has no account)."""

    LEADER = "leader", _("委领导")
    UNIT_HEAD = "unit_head", _("科室/单位负责人")
    UNIT_STAFF = "unit_staff", _("科室/单位工作人员")
    OFFICER = "officer", _("执法人员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核员")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    AGENCY_USER = "agency_user", _("第三方机构用户")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITADMIN = "auditadmin", _("审计管理员")


GOVERNMENT_ROLES = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF, Role.OFFICER, Role.LEGAL_REVIEWER})
# The three separated admin roles of 等保 level 3; one person holds at most one of them.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})


class DataScope(models.TextChoices):
    OWN_UNIT = "own_unit", _("本单位")
    UNIT_SUBTREE = "unit_subtree", _("本单位及下级")
    ALL = "all", _("全部")
    OWN_TOWN = "own_town", _("本街镇辖区")
    OWN_ENTERPRISE = "own_enterprise", _("本企业")
    OWN_AGENCY = "own_agency", _("本机构")
