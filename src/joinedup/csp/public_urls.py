"""Public URLs for CSPs (namespace `public-csp`, under /csp/)."""

from django.urls import path

from . import public_views

app_name = "public-csp"

urlpatterns = [
    path("", public_views.csp_index, name="index"),
    path("domestic-homicide-reviews/", public_views.dhr_list, name="dhr-list"),
    path("<str:code>/", public_views.csp_detail, name="csp-detail"),
]
