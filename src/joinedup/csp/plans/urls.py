"""Staff URLs for partnership plans, their priorities and actions, and the aligned document, included in
csp's (namespace `csp`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority-delete"),
    path("priorities/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/updates/new/", views.action_update_create, name="action-update-create"),
    path("plans/<int:pk>/aligned/", views.aligned, name="aligned"),
    path("plans/<int:pk>/aligned.pdf", views.aligned_pdf, name="aligned-pdf"),
    path("<str:code>/plans/new/", views.plan_create, name="plan-create"),
]
