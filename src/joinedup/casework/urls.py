"""Staff URLs for casework (namespace `casework`, under /staff/casework/)."""

from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path(
        "cases/<int:pk>/informant-updates/new/", views.informant_update_create, name="informant-update-create"
    ),
    path("actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("tasking/", views.tasking, name="tasking"),
    path("statistics/", views.statistics, name="statistics"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
]

# --- casework-b ---------------------------------------------------------------------------------------
from . import views_agreements  # noqa: E402

urlpatterns += [
    path("agreements/new/", views_agreements.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/edit/", views_agreements.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/history/", views_agreements.agreement_history, name="agreement-history"),
]

from . import views_imports  # noqa: E402

urlpatterns += [
    path("incidents/import/", views_imports.incident_import, name="incident-import"),
    path(
        "incidents/import/template.csv",
        views_imports.incident_import_template,
        name="incident-import-template",
    ),
]

from . import views_tasking  # noqa: E402

urlpatterns += [
    path("tasking/sheet/", views_tasking.action_sheet, name="action-sheet"),
    path("tasking/sheet.pdf", views_tasking.action_sheet_pdf, name="action-sheet-pdf"),
    path("tasking/meetings/", views_tasking.meeting_list, name="meeting-list"),
    path("tasking/meetings/new/", views_tasking.meeting_create, name="meeting-create"),
    path("tasking/meetings/<int:pk>/", views_tasking.meeting_detail, name="meeting-detail"),
]

from . import views_subject_access  # noqa: E402

urlpatterns += [
    path("subject-access/", views_subject_access.search, name="subject-access"),
    path("subject-access/report/", views_subject_access.report, name="subject-access-report"),
]
