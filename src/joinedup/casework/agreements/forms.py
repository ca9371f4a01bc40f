"""Forms for information-sharing agreements. Validation lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.models import Organisation

from ..forms import ServiceErrorsMixin, _helper
from ..models import DataCategory, LawfulBasis

PARTY_ROWS = 6  # party rows on the page (the form works without JavaScript)


class AgreementForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(max_length=200, required=False)
    purpose = text_field("Purpose")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis", choices=[("", "Choose"), *LawfulBasis.choices], required=False
    )
    lawful_basis_detail = text_field("Lawful basis: detail", 2)
    areas = forms.CharField(
        label="Areas covered",
        required=False,
        help_text="ONS codes of LSOAs, districts, CSPs or force areas, separated by commas or spaces",
    )
    data_categories = forms.MultipleChoiceField(
        label="Personal data shared",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    covers_asb_casework = forms.BooleanField(label="Covers ASB casework", required=False)
    start_date = date_field("Start date")
    review_date = date_field("Review date")
    end_date = date_field("End date")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.order_by("name"), required=False
    )
    liaison_officer_name = forms.CharField(label="Designated liaison officer", max_length=150, required=False)
    liaison_officer_email = forms.CharField(label="Liaison officer's email", max_length=254, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


PartyFormSet = forms.formset_factory(PartyForm, extra=0, min_num=PARTY_ROWS, max_num=PARTY_ROWS)


class AgreementReviewForm(forms.Form):
    """The next review date recorded when an agreement is reviewed."""

    review_date = date_field("Next review")
