"""Staff URLs of ASB case reviews (added to casework's urls.py; the public pages are in public_urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("case-reviews/", views.review_list, name="review-list"),
    path("case-reviews/new/", views.review_create, name="review-create"),
    path("case-reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path(
        "case-reviews/<int:pk>/recommendations/new/",
        views.review_recommendation_create,
        name="review-recommendation-create",
    ),
    path("case-reviews/<int:pk>/<slug:step>/", views.review_step, name="review-step"),
]
