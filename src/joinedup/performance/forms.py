"""Forms for indicators, manual returns and commentary. The rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, place_field, text_field
from joinedup.core.forms import ServiceForm
from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.selectors.organisations import list_organisations
from joinedup.funding.selectors import kpi_sources, outcome_measure_sources

from .models import CaseworkMeasure, Direction, Frequency, PoliceMeasure, Source, TargetKind, Unit


def _choices(choices: Any, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *choices]


class IndicatorForm(ServiceForm):
    submit_label = "Save the indicator"

    priority = forms.TypedChoiceField(label="Priority it measures", coerce=int, choices=[], required=False)
    name = forms.CharField(max_length=200, required=False)
    definition = text_field("Definition")
    source = forms.ChoiceField(choices=_choices(Source.choices, "Choose a source"), required=False)
    police_measure = forms.ChoiceField(
        label="Police data: what to count",
        choices=_choices(PoliceMeasure.choices, "Not police data"),
        required=False,
    )
    crime_type = forms.CharField(
        label="Crime type (for one crime type; for repeat locations or the charge/summons rate, empty for "
        "all crime excluding ASB)",
        max_length=100,
        required=False,
    )
    repeat_minimum = forms.IntegerField(
        label="Repeat locations: crimes at one location that make it a repeat location",
        help_text="A location is one of data.police.uk's anonymised map points; for example 3.",
        required=False,
    )
    casework_measure = forms.ChoiceField(
        label="Casework KPI", choices=_choices(CaseworkMeasure.choices, "Not a casework KPI"), required=False
    )
    contract_kpi = forms.TypedChoiceField(
        label="Contract KPI: the KPI whose supplier returns give the values",
        help_text="The KPIs of the contracts and call-offs you may read. Its unit and direction are the "
        "indicator's.",
        coerce=int,
        choices=[],
        required=False,
    )
    outcome_measure = forms.TypedChoiceField(
        label="Grant outcome measure: the measure whose accepted monitoring returns give the values",
        help_text="The outcome measures of the grants you may read. Its unit and direction are the "
        "indicator's; only accepted returns count.",
        coerce=int,
        choices=[],
        required=False,
    )
    unit = forms.ChoiceField(choices=_choices(Unit.choices, "Choose a unit"), required=False)
    # A ward's police figures are its LSOAs' (docs/adr/0036); casework KPIs are counted by CSP.
    area = place_field("Area measured", levels=(AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD, AreaLevel.WARD))
    direction = forms.ChoiceField(choices=_choices(Direction.choices, "Choose a direction"), required=False)
    baseline_from = forms.CharField(
        label="Baseline period starts (YYYY-MM-DD)", max_length=10, required=False
    )
    baseline_to = forms.CharField(label="Baseline period ends (YYYY-MM-DD)", max_length=10, required=False)
    baseline_value = forms.CharField(
        label="Baseline value (manual returns only)", max_length=20, required=False
    )
    target_kind = forms.ChoiceField(
        label="Kind of target",
        choices=_choices(TargetKind.choices, "Choose a kind of target"),
        required=False,
    )
    target_value = forms.CharField(
        label="Target (a percentage change is negative for a fall)", max_length=20, required=False
    )
    frequency = forms.ChoiceField(choices=_choices(Frequency.choices, "Choose how often"), required=False)
    owner = forms.TypedChoiceField(label="Owner organisation", coerce=int, choices=[], required=False)
    return_due_days = forms.IntegerField(
        label="Days after each period a manual return is due",
        min_value=0,
        max_value=365,
        initial=20,
        required=False,
    )

    def __init__(self, *args: Any, priorities: list[Any], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        priority_field: Any = self.fields["priority"]
        priority_field.choices = [("", "Choose a priority"), *((p.pk, p.title) for p in priorities)]
        owner_field: Any = self.fields["owner"]
        owner_field.choices = [
            ("", "Choose an organisation"),
            # The directory as the person may read it (their force's organisations and shared ones).
            *list_organisations(user=user).order_by("name").values_list("pk", "name"),
        ]
        # The KPIs and outcome measures of what the person may read of funding.
        for name, read in (("contract_kpi", kpi_sources), ("outcome_measure", outcome_measure_sources)):
            field: Any = self.fields[name]
            field.choices = [
                ("", "Not this source"),
                *((pk, found.label) for pk, found in read(user=user).items()),
            ]

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "priority"}
        code = (data.pop("area") or "").strip().upper()
        data["area"] = Area.objects.filter(code=code).first() if code else None
        data["owner"] = Organisation.objects.filter(pk=data["owner"]).first() if data.get("owner") else None
        for name in ("contract_kpi", "outcome_measure"):
            data[name] = data.get(name) or None  # an id: the service checks the person may read it
        if data.get("return_due_days") is None:
            data["return_due_days"] = 20
        return data


class ReturnForm(ServiceForm):
    submit_label = "Send the return"

    period_start = forms.CharField(
        label="First day of the period (YYYY-MM-DD)", max_length=10, required=False
    )
    value = forms.CharField(label="Figure", max_length=20, required=False)
    note = text_field("Notes (optional)")


class CommentaryForm(ServiceForm):
    submit_label = "Save the commentary"

    text = text_field("Commentary", 5)


class PanelRecommendationForm(ServiceForm):
    """The Panel's recommendation about one indicator of the report; the csp app's service checks it."""

    submit_label = "Record the recommendation"

    title = forms.CharField(max_length=200, required=False)
    recommendation = text_field("We said (the recommendation)", 5)
    response_due = date_field("PCC response due (optional)")


class PanelCommentForm(ServiceForm):
    """A Panel member's comment on one indicator of the report; the csp app's service checks it."""

    submit_label = "Add the comment"

    text = text_field(
        "Comment",
        5,
        help_text="Up to 2,000 characters. Comments are kept as the Panel's record: they cannot be changed "
        "or deleted once added.",
    )
