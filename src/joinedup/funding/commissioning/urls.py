"""Staff URLs for commissioning, included in funding's (namespace `funding`, under /staff/funding/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/export.csv", views.contract_export, name="contract-export"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/performance/", views.contract_performance, name="contract-performance"),
    path("boards/", views.board_list, name="board-list"),
    path("boards/new/", views.board_create, name="board-create"),
    path("boards/<int:pk>/", views.board_detail, name="board-detail"),
    path("boards/<int:pk>/edit/", views.board_edit, name="board-edit"),
    path("boards/<int:pk>/contributions/", views.board_contribution, name="board-contribution"),
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/new/", views.framework_create, name="framework-create"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework-detail"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework-edit"),
    path("lots/<int:pk>/call-offs/new/", views.call_off_create, name="call-off-create"),
    path("call-offs/<int:pk>/", views.call_off_detail, name="call-off-detail"),
    path("call-offs/<int:pk>/performance/", views.call_off_performance, name="call-off-performance"),
    path("suppliers/", views.supplier_list, name="supplier-list"),
    path("suppliers/<int:pk>/", views.supplier_performance, name="supplier-performance"),
]
