"""The public partnership register (mounted at partnerships/, namespace `public-partnerships`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_list, name="list"),
    path("register.csv", views.public_export_csv, name="export-csv"),
    path("register.json", views.public_export_json, name="export-json"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
