"""Forms for CSP duties, DHRs, plans, assessments and briefing notes. They only collect input: the services check every
rule, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Submit
from django import forms

from joinedup.core.form_fields import date_field
from joinedup.core.forms import ServiceForm
from joinedup.core.models import ActionStatus, Area, Organisation, Rag
from joinedup.partnerships.models import Plan, PlanPriority

from .models import (
    CommissionDecision,
    CspPlan,
    DutyStatus,
    RecommendationStatus,
    StrategicAssessment,
)


def _date(label: str, help_text: str = "") -> forms.Field:
    return date_field(label, help_text=help_text)


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
    joint_introduction = _text(
        "Shared introduction",
        5,
        help_text="Opens the aligned document that combines this plan with the Police and Crime Plan.",
    )
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
    strategic_assessment = forms.ModelChoiceField(
        label="Strategic assessment it came from",
        queryset=StrategicAssessment.objects.none(),
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
        assessment = self.fields["strategic_assessment"]
        assert isinstance(assessment, forms.ModelChoiceField)
        assessment.queryset = StrategicAssessment.objects.filter(csp_id=plan.csp_id)
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


class AssessmentForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    year = forms.IntegerField(label="Financial year starting", required=False, help_text="2025 for 2025/26.")
    published_on = _date("Date published")
    approved_by = forms.CharField(label="Approved by", max_length=200, required=False)
    document = forms.FileField(
        label="Upload the assessment", required=False, help_text="A PDF, DOCX or ODT file up to 20 MB."
    )
    link = forms.CharField(label="Or a link to it", max_length=500, required=False)
    crime_trend_headline = forms.CharField(
        label="Crime trend headline",
        max_length=300,
        required=False,
        help_text="One sentence; it opens the crime trend section of the quarterly briefing notes.",
    )
    key_findings = _text("Key findings", 5)
    insight_assessment_id = forms.IntegerField(
        label="Saved assessment in the insight store (number, optional)",
        required=False,
        min_value=1,
        help_text="If this was published from a saved assessment in the insight store, its number.",
    )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("document", None)
        return data


class BriefingNoteForm(VersionedForm):
    plan_progress = _text("Partnership plan progress", 6)
    duty_compliance = _text("Statutory duties", 6)
    crime_trend = _text("Crime trend", 3)
    funded_projects = _text("Funded projects", 4)
    manager_commentary = _text("The CSP manager's commentary", 5)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.inputs = []
        self.helper.add_input(Submit("save", "Save the draft"))
        self.helper.add_input(
            Submit("submit_note", "Submit to the Panel", css_class="govuk-button--secondary")
        )
