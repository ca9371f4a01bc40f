"""Forms for ASB case reviews: the staff's request, step and recommendation forms, and the public's online
application."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from joinedup.core.form_fields import date_field, place_field, text_field
from joinedup.core.models import Organisation

from ..forms import ServiceErrorsMixin, _helper
from ..models import AppealOutcome


class CaseReviewRequestForm(ServiceErrorsMixin, forms.Form):
    received_on = date_field("Received on")
    area = place_field("Neighbourhood (LSOA) or district", levels=("lad", "lsoa"))
    applicant_name = forms.CharField(label="Applicant's name", max_length=150, required=False)
    applicant_date_of_birth = date_field("Applicant's date of birth")
    applicant_phone = forms.CharField(label="Applicant's phone", max_length=30, required=False)
    applicant_email = forms.CharField(label="Applicant's email", max_length=254, required=False)
    applicant_address = forms.CharField(label="Applicant's address", max_length=300, required=False)
    on_behalf_of_victim = forms.BooleanField(
        label="Made on the victim's behalf (with their consent)", required=False
    )
    summary = text_field("The anti-social behaviour the applicant says has not been dealt with", 4)
    cases = forms.CharField(
        label="Related case ids (optional)", required=False, help_text="Separated by commas"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["cases"] = [
            c.strip().removeprefix("ASB-").lstrip("0")
            for c in (data.get("cases") or "").split(",")
            if c.strip()
        ]
        return data


YES_NO = [("", "Choose"), ("yes", "Yes: the threshold is met"), ("no", "No: the threshold is not met")]


class ReviewStepForm(ServiceErrorsMixin, forms.Form):
    """The fields of one step; built for the step asked for."""

    STEP_FIELDS: dict[str, tuple[str, ...]] = {
        "acknowledge": ("acknowledged_on",),
        "decide": ("threshold_met", "threshold_reason", "decided_on"),
        "meeting": ("meeting_on", "meeting_attendees", "meeting_notes"),
        "outcome": ("outcome_sent_on",),
        "appeal": ("appeal_received_on", "appeal_grounds", "appeal_outcome", "appeal_decided_on"),
    }
    acknowledged_on = date_field("Acknowledged on")
    threshold_met = forms.ChoiceField(label="Is the threshold met?", choices=YES_NO, required=False)
    threshold_reason = text_field("Reasons (the applicant is told)")
    decided_on = date_field("Decided on")
    meeting_on = date_field("Meeting held on")
    meeting_attendees = text_field("Attendees", 2)
    meeting_notes = text_field("What the review found", 4)
    outcome_sent_on = date_field("Outcome sent to the applicant on")
    appeal_received_on = date_field("Appeal received on")
    appeal_grounds = text_field("Grounds for appeal")
    appeal_outcome = forms.ChoiceField(
        label="OPCC decision", choices=[("", "Not decided yet"), *AppealOutcome.choices], required=False
    )
    appeal_decided_on = date_field("OPCC decided on")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        keep = (*self.STEP_FIELDS[step], "version")
        self.fields = {name: field for name, field in self.fields.items() if name in keep}

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if "threshold_met" in data:
            data["threshold_met"] = {"yes": True, "no": False}.get(data["threshold_met"], "")
        return data


class RecommendationForm(ServiceErrorsMixin, forms.Form):
    text = text_field("Recommendation")
    organisation = forms.ModelChoiceField(
        label="For which agency", queryset=Organisation.objects.order_by("name"), required=False
    )
    due_date = date_field("Due date (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CaseReviewApplicationForm(ServiceErrorsMixin, forms.Form):
    """The public's application for an ASB case review; the service checks every answer."""

    # A plain field with a list to choose from: the service says what is wrong with an unknown district.
    district = forms.CharField(
        label=_("Where is the anti-social behaviour happening?"),
        help_text=_("Choose the council area (district)."),
        required=False,
        widget=forms.Select,
    )
    name = forms.CharField(label=_("Your full name"), max_length=150, required=False)
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        required=False,
        help_text=_("We send the link to follow your application here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Your telephone number (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    applying_for = forms.ChoiceField(
        label=_("Who are you applying for?"), widget=forms.RadioSelect, required=False
    )
    victim_agrees = forms.BooleanField(
        label=_("The person I am applying for agrees to this application"), required=False
    )
    summary = forms.CharField(
        label=_("What is happening, and what happened when you reported it?"),
        help_text=_(
            "Say when it started, how often it happens, and when you reported it. Do not include anyone's "
            "medical details."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
    )
    reported_to = forms.CharField(
        label=_("Who have you reported it to? (optional)"),
        help_text=_("For example the police, the council or your housing provider."),
        max_length=1000,
        required=False,
    )
    declaration = forms.BooleanField(
        label=_(
            "I understand that my details will be shared with the agencies that review how the anti-social "
            "behaviour was dealt with"
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, districts: list[tuple[str, str]], applying_for: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["district"].widget.choices = [("", _("Choose a district")), *districts]
        self.fields["applying_for"].choices = applying_for  # type: ignore[attr-defined]
