"""Public URLs for casework (namespace `public-casework`)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
