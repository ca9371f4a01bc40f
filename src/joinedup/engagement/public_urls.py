"""Public URLs for consultations and surveys (namespace `public-engagement`)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("", public_views.consultation_index, name="index"),
    path("<int:pk>/", public_views.consultation_respond, name="respond"),
    path("<int:pk>/thank-you/", public_views.consultation_thanks, name="thanks"),
    path("<int:pk>/results/", public_views.consultation_results, name="results"),
    path("<int:pk>/results.csv", public_views.consultation_results_csv, name="results-csv"),
    path("neighbourhood-meetings/", public_views.meeting_index, name="meetings"),
    path("neighbourhood-meetings/<int:pk>/", public_views.meeting_page, name="meeting"),
    path("neighbourhood-meetings/<int:pk>/vote-sent/", public_views.vote_sent, name="vote-sent"),
    path("neighbourhood-meetings/votes/<str:key>/", public_views.vote_confirm, name="vote-confirm"),
]
