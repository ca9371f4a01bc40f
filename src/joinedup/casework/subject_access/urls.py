"""Staff URLs of subject access (added to casework's urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("subject-access/", views.search, name="subject-access"),
    path("subject-access/report/", views.report, name="subject-access-report"),
]
