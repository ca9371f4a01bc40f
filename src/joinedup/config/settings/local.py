"""Local development and demo settings: safe defaults, a per-machine secret kept in the data directory."""

import os
import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR, env_list


def _local_secret_key() -> str:
    """Generate a secret once per data directory rather than shipping one in the code."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _local_secret_key()
DEBUG = os.environ.get("JOINEDUP_DEBUG", "") == "1"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
