"""Forms for a report the PCC requires, and the CSP's response. They only collect input: the services check every rule."""

from __future__ import annotations

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import VersionedForm


class RequirementForm(VersionedForm):
    subject = forms.CharField(max_length=200, required=False)
    reason = text_field("Why the PCC requires the report", 4)
    required_on = date_field("Date required")
    due_date = date_field("Report due")


class RequirementResponseForm(VersionedForm):
    response = text_field("The CSP's report or response", 6)
    response_link = forms.CharField(label="Link to the report", max_length=500, required=False)
    responded_on = date_field("Date of the response")
