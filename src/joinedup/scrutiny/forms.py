"""Forms for the Panel's recommendations, the PCC's responses and the Panel's workspace. They only collect
input: the services check every rule, so one save lists every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import VersionedForm
from joinedup.core.models import Area, AreaLevel

from .models import ImplementationStatus, MeetingKind, PanelMember, PanelRole, WorkStatus


class PanelRecommendationForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    recommendation = text_field("We said (the recommendation)", 5)
    made_on = date_field("Date made")
    response_due = date_field("PCC response due")
    csp = forms.ModelChoiceField(
        label="CSP concerned (optional)",
        queryset=Area.objects.filter(level=AreaLevel.CSP),
        required=False,
        empty_label="None: the whole force area",
    )

    def __init__(self, *args: Any, csps: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if csps is not None:
            field = self.fields["csp"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = csps


class PanelResponseForm(VersionedForm):
    pcc_response = text_field("PCC's response", 5)
    response_on = date_field("Date of the response")
    status = forms.ChoiceField(choices=ImplementationStatus.choices, required=False)
    implementation = text_field("You did (what was done)", 4)


class PanelMemberForm(VersionedForm):
    name = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(choices=PanelRole.choices, required=False)
    council = forms.CharField(label="Council or appointment", max_length=200, required=False)
    linked_csps = forms.ModelMultipleChoiceField(
        label="Link member for (CSPs)",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    link_theme = forms.CharField(label="Link role (area of business)", max_length=200, required=False)

    def __init__(self, *args: Any, csps: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["linked_csps"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = csps


class WorkItemForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    description = text_field("Description")
    planned_for = date_field("Planned for")
    status = forms.ChoiceField(choices=WorkStatus.choices, required=False)
    csp = forms.ModelChoiceField(
        label="CSP concerned (optional)", queryset=Area.objects.none(), required=False, empty_label="None"
    )
    lead_member = forms.ModelChoiceField(
        label="Lead member (optional)",
        queryset=PanelMember.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(self, *args: Any, csps: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        csp = self.fields["csp"]
        assert isinstance(csp, forms.ModelChoiceField)
        csp.queryset = csps
        lead = self.fields["lead_member"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = members


class MeetingForm(VersionedForm):
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices, required=False)
    held_on = date_field("Date")
    title = forms.CharField(max_length=200, required=False)
    agenda = text_field("Agenda items", 6, help_text="One item per line.")
    minutes_link = forms.CharField(label="Link to the minutes", max_length=500, required=False)
