"""Staff URLs for CSP duties (namespace `csp`, under /staff/csp/; the Panel's /staff/csp/panel/ pages are
joinedup.scrutiny.urls, included before these so `<str:code>/` never takes "panel")."""

from django.urls import path

from . import views

app_name = "csp"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("due/", views.due, name="due"),
    path("duties/<int:pk>/", views.duty_detail, name="duty-detail"),
    path("duties/<int:pk>/edit/", views.duty_edit, name="duty-edit"),
    path("dhrs/", views.dhr_list, name="dhr-list"),
    path("dhrs/<int:pk>/", views.dhr_detail, name="dhr-detail"),
    path("dhrs/<int:pk>/edit/", views.dhr_edit, name="dhr-edit"),
    path(
        "dhrs/<int:pk>/recommendations/new/",
        views.dhr_recommendation_create,
        name="dhr-recommendation-create",
    ),
    path("dhr-recommendations/<int:pk>/edit/", views.dhr_recommendation_edit, name="dhr-recommendation-edit"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority-delete"),
    path("priorities/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/updates/new/", views.action_update_create, name="action-update-create"),
    path("reports/", views.requirement_list, name="requirement-list"),
    path("reports/<int:pk>/", views.requirement_detail, name="requirement-detail"),
    path("reports/<int:pk>/respond/", views.requirement_respond, name="requirement-respond"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("assessments/<int:pk>/document/", views.assessment_document, name="assessment-document"),
    path("plans/<int:pk>/aligned/", views.aligned, name="aligned"),
    path("plans/<int:pk>/aligned.pdf", views.aligned_pdf, name="aligned-pdf"),
    path("briefings/", views.briefing_list, name="briefing-list"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("briefings/<int:pk>/edit/", views.briefing_edit, name="briefing-edit"),
    path("<str:code>/", views.csp_detail, name="csp-detail"),
    path("<str:code>/protocols/", views.protocols, name="protocols"),
    path("<str:code>/assessments/new/", views.assessment_create, name="assessment-create"),
    path("<str:code>/assessments/adopt/", views.assessment_adopt, name="assessment-adopt"),
    path("<str:code>/briefings/new/", views.briefing_generate, name="briefing-generate"),
    path("<str:code>/start-year/", views.duty_year_start, name="duty-year-start"),
    path("<str:code>/dhrs/new/", views.dhr_create, name="dhr-create"),
    path("<str:code>/plans/new/", views.plan_create, name="plan-create"),
    path("<str:code>/reports/new/", views.requirement_create, name="requirement-create"),
]
