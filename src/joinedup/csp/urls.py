"""Staff URLs for CSP duties (namespace `csp`, under /staff/csp/): the app's own, then each sub-area's
(docs/adr/0042), with the paths and names they always had. The Panel's /staff/csp/panel/ pages are
joinedup.scrutiny.urls, included before these so `<str:code>/` never takes "panel"; the sub-areas' come
before `<str:code>/` here for the same reason."""

from django.urls import path

from . import views
from .assessments import urls as assessments
from .briefings import urls as briefings
from .dhrs import urls as dhrs
from .plans import urls as plans
from .reports import urls as reports

app_name = "csp"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("due/", views.due, name="due"),
    path("duties/<int:pk>/", views.duty_detail, name="duty-detail"),
    path("duties/<int:pk>/edit/", views.duty_edit, name="duty-edit"),
    *dhrs.urlpatterns,
    *plans.urlpatterns,
    *reports.urlpatterns,
    *assessments.urlpatterns,
    *briefings.urlpatterns,
    path("<str:code>/", views.csp_detail, name="csp-detail"),
    path("<str:code>/protocols/", views.protocols, name="protocols"),
    path("<str:code>/start-year/", views.duty_year_start, name="duty-year-start"),
]
