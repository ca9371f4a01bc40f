"""URL map: the public site at /, staff pages under /staff/, the API under /api/v1/, admin for superusers."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path

from joinedup.api.api import api


def _superusers_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
admin.site.site_header = "Joined Up administration"
admin.site.site_title = "Joined Up administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("staff/", include(("joinedup.core.urls", "staff"))),
    path("", include(("joinedup.portal.urls", "portal"))),
]
