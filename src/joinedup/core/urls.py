"""Staff site URLs (namespace `staff`)."""

from importlib import import_module

from django.urls import path

from joinedup.core.views import dashboard, organisations

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("roles/", dashboard.role_list, name="role-list"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/export.csv", organisations.organisation_export, name="organisation-export"),
    path("organisations/new/", organisations.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation-edit"),
]

# Areas, people, sign-in, account and audit pages live in their own modules.
for module in ("joinedup.core.urls_areas", "joinedup.core.urls_people"):
    urlpatterns += import_module(module).urlpatterns
