"""Staff URLs for signing in, your own account, people and the audit log (included in namespace `staff`)."""

from django.urls import path

from joinedup.core.views import account, audit, auth, people

urlpatterns = [
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-in/two-factor/", auth.two_factor, name="two-factor"),
    path("sign-in/backup-code/", auth.backup_code, name="backup-code"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("reset/<uidb64>/<token>/", auth.SetPasswordView.as_view(), name="password-reset-confirm"),
    path("reset/done/", auth.SetPasswordDoneView.as_view(), name="password-reset-complete"),
    path("account/", account.account, name="account"),
    path("account/two-factor/", account.two_factor_setup, name="two-factor-setup"),
    path("account/backup-codes/", account.backup_codes_create, name="backup-codes"),
    path("account/tokens/new/", account.token_create, name="token-create"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="token-revoke"),
    path("people/", people.person_list, name="person-list"),
    path("people/export.csv", people.person_export, name="person-export"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person-edit"),
    path("people/<int:pk>/sign-in/", people.person_sign_in_security, name="person-sign-in-security"),
    path("audit/", audit.audit_event_list, name="audit-event-list"),
    path("audit/export.csv", audit.audit_event_export, name="audit-event-export"),
]
