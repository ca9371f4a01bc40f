"""Staff URLs for the spend reports, included in funding's (namespace `funding`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:report>.csv", views.report_export, name="report-export"),
    path("reports/<slug:report>/", views.report_detail, name="report-detail"),
]
