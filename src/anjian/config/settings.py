"""Anjian settings, read from the environment.

Every setting that differs between the embedded default (SQLite, a queue in a SQLite file,
one process) and production (PostgreSQL, the queue on Redis, several app servers behind
nginx) is an environment variable; README.md lists them all. Small helpers raise
ImproperlyConfigured on a bad value, so a typo stops the server instead of being ignored.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/anjian
BASE_DIR = Path(os.environ.get("ANJIAN_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("ANJIAN_VAR_DIR", BASE_DIR / "var")).resolve()


# ---------------------------------------------------------------------------
# Environment helpers
# ---------------------------------------------------------------------------
def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env_bool("ANJIAN_DEBUG", False)
# Behind TLS (production) cookies are Secure, HTTP is redirected and HSTS is sent.
# `make demo` serves plain HTTP on 127.0.0.1 and sets ANJIAN_HTTPS=false.
HTTPS = env_bool("ANJIAN_HTTPS", True)


def _secret_key() -> str:
    key = env_str("ANJIAN_SECRET_KEY")
    key_file = env_str("ANJIAN_SECRET_KEY_FILE")
    if key:
        return key
    if key_file:
        try:
            return Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"ANJIAN_SECRET_KEY_FILE cannot be read: {exc}") from exc
    default_file = VAR_DIR / "secret.key"  # what `make demo` writes: commands run beside it need no variable
    if default_file.is_file():
        return default_file.read_text(encoding="utf-8").strip()
    if DEBUG:
        return "insecure-development-key-only-for-ANJIAN_DEBUG"  # noqa: S105 - never used without DEBUG
    raise ImproperlyConfigured(
        f"Set ANJIAN_SECRET_KEY or ANJIAN_SECRET_KEY_FILE, or create {default_file} (make demo writes it)."
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ANJIAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ANJIAN_CSRF_TRUSTED_ORIGINS", [])

# Who sees what: the org app implements the framework's scope provider (anjian.common.scope).
ANJIAN_SCOPE_PROVIDER = "anjian.orgs.scope.OrgScopeProvider"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "csp",
    "anjian.common",
    "anjian.places",
    "anjian.orgs",
    "anjian.accounts",
    "anjian.plans",
    "anjian.hazards",
    "anjian.construction",
    "anjian.buildings",
    "anjian.inspections",
    "anjian.enforcement",
    "anjian.periods",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The interface language: the user's choice or the cookie, else Chinese (never Accept-Language).
    "anjian.accounts.language.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "anjian.common.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anjian.accounts.middleware.SecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware turns a locked-out login into the lock-out page; it must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anjian.config.urls"
WSGI_APPLICATION = "anjian.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.common.context_processors.shell",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: DATABASE_URL, default a SQLite file under var/
# ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'anjian.sqlite3'}"
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("ANJIAN_DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers up front, so the audit chain head is never read stale;
    # WAL lets readers continue while one process writes.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
_db["ATOMIC_REQUESTS"] = True  # a request's writes and their audit events commit together
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Users, passwords and login (等保 level 3)
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "anjian.accounts.validators.PolicyMinimumLengthValidator"},
    {"NAME": "anjian.accounts.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Defaults of the security policy; the security admin edits the live values on the
# security-policy page (accounts.SecurityPolicy). These only seed the first row.
ANJIAN_PASSWORD_MAX_AGE_DAYS = env_int("ANJIAN_PASSWORD_MAX_AGE_DAYS", 90)
ANJIAN_PASSWORD_MIN_LENGTH = env_int("ANJIAN_PASSWORD_MIN_LENGTH", 8, minimum=8)
ANJIAN_LOCKOUT_FAILURES = env_int("ANJIAN_LOCKOUT_FAILURES", 5, minimum=1)
ANJIAN_LOCKOUT_MINUTES = env_int("ANJIAN_LOCKOUT_MINUTES", 15, minimum=1)
ANJIAN_SESSION_IDLE_MINUTES = env_int("ANJIAN_SESSION_IDLE_MINUTES", 30, minimum=1)
ANJIAN_OTP_REQUIRED_ROLES = env_list("ANJIAN_OTP_REQUIRED_ROLES", ["sysadmin", "secadmin", "auditadmin"])

AXES_ENABLED = env_bool("ANJIAN_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = "anjian.accounts.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "anjian.accounts.policy.axes_cooloff"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "anjian.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "anjian.common.middleware.client_ip"
AXES_VERBOSE = False

# Sessions expire after the idle timeout; every request slides the window (SESSION_SAVE_EVERY_REQUEST).
SESSION_COOKIE_AGE = ANJIAN_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("ANJIAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("ANJIAN_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("ANJIAN_BEHIND_PROXY", False):
    # nginx terminates TLS and sets X-Forwarded-Proto / X-Forwarded-For.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
ANJIAN_TRUSTED_PROXY_HOPS = env_int("ANJIAN_TRUSTED_PROXY_HOPS", 1 if env_bool("ANJIAN_BEHIND_PROXY", False) else 0)

# Content Security Policy: every asset is served from this origin; no inline script or style.
TILE_SERVER_URL = env_str("ANJIAN_TILE_SERVER_URL", "") or ""


def _tile_origin() -> list[str]:
    """The tile server's origin for the CSP; a {s} subdomain template becomes a * wildcard."""
    from urllib.parse import urlsplit

    if not TILE_SERVER_URL:
        return []
    parts = urlsplit(TILE_SERVER_URL)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"ANJIAN_TILE_SERVER_URL must be an http(s) URL template, not {TILE_SERVER_URL!r}")
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_origin()],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# ---------------------------------------------------------------------------
# Language, time
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language named in itself, as a switcher should show it.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Dates read 2026-12-03 in every language (anjian/formats/), never the locale's 12/03/2026.
FORMAT_MODULE_PATH = ["anjian.formats"]
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ANJIAN_STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env_str("ANJIAN_MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: attachments go through the scoped download view
STORAGES = {
    "default": {"BACKEND": env_str("ANJIAN_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
ANJIAN_MAX_UPLOAD_MB = env_int("ANJIAN_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------------------
# Task queue (huey): a SQLite file by default, Redis in production
# ---------------------------------------------------------------------------
QUEUE_URL = env_str("ANJIAN_QUEUE_URL") or f"sqlite:///{VAR_DIR / 'queue.sqlite3'}"
if QUEUE_URL.startswith("sqlite:///") or DATABASE_URL.startswith("sqlite:///"):
    # The embedded default keeps its files under var/; create it on first start.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
HUEY = {
    "name": "anjian",
    "immediate": env_bool("ANJIAN_QUEUE_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": env_int("ANJIAN_QUEUE_WORKERS", 2, minimum=1), "worker_type": "thread"},
}
if QUEUE_URL.startswith("redis://") or QUEUE_URL.startswith("rediss://"):
    HUEY.update({"huey_class": "huey.RedisHuey", "url": QUEUE_URL})
elif QUEUE_URL.startswith("sqlite:///"):
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": QUEUE_URL.removeprefix("sqlite:///")})
elif QUEUE_URL == "memory://":
    HUEY.update({"huey_class": "huey.MemoryHuey"})
else:
    raise ImproperlyConfigured(f"ANJIAN_QUEUE_URL must be redis://…, sqlite:///… or memory://, not {QUEUE_URL!r}")

# ---------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "anjian.accounts.api.permissions.PolicySatisfied",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "anjian.common.api.base.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("ANJIAN_API_TOKEN_HOURS", 10, minimum=1)),
    "AUTO_REFRESH": True,
    "TOKEN_LIMIT_PER_USER": 10,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anjian 安监 API",
    "DESCRIPTION": "Versioned REST API of the Anjian safety-supervision platform. Every list is limited to the caller's data scope.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A choice set used by several components needs a name (drf_spectacular.W001 fails check --deploy).
    # One name per choice set: several models have a "kind", "result", "grade", "role" or "action" of their
    # own, and a schema with hashed names (Kind2ecEnum) is one a client cannot rely on.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "anjian.construction.choices.ProjectStatus",
        "AuditActionEnum": "anjian.common.models.audit.AuditAction",
        "AttachmentKindEnum": "anjian.common.models.attachment.AttachmentKind",
        "OrgUnitKindEnum": "anjian.orgs.choices.OrgUnitKind",
        "RoleEnum": "anjian.orgs.choices.Role",
        "MilestoneKindEnum": "anjian.plans.choices.MilestoneKind",
        "MeetingKindEnum": "anjian.plans.choices.MeetingKind",
        "MeasureKindEnum": "anjian.hazards.choices.MeasureKind",
        "CampaignKindEnum": "anjian.hazards.choices.CampaignKind",
        "QualificationGradeEnum": "anjian.construction.choices.QualificationGrade",
        "SafetyLicenceActionEnum": "anjian.construction.models.licences.LicenceAction",
        "LicenceCheckResultEnum": "anjian.construction.models.licences.CheckResult",
        "LeaderRoleEnum": "anjian.construction.models.shifts.LeaderRole",
        "SubcontractKindEnum": "anjian.construction.models.subcontracts.SubcontractKind",
        "FireReviewKindEnum": "anjian.construction.models.fire_review.FireReviewKind",
        "FireReviewResultEnum": "anjian.construction.models.fire_review.FireReviewResult",
        "WallCheckKindEnum": "anjian.buildings.choices.WallCheckKind",
        "WallCheckResultEnum": "anjian.buildings.choices.WallCheckResult",
        "DamageKindEnum": "anjian.buildings.choices.DamageKind",
        "ChecklistKindEnum": "anjian.inspections.models.checklists.ChecklistKind",
        "AnswerResultEnum": "anjian.inspections.models.inspections.AnswerResult",
        "RiskGradeEnum": "anjian.inspections.models.grading.Grade",
        "RelationKindEnum": "anjian.inspections.models.items.RelationKind",
    },
}

# ---------------------------------------------------------------------------
# Anjian
# ---------------------------------------------------------------------------
# Audit-chain hash: "sha256" (default) or "sm3" (GM/T 0004, via the cryptography package when
# OpenSSL provides it). Each event stores the algorithm it was hashed with, so a chain can switch.
ANJIAN_AUDIT_HASH = env_str("ANJIAN_AUDIT_HASH", "sha256")
if ANJIAN_AUDIT_HASH not in {"sha256", "sm3"}:
    raise ImproperlyConfigured(f"ANJIAN_AUDIT_HASH must be sha256 or sm3, not {ANJIAN_AUDIT_HASH!r}")
# The default name follows the page's language; a name set in the environment is shown as it is.
ANJIAN_SITE_NAME = env_str("ANJIAN_SITE_NAME")
if ANJIAN_SITE_NAME is None:
    ANJIAN_SITE_NAME = gettext_lazy("安监 · 安全生产和消防监管平台")
ANJIAN_DEMO_DATA_DIR = Path(env_str("ANJIAN_DEMO_DATA_DIR") or (BASE_DIR.parent / "shared" / "data"))
# Notification channels (dotted paths of classes with send(notification)). In-app delivery is
# always on; add e.g. an SMS or WeCom backend here (see anjian.common.notifications).
ANJIAN_NOTIFIERS = env_list("ANJIAN_NOTIFIERS", ["anjian.common.notifications.InAppNotifier"])


def _numbering_templates() -> dict[str, str]:
    """Per-deployment formats of document numbers, e.g. {"supervision": "沪建督〔{year}〕{seq}号"}."""
    import json

    raw = env_str("ANJIAN_NUMBERING_TEMPLATES", "") or ""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ANJIAN_NUMBERING_TEMPLATES must be a JSON object: {exc}") from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ImproperlyConfigured("ANJIAN_NUMBERING_TEMPLATES must map kinds to format strings")
    for kind, template in value.items():
        if "{seq" not in template:
            raise ImproperlyConfigured(f"ANJIAN_NUMBERING_TEMPLATES[{kind!r}] must contain {{seq}}")
    return value


ANJIAN_NUMBERING_TEMPLATES = _numbering_templates()

# Excel imports: the most rows one file may carry (the upload size limit applies too). A city's
# real-name register (200,000 workers, about 12 MB) goes in as one file.
ANJIAN_IMPORT_MAX_ROWS = env_int("ANJIAN_IMPORT_MAX_ROWS", 250_000, minimum=1)
# Files with more data rows than this import on the queue, with a progress bar (0: always in the request);
# a running import job that reports no progress for the stale minutes is given up (its worker is gone).
ANJIAN_IMPORT_QUEUE_ROWS = env_int("ANJIAN_IMPORT_QUEUE_ROWS", 3000)
ANJIAN_IMPORT_JOB_STALE_MINUTES = env_int("ANJIAN_IMPORT_JOB_STALE_MINUTES", 15, minimum=1)


def _doc_fonts() -> dict:
    """Fonts of generated Word documents per role, e.g. {"title": {"names": ["宋体"], "bold": true}}
    where 方正小标宋 is not licensed (see anjian.common.documents.FontSettings)."""
    import json

    raw = env_str("ANJIAN_DOC_FONTS", "") or ""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ANJIAN_DOC_FONTS must be a JSON object: {exc}") from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured("ANJIAN_DOC_FONTS must map roles to {names, bold}")
    return value


ANJIAN_DOC_FONTS = _doc_fonts()
# LibreOffice for PDF copies of generated documents; empty: look for soffice/libreoffice on PATH.
ANJIAN_SOFFICE = env_str("ANJIAN_SOFFICE", "") or ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ANJIAN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "INFO"}},
}
DJANGO_TABLES2_TEMPLATE = "common/table.html"  # Bootstrap 5, rows as cards on phones
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
