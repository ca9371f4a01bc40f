"""Casework forms. Validation lives in the services (every problem at once), not here."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.models import Organisation

from .categories import category_choices
from .models import ActionStatus, ActionType, ContactMethod, LawfulBasis, VulnerabilityIndicator


class ServiceErrorsMixin:
    def service_data(self) -> dict[str, Any]:
        """What the service is given: every field but the version the form was read at."""
        return {key: value for key, value in self.cleaned_data.items() if key != "version"}  # type: ignore[attr-defined]

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for name, messages in message_dict.items():
            target = name if name in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                prefix = "" if target or name == "__all__" else f"{name.replace('_', ' ').capitalize()}: "
                self.add_error(target, prefix + message)  # type: ignore[attr-defined]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    return helper


class IncidentForm(ServiceErrorsMixin, forms.Form):
    received_at = forms.CharField(
        label="Received at", required=False, help_text="Date and time, for example 2026-11-20 21:40"
    )
    occurred_at = forms.CharField(
        label="Happened at (if known)",
        required=False,
        help_text="Date and time, for example 2026-11-20 21:00",
    )
    category = forms.ChoiceField(choices=[("", "Choose a category"), *category_choices()], required=False)
    address = forms.CharField(max_length=300, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    latitude = forms.CharField(required=False, help_text="For example 54.9783")
    longitude = forms.CharField(required=False, help_text="For example -1.6178")
    area = forms.CharField(
        label="LSOA or district",
        required=False,
        help_text=(
            "Worked out from the coordinates when they fall inside a loaded LSOA boundary, or from the "
            "postcode when the ONS Postcode Directory has been imported. Otherwise give the ONS code, for "
            "example E01008397 or E08000021"
        ),
    )
    description = text_field("Description", 4)
    informant_name = forms.CharField(label="Informant's name", max_length=150, required=False)
    informant_date_of_birth = date_field("Informant's date of birth")
    informant_phone = forms.CharField(label="Informant's phone", max_length=30, required=False)
    informant_email = forms.CharField(label="Informant's email", max_length=254, required=False)
    informant_anonymous = forms.BooleanField(label="The informant wants to stay anonymous", required=False)
    preferred_contact = forms.ChoiceField(
        label="Preferred contact", choices=[("", "Not stated"), *ContactMethod.choices], required=False
    )
    vulnerability_indicators = forms.MultipleChoiceField(
        label="Victim vulnerability",
        choices=VulnerabilityIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    perpetrator_name = forms.CharField(
        label="Alleged perpetrator's name, if known", max_length=150, required=False
    )
    perpetrator_date_of_birth = date_field("Alleged perpetrator's date of birth")
    case = forms.ChoiceField(label="Join an open case", required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, case_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        case_field: Any = self.fields["case"]
        case_field.choices = [("", "Open a new case"), *(case_choices or [])]

    def service_data(self, *, organisation_id: int | None = None) -> dict[str, Any]:
        d = self.cleaned_data
        perpetrators = []
        if d.get("perpetrator_name") or d.get("perpetrator_date_of_birth"):
            perpetrators.append(
                {"name": d["perpetrator_name"], "date_of_birth": d["perpetrator_date_of_birth"]}
            )
        return {
            "reporting_organisation": organisation_id,
            "received_at": (d.get("received_at") or "").replace(" ", "T", 1),
            "occurred_at": (d.get("occurred_at") or "").replace(" ", "T", 1),
            "category": d.get("category"),
            "address": d.get("address"),
            "postcode": d.get("postcode"),
            "latitude": d.get("latitude"),
            "longitude": d.get("longitude"),
            "area": d.get("area"),
            "description": d.get("description"),
            "informant": {
                "name": d.get("informant_name"),
                "date_of_birth": d.get("informant_date_of_birth"),
                "phone": d.get("informant_phone"),
                "email": d.get("informant_email"),
            },
            "informant_anonymous": d.get("informant_anonymous"),
            "preferred_contact": d.get("preferred_contact"),
            "vulnerability_indicators": d.get("vulnerability_indicators") or [],
            "perpetrators": perpetrators,
            "case": d.get("case") or None,
        }


def offer_agencies_seeing(form: forms.Form, case: Any, help_text: str = "") -> None:
    """Offer in the form's `owner_organisation` only the agencies that may already see the case (ADR 0012)."""
    from .rules import organisations_seeing_case

    field: Any = form.fields["owner_organisation"]
    field.queryset = Organisation.objects.filter(pk__in=organisations_seeing_case(case)).order_by("name")
    if help_text:
        field.help_text = help_text


class ActionForm(ServiceErrorsMixin, forms.Form):
    owner_organisation = forms.ModelChoiceField(
        label="Lead agency", queryset=Organisation.objects.order_by("name"), required=False
    )
    action_type = forms.ChoiceField(
        label="Action", choices=[("", "Choose an action"), *ActionType.choices], required=False
    )
    description = text_field("Description")
    due_date = date_field("Due date")

    agencies_hint = (
        "Only agencies that may see this case. To bring in another, record a disclosure to it first."
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:  # others are brought in by disclosure
            offer_agencies_seeing(self, case, self.agencies_hint)
        self.helper = _helper()


class DisclosureForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation to disclose the case to",
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    reason = text_field("Why this organisation must see the case")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis", choices=[("", "Choose"), *LawfulBasis.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActionUpdateForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    description = text_field("Description")
    due_date = date_field("Due date", required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class InformantUpdateForm(ServiceErrorsMixin, forms.Form):
    method = forms.ChoiceField(label="How", choices=[("", "Choose"), *ContactMethod.choices], required=False)
    summary = text_field("What the informant was told")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
