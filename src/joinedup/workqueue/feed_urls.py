"""Calendar feeds at secret addresses: no sign-in (calendar apps cannot), the secret is the key."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/due.ics", views.feed_due, name="due"),
    path("<str:token>/csp-duties.ics", views.feed_csp_duties, name="csp-duties"),
    path("<str:token>/panel-meetings.ics", views.feed_panel_meetings, name="panel-meetings"),
]
