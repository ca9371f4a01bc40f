"""Staff URLs for monitoring returns and outcome measures, included in funding's (namespace `funding`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("awards/<int:pk>/measures/", views.award_measures, name="award-measures"),
    path("awards/<int:pk>/measures.csv", views.award_measures_csv, name="award-measures-csv"),
    path("awards/<int:pk>/returns/", views.award_return_add, name="award-return-add"),
    path("monitoring-returns/<int:pk>/", views.monitoring_return_record, name="monitoring-return-record"),
    path(
        "monitoring-returns/<int:pk>/review/", views.monitoring_return_review, name="monitoring-return-review"
    ),
]
