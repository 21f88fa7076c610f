from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.common.models import AnjianModel


def default_otp_roles() -> list[str]:
    from django.conf import settings

    return list(settings.ANJIAN_OTP_REQUIRED_ROLES)


class SecurityPolicy(AnjianModel):
    """The live security policy (one row), edited by the security admin; changes are audited.

    Seeded from the ANJIAN_* settings. 等保 level 3 asks for password complexity and expiry,
    lock-out after repeated failures, session timeout, and a second factor for administrators.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    password_min_length = models.PositiveSmallIntegerField(
        _("密码最小长度"), default=8, validators=[MinValueValidator(8), MaxValueValidator(64)]
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("密码有效期（天）"),
        default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_("到期后登录时必须修改密码；0 表示不过期"),
    )
    lockout_failures = models.PositiveSmallIntegerField(
        _("锁定前允许失败次数"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        _("锁定时长/统计窗口（分钟）"), default=15, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("会话空闲超时（分钟）"), default=30, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    otp_required_roles = models.JSONField(_("须双因素认证的角色"), default=default_otp_roles, blank=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="accounts_securitypolicy_single_row"),
            models.CheckConstraint(
                condition=models.Q(password_min_length__gte=8), name="accounts_securitypolicy_min_length"
            ),
            models.CheckConstraint(
                condition=models.Q(lockout_failures__gte=1), name="accounts_securitypolicy_failures"
            ),
            models.CheckConstraint(condition=models.Q(lockout_minutes__gte=1), name="accounts_securitypolicy_minutes"),
            models.CheckConstraint(
                condition=models.Q(session_idle_minutes__gte=1, session_idle_minutes__lte=720),
                name="accounts_securitypolicy_idle",
            ),
        ]

    def __str__(self) -> str:
        return str(_("安全策略"))


class UserPreference(models.Model):
    """What a person chose for themselves, kept across browsers and logins: the interface language
    picked with the footer switch. A missing row (or an empty language) means the site default."""

    user = models.OneToOneField(
        "orgs.User", on_delete=models.CASCADE, related_name="preference", verbose_name=_("用户")
    )
    language = models.CharField(_("界面语言"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("个人偏好")
        verbose_name_plural = _("个人偏好")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"
