"""Forms for funding pages. They only collect text: every rule is checked in the services, so one save
lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, place_field, text_field
from joinedup.core.forms import ServiceForm
from joinedup.core.models import Area, Organisation, User

from .models import Application, DecisionOutcome, DistributionModel, FundSource
from .monitoring.services import MEASURES_HELP


class LenientChoiceField(forms.ChoiceField):
    """Radios whose value the service checks, so every problem is listed together."""

    def valid_value(self, value: Any) -> bool:
        return True


def _csp_choices(field: Any, force_area: Any) -> None:
    """CSPs by name (their codes are the values the service reads): the fund's force area's, or every one."""
    csps = Area.objects.filter(level="csp").order_by("name")
    if force_area is not None:
        csps = csps.filter(pfa=force_area)
    field.choices = [("", "Not tied to one CSP"), *csps.values_list("code", "name")]


class ServesPrioritiesForm(ServiceForm):
    """A form whose `priorities` field (declared by the form) chooses the Police and Crime Plan priorities
    a fund or contract serves: any plan's, passed on to the service as a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from joinedup.partnerships.models import PlanPriority

        self.fields["priorities"].queryset = PlanPriority.objects.select_related("plan")  # type: ignore[attr-defined]


class FundForm(ServesPrioritiesForm):
    submit_label = "Save fund"

    name = forms.CharField(max_length=200, required=False, label="Name")
    source = forms.ChoiceField(
        choices=[("", "Choose a source"), *FundSource.choices], required=False, label="Source of the money"
    )
    distribution_model = forms.ChoiceField(
        choices=[("", "Choose how it is distributed"), *DistributionModel.choices],
        required=False,
        label="How it is distributed",
    )
    force_area = place_field(
        "Police force area (needed for a formula allocation across CSPs)", levels=("pfa",)
    )
    budgets = text_field(
        "Budget per financial year",
        help_text="One year a line, as 'year: amount', for example 2026: 100000.00 for 2026-27.",
    )
    max_award = forms.CharField(required=False, label="Maximum award, in pounds")
    decision_body = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label="Decision body", empty_label="Not set"
    )
    plan_priorities = text_field("Police and Crime Plan priorities served")
    eligibility_rules = text_field("Eligibility rules")
    priorities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Police and Crime Plan priorities (from the Plan register)",
        help_text="The spend reports count the fund's allocations and grants against these.",
    )
    description = text_field("Description")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_from(cls, fund: Any) -> dict[str, Any]:
        return {
            "priorities": [p.pk for p in fund.priorities.all()],
            "name": fund.name,
            "source": fund.source,
            "distribution_model": fund.distribution_model,
            "force_area": fund.force_area.code if fund.force_area else "",
            "budgets": "\n".join(f"{b.year}: {b.amount}" for b in fund.budgets.all()),
            "max_award": fund.max_award or "",
            "decision_body": fund.decision_body_id,
            "plan_priorities": fund.plan_priorities,
            "eligibility_rules": fund.eligibility_rules,
            "description": fund.description,
            "version": fund.version,
        }


class RoundForm(ServiceForm):
    submit_label = "Save round"

    name = forms.CharField(max_length=200, required=False, label="Name")
    opens_on = date_field("Opens on")
    closes_on = date_field("Closes on")
    budget = forms.CharField(required=False, label="Round budget, in pounds")
    max_award = forms.CharField(
        required=False, label="Maximum award, in pounds", help_text="Leave blank to use the fund's."
    )
    max_score = forms.CharField(required=False, label="Highest score per criterion", initial="5")
    criteria = text_field(
        "Published criteria and weights",
        4,
        help_text="One a line, as 'criterion: weight', for example Need: 3",
    )


class ApplicationForm(ServiceForm):
    submit_label = "Save application"

    organisation_name = forms.CharField(required=False, label="Applicant organisation")
    charity_number = forms.CharField(required=False, label="Charity number")
    company_number = forms.CharField(required=False, label="Company number")
    contact_email = forms.CharField(required=False, label="Contact email address")
    project_title = forms.CharField(required=False, label="Project title")
    project_description = text_field("Project description", 4)
    amount_requested = forms.CharField(required=False, label="Amount requested, in pounds")


