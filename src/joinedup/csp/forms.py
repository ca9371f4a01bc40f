"""Forms for CSP duties, and what the sub-areas' forms share (each sub-area's forms are its own `forms.py`).
They only collect input: the services check every rule, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import VersionedForm
from joinedup.core.models import Organisation

from .models import (
    DutyStatus,
)


class DutyRecordForm(VersionedForm):
    due_date = date_field("Due date")
    status = forms.ChoiceField(choices=DutyStatus.choices, required=False)
    evidence_link = forms.CharField(label="Link to the evidence", max_length=500, required=False)
    evidence_text = text_field(
        "Evidence", help_text="What shows the duty was met, or why it is not required this year."
    )
    evidence_date = date_field("Date of the evidence")
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
