"""Staff URLs of the Police and Crime Panel (namespace `scrutiny`, under /staff/csp/panel/: the paths it had
as a section of the CSP pages)."""

from django.urls import path

from . import views

app_name = "scrutiny"

urlpatterns = [
    path("", views.panel_list, name="panel-list"),
    path("new/", views.panel_create, name="panel-create"),
    path("<int:pk>/", views.panel_detail, name="panel-detail"),
    path("<int:pk>/edit/", views.panel_edit, name="panel-edit"),
    path("workspace/", views.panel_workspace, name="panel-workspace"),
    path("kpis/", views.panel_kpis, name="panel-kpis"),
    path("members/new/", views.panel_member_create, name="panel-member-create"),
    path("members/<int:pk>/edit/", views.panel_member_edit, name="panel-member-edit"),
    path("work/new/", views.work_item_create, name="work-item-create"),
    path("work/<int:pk>/edit/", views.work_item_edit, name="work-item-edit"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
]
