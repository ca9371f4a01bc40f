"""Staff pages for crime and ASB insight, mounted at /staff/insight/ (namespace `insight`)."""

from django.urls import path

from joinedup.insight import views
from joinedup.insight.imports import views as import_views

urlpatterns = [
    path("", views.assessment, name="assessment"),
    path("assessment.json", views.assessment_json, name="assessment-json"),
    path("assessment.csv", views.assessment_csv, name="assessment-csv"),
    path("assessment.pdf", views.assessment_pdf, name="assessment-pdf"),
    path("saved/", views.saved_list, name="saved-list"),
    path("saved/new/", views.saved_create, name="saved-create"),
    path("saved/<int:pk>/", views.saved_detail, name="saved-detail"),
    path("saved/<int:pk>/narrative/", views.saved_edit, name="saved-edit"),
    path("saved/<int:pk>/priorities/", views.saved_priorities, name="saved-priorities"),
    path("saved/<int:pk>/community-concern/", views.saved_concern, name="saved-concern"),
    path("saved/<int:pk>/themes/", views.saved_theme, name="saved-theme"),
    path("saved/<int:pk>/publish/", views.saved_publish, name="saved-publish"),
    path("saved/<int:pk>/new-edition/", views.saved_new_edition, name="saved-new-edition"),
    path("saved/<int:pk>/history/", views.saved_history, name="saved-history"),
    path("saved/<int:pk>/assessment.json", views.saved_json, name="saved-json"),
    path("saved/<int:pk>/assessment.csv", views.saved_csv, name="saved-csv"),
    path("saved/<int:pk>/assessment.pdf", views.saved_pdf, name="saved-pdf"),
    path("scoring-scheme/", views.scheme_edit, name="scheme"),
    path("imports/", import_views.import_list, name="import-list"),
    path("imports/<int:pk>/", import_views.import_detail, name="import-detail"),
    path("imports/new/", import_views.import_upload, name="import-upload"),
    path("imports/<int:pk>/retry/", import_views.import_retry, name="import-retry"),
    path("imports/<int:pk>/cancel/", import_views.import_cancel, name="import-cancel"),
]
