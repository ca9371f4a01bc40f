"""Staff URLs of the casework KPIs (added to casework's urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("kpis/", views.kpi_dashboard, name="kpis"),
    path("kpis.csv", views.kpi_csv, name="kpis-csv"),
]
