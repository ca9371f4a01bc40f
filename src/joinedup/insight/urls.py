"""Staff pages for crime and ASB insight, mounted at /staff/insight/ (namespace `insight`)."""

from django.urls import path

from joinedup.insight import import_views, views

urlpatterns = [
    path("", views.assessment, name="assessment"),
    path("assessment.json", views.assessment_json, name="assessment-json"),
    path("assessment.csv", views.assessment_csv, name="assessment-csv"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/new/", import_views.import_upload, name="import-upload"),
]
