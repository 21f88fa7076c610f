"""Login, logout, password change, the second factor, and the security admin's pages."""

from __future__ import annotations

import base64

import segno
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from anjian.accounts import checks, policy
from anjian.accounts.forms import LoginForm, OTPTokenForm, OwnPasswordChangeForm, SecurityPolicyForm
from anjian.accounts.models import SecurityPolicy
from anjian.common import audit
from anjian.common.generic import apply_validation_error
from anjian.common.models import AuditAction
from anjian.common.scope import has_role
from anjian.orgs import services as org_services
from anjian.orgs.choices import Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django names the site after the request's host ("127.0.0.1:8000"); the page shows ours.
        context.pop("site_name", None)
        return context


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this when username+IP has failed too often: the login page with the reason."""
    current = policy.current()
    message = _(
        "登录失败次数过多（%(n)d 分钟内 %(f)d 次），该账号在本地址已被锁定 %(n)d 分钟。请稍后再试，或联系安全管理员解锁。"
    ) % {"n": current.lockout_minutes, "f": current.lockout_failures}
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429)


@login_required
def password_change(request):
    form = OwnPasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = org_services.user_change_own_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改"))
            return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": checks.password_expired(request.user), "title": _("修改密码")},
    )


# ---------------------------------------------------------------------------
# Second factor (TOTP, RFC 6238)
# ---------------------------------------------------------------------------
def _qr_data_uri(url: str) -> str:
    # A standalone SVG (with its namespace) as a data: URI; the inline flavour does not render in <img>.
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


@login_required
def otp(request):
    """Verify the second factor; on first use, enrol an authenticator app (scan the QR code)."""
    user = request.user
    if checks.is_verified(user):
        messages.info(request, _("您已通过双因素认证。"))
        return redirect("home")
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            with transaction.atomic():
                device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("验证失败次数过多，请稍候几秒再试"))
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                if not device.confirmed:
                    device.confirmed = True
                    device.save()
                otp_login(request, device)
                audit.record(AuditAction.LOGIN, user, changes={"second_factor": "totp"})
            nxt = request.GET.get("next", "")
            if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
                return redirect(nxt)
            return redirect("home")
        else:
            form.add_error("token", _("验证码不正确或已过期"))
    context = {"form": form, "enrol": confirmed is None, "title": _("双因素认证")}
    if confirmed is None:
        secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
        context["secret"] = secret
        context["qr"] = _qr_data_uri(device.config_url)
    return render(request, "accounts/otp.html", context)


# ---------------------------------------------------------------------------
# Security admin: policy and lock-outs
# ---------------------------------------------------------------------------
def _require_secadmin(request) -> None:
    if not has_role(request.user, Role.SECADMIN):
        raise PermissionDenied(_("只有安全管理员可以访问"))


@login_required
def security_policy(request):
    _require_secadmin(request)
    instance, _created = SecurityPolicy.objects.get_or_create(pk=1, defaults=_policy_defaults())
    form = SecurityPolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                row = form.save(commit=False)
                if int(form.cleaned_data["version"]) != SecurityPolicy.objects.select_for_update().get(pk=1).version:
                    raise ValidationError(_("安全策略已被他人修改，请刷新后重试"))
                row.version += 1
                row.full_clean()
                row.save()
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            policy.clear_cache()
            messages.success(request, _("安全策略已保存"))
            return redirect("accounts:policy")
    return render(request, "accounts/policy.html", {"form": form, "title": _("安全策略")})


def _policy_defaults() -> dict:
    d = policy.defaults()
    return {
        "password_min_length": d.password_min_length,
        "password_max_age_days": d.password_max_age_days,
        "lockout_failures": d.lockout_failures,
        "lockout_minutes": d.lockout_minutes,
        "session_idle_minutes": d.session_idle_minutes,
        "otp_required_roles": sorted(d.otp_required_roles),
    }


@login_required
@require_POST
def otp_reset(request, user_id: int):
    """A user lost the phone with the authenticator: remove their devices (audited); they enrol again."""
    _require_secadmin(request)
    from anjian.common.generic import scoped_object_or_404
    from anjian.orgs.models import User

    target = scoped_object_or_404(User, request.user, user_id)
    with transaction.atomic():
        for device in TOTPDevice.objects.filter(user=target):
            device.delete()
    messages.success(request, _("已重置 %(u)s 的双因素认证，其下次登录时重新绑定") % {"u": target})
    return redirect(target.get_absolute_url())


@login_required
def lockouts(request):
    _require_secadmin(request)
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    limit = policy.current().lockout_failures
    return render(request, "accounts/lockouts.html", {"attempts": attempts, "limit": limit, "title": _("登录锁定")})


@login_required
@require_POST
def unlock(request):
    _require_secadmin(request)
    username = request.POST.get("username", "")[:150]
    ip = request.POST.get("ip_address", "")[:45] or None
    with transaction.atomic():
        count = axes_reset(username=username, ip=ip) if ip else axes_reset(username=username)
        audit.record(
            AuditAction.OTHER,
            object_type="orgs.user",
            object_repr=username,
            changes={"unlock": username, "ip": ip or "", "attempts_cleared": count},
        )
    messages.success(request, _("已解锁 %(u)s") % {"u": username})
    return redirect("accounts:lockouts")
