from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel, AuditedMixin
from anjian.common.querysets import AnjianQuerySet
from anjian.common.scope import ScopeFields
from anjian.common.text import parenthesized
from anjian.orgs import rules
from anjian.orgs.choices import ADMIN_ROLES, GOVERNMENT_KINDS, DataScope, OrgUnitKind, Role


class OrgUnit(AnjianModel):
    """A node of the jurisdiction tree: the committee, its 科室 and 委属单位, the towns it works
    with, and the enterprises and agencies it supervises or engages.

    Each district's committee is the root of its own subtree, so one installation can hold a
    whole city. ``path`` ("/00000001/00000004/") is maintained by the services and makes "this unit and
    everything below it" one indexed prefix match.
    """

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级单位")
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    division = models.ForeignKey(
        "places.Division", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所在区划")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False, help_text=_("演示用的示例单位，名称非真实"))
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope_fields = ScopeFields(unit=("pk",), enterprise=("pk",), agency=("pk",), town=("division",))
    audit_exclude = ("updated_at", "version", "path")

    class Meta:
        ordering = ["path", "sort_order"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~models.Q(uscc=""), name="orgs_orgunit_uscc_unique"),
            models.UniqueConstraint(fields=["parent", "name"], name="orgs_orgunit_name_unique_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:unit_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(0, self.path.count("/") - 2)

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    def clean(self) -> None:
        errors = {}
        self.uscc = (self.uscc or "").strip().upper()
        if self.kind == OrgUnitKind.ENTERPRISE or self.uscc:
            reason = rules.check_uscc(self.uscc)
            if reason:
                errors["uscc"] = ValidationError(
                    _("统一社会信用代码%(reason)s"), code="invalid_uscc", params={"reason": reason}
                )
            elif OrgUnit.objects.filter(uscc=self.uscc).exclude(pk=self.pk).exists():
                errors["uscc"] = ValidationError(_("该统一社会信用代码已被其他单位使用"), code="duplicate_uscc")
        if self.parent_id is None and self.kind != OrgUnitKind.COMMITTEE:
            errors["parent"] = ValidationError(_("只有委员会可以是顶层单位，请选择上级单位"), code="parent_required")
        if self.kind == OrgUnitKind.TOWN and self.division_id and self.division.level != "town":
            errors["division"] = ValidationError(_("街镇必须关联一个街镇级行政区划"), code="division_level")
        reason = rules.check_phone(self.contact_phone)
        if reason:
            errors["contact_phone"] = ValidationError(reason, code="invalid_phone")
        if errors:
            raise ValidationError(errors)


class ScopedUserManager(UserManager.from_queryset(AnjianQuerySet)):
    """Django's user manager with the scoped, audited queryset."""

    # Django's managers hash the password without set_password(); record when it was set.
    def create_user(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("password_changed_at", timezone.now())
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("password_changed_at", timezone.now())
        return super().create_superuser(username, email, password, **extra_fields)


class User(AuditedMixin, AbstractUser):
    """A person who logs in: a civil servant, an officer, an enterprise's or an agency's staff.

    The profile lives on the user itself (real name, unit, phone, enforcement certificate), so
    one row is one person. Phone numbers show masked in lists; unmasking is an audit event.
    """

    real_name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("所属单位")
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    enforcement_cert_no = models.CharField(_("执法证号"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = ScopedUserManager()

    scope_fields = ScopeFields(unit=("unit",), enterprise=("unit",), agency=("unit",), town=("unit__division",))
    audit_secret = ("password",)
    audit_exclude = ("last_login", "version")
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return parenthesized(self.real_name, self.username) if self.real_name else self.username

    def get_absolute_url(self) -> str:
        return reverse("orgs:user_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.real_name or self.username

    def get_short_name(self) -> str:
        return self.real_name or self.username

    def set_password(self, raw_password) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    def clean(self) -> None:
        super().clean()
        reason = rules.check_phone(self.phone)
        if reason:
            raise ValidationError({"phone": ValidationError(reason, code="invalid_phone")})


class RoleAssignment(AnjianModel):
    """A role a user holds, anchored at an org unit, with the data scope it opens (SPEC §1)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("范围单位"))
    scope = models.CharField(_("数据范围"), max_length=20, choices=DataScope.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_fields = ScopeFields(unit=("unit",))

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="orgs_roleassignment_unique",
                violation_error_message=_("该用户在该单位已有此角色"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self) -> None:
        errors = {}
        unit = self.unit if self.unit_id else None
        if self.role == Role.ENTERPRISE_USER:
            if self.scope != DataScope.OWN_ENTERPRISE:
                errors["scope"] = ValidationError(_("企业用户的数据范围只能是“本企业”"), code="scope_role")
            if unit and unit.kind != OrgUnitKind.ENTERPRISE:
                errors["unit"] = ValidationError(_("企业用户必须授权在一个企业上"), code="unit_kind")
        elif self.role == Role.AGENCY_USER:
            if self.scope != DataScope.OWN_AGENCY:
                errors["scope"] = ValidationError(_("第三方机构用户的数据范围只能是“本机构”"), code="scope_role")
            if unit and unit.kind != OrgUnitKind.AGENCY:
                errors["unit"] = ValidationError(_("第三方机构用户必须授权在一个第三方机构上"), code="unit_kind")
        else:
            if self.scope == DataScope.OWN_TOWN and unit and (unit.kind != OrgUnitKind.TOWN or not unit.division_id):
                errors["scope"] = ValidationError(
                    _("“本街镇辖区”只能授权在关联了街镇区划的街镇单位上"), code="scope_town"
                )
            if self.scope in {DataScope.OWN_ENTERPRISE, DataScope.OWN_AGENCY}:
                errors["scope"] = ValidationError(_("该数据范围只用于企业或第三方机构用户"), code="scope_role")
            if unit and not unit.is_government:
                errors["unit"] = ValidationError(
                    _("政府角色必须授权在委员会、科室、委属单位或街镇上"), code="unit_kind"
                )
        if self.role in ADMIN_ROLES and self.user_id:
            others = (
                RoleAssignment.objects.filter(user_id=self.user_id, role__in=ADMIN_ROLES)
                .exclude(role=self.role)
                .exclude(pk=self.pk)
            )
            if others.exists():
                errors["role"] = ValidationError(
                    _("系统管理员、安全管理员、审计管理员三员分立，同一用户只能担任其中一种"), code="admin_separation"
                )
        if errors:
            raise ValidationError(errors)
