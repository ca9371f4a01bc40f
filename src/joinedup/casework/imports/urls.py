"""Staff URLs of the incident import (added to casework's urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("incidents/import/", views.incident_import, name="incident-import"),
    path("incidents/import/<int:pk>/", views.incident_import_job, name="incident-import-job"),
    path("incidents/import/template.csv", views.incident_import_template, name="incident-import-template"),
]
