"""What an operator must set, and must not get wrong, before Joined Up runs in production.

`deploy_problems(environ)` reads the environment only (no Django), so the production settings can refuse
to load, the gunicorn configuration can refuse to start and `joinedup check --deploy` can list every
problem at once, each naming its variable. The README's "Configuration" table documents each variable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import PurePath
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from joinedup.config.email import production_email_settings
from joinedup.config.storage import storage_url_problems

# Secrets that have appeared in this repository or are Django's own placeholders: never a production key.
KNOWN_SECRETS = {"test-only-secret-key-not-used-anywhere-else"}
PLACEHOLDER_PREFIX = "360G-joinedup"
# A 360Giving identifier prefix: "360G-" and the publisher's own letters (assigned by 360Giving).
PREFIX_PATTERN = re.compile(r"^360G-[A-Za-z0-9][A-Za-z0-9-]{1,60}$")
# An org-id.guide identifier: country, register, then the identifier (GB-GOR-PC000123, GB-CHC-1234567).
ORG_ID_PATTERN = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,10}-[A-Za-z0-9][A-Za-z0-9._-]{0,60}$")
LOG_FORMATS = ("json", "text")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Whole numbers an operator may set: name -> (smallest allowed, what it is).
INTEGERS = {
    "JOINEDUP_TRUSTED_PROXIES": (1, "the number of reverse proxies in front of Joined Up"),
    "JOINEDUP_WEB_WORKERS": (1, "gunicorn worker processes"),
    "JOINEDUP_WEB_THREADS": (1, "threads per gunicorn worker"),
    "JOINEDUP_WEB_TIMEOUT": (30, "seconds gunicorn lets one request run"),
    "JOINEDUP_MAX_UPLOAD_BYTES": (1, "the largest police data upload, in bytes"),
    "JOINEDUP_MAX_FORM_BYTES": (1024, "the largest form body, in bytes"),
    "JOINEDUP_UPLOAD_RETENTION_DAYS": (1, "days an imported upload is kept"),
}


def _get(environ: Mapping[str, str], name: str) -> str:
    return (environ.get(name) or "").strip()


def _hosts(environ: Mapping[str, str]) -> list[str]:
    return [host.strip() for host in _get(environ, "ALLOWED_HOSTS").split(",") if host.strip()]


def _host_allowed(host: str, allowed: list[str]) -> bool:
    for pattern in allowed:
        if pattern == host or (pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern))):
            return True
    return False


def _secret_key_problems(environ: Mapping[str, str], add: Callable[[str], None]) -> None:
    secret = _get(environ, "SECRET_KEY")
    if not secret:
        add(
            "SECRET_KEY is not set: generate one with `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    elif len(secret) < 50 or len(set(secret)) < 5:
        add("SECRET_KEY is too short or too simple: use at least 50 random characters.")
    elif secret in KNOWN_SECRETS or secret.startswith("django-insecure"):
        add("SECRET_KEY is a published example, not a secret: generate a new one.")


def _publisher_problems(environ: Mapping[str, str], add: Callable[[str], None]) -> None:
    """The 360Giving publisher's prefix, org-id and name."""
    prefix = _get(environ, "JOINEDUP_360GIVING_PREFIX")
    if not prefix:
        add("JOINEDUP_360GIVING_PREFIX is not set: the identifier prefix 360Giving assigned you (360G-...).")
    elif prefix == PLACEHOLDER_PREFIX or not PREFIX_PATTERN.match(prefix):
        add(
            "JOINEDUP_360GIVING_PREFIX must be the prefix 360Giving assigned you "
            "(360G- and your letters), not a placeholder."
        )
    publisher = _get(environ, "JOINEDUP_360GIVING_PUBLISHER_ID")
    if not publisher:
        add("JOINEDUP_360GIVING_PUBLISHER_ID is not set: your org-id, such as GB-GOR-PC000123.")
    elif not ORG_ID_PATTERN.match(publisher):
        add(
            "JOINEDUP_360GIVING_PUBLISHER_ID is not an org-id (country-register-identifier, e.g. GB-GOR-PC000123)."
        )
    if not _get(environ, "JOINEDUP_PUBLISHER_NAME"):
        add("JOINEDUP_PUBLISHER_NAME is not set: the publisher's name in the 360Giving data.")


