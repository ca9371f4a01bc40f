"""Production settings: stop at start-up with a clear message when a required variable is missing."""

from .base import *  # noqa: F403
from .base import database_from_url, env_list, require_env

SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require_env("ALLOWED_HOSTS")]
DATABASES = {"default": database_from_url(require_env("DATABASE_URL"))}
DEBUG = False

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Administrators must sign in with a second factor in production.
JOINEDUP_TWO_FACTOR_REQUIRED_ROLES = ["opcc_admin"]
