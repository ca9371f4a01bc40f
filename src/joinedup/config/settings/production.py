"""Production settings: stop at start-up with a clear message when a required variable is missing."""

import os

from .base import *  # noqa: F403
from .base import JOINEDUP_TWO_FACTOR_REQUIRED_ROLES, database_from_url, env_list, require_env
from .email import production_email_settings

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

# Every role that can read personal data signs in with a second factor (docs/adr/0016); analysts and Panel
# members see depersonalised data only and may turn it on themselves. JOINEDUP_TWO_FACTOR_REQUIRED_ROLES
# adds roles to these.
JOINEDUP_TWO_FACTOR_REQUIRED_ROLES = sorted(
    {
        "opcc_admin",
        "opcc_officer",
        "csp_manager",
        "practitioner",
        "auditor",
        *JOINEDUP_TWO_FACTOR_REQUIRED_ROLES,
    }
)
JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR = True
# Behind the TLS-terminating proxy: the client's address is the one it appends to X-Forwarded-For.
JOINEDUP_TRUSTED_PROXIES = int(os.environ.get("JOINEDUP_TRUSTED_PROXIES", "1"))

# Email goes to a real SMTP server, never the console (which would log password links): docs/adr/0021.
globals().update(production_email_settings())
