"""Settings shared by every environment. Secrets and hosts come from the environment only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from joinedup.config.email import email_settings
from joinedup.config.logconfig import logging_config
from joinedup.config.storage import storages

SRC_DIR = Path(__file__).resolve().parents[3]
REPO_DIR = SRC_DIR.parent
PACKAGE_DIR = SRC_DIR / "joinedup"

# An empty variable counts as unset, so a stray `JOINEDUP_DATA_DIR=` never puts data in the working directory.
DATA_DIR = Path(os.environ.get("JOINEDUP_DATA_DIR") or REPO_DIR / "var").resolve()
# The real published data set that sits beside the repository in development and CI.
SHARED_DATA_DIR = Path(
    os.environ.get("JOINEDUP_SHARED_DATA") or REPO_DIR.parent / "shared" / "data"
).resolve()

JOINEDUP_ENV = os.environ.get("JOINEDUP_ENV", "local")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; an empty variable counts as unset."""
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def database_from_url(url: str) -> dict[str, Any]:
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:  # unknown scheme or malformed URL
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Joined Up understands: {exc}"
        ) from exc
    config.setdefault("TEST", {})
    if "sqlite3" in str(config.get("ENGINE", "")):
        # Several web workers write at once (public votes and responses, bench/public_load.py). A transaction
        # that reads before it writes cannot upgrade its lock while another process writes, and SQLite then
        # fails at once with "database is locked" instead of waiting: taking the write lock when the
        # transaction begins (IMMEDIATE) makes writers queue for up to `timeout` seconds instead, and WAL
        # lets pages be read while one is written.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        options.setdefault("init_command", "PRAGMA journal_mode=WAL;")
    if "postgresql" in str(config.get("ENGINE", "")):
        # No JIT compilation: it costs 100-150 ms on the first run of a costly-looking query (a count over
        # tens of thousands of cases) and these are short interactive queries (bench/RESULTS.md, casework).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return dict(config)


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "joinedup.core",
    "joinedup.api",
    "joinedup.portal",
    "joinedup.partnerships",
    "joinedup.insight",
    "joinedup.funding",
    "joinedup.casework",
    "joinedup.csp",
    "joinedup.scrutiny",
    "joinedup.notifications",
    "joinedup.workqueue",
    "joinedup.engagement",
    "joinedup.performance",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer before the HTTPS redirect and the host check (core/health.py).
    "joinedup.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Welsh or English on the public site as the reader chose; staff pages, admin and API in English.
    "joinedup.core.middleware.PublicLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "joinedup.core.middleware.RequestContextMiddleware",
    "joinedup.core.middleware.RequestGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "joinedup.config.urls"
