"""URL map: the public site at /, staff pages under /staff/, the API under /api/v1/, admin for superusers."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, re_path, reverse
from django.utils.http import urlencode

from joinedup.api.api import api, not_found
from joinedup.core.views.auth import safe_next
from joinedup.core.views.base import needs_second_factor

_admin_login = admin.site.login


def _second_factor_done(request: HttpRequest) -> bool:
    """The same second factor as the staff site; in production (JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR) a
    verified one always, whatever the superuser's role."""
    user: Any = request.user
    if needs_second_factor(request):
        return False
    return not settings.JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR or bool(user.is_verified())


def _superusers_only(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_superuser and _second_factor_done(request))


def _admin_sign_in(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no sign-in of its own: people sign in, with their second factor, on the staff site."""
    user: Any = request.user
    next_url = safe_next(request) or reverse("admin:index")
    query = "?" + urlencode({"next": next_url})
    if not user.is_authenticated:
        return redirect(reverse("staff:sign-in") + query)
    if user.is_active and user.is_superuser and not _second_factor_done(request):
        has_app = user.totpdevice_set.filter(confirmed=True).exists()
        return redirect(reverse("staff:two-factor" if has_app else "staff:two-factor-setup") + query)
    return _admin_login(request, extra_context)  # signed in but not a superuser: the admin says so


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
admin.site.login = _admin_sign_in  # type: ignore[method-assign]
admin.site.site_header = "Joined Up administration"
admin.site.site_title = "Joined Up administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Any other /api/ path: the API's JSON 404 (walked by the API's matrix, not the pages').
    path("", include(([re_path(r"^api/(?P<rest>.*)$", not_found, name="not-found")], "api-fallback"))),
    path("staff/partnerships/", include(("joinedup.partnerships.urls", "partnerships"))),
    path("partnerships/", include(("joinedup.partnerships.public_urls", "public-partnerships"))),
    path("staff/funding/", include(("joinedup.funding.urls", "funding"))),
    # Before the CSP pages: their `<str:code>/` would otherwise take /staff/csp/panel/.
    path("staff/csp/panel/", include(("joinedup.scrutiny.urls", "scrutiny"))),
    path("staff/csp/", include(("joinedup.csp.urls", "csp"))),
    path("csp/", include(("joinedup.csp.public_urls", "public-csp"))),
    path("staff/casework/", include(("joinedup.casework.urls", "casework"))),
    path("staff/your-work/", include(("joinedup.workqueue.urls", "workqueue"))),
    path("staff/notifications/", include(("joinedup.notifications.urls", "notifications"))),
    path("calendar/", include(("joinedup.workqueue.feed_urls", "calendar"))),
    path("staff/search/", include(("joinedup.workqueue.search_urls", "search"))),
    path("staff/insight/", include(("joinedup.insight.urls", "insight"))),
    path("staff/consultations/", include(("joinedup.engagement.urls", "engagement"))),
    path("consultations/", include(("joinedup.engagement.public_urls", "public-engagement"))),
    path("staff/performance/", include(("joinedup.performance.urls", "performance"))),
    path("plan-progress/", include(("joinedup.performance.public_urls", "public-performance"))),
    path("staff/", include(("joinedup.core.urls", "staff"))),
    path("", include(("joinedup.funding.public_urls", "public-funding"))),
    path("", include(("joinedup.casework.public_urls", "public-casework"))),
    path("", include(("joinedup.portal.urls", "portal"))),
]

# A full disk gets a page saying so (507) rather than a bare 500 (core/views/errors.py).
handler500 = "joinedup.core.views.errors.server_error_page"
