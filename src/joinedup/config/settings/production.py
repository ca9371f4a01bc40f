"""Production settings: refuse to load, naming every missing or unsafe variable, until all are right.

The checks are in joinedup.config.deploy (shared with `joinedup check --deploy` and the gunicorn
configuration); the README's "Configuration" table lists every variable.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from joinedup.config.deploy import deploy_problems, refusal
from joinedup.config.email import production_email_settings

from .base import *  # noqa: F403
from .base import JOINEDUP_TWO_FACTOR_REQUIRED_ROLES, database_from_url, env_int, env_list

_problems = deploy_problems(os.environ)
if _problems:
    raise ImproperlyConfigured(refusal(_problems))

SECRET_KEY = os.environ["SECRET_KEY"].strip()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"].strip())}
DEBUG = False

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
# A load balancer's health checks call over plain HTTP (and by address: see core/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Forms posted from the site's own address (behind the proxy the Origin header is the public one).
CSRF_TRUSTED_ORIGINS = [os.environ["JOINEDUP_SITE_URL"].strip().rstrip("/")]

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
JOINEDUP_TRUSTED_PROXIES = env_int("JOINEDUP_TRUSTED_PROXIES", 1)

# HSTS preloading commits every subdomain of the organisation's domain, which is the domain owner's decision,
# not this service's: Django's reminder about it is not a deployment problem here.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Email goes to a real SMTP server, never the console (which would log password links): docs/adr/0021.
globals().update(production_email_settings())
