"""Public URLs for casework (namespace `public-casework`): published statistics, and the online application
for an ASB case review with its progress page (which shows no personal data)."""

from django.urls import path

from . import views_review_applications, views_reviews

urlpatterns = [
    path("asb-case-reviews/", views_reviews.review_statistics_public, name="case-review-statistics"),
    path("asb-case-reviews/apply/", views_review_applications.apply, name="case-review-apply"),
    path(
        "asb-case-reviews/applications/<str:key>/",
        views_review_applications.progress,
        name="case-review-progress",
    ),
]
