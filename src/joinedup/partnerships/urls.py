"""Staff pages of the partnership register (mounted at staff/partnerships/, namespace `partnerships`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("overview/", views.register_overview, name="overview"),
    path("landscape/", views.partnership_landscape, name="landscape"),
    path("export.csv", views.partnership_export, name="export"),
    path("import/", views.register_import, name="import"),
    path("import/template.csv", views.register_import_template, name="import-template"),
    path("plans/", views.plan_list, name="plan-list"),
    path("actions/", views.action_list, name="action-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("propose/", views.partnership_create, name="create"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("<int:pk>/assessment/", views.partnership_assessment, name="assessment"),
    path("<int:pk>/members/add/", views.membership_add, name="membership-add"),
    path("<int:pk>/risks/add/", views.risk_add, name="risk-add"),
    path("<int:pk>/declarations/add/", views.declaration_add, name="declaration-add"),
    path("<int:pk>/benefits/add/", views.benefit_add, name="benefit-add"),
    path("<int:pk>/objectives/add/", views.objective_add, name="objective-add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.membership_remove, name="member-remove"),
    path("<int:pk>/risks/<int:risk_pk>/remove/", views.risk_remove, name="risk-remove"),
    path(
        "<int:pk>/declarations/<int:declaration_pk>/remove/",
        views.declaration_remove,
        name="declaration-remove",
    ),
    path(
        "<int:pk>/review-actions/<int:action_pk>/done/", views.review_action_done, name="review-action-done"
    ),
    path("<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("<int:pk>/actions/<int:action_pk>/edit/", views.action_edit, name="action-edit"),
    path("<int:pk>/actions/<int:action_pk>/progress/", views.action_update_add, name="action-update"),
    path("<int:pk>/actions/<int:action_pk>/complete/", views.action_complete, name="action-complete"),
    path("<int:pk>/review/", views.review_complete, name="review"),
    path("<int:pk>/lifecycle/<slug:transition>/", views.partnership_transition, name="transition"),
]
