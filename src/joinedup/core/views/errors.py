"""The server error page (a full disk gets a page that says so, 507, not a bare 500) and the page for a form
refused for its CSRF token."""

from __future__ import annotations

import errno
import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.defaults import server_error

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)


def disk_full(exc: BaseException | None) -> bool:
    """True if `exc`, or an exception it was raised from, is "no space left on device" (or over quota)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


DISK_FULL_MESSAGE = (
    "The server has no disk space left, so what you sent was not saved. Tell your administrator, and "
    "try again once space has been freed."
)


def server_error_page(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 handler, except when the disk is full (an upload written to a full disk)."""
    if disk_full(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            problem = {"loc": ["body"], "msg": DISK_FULL_MESSAGE, "type": "insufficient_storage"}
            return JsonResponse({"detail": [problem]}, status=507)
        body = loader.render_to_string("core/disk_full.html", {"message": DISK_FULL_MESSAGE})
        return HttpResponse(body, status=507)
    return server_error(request, template_name)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a form sent without a valid token (a page open for a long time, an old
    copy of it, cookies refused) gets a page of the site, in the reader's language on the public site,
    saying to go back, reload and try again. Still 403; the reason is for the log (Django's own
    `django.security.csrf` logger records it), not for the reader."""
    from joinedup.core.middleware import ENGLISH_ONLY_PREFIXES

    layout = "layouts/base.html" if request.path.startswith(ENGLISH_ONLY_PREFIXES) else "layouts/public.html"
    return render(request, "core/csrf_failure.html", {"layout": layout}, status=403)
