"""Public URLs for plans' progress (namespace `public-performance`)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("", public_views.plan_index, name="index"),
    path("<str:kind>/<int:pk>/", public_views.plan_progress, name="progress"),
    path("<str:kind>/<int:pk>/progress.csv", public_views.plan_progress_csv, name="progress-csv"),
]
