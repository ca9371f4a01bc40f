"""Forms for CSP duties, DHRs and Panel recommendations. They only collect input: the services check every
rule, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.forms import ServiceForm
from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.partnerships.models import Plan, PlanPriority

from .duties import Duty
from .models import (
    ActionStatus,
    CommissionDecision,
    CspPlan,
    DutyRecord,
    DutyStatus,
    ImplementationStatus,
    Rag,
    RecommendationStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE, help_text=help_text)


def _text(label: str, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class VersionedForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DutyRecordForm(VersionedForm):
    due_date = _date("Due date")
    status = forms.ChoiceField(choices=DutyStatus.choices, required=False)
    evidence_link = forms.CharField(label="Link to the evidence", max_length=500, required=False)
    evidence_text = _text(
        "Evidence", help_text="What shows the duty was met, or why it is not required this year."
    )
    evidence_date = _date("Date of the evidence")
    approved_by = forms.CharField(label="Approved by", max_length=200, required=False)
    signed_off_by = forms.ModelMultipleChoiceField(
        label="Signed off by",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The responsible authorities that have signed this off.",
    )

    def __init__(self, *args: Any, authorities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signed_off_by"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = authorities if authorities is not None else Organisation.objects.none()

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["signed_off_by"] = list(data.get("signed_off_by") or [])
        return data


class DhrForm(VersionedForm):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=30,
        required=False,
        help_text="For example DHR-2025-03. Never a name or any other personal identifier.",
    )
    notified_on = _date("Date the CSP was notified")
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Not decided yet"), *CommissionDecision.choices], required=False
    )
    decision_on = _date("Date of the decision")
    independent_chair = forms.CharField(label="Independent chair", max_length=200, required=False)
    chair_appointed_on = _date("Date the chair was appointed")
    first_panel_on = _date("Date of the first review panel")
    report_completed_on = _date("Date the report was completed")
    submitted_to_qa_on = _date("Date submitted to the Home Office quality assurance panel")
    qa_outcome_on = _date("Date of the quality assurance panel's outcome")
    published_on = _date("Date published")
    published_title = forms.CharField(label="Published title", max_length=200, required=False)
    report_url = forms.CharField(label="Published report link", max_length=500, required=False)


class DhrRecommendationForm(VersionedForm):
    agency = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="Choose the agency"
    )
    text = _text("Recommendation", 4)
    due_date = _date("Due date")
    status = forms.ChoiceField(choices=RecommendationStatus.choices, required=False)
    completed_on = _date("Date completed")
    progress = _text("Progress")


class PanelRecommendationForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    recommendation = _text("We said (the recommendation)", 5)
    made_on = _date("Date made")
    response_due = _date("PCC response due")
    csp = forms.ModelChoiceField(
        label="CSP concerned (optional)",
        queryset=Area.objects.filter(level=AreaLevel.CSP),
        required=False,
        empty_label="None: the whole force area",
    )

    def __init__(self, *args: Any, csps: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if csps is not None:
            field = self.fields["csp"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = csps


class PanelResponseForm(VersionedForm):
    pcc_response = _text("PCC's response", 5)
    response_on = _date("Date of the response")
    status = forms.ChoiceField(choices=ImplementationStatus.choices, required=False)
    implementation = _text("You did (what was done)", 4)


class PlanForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    period_start = _date("Period starts")
    period_end = _date("Period ends")
    police_and_crime_plan = forms.ModelChoiceField(
        label="Police and Crime Plan it has regard to",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="None chosen",
    )
    summary = _text("Summary", 4)
    is_public = forms.BooleanField(label="Show the plan's priorities on the public pages", required=False)

    def __init__(self, *args: Any, csp: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["police_and_crime_plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Plan.objects.filter(force_area_id=csp.pfa_id)


class PriorityForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    description = _text("Description")
    order = forms.IntegerField(min_value=0, required=False, initial=0)
    assessment = forms.ModelChoiceField(
        label="Strategic assessment it came from",
        queryset=DutyRecord.objects.none(),
        required=False,
        empty_label="None chosen",
    )
    pcc_priorities = forms.ModelMultipleChoiceField(
        label="Police and Crime Plan priorities it serves",
        queryset=PlanPriority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, plan: CspPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessment = self.fields["assessment"]
        assert isinstance(assessment, forms.ModelChoiceField)
        assessment.queryset = DutyRecord.objects.filter(csp_id=plan.csp_id, duty=Duty.STRATEGIC_ASSESSMENT)
        served = self.fields["pcc_priorities"]
        assert isinstance(served, forms.ModelMultipleChoiceField)
        served.queryset = (
            PlanPriority.objects.filter(plan_id=plan.police_and_crime_plan_id)
            if plan.police_and_crime_plan_id
            else PlanPriority.objects.none()
        )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["pcc_priorities"] = list(data.get("pcc_priorities") or [])
        data["order"] = data.get("order") or 0
        return data


class ActionForm(VersionedForm):
    description = _text("Action")
    owner = forms.ModelChoiceField(
        label="Owner organisation", queryset=Organisation.objects.all(), required=False, empty_label="Choose"
    )
    lead_officer = forms.CharField(label="Lead officer", max_length=200, required=False)
    due_date = _date("Due date")
    status = forms.ChoiceField(choices=ActionStatus.choices, required=False)
    rag = forms.ChoiceField(label="Rating", choices=[("", "Not rated yet"), *Rag.choices], required=False)


class ActionUpdateForm(VersionedForm):
    recorded_on = _date("Date")
    text = _text("Progress", 4)
    rag = forms.ChoiceField(label="Rating", choices=[("", "Choose a rating"), *Rag.choices], required=False)


class RequirementForm(VersionedForm):
    subject = forms.CharField(max_length=200, required=False)
    reason = _text("Why the PCC requires the report", 4)
    required_on = _date("Date required")
    due_date = _date("Report due")


class RequirementResponseForm(VersionedForm):
    response = _text("The CSP's report or response", 6)
    response_link = forms.CharField(label="Link to the report", max_length=500, required=False)
    responded_on = _date("Date of the response")
