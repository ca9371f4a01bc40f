"""Test settings: in-memory SQLite unless DATABASE_URL points at PostgreSQL; fast but real hashing."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES, database_from_url

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # A test that dies mid-transaction (a timeout inside a request thread or a subprocess) must not stall
        # the run: the next test's flush would wait for its locks for ever, beyond pytest-timeout's reach (it
        # times the test, not its fixtures). A wait for a lock fails after 4 minutes, naming the test, and a
        # connection left idle inside a transaction for 10 minutes (no test runs that long) is ended.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (
            f"{options.get('options', '')} -c lock_timeout=240s -c idle_in_transaction_session_timeout=600s"
        ).strip()
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "TEST": {}}}

DATA_DIR = Path(tempfile.mkdtemp(prefix="joinedup-test-"))
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Still Argon2, with cheap parameters so hundreds of test users do not take minutes.
PASSWORD_HASHERS = ["joinedup.core.hashers.FastArgon2PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The API's rate limits are tested by the tests that set them; everything else must never meet them.
JOINEDUP_API_RATE = "100000/min"
JOINEDUP_API_ANONYMOUS_RATE = "100000/min"
# Tests say for themselves when two-factor sign-in is required, whatever the environment.
JOINEDUP_TWO_FACTOR_REQUIRED_ROLES = []
JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR = False
JOINEDUP_TRUSTED_PROXIES = 0
