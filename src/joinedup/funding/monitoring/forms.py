"""Forms for monitoring returns and outcome measures: the staff's, and the grant holder's return. They only
collect text: every rule is checked in monitoring/services.py, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import ServiceForm

from ..forms import LenientChoiceField
from .services import MEASURES_HELP, REVIEW_DECISIONS


class OutcomeMeasuresForm(ServiceForm):
    submit_label = "Save outcome measures"

    measures = text_field("Outcome measures", 6, help_text=MEASURES_HELP)
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
        from ..models import MeasureUnit

        if self.public:
            unit = {
                MeasureUnit.COUNT: gettext("A whole number."),
                MeasureUnit.PERCENTAGE: gettext("A percentage, from 0 to 100."),
                MeasureUnit.CURRENCY: gettext("An amount in pounds, for example 1250.50."),
                MeasureUnit.AVERAGE: gettext(
                    "An average, a rate or a length of time: a number that is not negative, with at most two "
                    "decimal places, for example 4.5."
                ),
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
    outputs = text_field("Outputs", 2)
    outcomes = text_field("Outcomes", 2)
    narrative = text_field("Narrative")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnReviewForm(ServiceForm):
    submit_label = "Save review"

    decision = LenientChoiceField(
        choices=list(REVIEW_DECISIONS.items()), widget=forms.RadioSelect, required=False, label="Review"
    )
    changes_requested = text_field(
        "What should the grant holder change?",
        help_text="Only when asking for changes: they see this on their account and the return reopens.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnScheduleForm(ServiceForm):
    submit_label = "Add return"

    due_on = date_field("Another monitoring return due on")


class ApplicantReturnForm(MeasureValuesForm):
    """A grant holder's monitoring return, submitted once from their account."""

    public = True
    submit_label = gettext_lazy("Submit return")

    spend = forms.CharField(required=False, label=gettext_lazy("Spend so far, in pounds"))
    outputs = text_field(
        gettext_lazy("Outputs"),
        help_text=gettext_lazy("What the project did in this period: sessions run, people reached."),
    )
    outcomes = text_field(
        gettext_lazy("Outcomes"),
        help_text=gettext_lazy("What changed for the people or the place because of it."),
    )
    narrative = text_field(gettext_lazy("How the project went in this period"), 5)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
