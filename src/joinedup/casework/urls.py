"""Staff URLs for casework (namespace `casework`, under /staff/casework/)."""

from django.urls import path

from . import views, views_kpis, views_reviews, views_risk

app_name = "casework"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("cases/<int:pk>/disclosures/new/", views.disclosure_create, name="disclosure-create"),
    path(
        "cases/<int:pk>/informant-updates/new/", views.informant_update_create, name="informant-update-create"
    ),
    path("actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("tasking/", views.tasking, name="tasking"),
    path("statistics/", views.statistics, name="statistics"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    # Risk Assessment Matrix and Joint Problem Solving plans
    path(
        "cases/<int:pk>/risk-assessments/new/",
        views_risk.risk_assessment_create,
        name="risk-assessment-create",
    ),
    path("risk-assessments/<int:pk>/", views_risk.risk_assessment_detail, name="risk-assessment-detail"),
    path("risk-assessments/due/", views_risk.risk_due, name="risk-due"),
    path("risk-matrix/", views_risk.risk_matrix, name="risk-matrix"),
    path("risk-matrix/settings/", views_risk.risk_matrix_settings, name="risk-matrix-settings"),
    path("risk-matrix/questions/new/", views_risk.risk_question_create, name="risk-question-create"),
    path(
        "risk-matrix/questions/<int:pk>/retire/", views_risk.risk_question_retire, name="risk-question-retire"
    ),
    path("cases/<int:pk>/plan/new/", views_risk.plan_create, name="plan-create"),
    path("cases/<int:pk>/plan/", views_risk.plan_detail, name="plan-detail"),
    path("cases/<int:pk>/plan/actions/new/", views_risk.plan_action_create, name="plan-action-create"),
    path("cases/<int:pk>/plan/reviews/new/", views_risk.plan_review_create, name="plan-review-create"),
    # KPIs
    path("kpis/", views_kpis.kpi_dashboard, name="kpis"),
    path("kpis.csv", views_kpis.kpi_csv, name="kpis-csv"),
    # ASB case reviews (community trigger)
    path("case-reviews/", views_reviews.review_list, name="review-list"),
    path("case-reviews/new/", views_reviews.review_create, name="review-create"),
    path("case-reviews/<int:pk>/", views_reviews.review_detail, name="review-detail"),
    path(
        "case-reviews/<int:pk>/recommendations/new/",
        views_reviews.review_recommendation_create,
        name="review-recommendation-create",
    ),
    path("case-reviews/<int:pk>/<slug:step>/", views_reviews.review_step, name="review-step"),
]

# --- casework-b ---------------------------------------------------------------------------------------
from . import views_agreements  # noqa: E402

urlpatterns += [
    path("agreements/new/", views_agreements.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/edit/", views_agreements.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/history/", views_agreements.agreement_history, name="agreement-history"),
    path("agreements/<int:pk>/<slug:step>/", views_agreements.agreement_step, name="agreement-step"),
]

from . import views_imports  # noqa: E402

urlpatterns += [
    path("incidents/import/", views_imports.incident_import, name="incident-import"),
    path("incidents/import/<int:pk>/", views_imports.incident_import_job, name="incident-import-job"),
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
