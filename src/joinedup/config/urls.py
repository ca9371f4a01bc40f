"""URL map: the public site at /, staff pages under /staff/, the API under /api/v1/, admin for superusers."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path, re_path

from joinedup.api.api import api, not_found


def _superusers_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
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
    path("staff/csp/", include(("joinedup.csp.urls", "csp"))),
    path("csp/", include(("joinedup.csp.public_urls", "public-csp"))),
    path("staff/casework/", include(("joinedup.casework.urls", "casework"))),
    path("staff/insight/", include(("joinedup.insight.urls", "insight"))),
    path("staff/", include(("joinedup.core.urls", "staff"))),
    path("", include(("joinedup.funding.public_urls", "public-funding"))),
    path("", include(("joinedup.casework.public_urls", "public-casework"))),
    path("", include(("joinedup.portal.urls", "portal"))),
]
