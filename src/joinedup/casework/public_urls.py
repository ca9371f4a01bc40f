"""Public URLs for casework (namespace `public-casework`): published statistics only, never personal data."""

from django.urls import path

from . import views_reviews

urlpatterns = [
    path("asb-case-reviews/", views_reviews.review_statistics_public, name="case-review-statistics"),
]
