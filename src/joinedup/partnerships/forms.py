"""Forms for the partnership register. They only collect text: the model and service check every rule, so
one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, place_field
from joinedup.core.forms import AreaCodesField, ServiceForm
from joinedup.core.models import ActionStatus, Area, Organisation, Rag

from .models import (
    PCC_QUESTIONS,
    DeclarationKind,
    LegalBasis,
    Level,
    MemberRole,
    Partnership,
    PlanPriority,
    Question,
    Rating,
    Recommendation,
    ReviewDecision,
    Visibility,
)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PartnershipForm(ServiceForm):
    name = forms.CharField(max_length=200, required=False)
    purpose = forms.CharField(widget=_textarea(4), required=False)
    scope_in = forms.CharField(label="What is in scope", widget=_textarea(), required=False)
    scope_out = forms.CharField(label="What is explicitly out of scope", widget=_textarea(), required=False)
    legal_basis = forms.ChoiceField(
        label="Legal basis", choices=[("", "Choose a legal basis"), *LegalBasis.choices], required=False
    )
    level = forms.ChoiceField(choices=[("", "Choose a level"), *Level.choices], required=False)
    areas = AreaCodesField(
        required=False,
        label="Areas covered",
        help_text="ONS codes of the force areas, CSPs or districts, for example E23000007, E22000262.",
    )
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="Choose the lead organisation"
    )
    governance_body = forms.CharField(label="Governance body", max_length=200, required=False)
    governance_chair = forms.CharField(label="Chair of the governance body", max_length=200, required=False)
    meeting_frequency = forms.CharField(max_length=100, required=False, help_text="For example: quarterly")
    decision_rights = forms.CharField(label="Decision rights", widget=_textarea(), required=False)
    accountable_to = forms.CharField(
        label="Accountable to",
        widget=_textarea(2),
        required=False,
        help_text="The partner organisations, the Police and Crime Panel, scrutiny committees.",
    )
    exit_triggers = forms.CharField(label="Exit strategy: triggers", widget=_textarea(), required=False)
    exit_steps = forms.CharField(label="Exit strategy: steps", widget=_textarea(), required=False)
    exit_cost = forms.CharField(label="Exit strategy: cost of exit (£)", required=False, max_length=20)
    review_cadence_months = forms.CharField(label="Review every (months)", required=False, max_length=3)
    next_review_date = date_field("Next review due")
    visibility = forms.ChoiceField(choices=Visibility.choices, widget=forms.RadioSelect, required=False)
    illustrative = forms.BooleanField(
        required=False, label="Illustrative record (not a real partnership's facts)"
    )
    source = forms.CharField(max_length=300, required=False, label="Source of these facts")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDS = (
        "name", "purpose", "scope_in", "scope_out", "legal_basis", "level", "lead_organisation",
        "governance_body", "governance_chair", "meeting_frequency", "decision_rights", "accountable_to",
        "exit_triggers", "exit_steps", "exit_cost", "review_cadence_months", "next_review_date",
        "visibility", "illustrative", "source", "version",
    )  # fmt: skip

    @classmethod
    def initial_from(cls, partnership: Partnership) -> dict[str, Any]:
        initial = {name: getattr(partnership, name) for name in cls.FIELDS}
        initial["areas"] = ", ".join(a.code for a in partnership.areas.all())
        initial["next_review_date"] = (
            partnership.next_review_date.isoformat() if partnership.next_review_date else ""
        )
        for name in ("exit_cost", "review_cadence_months"):
            initial[name] = "" if initial[name] is None else str(initial[name])
        return initial

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not data.get("visibility"):
            data["visibility"] = Visibility.INTERNAL
        return data


class LandscapeFilterForm(forms.Form):
    area = place_field("Area", levels=("pfa", "csp", "lad"))
    level = forms.ChoiceField(required=False, choices=[("", "Any level"), *Level.choices])

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {
            "area_code": self.cleaned_data.get("area") or None,
            "level": self.cleaned_data.get("level") or None,
        }


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=_textarea(2), required=False, help_text="Kept in the partnership's history."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MembershipForm(ServiceForm):
    submit_label = "Save member"
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="Choose an organisation"
    )
    role = forms.ChoiceField(choices=MemberRole.choices, required=False)
    money_per_year = forms.CharField(label="Money per year (£)", required=False, max_length=20)
    staff_fte = forms.CharField(label="Staff (full-time equivalent)", required=False, max_length=10)
    premises = forms.CharField(widget=_textarea(2), required=False)
    other_contribution = forms.CharField(label="Other contribution", widget=_textarea(2), required=False)
    cost_share_percent = forms.CharField(
        label="Cost share (%)",
        required=False,
        max_length=10,
        help_text="Optional. Once any member has a share, all shares must add up to 100.",
    )
    responsibilities = forms.CharField(widget=_textarea(3), required=False)
    accountable_contact = forms.CharField(label="Accountable contact", max_length=200, required=False)


class RiskForm(ServiceForm):
    submit_label = "Save risk"
    description = forms.CharField(widget=_textarea(3), required=False)
    likelihood = forms.ChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        required=False,
        help_text="1 is rare, 5 is almost certain.",
    )
    impact = forms.ChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        required=False,
        help_text="1 is minimal, 5 is severe.",
    )
    owner = forms.CharField(max_length=200, required=False)
    mitigation = forms.CharField(widget=_textarea(3), required=False)


class DeclarationForm(ServiceForm):
    submit_label = "Save declaration"
    kind = forms.ChoiceField(
        label="What is declared", choices=DeclarationKind.choices, widget=forms.RadioSelect, required=False
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="Choose the non-public body"
    )
    person = forms.CharField(label="Person (for an interest)", max_length=200, required=False)
    description = forms.CharField(widget=_textarea(3), required=False)
    amount = forms.CharField(label="Amount (£)", required=False, max_length=20)
    declared_on = date_field("Date declared")


class ObjectiveForm(ServiceForm):
    submit_label = "Add objective"
    text = forms.CharField(label="Objective", widget=_textarea(2), required=False)
    priorities = forms.ModelMultipleChoiceField(
        queryset=PlanPriority.objects.select_related("plan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Police and Crime Plan priorities it serves",
    )
    csp_priorities = forms.CharField(
        label="Community safety partnership priorities it serves", widget=_textarea(2), required=False
    )


class AssessmentForm(ServiceForm):
    """One rating and one evidence box per question; the recommendation and its reasons."""

    submit_label = "Save assessment"

    def __init__(self, *args: Any, includes_pcc_questions: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["includes_pcc_questions"] = forms.BooleanField(
            required=False, label="Include the Police and Crime Commissioner's political questions"
        )
        for question in Question:
            if question in PCC_QUESTIONS and not includes_pcc_questions:
                continue
            self.fields[f"{question.value}_rating"] = forms.ChoiceField(
                label=question.label,
                choices=[("", "Not rated yet"), *Rating.choices],
                required=False,
            )
            self.fields[f"{question.value}_evidence"] = forms.CharField(
                label="Evidence", widget=_textarea(2), required=False
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label="The decision-maker's recommendation",
            choices=[("", "Not decided yet"), *Recommendation.choices],
            required=False,
        )
        self.fields["recommendation_reason"] = forms.CharField(
            label="Reasons for the recommendation", widget=_textarea(3), required=False
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            q: {"rating": data.get(f"{q}_rating") or "", "evidence": data.get(f"{q}_evidence") or ""}
            for q in Question.values
            if f"{q}_rating" in self.fields
        }


REVIEW_ACTION_ROWS = 3


class ReviewForm(ServiceForm):
    """A completed review, with room for three follow-up actions (no JavaScript needed to add rows)."""

    submit_label = "Complete the review"
    reviewed_on = date_field("Date of review")
    added_value = forms.CharField(label="Evidence of added value", widget=_textarea(4), required=False)
    financial_costs = forms.CharField(label="Financial costs (£ a year)", required=False, max_length=20)
    opportunity_costs = forms.CharField(
        label="Opportunity costs",
        widget=_textarea(2),
        required=False,
        help_text="Time and energy partners give to the partnership at the expense of other work.",
    )
    benefits_realised = forms.CharField(label="Benefits realised", widget=_textarea(3), required=False)
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect, required=False)
    decision_reason = forms.CharField(label="Reasons for the decision", widget=_textarea(3), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, REVIEW_ACTION_ROWS + 1):
            self.fields[f"action_{n}_action"] = forms.CharField(
                label=f"Follow-up action {n}", widget=_textarea(2), required=False
            )
            self.fields[f"action_{n}_owner"] = forms.CharField(
                label=f"Owner of action {n}", max_length=200, required=False
            )
            self.fields[f"action_{n}_due_on"] = date_field(f"Action {n} due by")

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("action_")}

    def actions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {name: data.get(f"action_{n}_{name}") or "" for name in ("action", "owner", "due_on")}
            for n in range(1, REVIEW_ACTION_ROWS + 1)
        ]


class BenefitForm(ServiceForm):
    submit_label = "Save benefits"
    financial_year = forms.CharField(
        label="Financial year starting",
        max_length=4,
        required=False,
        help_text="For example 2026 for 2026/27.",
    )
    savings_projected = forms.CharField(label="Cashable savings projected (£)", required=False, max_length=20)
    savings_realised = forms.CharField(label="Cashable savings realised (£)", required=False, max_length=20)
    other_outcomes = forms.CharField(label="Other outcomes", widget=_textarea(3), required=False)


class RegisterImportForm(ServiceForm):
    submit_label = "Check and import"

    file = forms.FileField(
        label="Register spreadsheet (CSV or Excel)",
        help_text="An Excel workbook (.xlsx, the first sheet) or a CSV file, with the template's column headings.",
        error_messages={"required": "Choose a CSV or Excel file to import."},
    )


class PlanForm(ServiceForm):
    """A Police and Crime Plan and its priorities, one per line (no JavaScript needed to add rows)."""

    submit_label = "Save plan"
    title = forms.CharField(max_length=200, required=False)
    pcc_name = forms.CharField(label="Police and Crime Commissioner", max_length=200, required=False)
    force_area = forms.ModelChoiceField(
        label="Police force area",
        queryset=Area.objects.filter(level="pfa").order_by("name"),
        required=False,
        empty_label="Choose a police force area",
    )
    period_start = date_field("Plan starts")
    period_end = date_field("Plan ends")
    priorities = forms.CharField(
        label="Priorities",
        widget=_textarea(6),
        required=False,
        help_text="One priority per line, in the plan's order.",
    )

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "priorities"}

    def priority_titles(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("priorities") or "").splitlines() if line.strip()
        ]


class RemoveForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500)


class ActionForm(ServiceForm):
    """An action in a partnership's plan; the owner is chosen from the partnership's own organisations."""

    submit_label = "Save action"
    description = forms.CharField(label="Action", widget=_textarea(3), required=False)
    owner = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose the owner",
        help_text="The lead organisation or one of the partnership's members.",
    )
    lead_officer = forms.CharField(label="Lead officer", max_length=200, required=False)
    due_date = date_field("Due date")
    status = forms.ChoiceField(choices=ActionStatus.choices, required=False)
    rag = forms.ChoiceField(label="Rating", choices=[("", "Not rated yet"), *Rag.choices], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, owners: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any organisation is accepted here so that the service, not the form, explains a wrong owner.
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = Organisation.objects.all()
        owner_field.choices = [("", "Choose the owner"), *((o.pk, o.name) for o in owners)]


class ActionUpdateForm(ServiceForm):
    submit_label = "Record progress"
    recorded_on = date_field("Date")
    text = forms.CharField(label="Progress", widget=_textarea(4), required=False)
    rag = forms.ChoiceField(label="Rating", choices=[("", "Choose a rating"), *Rag.choices], required=False)


class ActionCompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
