"""Public URLs for funding (namespace `public-funding`)."""

from django.urls import path

from . import applicant_views, public_views

urlpatterns = [
    path("apply/", applicant_views.apply_home, name="apply-home"),
    path("apply/register/", applicant_views.applicant_register, name="applicant-register"),
    path("apply/verify/<str:token>/", applicant_views.applicant_verify, name="applicant-verify"),
    path("apply/sign-in/", applicant_views.applicant_sign_in, name="applicant-sign-in"),
    path("apply/sign-out/", applicant_views.applicant_sign_out, name="applicant-sign-out"),
    path("apply/password-reset/", applicant_views.applicant_password_reset, name="applicant-password-reset"),
    path(
        "apply/password-reset/<str:token>/",
        applicant_views.applicant_password_reset_confirm,
        name="applicant-password-reset-confirm",
    ),
    path("apply/rounds/<int:pk>/", applicant_views.applicant_start, name="applicant-start"),
    path("apply/applications/<int:pk>/", applicant_views.applicant_application, name="applicant-application"),
    path("apply/applications/<int:pk>/documents/", applicant_views.applicant_upload, name="applicant-upload"),
    path(
        "apply/applications/<int:pk>/documents/<int:document>/",
        applicant_views.applicant_document,
        name="applicant-document",
    ),
    path("apply/returns/<int:pk>/", applicant_views.applicant_return, name="applicant-return"),
    path("grants/", public_views.grant_list, name="grant-list"),
    path("open-data/grants.json", public_views.grants_json, name="grants-json"),
    path("open-data/grants.csv", public_views.grants_csv, name="grants-csv"),
]
