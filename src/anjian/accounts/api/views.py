"""Token login for the API (``/api/v1/auth/token/``, ``/api/v1/auth/logout/``): the same
authentication, lock-out, second factor and password policy as the login page."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anjian.accounts import checks


# ---------------------------------------------------------------------------
# Token login
# ---------------------------------------------------------------------------
class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.RegexField(r"^\d{6}$", required=False, help_text=_("须双因素认证的角色必填：6 位验证码"))


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class TokenView(APIView):
    """``POST /api/v1/auth/token/``: username + password (+ TOTP for the admin roles) → a token.

    Goes through ``authenticate()``, so failures count toward the same lock-out as the login page
    and are audited the same way.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description=gettext_lazy("用户名或密码错误 / 缺少验证码")),
            403: OpenApiResponse(description=gettext_lazy("须修改密码")),
            429: OpenApiResponse(description=gettext_lazy("已锁定")),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return Response(
                {"detail": _("登录失败次数过多，账号已被临时锁定。")}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        # Failures are returned, not raised: a raised API error rolls the request's transaction back,
        # and the failed attempt must stay recorded (lock-out counter and audit trail).
        if user is None:
            return Response({"non_field_errors": [_("用户名或密码不正确。")]}, status=status.HTTP_400_BAD_REQUEST)
        if checks.otp_required(user):
            from django_otp import match_token

            token = data.validated_data.get("otp")
            if not token or match_token(user, token) is None:
                return Response({"otp": [_("该角色须提供正确的双因素验证码。")]}, status=status.HTTP_400_BAD_REQUEST)
        if checks.password_expired(user):
            return Response(
                {"detail": _("密码已过期或为临时密码，请先在网页修改密码。")}, status=status.HTTP_403_FORBIDDEN
            )
        instance, token = AuthToken.objects.create(user)
        from anjian.common import audit
        from anjian.common.models import AuditAction

        with audit.audit_context(actor=user, request_id=getattr(django_request, "id", ""), ip=_ip(django_request)):
            audit.record(AuditAction.LOGIN, user, changes={"via": "api_token"})
        return Response({"token": token, "expiry": instance.expiry})


def _ip(request) -> str:
    from anjian.common.middleware import client_ip

    return client_ip(request)


class TokenLogoutView(KnoxLogoutView):
    """``POST /api/v1/auth/logout/``: revoke the token the request was made with."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request, format=None):  # noqa: A002 - knox's signature
        return super().post(request, format)
