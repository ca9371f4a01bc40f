"""Forms of the public applicant journey. They only collect text: every rule is checked in
applicants/services.py, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Submit
from django import forms
from django.utils.translation import gettext, gettext_lazy

from joinedup.core.form_fields import text_field
from joinedup.core.forms import ServiceForm


class RegisterForm(ServiceForm):
    submit_label = gettext_lazy("Create account")

    contact_name = forms.CharField(required=False, label=gettext_lazy("Your name"))
    email = forms.CharField(required=False, label=gettext_lazy("Email address"), widget=forms.EmailInput)
    organisation_name = forms.CharField(required=False, label=gettext_lazy("Organisation name"))
    charity_number = forms.CharField(required=False, label=gettext_lazy("Charity number (if it has one)"))
    company_number = forms.CharField(required=False, label=gettext_lazy("Company number (if it has one)"))
    password = forms.CharField(
        required=False,
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("At least 12 characters; not a common password."),
    )


class ApplicantSignInForm(ServiceForm):
    submit_label = gettext_lazy("Sign in")

    email = forms.CharField(required=False, label=gettext_lazy("Email address"), widget=forms.EmailInput)
    password = forms.CharField(required=False, label=gettext_lazy("Password"), widget=forms.PasswordInput)


class PasswordResetRequestForm(ServiceForm):
    submit_label = gettext_lazy("Send me a link")

    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The address you registered with."),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter your email address"),
            "invalid": gettext_lazy("Enter an email address like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class NewPasswordForm(ServiceForm):
    submit_label = gettext_lazy("Change password")

    password = forms.CharField(
        required=False,
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters; not a common password."),
    )


class ApplicantApplicationForm(ServiceForm):
    """The applicant's answers. The organisation comes from their account."""

    project_title = forms.CharField(required=False, label=gettext_lazy("Project title"))
    project_description = text_field(
        gettext_lazy("What will the project do, for whom, and how does it meet the criteria?"), 6
    )
    amount_requested = forms.CharField(required=False, label=gettext_lazy("Amount requested, in pounds"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.inputs = []
        self.helper.add_input(Submit("action", gettext("Save as draft"), css_class="govuk-button--secondary"))
        self.helper.add_input(Submit("action", gettext("Submit application")))


class DocumentForm(ServiceForm):
    submit_label = gettext_lazy("Upload document")

    document = forms.FileField(
        required=False,
        label=gettext_lazy("Supporting document"),
        help_text=gettext_lazy("PDF, Word, OpenDocument, Excel, CSV, text, JPEG or PNG, up to 5 MB."),
    )
