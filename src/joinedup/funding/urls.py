"""Staff URLs for funding (namespace `funding`, under /staff/funding/): the grants' own, then each
sub-area's (docs/adr/0042), with the paths and names they always had."""

from django.urls import path

from . import views
from .commissioning import urls as commissioning
from .monitoring import urls as monitoring
from .outcomes import urls as outcomes
from .reports import urls as reports

urlpatterns = [
    path("", views.fund_list, name="fund-list"),
    path("funds/new/", views.fund_create, name="fund-create"),
    path("funds/<int:pk>/", views.fund_detail, name="fund-detail"),
    path("funds/<int:pk>/edit/", views.fund_edit, name="fund-edit"),
    path("funds/<int:pk>/allocations/<int:year>/", views.fund_allocation, name="fund-allocation"),
    path("funds/<int:pk>/allocations/<int:year>/allocate/", views.fund_allocate, name="fund-allocate"),
    path(
        "funds/<int:pk>/allocations/<int:year>/export/",
        views.fund_allocation_export,
        name="fund-allocation-export",
    ),
    path("funds/<int:pk>/rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/status/", views.round_status, name="round-status"),
    path("rounds/<int:pk>/moderation/", views.round_moderation, name="round-moderation"),
    path("rounds/<int:pk>/applications/new/", views.application_create, name="application-create"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/eligibility/", views.application_eligibility, name="application-eligibility"),
    path("applications/<int:pk>/assign/", views.application_assign, name="application-assign"),
    path(
        "applications/<int:pk>/documents/<int:document>/", views.document_download, name="document-download"
    ),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path("awards/", views.award_list, name="award-list"),
    path("awards/<int:pk>/", views.award_detail, name="award-detail"),
    path("awards/<int:pk>/payments/", views.award_payment_add, name="award-payment-add"),
    path("awards/<int:pk>/edit/", views.award_edit, name="award-edit"),
    path("awards/<int:pk>/variations/", views.award_vary, name="award-vary"),
    path("awards/<int:pk>/clawbacks/", views.award_clawback, name="award-clawback"),
    path("panel/", views.panel_list, name="panel-list"),
    path("panel/<int:pk>/", views.panel_score, name="panel-score"),
    path("panel/<int:pk>/conflict/", views.panel_conflict, name="panel-conflict"),
    *monitoring.urlpatterns,
    *outcomes.urlpatterns,
    *reports.urlpatterns,
    *commissioning.urlpatterns,
]
