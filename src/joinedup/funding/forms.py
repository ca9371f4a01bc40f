"""Forms for funding pages. They only collect text: every rule is checked in the services, so one save
lists every problem at once."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Submit
from django import forms
from django.utils.translation import gettext, gettext_lazy

from joinedup.core.form_fields import date_field, place_field
from joinedup.core.forms import ServiceForm
from joinedup.core.models import Area, Organisation, User

from .models import Application, DecisionOutcome, DistributionModel, FundSource
from .monitoring_services import MEASURES_HELP, REVIEW_DECISIONS


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


class FundForm(ServiceForm):
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
    budgets = forms.CharField(
        required=False,
        label="Budget per financial year",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One year a line, as 'year: amount', for example 2026: 100000.00 for 2026-27.",
    )
    max_award = forms.CharField(required=False, label="Maximum award, in pounds")
    decision_body = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label="Decision body", empty_label="Not set"
    )
    plan_priorities = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Police and Crime Plan priorities served",
    )
    eligibility_rules = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Eligibility rules"
    )
    priorities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Police and Crime Plan priorities (from the Plan register)",
        help_text="The spend reports count the fund's allocations and grants against these.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from joinedup.partnerships.models import PlanPriority

        self.fields["priorities"].queryset = PlanPriority.objects.select_related("plan")  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["priorities"] = list(data.get("priorities") or [])
        return data

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
    criteria = forms.CharField(
        required=False,
        label="Published criteria and weights",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, as 'criterion: weight', for example Need: 3",
    )


class ApplicationForm(ServiceForm):
    submit_label = "Save application"

    organisation_name = forms.CharField(required=False, label="Applicant organisation")
    charity_number = forms.CharField(required=False, label="Charity number")
    company_number = forms.CharField(required=False, label="Company number")
    contact_email = forms.CharField(required=False, label="Contact email address")
    project_title = forms.CharField(required=False, label="Project title")
    project_description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Project description"
    )
    amount_requested = forms.CharField(required=False, label="Amount requested, in pounds")


class EligibilityForm(ServiceForm):
    submit_label = "Record eligibility"

    eligible = forms.ChoiceField(
        choices=[("yes", "Eligible"), ("no", "Not eligible")],
        widget=forms.RadioSelect,
        required=False,
        label="Is the application eligible?",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note")
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

    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What is the conflict of interest?"
    )


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
    conditions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Conditions of the award"
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason for declining"
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Budget override: why approve more than the round has left?",
        help_text="Only if the amount is more than the remaining budget.",
    )
    csp = LenientChoiceField(
        required=False,
        label="Community Safety Partnership the grant serves",
        help_text="Its spend and quarterly briefing notes then include the grant.",
    )
    measures = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Outcome measures the grant holder reports in each monitoring return (if approving)",
        help_text=MEASURES_HELP,
    )

    def __init__(self, *args: Any, force_area: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _csp_choices(self.fields["csp"], force_area)


class PaymentForm(ServiceForm):
    submit_label = "Add payment"

    due_on = date_field("Due on")
    amount = forms.CharField(required=False, label="Amount, in pounds")


class OutcomeMeasuresForm(ServiceForm):
    submit_label = "Save outcome measures"

    measures = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Outcome measures",
        help_text=MEASURES_HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeasureValuesForm(ServiceForm):
    """A return's form: a field for each of the grant's outcome measures (`measure_<id>`). The service
    gets every `measure_…` value posted, so a value for a measure the grant does not have is refused
    there, with the rest."""

    public = False

    def __init__(self, *args: Any, measures: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for measure in measures:
            self.fields[f"measure_{measure.pk}"] = forms.CharField(
                required=False, label=self._label(measure), help_text=self._help(measure)
            )

    def _label(self, measure: Any) -> str:
        if self.public:
            return str(
                measure.name
                if measure.required
                else gettext("%(measure)s (optional)") % {"measure": measure.name}
            )
        return (
            f"{measure.name} ({measure.get_unit_display().lower()}{'' if measure.required else ', optional'})"
        )

    def _help(self, measure: Any) -> str:
        from .models import MeasureUnit

        if self.public:
            unit = {
                MeasureUnit.COUNT: gettext("A whole number."),
                MeasureUnit.PERCENTAGE: gettext("A percentage, from 0 to 100."),
                MeasureUnit.CURRENCY: gettext("An amount in pounds, for example 1250.50."),
            }[measure.unit]
            if measure.target is not None:
                unit += " " + gettext("The target is %(target)s.") % {
                    "target": measure.format(measure.target)
                }
            return unit
        target = f" Target {measure.format(measure.target)}." if measure.target is not None else ""
        return f"{measure.get_direction_display()}.{target}"

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in super().service_data().items() if not k.startswith("measure_")}
        data["values"] = {key: value for key, value in self.data.items() if key.startswith("measure_")}
        return data


class MonitoringReturnForm(MeasureValuesForm):
    submit_label = "Record return"

    submitted_on = date_field("Received on", help_text="Leave blank for today.")
    spend = forms.CharField(required=False, label="Spend so far, in pounds")
    outputs = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Outputs")
    outcomes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Outcomes")
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Narrative")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnReviewForm(ServiceForm):
    submit_label = "Save review"

    decision = LenientChoiceField(
        choices=list(REVIEW_DECISIONS.items()), widget=forms.RadioSelect, required=False, label="Review"
    )
    changes_requested = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What should the grant holder change?",
        help_text="Only when asking for changes: they see this on their account and the return reopens.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnScheduleForm(ServiceForm):
    submit_label = "Add return"

    due_on = date_field("Another monitoring return due on")


# --- the public applicant journey ---------------------------------------------------------------------


class RegisterForm(ServiceForm):
    submit_label = gettext_lazy("Create account")

    contact_name = forms.CharField(required=False, label=gettext_lazy("Your name"))
    email = forms.CharField(required=False, label=gettext_lazy("Email address"), widget=forms.EmailInput)
    organisation_name = forms.CharField(required=False, label=gettext_lazy("Organisation name"))
    charity_number = forms.CharField(required=False, label=gettext_lazy("Charity number (if it has one)"))
    company_number = forms.CharField(required=False, label=gettext_lazy("Company number (if it has one)"))
    password = forms.CharField(
        required=False,
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("At least 12 characters; not a common password."),
    )


class ApplicantSignInForm(ServiceForm):
    submit_label = gettext_lazy("Sign in")

    email = forms.CharField(required=False, label=gettext_lazy("Email address"), widget=forms.EmailInput)
    password = forms.CharField(required=False, label=gettext_lazy("Password"), widget=forms.PasswordInput)


class PasswordResetRequestForm(ServiceForm):
    submit_label = gettext_lazy("Send me a link")

    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The address you registered with."),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter your email address"),
            "invalid": gettext_lazy("Enter an email address like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class NewPasswordForm(ServiceForm):
    submit_label = gettext_lazy("Change password")

    password = forms.CharField(
        required=False,
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters; not a common password."),
    )


class ApplicantApplicationForm(ServiceForm):
    """The applicant's answers. The organisation comes from their account."""

    project_title = forms.CharField(required=False, label=gettext_lazy("Project title"))
    project_description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=gettext_lazy("What will the project do, for whom, and how does it meet the criteria?"),
    )
    amount_requested = forms.CharField(required=False, label=gettext_lazy("Amount requested, in pounds"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.inputs = []
        self.helper.add_input(Submit("action", gettext("Save as draft"), css_class="govuk-button--secondary"))
        self.helper.add_input(Submit("action", gettext("Submit application")))


class DocumentForm(ServiceForm):
    submit_label = gettext_lazy("Upload document")

    document = forms.FileField(
        required=False,
        label=gettext_lazy("Supporting document"),
        help_text=gettext_lazy("PDF, Word, OpenDocument, Excel, CSV, text, JPEG or PNG, up to 5 MB."),
    )


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
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="New conditions",
        help_text="Leave blank to keep the conditions.",
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason for the variation"
    )
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
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why is the money reclaimed?"
    )
    decided_on = date_field("Decided on", help_text="Leave blank for today.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- commissioning ------------------------------------------------------------------------------------


def _organisations() -> Any:
    return Organisation.objects.order_by("name")


class ContractForm(ServiceForm):
    submit_label = "Save contract"

    reference = forms.CharField(required=False, label="Contract reference")
    title = forms.CharField(required=False, label="Service")
    provider = forms.ModelChoiceField(
        queryset=_organisations(), required=False, label="Provider", empty_label="Choose the provider"
    )
    commissioner = forms.ModelChoiceField(
        queryset=_organisations(), required=False, label="Commissioned by", empty_label="Not recorded"
    )
    fund: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label="Fund", empty_label="No fund"
    )
    board: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Joint commissioning board",
        empty_label="Not jointly commissioned",
    )
    csp = place_field("CSP area served", levels=("csp",))
    value = forms.CharField(required=False, label="Contract value, in pounds")
    starts_on = date_field("Starts on")
    ends_on = date_field("Ends on")
    priorities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Police and Crime Plan priorities served",
    )
    kpis = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="KPIs and targets",
        help_text="One a line, as 'name | target | unit | higher or lower', for example "
        "'Referrals contacted within 48 hours | 90 | % | higher'.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from joinedup.partnerships.models import PlanPriority

        from .models import CommissioningBoard, Fund

        self.fields["fund"].queryset = Fund.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["board"].queryset = CommissioningBoard.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["priorities"].queryset = PlanPriority.objects.select_related("plan")  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["priorities"] = list(data.get("priorities") or [])
        return data

    @classmethod
    def initial_from(cls, contract: Any) -> dict[str, Any]:
        return {
            "reference": contract.reference,
            "title": contract.title,
            "provider": contract.provider_id,
            "commissioner": contract.commissioner_id,
            "fund": contract.fund_id,
            "board": contract.board_id,
            "csp": contract.csp.code if contract.csp else "",
            "value": f"{contract.value:.2f}",
            "starts_on": contract.starts_on.isoformat(),
            "ends_on": contract.ends_on.isoformat(),
            "priorities": [p.pk for p in contract.priorities.all()],
            "kpis": "\n".join(
                f"{k.name} | {k.target} | {k.unit} | {'higher' if k.higher_is_better else 'lower'}"
                for k in contract.kpis.all()
            ),
            "description": contract.description,
            "version": contract.version,
        }


