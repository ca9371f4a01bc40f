"""Email settings from the environment (docs/adr/0021).

JOINEDUP_EMAIL_URL says where mail goes:

- ``smtp://user:password@host:port`` plain SMTP (port 25 unless given), upgraded with STARTTLS when
  ``?tls=1`` (or ``smtp+tls://``, port 587 by default);
- ``smtps://user:password@host:port`` SMTP over TLS from the first byte (port 465 by default);
- ``console:`` prints each message (local development only: production refuses it).

User and password are percent-encoded in the URL (``%40`` for ``@``). JOINEDUP_FROM_EMAIL is the sender,
JOINEDUP_EMAIL_TIMEOUT the seconds to wait for the server (default 10). Production refuses to start
without an SMTP URL, so set-password and reset links never end up in a log.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
_TRUE = {"1", "true", "yes", "on"}


def email_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Django's EMAIL_* settings for the environment; console when JOINEDUP_EMAIL_URL is unset."""
    env = os.environ if environ is None else environ
    url = env.get("JOINEDUP_EMAIL_URL", "").strip()
    timeout = int(env.get("JOINEDUP_EMAIL_TIMEOUT", "10") or "10")
    common: dict[str, Any] = {
        "DEFAULT_FROM_EMAIL": env.get("JOINEDUP_FROM_EMAIL", "no-reply@joinedup.invalid"),
        "EMAIL_TIMEOUT": timeout,
    }
    if not url or url.startswith("console:"):
        return {**common, "EMAIL_BACKEND": CONSOLE_BACKEND}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"JOINEDUP_EMAIL_URL must start smtp://, smtp+tls://, smtps:// or console: (not {scheme}://)."
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    use_ssl = scheme == "smtps" or query.get("ssl", "").lower() in _TRUE
    use_tls = not use_ssl and (scheme == "smtp+tls" or query.get("tls", "").lower() in _TRUE)
    if not parts.hostname:
        raise ImproperlyConfigured("JOINEDUP_EMAIL_URL has no host name.")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
    except ValueError:
        raise ImproperlyConfigured("JOINEDUP_EMAIL_URL has a port that is not a number.") from None
    return {
        **common,
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def production_email_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """As `email_settings`, but refuse to start unless mail goes to a real SMTP server."""
    env = os.environ if environ is None else environ
    if not env.get("JOINEDUP_EMAIL_URL", "").strip():
        raise ImproperlyConfigured(
            "JOINEDUP_EMAIL_URL is not set: production needs an SMTP server (e.g. smtp+tls://user:pass@host:587), "
            "without it password links cannot be sent. See README.md, 'Email'."
        )
    values = email_settings(env)
    if values["EMAIL_BACKEND"] != SMTP_BACKEND:
        raise ImproperlyConfigured(
            "JOINEDUP_EMAIL_URL must name an SMTP server when JOINEDUP_ENV=production: the console backend "
            "would write password links to the log. See README.md, 'Email'."
        )
    return values
