"""Staff URLs for consultations and surveys (namespace `engagement`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/questions/new/", views.question_form, name="question-create"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_form, name="question-edit"),
    path("<int:pk>/questions/<int:question_pk>/delete/", views.question_delete, name="question-delete"),
    path("<int:pk>/moderation/", views.moderation, name="moderation"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results-csv"),
    path("<int:pk>/contacts/", views.contacts, name="contacts"),
    path("<int:pk>/year-on-year/", views.compare, name="compare"),
    path("<int:pk>/year-on-year.csv", views.compare_csv, name="compare-csv"),
    path("<int:pk>/answer/", views.partner_respond, name="partner-respond"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
]
