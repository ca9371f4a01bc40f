"""Forms for tasking meetings. Validation lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, place_field, text_field

from ..forms import ServiceErrorsMixin, _helper


class MeetingForm(ServiceErrorsMixin, forms.Form):
    held_on = date_field("Date of the meeting")
    area = place_field("Community safety partnership", levels=("csp",))
    chair = forms.CharField(max_length=150, required=False)
    attendees = text_field(
        "Attendees",
        5,
        help_text="One a line: name, then a comma, then their organisation as in the directory",
    )
    notes = text_field("Notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DecisionForm(forms.Form):
    case = forms.ChoiceField(label="Case", required=False)
    decision = text_field("Decision")

    def __init__(self, *args: Any, case_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        field: Any = self.fields["case"]
        field.choices = [("", "Choose a case"), *case_choices]
