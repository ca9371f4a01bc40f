"""Public site URLs (namespace `portal`)."""

from django.urls import path

from joinedup.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
