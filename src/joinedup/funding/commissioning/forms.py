"""Forms for commissioning pages. They only collect text: every rule is checked in
commissioning/services.py, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, place_field, text_field
from joinedup.core.forms import ServiceForm
from joinedup.core.models import Organisation

from ..forms import ServesPrioritiesForm


def _organisations() -> Any:
    return Organisation.objects.order_by("name")


class ContractForm(ServesPrioritiesForm):
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
    ward = place_field("Ward it mainly serves, if one (a ward in that CSP area)", levels=("ward",))
    value = forms.CharField(required=False, label="Contract value, in pounds")
    starts_on = date_field("Starts on")
    ends_on = date_field("Ends on")
    priorities: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Police and Crime Plan priorities served",
    )
    kpis = text_field(
        "KPIs and targets",
        4,
        help_text="One a line, as 'name | target | unit | higher or lower', for example "
        "'Referrals contacted within 48 hours | 90 | % | higher'.",
    )
    description = text_field("Description")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ..models import CommissioningBoard, Fund

        self.fields["fund"].queryset = Fund.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["board"].queryset = CommissioningBoard.objects.order_by("name")  # type: ignore[attr-defined]

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
            "ward": contract.ward.code if contract.ward else "",
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
    description = text_field("Description")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


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
    lots = text_field(
        "Lots",
        help_text="One a line, as 'number | title | supplier's directory id', for example "
        "'1 | Victim referral service | 42'.",
    )
    description = text_field("Description")
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
    kpis = text_field(
        "KPIs and targets", help_text="One a line, as 'name | target | unit | higher or lower'."
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
