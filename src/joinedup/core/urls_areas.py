"""Reference geography pages (included into the `staff` namespace by core/urls.py)."""

from django.urls import path

from joinedup.core.views import areas

urlpatterns = [
    path("areas/", areas.area_list, name="area-list"),
    path("areas/export.csv", areas.area_export, name="area-export"),
    path("areas/imports/", areas.reference_import_list, name="reference-import-list"),
    path("areas/<str:code>/", areas.area_detail, name="area-detail"),
]
