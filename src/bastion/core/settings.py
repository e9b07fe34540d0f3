"""Django settings, derived from :mod:`bastion.config` (environment variables only)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

from bastion.config import get_settings
from bastion.core.accounts import auth_settings

# Lets admin and other generic classes be subscripted at run time, as the type stubs want.
django_stubs_ext.monkeypatch()

_config = get_settings()

SECRET_KEY = _config.resolved_secret_key()
SECRET_KEY_FALLBACKS = _config.resolved_secret_key_fallbacks()
DEBUG = _config.debug
ALLOWED_HOSTS = [host.strip() for host in _config.allowed_hosts.split(",") if host.strip()]
if _config.profile == "embedded":
    ALLOWED_HOSTS.append(_config.host)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "bastion.core.accounts",
    "bastion.core.tenancy",
    "bastion.core.audit",
    "bastion.core.assets",
    "bastion.core.engagements",
    "bastion.core.findings",
    "bastion.core.advisories",
    "bastion.core.imports",
    "bastion.core.scans",
    "bastion.core.assistant",
    "bastion.core.operations",
    "bastion.core.web",
    # Sign-in: django-allauth's accounts and MFA (bastion.core.accounts.auth_settings).
    *auth_settings.auth_apps,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bastion.core.web.middleware.content_security_policy",
    "bastion.core.middleware.refuse_nul_in_query",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sign-in: allauth's, and the MFA an organisation may require (bastion.core.accounts.auth_settings).
    *auth_settings.auth_middleware,
    # Last, as django-axes asks: turns a sign-in refused for too many failures into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bastion.core.urls"
ASGI_APPLICATION = "bastion.core.asgi.application"
AUTH_USER_MODEL = "accounts.User"

# Password sign-in is throttled by django-axes: after BASTION_LOGIN_FAILURE_LIMIT failures, the
# account and the address are each refused (429) for BASTION_LOGIN_LOCKOUT_MINUTES. Its backend
# comes first in AUTHENTICATION_BACKENDS (set with the other sign-in settings, below).
AXES_FAILURE_LIMIT = _config.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=_config.login_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"  # the admin form's field (it holds the e-mail address)
AXES_LOCKOUT_CALLABLE = "bastion.core.accounts.lockout.lockout_response"
AXES_VERBOSE = False  # no banner on every command's start; failures are still logged
# The client is the connection's address; in production, behind the proxy (deploy/nginx.conf),
# the address that proxy appended to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "bastion.core.accounts.lockout." + (
    "proxied_client_address" if _config.profile == "production" else "remote_address"
)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each group of web pages keeps its templates in its own package (core/web/<pages>/templates).
        "DIRS": sorted(Path(__file__).resolve().parent.glob("web/*/templates")),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bastion.core.web.context_processors.layout",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    database: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the gateway, the worker and beat share one file; IMMEDIATE
        # transactions take the write lock up front instead of failing midway.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        # A pool per process: the FastAPI services run ORM work on short-lived worker
        # threads, which hand their connection back after each call instead of keeping it.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {"pool": {"min_size": 1, "max_size": 20, "timeout": 10}}
    return database


DATABASES = {"default": _database(_config.resolved_database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if _config.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _config.redis_url,
            # An unreachable Redis fails a call in seconds (a 503), never hangs a request.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = _config.resolved_var_dir / "static"
# The web application's own CSS and JS; its third-party files (htmx, Chart.js) are built by
# frontend/build.py into the app's gitignored static/ directory, which the app finder reads.
STATICFILES_DIRS = [
    ("web", Path(__file__).resolve().parent / "web" / "assets"),
    # ... and its scripts in its own package (core/web/<pages>/static/web/<pages>/...).
    *sorted(Path(__file__).resolve().parent.glob("web/*/static")),
]

# Uploaded reports, kept for re-parsing and audit. An S3-compatible bucket works the
# same through django-storages ("storages.backends.s3.S3Storage") in production.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed names (cached for ever) and compressed copies, made by collectstatic.
    "staticfiles": {"BACKEND": "bastion.core.web.storage.StaticStorage"},
    "reports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(_config.resolved_var_dir / "reports"),
            "file_permissions_mode": 0o600,
        },
    },
}
BASTION_MAX_UPLOAD_BYTES = _config.max_upload_bytes

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
if _config.profile == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is redirected to HTTPS, except the health checks a load balancer makes from inside.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = _config.hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Web pages need a signed-in user. Sign-in (allauth, MFA, sessions, e-mail) is configured in its own
# module, whose settings replace the ones above of the same name (LOGIN_URL, AUTHENTICATION_BACKENDS...).
from bastion.core.accounts.auth_settings import *  # noqa: E402, F403

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["bastion.core.tenancy.api.authentication.BastionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies: at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes and MAX_JSON_DEPTH levels.
    "DEFAULT_PARSER_CLASSES": [
        "bastion.core.api.parsers.JSONParser",
        "bastion.core.api.parsers.FormParser",
        "bastion.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "bastion.core.api.pagination.BastionCursorPagination",
    "EXCEPTION_HANDLER": "bastion.core.api.exceptions.handle",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Bastion core API",
    "DESCRIPTION": "Organisations, assets, engagements, findings and their triage.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "FindingStatusEnum": "bastion.core.findings.choices.Status.choices",
        "SeverityEnum": "bastion.core.findings.choices.SEVERITY_CHOICES",
        "RoleEnum": "bastion.core.tenancy.choices.ROLE_CHOICES",
        "EngagementStatusEnum": "bastion.core.engagements.choices.EngagementStatus.choices",
        "EngagementKindEnum": "bastion.core.engagements.choices.EngagementKind.choices",
        "AssetKindEnum": "bastion.core.assets.choices.AssetKind.choices",
        "EnvironmentEnum": "bastion.core.assets.choices.Environment.choices",
        "AuditActionEnum": "bastion.core.audit.models.AuditAction.choices",
    },
}

CELERY_BROKER_URL = _config.resolved_broker_url

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _config.log_level},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
