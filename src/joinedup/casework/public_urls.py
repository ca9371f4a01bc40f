"""Public URLs for casework (namespace `public-casework`): published statistics, and the online application
for an ASB case review with its progress page (which shows no personal data)."""

from django.urls import path

from .reviews import views as reviews

urlpatterns = [
    path("asb-case-reviews/", reviews.review_statistics_public, name="case-review-statistics"),
    path("asb-case-reviews/apply/", reviews.apply, name="case-review-apply"),
    path("asb-case-reviews/applications/<str:key>/", reviews.progress, name="case-review-progress"),
]
