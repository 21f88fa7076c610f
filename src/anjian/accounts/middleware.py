import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from anjian.accounts import checks, policy

NO_SESSION = ("/static/", "/healthz", "/favicon.ico")
OWN_CHECKS = ("/public/", "/api/")  # the public portal needs no login; the API checks in PolicySatisfied
OTP_OPEN = ("/accounts/login/", "/accounts/logout/", "/accounts/otp/", "/i18n/")
PASSWORD_OPEN = (*OTP_OPEN, "/accounts/password/")


class SecurityPolicyMiddleware:
    """Session idle timeout, the second factor for admin roles, and password expiry (等保 level 3).

    The idle clock is kept server-side in the session, so a copied cookie stops working after the
    idle time just like the browser's own. The API (token auth) enforces the same through
    ``anjian.accounts.api.permissions.PolicySatisfied``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if user is None or not user.is_authenticated or path.startswith(NO_SESSION):
            return self.get_response(request)
        current = policy.current()
        now = time.time()
        last_seen = request.session.get("_last_seen")
        if last_seen is not None and now - last_seen > current.session_idle_minutes * 60:
            logout(request)
            messages.info(
                request, _("您已 %(m)d 分钟无操作，会话已超时，请重新登录。") % {"m": current.session_idle_minutes}
            )
            if path.startswith("/api/") or request.headers.get("HX-Request"):
                return JsonResponse({"detail": _("会话已超时，请重新登录。")}, status=401)
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        request.session["_last_seen"] = now
        if path.startswith(OWN_CHECKS):
            return self.get_response(request)
        if not path.startswith(OTP_OPEN) and not checks.is_verified(user) and checks.otp_required(user, current):
            return redirect("accounts:otp")
        if not path.startswith(PASSWORD_OPEN) and checks.password_expired(user, current):
            messages.warning(request, _("您的密码已过期或为临时密码，请先修改密码。"))
            return redirect("accounts:password_change")
        return self.get_response(request)
