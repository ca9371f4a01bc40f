"""Staff URLs for the quarterly briefing notes, included in csp's (namespace `csp`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("briefings/", views.briefing_list, name="briefing-list"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("briefings/<int:pk>/edit/", views.briefing_edit, name="briefing-edit"),
    path("<str:code>/briefings/new/", views.briefing_generate, name="briefing-generate"),
]
