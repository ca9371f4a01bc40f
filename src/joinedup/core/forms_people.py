"""Forms for the people pages (filters, add and edit) and the audit log filters."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.choices import Choice
from django import forms

from joinedup.core.form_fields import date_field
from joinedup.core.models import Area, AreaLevel, EventType, Organisation, User
from joinedup.core.roles import ROLE_DESCRIPTIONS, Role

ACTIVE_CHOICES = [("", "Active and inactive"), ("yes", "Active"), ("no", "Inactive")]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=200)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any role"), *Role.choices])
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="Any",
    )
    active = forms.ChoiceField(label="Account", required=False, choices=ACTIVE_CHOICES)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        organisation = data.get("organisation")
        return {
            "q": (data.get("q") or "").strip() or None,
            "role": data.get("role") or None,
            "organisation": organisation.pk if organisation else None,
            "active": {"yes": True, "no": False}.get(data.get("active") or ""),
        }


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.get_level_display()})"


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They sign in with this address. We send them a link to choose a password.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation they work for"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[Choice(value, Role(value).label, hint=ROLE_DESCRIPTIONS[value]) for value in Role.values],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    areas = AreaChoiceField(
        label="Areas they work for",
        required=False,
        help_text="CSP managers and analysts see only the records of these areas.",
        queryset=Area.objects.filter(level__in=[AreaLevel.PFA, AreaLevel.CSP]).order_by("level", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label="Account active",
        required=False,
        initial=True,
        help_text="Someone whose account is not active cannot sign in.",
    )

    @staticmethod
    def initial_from(person: User) -> dict[str, Any]:
        initial = {
            name: getattr(person, name) for name in ("full_name", "email", "job_title", "role", "is_active")
        }
        return initial | {"organisation": person.organisation_id, "areas": list(person.areas.all())}

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["areas"] = list(data.get("areas") or [])
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class AuditFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        label="Event", required=False, choices=[("", "Any event"), *EventType.choices]
    )
    actor = forms.CharField(label="Who (email address or part of it)", required=False, max_length=254)
    object_type = forms.CharField(
        label="Record type",
        required=False,
        max_length=100,
        help_text="For example, core.user or core.organisation",
    )
    object_id = forms.CharField(label="Record id", required=False, max_length=64)
    date_from = date_field("From")
    date_to = date_field("To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}
