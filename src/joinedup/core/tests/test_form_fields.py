"""The GOV.UK date input every form uses: three boxes, each missing part named, real dates only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms

from joinedup.core.form_fields import date_field, place_field


class MeetingForm(forms.Form):
    held_on = date_field("Date of the meeting", required=True)
    next_on = date_field("Next meeting")


def test_three_boxes_make_a_date_and_an_optional_one_may_be_left_empty() -> None:
    form = MeetingForm({"held_on_0": "1", "held_on_1": "4", "held_on_2": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"held_on": datetime.date(2026, 4, 1), "next_on": None}


def test_each_missing_part_is_named_and_linked_to_its_box() -> None:
    form = MeetingForm({"held_on_0": "1", "held_on_2": "2026", "next_on_1": "3"})
    assert not form.is_valid()
    assert form.errors["held_on"] == ["Date of the meeting must include a month"]
    assert form.errors["next_on"] == ["Next meeting must include a day and a year"]
    html = str(form["held_on"])
    assert 'name="held_on_0"' in html and 'name="held_on_1"' in html and 'name="held_on_2"' in html
    assert 'id="id_held_on_1"' in html and "govuk-input--error" in html
    assert 'inputmode="numeric"' in html


def test_an_empty_required_date_and_dates_that_do_not_exist_are_refused() -> None:
    assert MeetingForm({}).errors["held_on"] == ["Enter date of the meeting"]
    for day, month, year in (
        ("31", "2", "2026"),
        ("1", "13", "2026"),
        ("x", "1", "2026"),
        ("0", "1", "2026"),
    ):
        form = MeetingForm({"held_on_0": day, "held_on_1": month, "held_on_2": year})
        assert form.errors["held_on"] == ["Date of the meeting must be a real date"], (day, month, year)
    form = MeetingForm({"held_on_0": "1", "held_on_1": "4", "held_on_2": "26"})
    assert form.errors["held_on"] == ["Year must include 4 numbers"]


def test_an_iso_date_posted_under_the_fields_name_still_reads_and_a_bad_one_is_refused() -> None:
    form = MeetingForm({"held_on": "2026-04-01"})
    assert form.is_valid() and form.cleaned_data["held_on"] == datetime.date(2026, 4, 1)
    assert MeetingForm({"held_on": "01/04/2026"}).errors["held_on"] == [
        "Date of the meeting must be a real date"
    ]


def test_a_saved_date_is_shown_in_the_three_boxes() -> None:
    html = str(MeetingForm(initial={"held_on": datetime.date(2026, 4, 1)})["held_on"])
    assert 'value="1"' in html and 'value="4"' in html and 'value="2026"' in html


# --- places chosen by name -------------------------------------------------------------------------------


class PlaceForm(forms.Form):
    area = place_field("Area", levels=("pfa", "csp", "lad"))


@pytest.mark.django_db
def test_a_place_is_chosen_by_its_name_or_code_and_an_ambiguous_name_asks_which(areas) -> None:  # type: ignore[no-untyped-def]
    def clean(text: str) -> Any:
        form = PlaceForm({"area": text})
        return form.cleaned_data["area"] if form.is_valid() else form.errors["area"][0]

    assert clean("  north   TESTSHIRE ") == "E22000901"  # one exact name, any case and spacing
    assert clean("Testshire") == "E23000099"  # an exact name wins over the names containing it
    assert clean("e22000902") == "E22000902"  # a code is passed on as before
    assert clean("") == ""
    ambiguous = clean("town")
    assert ambiguous.startswith("More than one place matches “town”. Did you mean:")
    assert "(local authority district, E07000901)" in ambiguous
    assert clean("Atlantis") == (
        "No police force area or community safety partnership or local authority district is called "
        "“Atlantis”: check the spelling, or give its ONS code"
    )
