"""Public URLs for funding (namespace `public-funding`): the applicant journey's (applicants/urls.py), then
the awarded grants and their open data."""

from django.urls import path

from . import public_views
from .applicants import urls as applicants

urlpatterns = [
    *applicants.urlpatterns,
    path("grants/", public_views.grant_list, name="grant-list"),
    path("open-data/grants.json", public_views.grants_json, name="grants-json"),
    path("open-data/grants.csv", public_views.grants_csv, name="grants-csv"),
]
