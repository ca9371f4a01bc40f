"""The service's own address, for links in email and calendar feeds (JOINEDUP_SITE_URL)."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """The address people use, without a trailing slash (http://localhost:8000 when unset, as in ./run)."""
    return str(getattr(settings, "JOINEDUP_SITE_URL", "http://localhost:8000")).rstrip("/")
