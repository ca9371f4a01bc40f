"""Staff URLs for casework (namespace `casework`, under /staff/casework/): the cases' own pages here, then
each sub-area's `urlpatterns` (docs/adr/0042)."""

from django.urls import path

from . import views
from .agreements import urls as agreements
from .imports import urls as imports
from .kpis import urls as kpis
from .reviews import urls as reviews
from .risk import urls as risk
from .subject_access import urls as subject_access
from .tasking import urls as tasking

app_name = "casework"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("cases/<int:pk>/disclosures/new/", views.disclosure_create, name="disclosure-create"),
    path(
        "cases/<int:pk>/informant-updates/new/", views.informant_update_create, name="informant-update-create"
    ),
    path("actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("statistics/", views.statistics, name="statistics"),
    *tasking.urlpatterns,
    *agreements.urlpatterns,
    *risk.urlpatterns,
    *kpis.urlpatterns,
    *reviews.urlpatterns,
    *imports.urlpatterns,
    *subject_access.urlpatterns,
]