def deploy_problems(environ: Mapping[str, str]) -> list[str]:
    """Every missing or unsafe production setting in `environ`, one sentence each naming the variable."""
    problems: list[str] = []
    add = problems.append

    _secret_key_problems(environ, add)

    hosts = _hosts(environ)
    if not hosts:
        add("ALLOWED_HOSTS is not set: give the host names the site answers to, comma-separated.")
    elif any(host in ("*", ".") for host in hosts):
        add("ALLOWED_HOSTS must name the site's hosts, not '*' (any host).")
        hosts = []

    if _get(environ, "JOINEDUP_DEBUG") not in ("", "0"):
        add("JOINEDUP_DEBUG is on: debug pages show settings and data to anyone; unset it.")

    database = _get(environ, "DATABASE_URL")
    if not database:
        add("DATABASE_URL is not set: for example postgres://joinedup@db.internal:5432/joinedup.")
    else:
        scheme = urlsplit(database).scheme
        if scheme not in ("postgres", "postgresql", "pgsql", "postgis", "sqlite"):
            add(f"DATABASE_URL is not a PostgreSQL or SQLite URL (scheme {scheme or 'missing'}).")

    site_url = _get(environ, "JOINEDUP_SITE_URL")
    if not site_url:
        add("JOINEDUP_SITE_URL is not set: the address people use, such as https://joinedup.example.gov.uk.")
    else:
        parts = urlsplit(site_url)
        if parts.scheme != "https" or not parts.hostname:
            add("JOINEDUP_SITE_URL must be an https:// address: sign-in cookies are sent over HTTPS only.")
        elif hosts and not _host_allowed(parts.hostname, hosts):
            add(f"JOINEDUP_SITE_URL's host {parts.hostname} is not in ALLOWED_HOSTS.")

    data_dir = _get(environ, "JOINEDUP_DATA_DIR")
    if not data_dir:
        add("JOINEDUP_DATA_DIR is not set: the directory for the analytical store and uploaded files.")
    elif not PurePath(data_dir).is_absolute():
        add("JOINEDUP_DATA_DIR must be an absolute path.")
    # Object storage for uploads, documents and the analytical store (unset: the data directory).
    problems.extend(storage_url_problems(_get(environ, "JOINEDUP_STORAGE_URL")))

    _publisher_problems(environ, add)

    for name, (smallest, meaning) in INTEGERS.items():
        value = _get(environ, name)
        if not value:
            continue
        try:
            number = int(value)
        except ValueError:
            add(f"{name} must be a whole number ({meaning}), not {value!r}.")
            continue
        if number < smallest:
            if name == "JOINEDUP_TRUSTED_PROXIES":
                add(
                    "JOINEDUP_TRUSTED_PROXIES must be at least 1 in production: Joined Up is served over "
                    "HTTPS by a reverse proxy, and only its X-Forwarded-For and X-Forwarded-Proto are trusted."
                )
            else:
                add(f"{name} must be at least {smallest} ({meaning}).")

    log_format = _get(environ, "JOINEDUP_LOG_FORMAT")
    if log_format and log_format not in LOG_FORMATS:
        add(f"JOINEDUP_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    log_level = _get(environ, "JOINEDUP_LOG_LEVEL")
    if log_level and log_level.upper() not in LOG_LEVELS:
        add(f"JOINEDUP_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}.")
    try:
        production_email_settings(environ)
    except ImproperlyConfigured as exc:
        add(str(exc))

    return problems


def refusal(problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return (
        f"Joined Up will not run in production until these {len(problems)} setting(s) are fixed:\n{lines}\n"
        "See README.md, 'Running in production', for every variable."
    )
