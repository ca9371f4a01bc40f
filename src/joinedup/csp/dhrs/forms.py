"""Forms for domestic homicide reviews and their recommendations. They only collect input: the services check every rule."""

from __future__ import annotations

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import VersionedForm
from joinedup.core.models import Organisation

from ..models import CommissionDecision, RecommendationStatus


class DhrForm(VersionedForm):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=30,
        required=False,
        help_text="For example DHR-2025-03. Never a name or any other personal identifier.",
    )
    notified_on = date_field("Date the CSP was notified")
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Not decided yet"), *CommissionDecision.choices], required=False
    )
    decision_on = date_field("Date of the decision")
    independent_chair = forms.CharField(label="Independent chair", max_length=200, required=False)
    chair_appointed_on = date_field("Date the chair was appointed")
    first_panel_on = date_field("Date of the first review panel")
    report_completed_on = date_field("Date the report was completed")
    submitted_to_qa_on = date_field("Date submitted to the Home Office quality assurance panel")
    qa_outcome_on = date_field("Date of the quality assurance panel's outcome")
    published_on = date_field("Date published")
    published_title = forms.CharField(label="Published title", max_length=200, required=False)
    report_url = forms.CharField(label="Published report link", max_length=500, required=False)


class DhrRecommendationForm(VersionedForm):
    agency = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="Choose the agency"
    )
    text = text_field("Recommendation", 4)
    due_date = date_field("Due date")
    status = forms.ChoiceField(choices=RecommendationStatus.choices, required=False)
    completed_on = date_field("Date completed")
    progress = text_field("Progress")
