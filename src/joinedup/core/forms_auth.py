"""Forms for signing in, the second factor, setting up an authenticator app and API tokens."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

SIGN_IN_ERROR = "Enter a correct email address and password"
LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts from here. Wait 15 minutes, then try again; "
    "your administrator can clear the attempts sooner."
)
WRONG_BACKUP_CODE = (
    "The backup code is wrong or has already been used. Enter one of your unused backup codes."
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


class BackupCodeForm(forms.Form):
    code = forms.CharField(
        label="Backup code",
        help_text="One of the 8-character codes you saved when you set up two-factor sign-in, like k3j5-mz2q.",
        max_length=20,
        error_messages={"required": "Enter one of your backup codes"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(ch for ch in str(self.cleaned_data["code"]) if ch.isalnum())
        if len(code) != 8:
            raise forms.ValidationError("Enter a backup code of 8 letters and numbers, like k3j5-mz2q")
        return code


TOKEN_LIFETIMES = [(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, 'housing case system'. This helps you recognise it later.",
        max_length=100,
        error_messages={"required": "Enter what the token is for"},
    )
    scope = forms.ChoiceField(
        label="What may the token do?",
        choices=[
            ("read", "Read only: look things up (GET), never change anything"),
            ("read_write", "Read and write: anything you may do yourself"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do"},
    )
    days = forms.TypedChoiceField(
        label="How long should it last?",
        help_text="It stops working after this. Create a new one before then if you still need it.",
        choices=TOKEN_LIFETIMES,
        coerce=int,
        initial=90,
        error_messages={"required": "Choose how long the token should last"},
    )
