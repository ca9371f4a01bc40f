"""Staff URLs for the reports a PCC requires of a CSP, included in csp's (namespace `csp`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.requirement_list, name="requirement-list"),
    path("reports/<int:pk>/", views.requirement_detail, name="requirement-detail"),
    path("reports/<int:pk>/respond/", views.requirement_respond, name="requirement-respond"),
    path("<str:code>/reports/new/", views.requirement_create, name="requirement-create"),
]
