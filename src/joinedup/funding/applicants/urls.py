"""Public URLs of the applicant journey, included in funding's public ones (namespace `public-funding`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("apply/", views.apply_home, name="apply-home"),
    path("apply/register/", views.applicant_register, name="applicant-register"),
    path("apply/verify/<str:token>/", views.applicant_verify, name="applicant-verify"),
    path("apply/sign-in/", views.applicant_sign_in, name="applicant-sign-in"),
    path("apply/sign-out/", views.applicant_sign_out, name="applicant-sign-out"),
    path("apply/password-reset/", views.applicant_password_reset, name="applicant-password-reset"),
    path(
        "apply/password-reset/<str:token>/",
        views.applicant_password_reset_confirm,
        name="applicant-password-reset-confirm",
    ),
    path("apply/rounds/<int:pk>/", views.applicant_start, name="applicant-start"),
    path("apply/applications/<int:pk>/", views.applicant_application, name="applicant-application"),
    path("apply/applications/<int:pk>/documents/", views.applicant_upload, name="applicant-upload"),
    path(
        "apply/applications/<int:pk>/documents/<int:document>/",
        views.applicant_document,
        name="applicant-document",
    ),
    path("apply/returns/<int:pk>/", views.applicant_return, name="applicant-return"),
]
