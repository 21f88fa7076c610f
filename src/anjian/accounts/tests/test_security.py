import datetime as dt
import os
import subprocess
import sys
import time

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, SimpleTestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from anjian.accounts.models import SecurityPolicy
from anjian.common.models import AuditAction, AuditEvent
from anjian.orgs.models import User
from anjian.testing import PASSWORD, AnjianTestCase


def totp_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


class PasswordPolicyTests(AnjianTestCase):
    def test_complexity_three_of_four_classes_and_length(self):
        for weak, reason in [
            ("Ab1!", "太短"),
            ("abcdefgh1", "至少三类"),
            ("ABCDEFGH", "至少三类"),
            ("12345678", "至少三类"),
            ("Password1", "太常见"),
        ]:
            with self.subTest(password=weak), self.assertRaises(ValidationError) as ctx:
                validate_password(weak)
            self.assertTrue(any(reason in m for m in ctx.exception.messages), ctx.exception.messages)
        validate_password("Jinshan#2026")
        validate_password("jinshan_2026x")  # lower + digit + symbol

    def test_the_policy_minimum_length_is_live(self):
        SecurityPolicy.objects.create(pk=1, password_min_length=12)
        with self.assertRaises(ValidationError):
            validate_password("Short#2026a")


class LoginTests(AnjianTestCase):
    def login(self, client, username, password, ip="10.1.1.1"):
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)

    def test_a_correct_login_reaches_the_home_page(self):
        client = Client()
        response = self.login(client, "safety_staff", PASSWORD)
        self.assertRedirects(response, reverse("home"))

    def test_the_login_page_is_titled_with_the_site_name_not_the_host(self):
        from django.conf import settings

        page = Client().get(reverse("accounts:login"))
        self.assertContains(page, f"<title>登录 · {settings.ANJIAN_SITE_NAME}</title>", html=False)

    def test_five_failures_lock_username_and_ip_with_a_chinese_message(self):
        client = Client()
        for _ in range(4):
            response = self.login(client, "safety_staff", "Wrong#Pass1")
            self.assertContains(response, "用户名或密码不正确")
        response = self.login(client, "safety_staff", "Wrong#Pass1")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        # Locked even with the right password, from the same address …
        self.assertEqual(self.login(client, "safety_staff", PASSWORD).status_code, 429)
        # … but the lock is keyed on username + IP: another address, or another user, still logs in.
        self.assertEqual(self.login(Client(), "safety_staff", PASSWORD, ip="10.9.9.9").status_code, 302)
        self.assertEqual(self.login(Client(), "gas_staff", PASSWORD).status_code, 302)
        self.assertEqual(AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count(), 6)

    def test_failures_older_than_the_window_do_not_count(self):
        from axes.models import AccessAttempt

        client = Client()
        for _ in range(4):
            self.login(client, "safety_staff", "Wrong#Pass1")
        AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
        self.login(client, "safety_staff", "Wrong#Pass1")
        self.assertEqual(self.login(client, "safety_staff", PASSWORD).status_code, 302)

    def test_the_security_admin_unlocks(self):
        for _ in range(5):
            self.login(Client(), "safety_staff", "Wrong#Pass1")
        admin = self.client_for(self.a.secadmin)
        self.assertContains(admin.get(reverse("accounts:lockouts")), "safety_staff")
        admin.post(reverse("accounts:unlock"), {"username": "safety_staff", "ip_address": "10.1.1.1"})
        self.assertEqual(self.login(Client(), "safety_staff", PASSWORD).status_code, 302)
        self.assertEqual(self.client_for(self.a.sysadmin).get(reverse("accounts:lockouts")).status_code, 403)

    def test_an_expired_password_must_be_changed_first(self):
        User.objects.filter(pk=self.a.safety_staff.pk).update(
            password_changed_at=timezone.now() - dt.timedelta(days=91)
        )
        client = Client()
        self.login(client, "safety_staff", PASSWORD)
        response = client.get(reverse("home"))
        self.assertRedirects(response, reverse("accounts:password_change"))
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": "Fresh#Pass2026", "new_password2": "Fresh#Pass2026"},
        )
        self.assertRedirects(response, reverse("home"))
        self.assertEqual(client.get(reverse("home")).status_code, 200)

    def test_a_temporary_password_must_be_changed_first(self):
        User.objects.filter(pk=self.a.safety_staff.pk).update(must_change_password=True)
        client = Client()
        self.login(client, "safety_staff", PASSWORD)
        self.assertRedirects(client.get(reverse("orgs:unit_list")), reverse("accounts:password_change"))

    def test_the_session_ends_after_the_idle_time(self):
        client = self.client_for(self.a.safety_staff)
        self.assertEqual(client.get(reverse("home")).status_code, 200)
        session = client.session
        session["_last_seen"] = time.time() - 31 * 60
        session.save()
        response = client.get(reverse("home"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(client.get(reverse("home")).status_code, 302)


class SecondFactorTests(AnjianTestCase):
    def test_admin_roles_must_enrol_and_pass_totp(self):
        client = Client()
        client.post(reverse("accounts:login"), {"username": "auditor", "password": PASSWORD})
        self.assertRedirects(client.get(reverse("common:audit_list")), reverse("accounts:otp"))
        page = client.get(reverse("accounts:otp"))
        self.assertContains(page, "data:image/svg+xml")
        # A standalone SVG: an <img> shows nothing without the SVG namespace.
        from urllib.parse import unquote

        uri = page.content.decode().split('src="data:image/svg+xml', 1)[1].split('"', 1)[0]
        self.assertIn(
            'xmlns="http://www.w3.org/2000/svg"', unquote(uri.split(",", 1)[1]).replace("&#x27;", "'").replace("'", '"')
        )
        device = TOTPDevice.objects.get(user=self.a.auditor, confirmed=False)
        wrong = client.post(reverse("accounts:otp"), {"token": "000000"})
        self.assertContains(wrong, "验证码不正确")
        # Failures throttle further attempts (django-otp's exponential back-off) …
        self.assertContains(client.post(reverse("accounts:otp"), {"token": totp_for(device)}), "次数过多")
        # … until the back-off has passed.
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=60)
        )
        response = client.post(reverse("accounts:otp"), {"token": totp_for(device)})
        self.assertRedirects(response, reverse("home"))
        self.assertEqual(client.get(reverse("common:audit_list")).status_code, 200)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        # A second login asks for the code again, without re-enrolment.
        client2 = Client()
        client2.post(reverse("accounts:login"), {"username": "auditor", "password": PASSWORD})
        page = client2.get(reverse("accounts:otp"))
        self.assertNotContains(page, "data:image/svg+xml")
        self.assertRedirects(client2.post(reverse("accounts:otp"), {"token": totp_for(device, 1)}), reverse("home"))

    def test_business_roles_need_no_second_factor_unless_the_policy_says_so(self):
        client = Client()
        client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
        self.assertEqual(client.get(reverse("home")).status_code, 200)
        SecurityPolicy.objects.create(pk=1, otp_required_roles=["leader"])
        self.assertRedirects(client.get(reverse("home")), reverse("accounts:otp"))

    def test_the_security_admin_edits_the_policy_and_it_is_audited(self):
        client = self.client_for(self.a.secadmin)
        self.assertEqual(client.get(reverse("accounts:policy")).status_code, 200)
        policy = SecurityPolicy.objects.get(pk=1)
        response = client.post(
            reverse("accounts:policy"),
            {
                "password_min_length": 10,
                "password_max_age_days": 60,
                "lockout_failures": 3,
                "lockout_minutes": 30,
                "session_idle_minutes": 15,
                "otp_required_roles": ["sysadmin", "secadmin", "auditadmin"],
                "version": policy.version,
            },
        )
        self.assertRedirects(response, reverse("accounts:policy"))
        event = AuditEvent.objects.filter(object_type="accounts.securitypolicy", action=AuditAction.UPDATE).last()
        self.assertEqual(event.changes["after"]["lockout_failures"], 3)
        bad = client.post(
            reverse("accounts:policy"),
            {
                "password_min_length": 6,
                "password_max_age_days": 60,
                "lockout_failures": 3,
                "lockout_minutes": 30,
                "session_idle_minutes": 15,
                "version": policy.version + 1,
            },
        )
        self.assertIn("password_min_length", bad.context["form"].errors)
        for user in (self.a.sysadmin, self.a.auditor, self.a.leader):
            self.assertEqual(self.client_for(user).get(reverse("accounts:policy")).status_code, 403)


