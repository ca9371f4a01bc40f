"""Indicators measured in an electoral ward (docs/adr/0036): the staff form offers wards by name (wards of
one name told apart by their district), and a ward's police figures are its LSOAs' added up, with a missing
month handled as for any area (never zero; a period with a month missing compared pro rata; a period the
store does not hold says why)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.core.models import Area
from joinedup.performance import services
from joinedup.performance.forms import IndicatorForm
from joinedup.performance.models import Indicator, Status
from joinedup.portal.tests import test_your_ward
from joinedup.portal.tests.test_your_ward import ASB, CASTLE_LSOAS

from .test_services import _police, setting  # noqa: F401  (the plan, priority and people)

pytestmark = pytest.mark.django_db
wards = test_your_ward.wards
police_data = test_your_ward.police_data  # generated street rows by LSOA, 2022-06 and 2023-03 unpublished
TODAY = datetime.date(2024, 6, 1)
JAN_2023, APR_2023, JAN_2024 = datetime.date(2023, 1, 1), datetime.date(2023, 4, 1), datetime.date(2024, 1, 1)


def _crimes(counts: dict[tuple[str, str, str], int], lsoas: tuple[str, ...], months: set[str]) -> int:
    """Crimes (not ASB) in these LSOAs and months, counted from the rows written to the files."""
    return sum(
        n
        for (lsoa, month, crime_type), n in counts.items()
        if lsoa in lsoas and month in months and crime_type != ASB
    )


def test_the_staff_place_chooser_offers_wards_told_apart_by_their_district(wards: dict[str, Area]) -> None:
    field = IndicatorForm.base_fields["area"]
    with pytest.raises(ValidationError) as caught:
        field.clean("castle")
    said = caught.value.messages[0]
    assert "Did you mean:" in said
    assert "Castle (electoral ward in Northtown, E05900001)" in said
    assert "Castle (electoral ward in Southtown, E05900003)" in said
    assert field.clean("Riverside") == "E05900002"
    assert field.clean("e05900003") == "E05900003"


def test_a_ward_is_chosen_by_name_on_the_indicator_form(
    setting: dict[str, Any],  # noqa: F811
    wards: dict[str, Area],
    client: Client,
) -> None:
    client.force_login(setting["analyst"])
    form = {
        "priority": setting["priority"].pk,
        "name": "Crime in Riverside",
        "definition": "Street-level crime excluding ASB.",
        "source": "police",
        "police_measure": "all_crime",
        "unit": "count",
        "area": "Riverside",
        "direction": "down",
        "baseline_from": "2022-04-01",
        "baseline_to": "2023-03-31",
        "target_kind": "change",
        "target_value": "-5",
        "frequency": "quarterly",
        "owner": setting["council"].pk,
        "return_due_days": "20",
    }
    url = f"/staff/performance/plans/pcc/{setting['plan'].pk}/indicators/new/"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Indicator.objects.get(name="Crime in Riverside").area == wards["riverside"]
    ambiguous = client.post(url, {**form, "name": "Crime in Castle", "area": "Castle"})
    assert ambiguous.status_code == 200
    assert "electoral ward in Southtown" in ambiguous.content.decode()
    assert not Indicator.objects.filter(name="Crime in Castle").exists()


def test_a_wards_police_values_are_its_lsoas_added_up_with_missing_months_as_for_any_area(
    setting: dict[str, Any],  # noqa: F811
    wards: dict[str, Area],
    police_data: dict[tuple[str, str, str], int],
) -> None:
    castle = wards["castle_north"]
    indicator = services.define_indicator(
        actor=setting["analyst"],
        priority=setting["priority"],
        data=_police(
            setting,
            name="All crime, Castle ward",
            area=castle,
            baseline_from=datetime.date(2022, 1, 1),
            baseline_to=datetime.date(2022, 12, 31),
        ),
        compute=False,
    )
    district = services.define_indicator(
        actor=setting["analyst"],
        priority=setting["priority"],
        data=_police(
            setting,
            name="All crime, Northtown",
            area=setting["north_lad"],
            baseline_from=datetime.date(2022, 1, 1),
            baseline_to=datetime.date(2022, 12, 31),
        ),
        compute=False,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    values = {v.period_start: v for v in indicator.values.filter(current=True)}
    of_district = {v.period_start: v for v in district.values.filter(current=True)}

    # April to June 2023, every month published: the ward's two LSOAs, not its district's third.
    spring = {"2023-04", "2023-05", "2023-06"}
    assert values[APR_2023].value == Decimal(_crimes(police_data, CASTLE_LSOAS, spring))
    assert of_district[APR_2023].value == Decimal(_crimes(police_data, (*CASTLE_LSOAS, "E01900005"), spring))
    assert values[APR_2023].value < of_district[APR_2023].value
    assert values[APR_2023].detail["months_missing"] == []

    # January to March 2023, March never published: the two months held, compared pro rata, never a zero.
    winter = values[JAN_2023]
    held = _crimes(police_data, CASTLE_LSOAS, {"2023-01", "2023-02"})
    assert winter.value == Decimal(held) and winter.detail["months_missing"] == ["2023-03"]
    assert f"Only 2 of 3 months have data, so the figure {held} is compared pro rata as" in winter.reason
    assert "2023-03" in winter.coverage_warning

    # 2024 is not in the store: no data, and the store says why.
    assert values[JAN_2024].value is None and values[JAN_2024].status == Status.NO_DATA
    assert (
        "No data for Jan to Mar 2024: the store has no police street data for Castle for Jan to Mar 2024."
        in values[JAN_2024].reason
    )
