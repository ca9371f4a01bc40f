"""Staff URLs for strategic assessments, included in csp's (namespace `csp`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("assessments/<int:pk>/document/", views.assessment_document, name="assessment-document"),
    path("<str:code>/assessments/new/", views.assessment_create, name="assessment-create"),
    path("<str:code>/assessments/adopt/", views.assessment_adopt, name="assessment-adopt"),
]
