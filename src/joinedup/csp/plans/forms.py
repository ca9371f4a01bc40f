"""Forms for partnership plans, their priorities, actions and progress updates. They only collect input: the services check every rule."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import VersionedForm
from joinedup.core.models import ActionStatus, Area, Organisation, Rag
from joinedup.partnerships.models import Plan, PlanPriority

from ..models import CspPlan, StrategicAssessment


class PlanForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    period_start = date_field("Period starts")
    period_end = date_field("Period ends")
    police_and_crime_plan = forms.ModelChoiceField(
        label="Police and Crime Plan it has regard to",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="None chosen",
    )
    summary = text_field("Summary", 4)
    joint_introduction = text_field(
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
    description = text_field("Description")
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
        data["order"] = data.get("order") or 0
        return data


class ActionForm(VersionedForm):
    description = text_field("Action")
    owner = forms.ModelChoiceField(
        label="Owner organisation", queryset=Organisation.objects.all(), required=False, empty_label="Choose"
    )
    lead_officer = forms.CharField(label="Lead officer", max_length=200, required=False)
    due_date = date_field("Due date")
    status = forms.ChoiceField(choices=ActionStatus.choices, required=False)
    rag = forms.ChoiceField(label="Rating", choices=[("", "Not rated yet"), *Rag.choices], required=False)


class ActionUpdateForm(VersionedForm):
    recorded_on = date_field("Date")
    text = text_field("Progress", 4)
    rag = forms.ChoiceField(label="Rating", choices=[("", "Choose a rating"), *Rag.choices], required=False)