class BoardForm(ServiceForm):
    submit_label = "Save board"

    name = forms.CharField(required=False, label="Name")
    members = forms.ModelMultipleChoiceField(
        queryset=_organisations(),
        required=False,
        label="Member organisations",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["members"] = list(data.get("members") or [])
        return data


class ContributionForm(ServiceForm):
    submit_label = "Record contribution"

    organisation = forms.ModelChoiceField(
        queryset=_organisations(), required=False, label="Member organisation", empty_label="Choose a member"
    )
    year = forms.CharField(required=False, label="Financial year", help_text="For example 2026 for 2026-27")
    amount = forms.CharField(required=False, label="Contribution, in pounds")

    def __init__(self, *args: Any, board: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if board is not None:
            self.fields["organisation"].queryset = board.members.order_by("name")  # type: ignore[attr-defined]


class FrameworkForm(ServiceForm):
    submit_label = "Save framework"

    reference = forms.CharField(required=False, label="Framework reference")
    name = forms.CharField(required=False, label="Name")
    lead = forms.ModelChoiceField(
        queryset=_organisations(), required=False, label="Lead OPCC", empty_label="Choose the lead"
    )
    starts_on = date_field("Starts on")
    ends_on = date_field("Ends on")
    lots = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Lots",
        help_text="One a line, as 'number | title | supplier's directory id', for example "
        "'1 | Victim referral service | 42'.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CallOffForm(ServiceForm):
    submit_label = "Record call-off"

    organisation = forms.ModelChoiceField(
        queryset=_organisations(), required=False, label="Calling off (OPCC or partner)", empty_label="Choose"
    )
    reference = forms.CharField(required=False, label="Call-off reference")
    value = forms.CharField(required=False, label="Value, in pounds")
    starts_on = date_field("Starts on")
    ends_on = date_field("Ends on")
    kpis = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="KPIs and targets",
        help_text="One a line, as 'name | target | unit | higher or lower'.",
    )


class PerformanceForm(ServiceForm):
    submit_label = "Record performance"

    def __init__(self, *args: Any, kpis: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"] = date_field("Period starts on")
        self.fields["period_end"] = date_field("Period ends on")
        for kpi in kpis:
            self.fields[f"actual_{kpi.pk}"] = forms.CharField(
                required=False,
                label=f"{kpi.name}: actual",
                help_text=f"Target {kpi.target:g}{kpi.unit} ({'higher' if kpi.higher_is_better else 'lower'} is better)",
            )
        self.fields["note"] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
        )


class ApplicantReturnForm(MeasureValuesForm):
    """A grant holder's monitoring return, submitted once from their account."""

    public = True
    submit_label = gettext_lazy("Submit return")

    spend = forms.CharField(required=False, label=gettext_lazy("Spend so far, in pounds"))
    outputs = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Outputs"),
        help_text=gettext_lazy("What the project did in this period: sessions run, people reached."),
    )
    outcomes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Outcomes"),
        help_text=gettext_lazy("What changed for the people or the place because of it."),
    )
    narrative = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=gettext_lazy("How the project went in this period"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