class EligibilityForm(ServiceForm):
    submit_label = "Record eligibility"

    eligible = forms.ChoiceField(
        choices=[("yes", "Eligible"), ("no", "Not eligible")],
        widget=forms.RadioSelect,
        required=False,
        label="Is the application eligible?",
    )
    note = text_field("Note", 2)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.role_label}"


class AssignForm(ServiceForm):
    submit_label = "Assign"

    member = StaffChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        label="Panel member",
        empty_label="Choose a person",
    )


class ConflictForm(ServiceForm):
    submit_label = "Declare a conflict of interest"

    reason = text_field("What is the conflict of interest?")


class ScoreForm(ServiceForm):
    submit_label = "Save scores"

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grant_round = application.round
        choices = [(str(n), str(n)) for n in range(grant_round.max_score + 1)]
        self.criteria = list(grant_round.criteria.all())
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = LenientChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                label=f"{criterion.name} (weight {criterion.weight})",
                help_text=criterion.description or f"0 to {grant_round.max_score}",
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 2}), label=f"Comment on {criterion.name}"
            )

    def scores(self) -> dict[int, tuple[Any, str]]:
        return {
            c.pk: (self.cleaned_data.get(f"criterion_{c.pk}"), self.cleaned_data.get(f"comment_{c.pk}") or "")
            for c in self.criteria
        }


class DecisionForm(ServiceForm):
    submit_label = "Record decision"

    outcome = LenientChoiceField(
        choices=DecisionOutcome.choices, widget=forms.RadioSelect, required=False, label="Decision"
    )
    amount = forms.CharField(required=False, label="Amount approved, in pounds")
    conditions = text_field("Conditions of the award", 2)
    reason = text_field("Reason for declining", 2)
    override_reason = text_field(
        "Budget override: why approve more than the round has left?",
        2,
        help_text="Only if the amount is more than the remaining budget.",
    )
    csp = LenientChoiceField(
        required=False,
        label="Community Safety Partnership the grant serves",
        help_text="Its spend and quarterly briefing notes then include the grant.",
    )
    ward = place_field("Ward the grant mainly serves, if one (a ward in that CSP)", levels=("ward",))
    measures = text_field(
        "Outcome measures the grant holder reports in each monitoring return (if approving)",
        help_text=MEASURES_HELP,
    )

    def __init__(self, *args: Any, force_area: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _csp_choices(self.fields["csp"], force_area)


class PaymentForm(ServiceForm):
    submit_label = "Add payment"

    due_on = date_field("Due on")
    amount = forms.CharField(required=False, label="Amount, in pounds")


# --- awards: details, variations, clawback --------------------------------------------------------------


class AwardDetailsForm(ServiceForm):
    submit_label = "Save details"

    recipient = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label="Recipient in the organisation directory",
        empty_label="Not linked",
    )
    csp = LenientChoiceField(required=False, label="CSP area it serves")
    ward = place_field("Ward it mainly serves, if one (a ward in that CSP area)", levels=("ward",))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, force_area: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _csp_choices(self.fields["csp"], force_area)


class VariationForm(ServiceForm):
    submit_label = "Record variation"

    amount = forms.CharField(
        required=False, label="New amount, in pounds", help_text="Leave blank to keep the amount."
    )
    ends_on = date_field("New end of the grant term", help_text="Leave blank to keep it.")
    conditions = text_field("New conditions", help_text="Leave blank to keep the conditions.")
    reason = text_field("Reason for the variation", 2)
    approved_by = StaffChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        label="Approved by",
        empty_label="Choose a person",
    )
    approved_on = date_field("Approved on")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClawbackForm(ServiceForm):
    submit_label = "Record clawback"

    amount = forms.CharField(required=False, label="Amount reclaimed, in pounds")
    reason = text_field("Why is the money reclaimed?", 2)
    decided_on = date_field("Decided on", help_text="Leave blank for today.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
