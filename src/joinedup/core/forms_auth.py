"""Forms for signing in, the second factor, setting up an authenticator app and API tokens."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

SIGN_IN_ERROR = "Enter a correct email address and password"
LOCKOUT_MESSAGE = (
    "Too many failed attempts. This account is locked for 15 minutes; "
    "contact your administrator to unlock it sooner."
)
WRONG_CODE = (
    "The security code is wrong or has expired. Enter the 6-digit code your authenticator app shows now."
)

six_digits = RegexValidator(r"^\d{6}$", "Enter the 6-digit code from your authenticator app.")


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        # Lockout is counted per account, so "Name@X" and "name@x" must be the same account.
        return str(self.cleaned_data["email"]).strip().lower()


class CodeField(forms.CharField):
    """A 6-digit code; spaces people type from the app ("123 456") are ignored."""

    def to_python(self, value: object) -> str:
        return "".join(str(super().to_python(value)).split())


class SecurityCodeForm(forms.Form):
    code = CodeField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows for Joined Up.",
        validators=[six_digits],
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "maxlength": "7",
                "class": "govuk-input--width-5",
            }
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, 'housing case system'. This helps you recognise it later.",
        max_length=100,
        error_messages={"required": "Enter what the token is for"},
    )
