"""API permissions. Kept apart from the views: DRF imports DEFAULT_PERMISSION_CLASSES while
``rest_framework.views`` itself is being imported."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from anjian.accounts import checks


class PolicySatisfied(permissions.BasePermission):
    """The API side of the security middleware: a session user must have passed the second
    factor and must not be on an expired password. (Tokens are issued only after both.)"""

    message = _("请先在网页完成双因素认证或修改过期密码。")

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if isinstance(request.successful_authenticator, _knox_auth_class()):
            return True
        if checks.otp_required(user) and not checks.is_verified(user):
            return False
        return not checks.password_expired(user)


def _knox_auth_class():
    from knox.auth import TokenAuthentication

    return TokenAuthentication
