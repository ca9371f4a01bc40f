"""Staff site URLs (namespace `staff`)."""

from django.urls import path

from joinedup.core.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
