"""Staff URLs for funding (namespace `funding`, under /staff/funding/)."""

from django.urls import path

from . import commissioning_views as commissioning
from . import monitoring_views as monitoring
from . import outcome_views as outcomes
from . import views

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
    path("awards/<int:pk>/outcomes/", outcomes.award_outcomes, name="award-outcomes"),
    path("awards/<int:pk>/outcomes.csv", outcomes.award_outcomes_csv, name="award-outcomes-csv"),
    path("awards/<int:pk>/edit/", views.award_edit, name="award-edit"),
    path("awards/<int:pk>/variations/", views.award_vary, name="award-vary"),
    path("awards/<int:pk>/clawbacks/", views.award_clawback, name="award-clawback"),
    path("awards/<int:pk>/measures/", monitoring.award_measures, name="award-measures"),
    path("awards/<int:pk>/measures.csv", monitoring.award_measures_csv, name="award-measures-csv"),
    path("awards/<int:pk>/returns/", monitoring.award_return_add, name="award-return-add"),
    path(
        "monitoring-returns/<int:pk>/", monitoring.monitoring_return_record, name="monitoring-return-record"
    ),
    path(
        "monitoring-returns/<int:pk>/review/",
        monitoring.monitoring_return_review,
        name="monitoring-return-review",
    ),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:report>.csv", views.report_export, name="report-export"),
    path("reports/<slug:report>/", views.report_detail, name="report-detail"),
    path("contracts/", commissioning.contract_list, name="contract-list"),
    path("contracts/export.csv", commissioning.contract_export, name="contract-export"),
    path("contracts/new/", commissioning.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", commissioning.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/outcomes/", outcomes.contract_outcomes, name="contract-outcomes"),
    path("contracts/<int:pk>/outcomes.csv", outcomes.contract_outcomes_csv, name="contract-outcomes-csv"),
    path("contracts/<int:pk>/edit/", commissioning.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/performance/", commissioning.contract_performance, name="contract-performance"),
    path("boards/", commissioning.board_list, name="board-list"),
    path("boards/new/", commissioning.board_create, name="board-create"),
    path("boards/<int:pk>/", commissioning.board_detail, name="board-detail"),
    path("boards/<int:pk>/edit/", commissioning.board_edit, name="board-edit"),
    path("boards/<int:pk>/contributions/", commissioning.board_contribution, name="board-contribution"),
    path("frameworks/", commissioning.framework_list, name="framework-list"),
    path("frameworks/new/", commissioning.framework_create, name="framework-create"),
    path("frameworks/<int:pk>/", commissioning.framework_detail, name="framework-detail"),
    path("frameworks/<int:pk>/edit/", commissioning.framework_edit, name="framework-edit"),
    path("lots/<int:pk>/call-offs/new/", commissioning.call_off_create, name="call-off-create"),
    path("call-offs/<int:pk>/", commissioning.call_off_detail, name="call-off-detail"),
    path("call-offs/<int:pk>/performance/", commissioning.call_off_performance, name="call-off-performance"),
    path("suppliers/", commissioning.supplier_list, name="supplier-list"),
    path("suppliers/<int:pk>/", commissioning.supplier_performance, name="supplier-performance"),
    path("panel/", views.panel_list, name="panel-list"),
    path("panel/<int:pk>/", views.panel_score, name="panel-score"),
    path("panel/<int:pk>/conflict/", views.panel_conflict, name="panel-conflict"),
]