class TokenApiTests(AnjianTestCase):
    url = "/api/v1/auth/token/"

    def test_username_and_password_give_a_token_that_reads_the_api(self):
        response = Client().post(
            self.url, {"username": "leader", "password": PASSWORD}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        token = response.json()["token"]
        listing = Client().get(reverse("api:orgunit-list"), HTTP_AUTHORIZATION=f"Token {token}")
        self.assertEqual(listing.status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action=AuditAction.LOGIN, changes__via="api_token").exists())

    def test_wrong_password_is_400_and_counts_toward_the_lock_out(self):
        for _ in range(4):
            r = Client().post(self.url, {"username": "leader", "password": "bad"}, content_type="application/json")
            self.assertEqual(r.status_code, 400)
        r = Client().post(self.url, {"username": "leader", "password": "bad"}, content_type="application/json")
        self.assertEqual(r.status_code, 429)
        r = Client().post(self.url, {"username": "leader", "password": PASSWORD}, content_type="application/json")
        self.assertEqual(r.status_code, 429)

    def test_admin_roles_need_the_second_factor_for_a_token(self):
        r = Client().post(self.url, {"username": "auditor", "password": PASSWORD}, content_type="application/json")
        self.assertEqual(r.status_code, 400)
        self.assertIn("otp", r.json())
        device = TOTPDevice.objects.create(user=self.a.auditor, name="app", confirmed=True)
        r = Client().post(
            self.url,
            {"username": "auditor", "password": PASSWORD, "otp": totp_for(device)},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200)

    def test_an_unauthenticated_api_call_is_refused(self):
        self.assertIn(Client().get(reverse("api:orgunit-list")).status_code, {401, 403})


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_is_clean_with_production_settings(self):
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("ANJIAN_", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "anjian.config.settings",
            "ANJIAN_SECRET_KEY": "prod-" + "k3y-" * 15,
            "ANJIAN_ALLOWED_HOSTS": "anjian.example.gov.cn",
            "ANJIAN_QUEUE_URL": "memory://",
            "DATABASE_URL": "sqlite:///:memory:",
        }
        result = subprocess.run(
            [sys.executable, "-m", "anjian", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_missing_secret_key_is_named_and_the_key_file_of_make_demo_is_found(self):
        import shutil
        import tempfile
        from pathlib import Path

        var = Path(tempfile.mkdtemp(prefix="anjian-var-"))
        self.addCleanup(shutil.rmtree, var, ignore_errors=True)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("ANJIAN_", "DJANGO_", "DATABASE_URL"))},
            "ANJIAN_VAR_DIR": str(var),
            "ANJIAN_QUEUE_URL": "memory://",
            "DATABASE_URL": "sqlite:///:memory:",
        }

        def anjian_check():
            return subprocess.run(
                [sys.executable, "-m", "anjian", "check"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

        missing = anjian_check()
        self.assertEqual(missing.returncode, 2, missing.stderr)
        self.assertIn("ANJIAN_SECRET_KEY", missing.stderr)
        self.assertNotIn("Traceback", missing.stderr)
        (var / "secret.key").write_text("demo-" + "k3y-" * 15 + "\n", encoding="utf-8")
        found = anjian_check()
        self.assertEqual(found.returncode, 0, found.stdout + found.stderr)


class VoluntarySecondFactorTests(AnjianTestCase):
    def test_any_user_may_enrol_and_is_then_asked_at_every_login(self):
        client = Client()
        client.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
        self.assertContains(client.get(reverse("accounts:otp")), "data:image/svg+xml")
        device = TOTPDevice.objects.get(user=self.a.leader)
        self.assertRedirects(client.post(reverse("accounts:otp"), {"token": totp_for(device)}), reverse("home"))
        later = Client()
        later.post(reverse("accounts:login"), {"username": "leader", "password": PASSWORD})
        self.assertRedirects(later.get(reverse("home")), reverse("accounts:otp"))

    def test_the_security_admin_resets_a_lost_authenticator(self):
        TOTPDevice.objects.create(user=self.a.leader, name="app", confirmed=True)
        response = self.client_for(self.a.secadmin).post(reverse("accounts:otp_reset", args=[self.a.leader.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=self.a.leader).exists())
        self.assertTrue(
            AuditEvent.objects.filter(object_type="otp_totp.totpdevice", action=AuditAction.DELETE).exists()
        )
        self.assertEqual(
            self.client_for(self.a.sysadmin).post(reverse("accounts:otp_reset", args=[self.a.leader.pk])).status_code,
            403,
        )
