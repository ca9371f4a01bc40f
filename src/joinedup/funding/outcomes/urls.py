"""Staff URLs for the outcome views of grants and contracts, included in funding's (namespace `funding`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("awards/<int:pk>/outcomes/", views.award_outcomes, name="award-outcomes"),
    path("awards/<int:pk>/outcomes.csv", views.award_outcomes_csv, name="award-outcomes-csv"),
    path("contracts/<int:pk>/outcomes/", views.contract_outcomes, name="contract-outcomes"),
    path("contracts/<int:pk>/outcomes.csv", views.contract_outcomes_csv, name="contract-outcomes-csv"),
]