WSGI_APPLICATION = "joinedup.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' templates: crispy-forms-gds's field errors with their hidden "Error:" translated.
        "DIRS": [PACKAGE_DIR / "core" / "template_overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "joinedup.core.context_processors.service",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'joinedup.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:sign-in"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Sign-in lockout (django-axes; docs/adr/0016): 5 failures lock an (account, address) pair, 20 failures
# across any accounts lock an address, each for 15 minutes after the last failure. Staff and grant
# applicants are counted alike.
AXES_FAILURE_LIMIT = int(os.environ.get("JOINEDUP_LOCKOUT_FAILURES", "5"))
JOINEDUP_ADDRESS_FAILURE_LIMIT = int(os.environ.get("JOINEDUP_ADDRESS_LOCKOUT_FAILURES", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "joinedup.core.throttling.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "joinedup.core.throttling.throttle_address"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "joinedup.core.views.auth.locked_out"
AXES_VERBOSE = False
# Reverse proxies in front of Joined Up that append the client's address to X-Forwarded-For (production: 1).
JOINEDUP_TRUSTED_PROXIES = env_int("JOINEDUP_TRUSTED_PROXIES", 0)

# The address people use (links in emails sent by the worker, which has no request to ask).
JOINEDUP_SITE_URL = os.environ.get("JOINEDUP_SITE_URL", "").strip() or "http://localhost:8000"

# 360Giving open data (funding/opendata.py): the identifier prefix 360Giving assigns the publisher, the
# publisher's org-id and name. The local defaults are placeholders, refused in production.
JOINEDUP_360GIVING_PREFIX = os.environ.get("JOINEDUP_360GIVING_PREFIX", "").strip() or "360G-joinedup"
JOINEDUP_PUBLISHER_NAME = (
    os.environ.get("JOINEDUP_PUBLISHER_NAME", "").strip() or "Office of the Police and Crime Commissioner"
)
JOINEDUP_FUNDER_ORG_ID = (
    os.environ.get("JOINEDUP_360GIVING_PUBLISHER_ID", "").strip() or f"{JOINEDUP_360GIVING_PREFIX}-funder"
)

# Request limits: the largest police data upload (streamed to disk) and the largest ordinary form body.
JOINEDUP_MAX_UPLOAD_BYTES = env_int("JOINEDUP_MAX_UPLOAD_BYTES", 2 * 1024**3)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("JOINEDUP_MAX_FORM_BYTES", 2_621_440)
# Uploaded police data files are removed this many days after their import finished (core/operations).
JOINEDUP_UPLOAD_RETENTION_DAYS = env_int("JOINEDUP_UPLOAD_RETENTION_DAYS", 30)

# Two-factor sign-in: the roles that must use it. Production requires it of every role that can read
# personal data (see production.py); locally it is optional unless this variable names roles, so the demo
# signs in with a password.
JOINEDUP_TWO_FACTOR_REQUIRED_ROLES: list[str] = [
    role.strip()
    for role in os.environ.get("JOINEDUP_TWO_FACTOR_REQUIRED_ROLES", "").split(",")
    if role.strip()
]
# The Django admin (/admin/, superusers only) always wants a verified second factor when this is on.
JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR = os.environ.get("JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR", "") == "1"
OTP_TOTP_ISSUER = "Joined Up"
# Backup codes: how many are made at a time.
JOINEDUP_BACKUP_CODES = 10

# API tokens and the API's rate limits (per token; per address for the few operations without a token).
JOINEDUP_API_TOKEN_DAYS = 90
JOINEDUP_API_TOKEN_MAX_DAYS = 365
JOINEDUP_API_RATE = os.environ.get("JOINEDUP_API_RATE", "600/min")
JOINEDUP_API_ANONYMOUS_RATE = os.environ.get("JOINEDUP_API_ANONYMOUS_RATE", "120/min")

# Rate limits and throttling history are kept in Django's cache: a database table, so every web process
# and server shares them (created by core's migration 0004).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "joinedup_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
# A form refused for its CSRF token gets the site's own page, in the reader's language (403 as before).
CSRF_FAILURE_VIEW = "joinedup.core.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
# The public site in English and Welsh (docs/adr/0033); staff pages are English only for now.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The reader's choice, set by the switch in the public layout (Django's set_language view).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("JOINEDUP_STATIC_ROOT") or DATA_DIR / "static").resolve()
# Only the compiled front-end assets are served, never node_modules. An installed (not editable) package
# has no checkout beside it: the install script collects the assets into STATIC_ROOT from the checkout.
ASSETS_DIR = Path(os.environ.get("JOINEDUP_ASSETS_DIR") or REPO_DIR / "assets" / "dist")
STATICFILES_DIRS = [ASSETS_DIR] if ASSETS_DIR.is_dir() else []
# Uploads and documents (and, on object storage, the analytical store): JOINEDUP_STORAGE_URL, config/storage.py.
STORAGES = {
    **storages(os.environ, DATA_DIR),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email: JOINEDUP_EMAIL_URL (config/email.py, README "Email"); the console when unset, locally only.
globals().update(email_settings())
# Seconds to wait before each retry of an email the server refused or could not take (then: failed).
JOINEDUP_EMAIL_RETRY_DELAYS = [60, 300, 1800, 7200]

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Logs (core/logging.py): JSON lines with time, level, request id and user id, or text for a terminal.
JOINEDUP_LOG_FORMAT = os.environ.get("JOINEDUP_LOG_FORMAT", "").strip() or (
    "json" if JOINEDUP_ENV == "production" else "text"
)
LOGGING = logging_config(JOINEDUP_LOG_FORMAT, os.environ.get("JOINEDUP_LOG_LEVEL", "").strip() or "INFO")

# Demo accounts' password; the default is printed by ./run and refused in production.
JOINEDUP_DEMO_PASSWORD = os.environ.get("JOINEDUP_DEMO_PASSWORD", "joined-up-demo-2026")


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when JOINEDUP_ENV=production. "
            "See README.md, 'Running in production', for the variables Joined Up needs."
        )
    return value
