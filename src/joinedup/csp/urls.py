"""Staff URLs for CSP duties and scrutiny (namespace `csp`, under /staff/csp/)."""

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
    path("panel/", views.panel_list, name="panel-list"),
    path("panel/new/", views.panel_create, name="panel-create"),
    path("panel/<int:pk>/", views.panel_detail, name="panel-detail"),
    path("panel/<int:pk>/edit/", views.panel_edit, name="panel-edit"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/updates/new/", views.action_update_create, name="action-update-create"),
    path("reports/", views.requirement_list, name="requirement-list"),
    path("reports/<int:pk>/", views.requirement_detail, name="requirement-detail"),
    path("reports/<int:pk>/respond/", views.requirement_respond, name="requirement-respond"),
    path("<str:code>/", views.csp_detail, name="csp-detail"),
    path("<str:code>/start-year/", views.duty_year_start, name="duty-year-start"),
    path("<str:code>/dhrs/new/", views.dhr_create, name="dhr-create"),
    path("<str:code>/plans/new/", views.plan_create, name="plan-create"),
    path("<str:code>/reports/new/", views.requirement_create, name="requirement-create"),
]
