"""Repeat locations and the charge/summons rate as police measures (ADR 0034), against hand counts of a
generated store with a missing month: locations are data.police.uk's map points, counts of locations are
never raised pro rata, the rate comes from the published last outcomes with unknown outcomes counted as
not charged, neither change is tested, and "no data" is never zero."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_importer import FORCE, street_file
from joinedup.performance import services
from joinedup.performance.models import Indicator, IndicatorValue, Status
from joinedup.performance.reasons import in_english, render

from .test_services import _police, setting  # noqa: F401  (the plan, priority and people)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 6, 1)
# Two map points share the street name "On or near High Street"; Park Road is a third point.
HIGH_STREET_A = ("-1.500000", "54.900000", "On or near High Street")
HIGH_STREET_C = ("-1.520000", "54.920000", "On or near High Street")
PARK_ROAD_B = ("-1.510000", "54.910000", "On or near Park Road")
GREEN_D = ("-1.530000", "54.930000", "On or near The Green")
NOWHERE = ("", "", "No Location")


def _row(crime_id: str, month: str, point: tuple[str, str, str], crime_type: str, outcome: str) -> str:
    longitude, latitude, location = point
    return (
        f"{crime_id},{month},{FORCE},{FORCE},{longitude},{latitude},{location},E01900001,Some LSOA,"
        f"{crime_type},{outcome},"
    )


def _month_rows(month: str, from_april_2023: bool) -> list[str]:
    """Each month: a burglary at High Street A (awaiting court), two at Park Road B (a caution; under
    investigation), one with no location (status update unavailable) and three ASB at The Green (no
    outcome). From April 2023 also: a burglary at High Street C (no suspect identified) and a robbery at
    Park Road B (court result unavailable)."""
    rows = [
        _row(f"a{month}", month, HIGH_STREET_A, "Burglary", "Awaiting court outcome"),
        _row(f"b1{month}", month, PARK_ROAD_B, "Burglary", "Offender given a caution"),
        _row(f"b2{month}", month, PARK_ROAD_B, "Burglary", "Under investigation"),
        _row(f"n{month}", month, NOWHERE, "Burglary", "Status update unavailable"),
        *(_row(f"d{i}{month}", month, GREEN_D, "Anti-social behaviour", "") for i in range(3)),
    ]
    if from_april_2023:
        rows += [
            _row(
                f"c{month}", month, HIGH_STREET_C, "Burglary", "Investigation complete; no suspect identified"
            ),
            _row(f"r{month}", month, PARK_ROAD_B, "Robbery", "Court result unavailable"),
        ]
    return rows


@pytest.fixture
def places(setting: dict[str, Any], tmp_path: Path, settings: Any) -> dict[str, Any]:  # noqa: F811
    """North Testshire, 2022-04..2023-12, no file for 2022-05 (in the baseline) or 2023-09 (in the second
    quarter reported)."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "in"
    year, month = 2022, 4
    while (year, month) <= (2023, 12):
        name = f"{year}-{month:02d}"
        if name not in ("2022-05", "2023-09"):
            street_file(folder, name, _month_rows(name, (year, month) >= (2023, 4)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    import_police_data([folder])
    return setting


def _define(places: dict[str, Any], **changes: Any) -> Indicator:
    return services.define_indicator(
        actor=places["analyst"], priority=places["priority"], data=_police(places, **changes), compute=False
    )


def _values(indicator: Indicator) -> dict[datetime.date, IndicatorValue]:
    return {v.period_start: v for v in indicator.values.filter(current=True)}


APR, JUL, JAN = datetime.date(2023, 4, 1), datetime.date(2023, 7, 1), datetime.date(2024, 1, 1)


def test_repeat_locations_count_map_points_against_hand_counts(
    places: dict[str, Any], client: Client, django_capture_on_commit_callbacks: Any
):
    # Defined through the staff form, as an analyst would.
    client.force_login(places["analyst"])
    form = {
        "priority": places["priority"].pk,
        "name": "Repeat locations",
        "definition": "Map points with 3 or more crimes (excluding ASB) in the quarter.",
        "source": "police",
        "police_measure": "repeat_locations",
        "repeat_minimum": "3",
        "unit": "count",
        "area": places["north"].code,
        "direction": "down",
        "baseline_from": "2022-04-01",
        "baseline_to": "2023-03-31",
        "target_kind": "change",
        "target_value": "-50",
        "frequency": "quarterly",
        "owner": places["council"].pk,
        "return_due_days": "20",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/performance/plans/pcc/{places['plan'].pk}/indicators/new/", form)
    every = Indicator.objects.get(name="Repeat locations")
    assert response.status_code == 302 and every.repeat_minimum == 3
    page = client.get(f"/staff/performance/indicators/{every.pk}/").content.decode()
    assert "Repeat locations: places with 3 or more crimes (all crime excluding ASB)" in page
    assert "How it is counted" in page and "anonymised map points" in page
    burglary = _define(
        places,
        name="Repeat burglary locations",
        police_measure="repeat_locations",
        crime_type="Burglary",
        repeat_minimum=4,
        target_kind="threshold",
        target_value=1,
    )
    asb = _define(
        places,
        name="Repeat ASB locations",
        police_measure="repeat_locations",
        crime_type="Anti-social behaviour",
        repeat_minimum=9,
        target_kind="threshold",
        target_value=0,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    values = _values(every)
    # April to June 2023: High Street A 3 crimes, High Street C 3 (the same street name, another point),
    # Park Road B 9; the 3 crimes with no location are left out. All three points have 3 or more.
    first = values[APR]
    assert first.value == Decimal(3) and first.detail["crimes"] == 18 and first.detail["unlocated"] == 3
    assert first.detail["crimes_at_repeat_locations"] == 15
    assert "3 of the 3 locations with any crime (all crime excluding ASB) had 3 or more" in first.reason
    assert "3 crimes without a location are left out" in first.reason
    # Against January to March 2023 (A and B only): up 1, and said to be untested.
    assert first.trend == "repeat locations up 1, not tested"
    assert "has no significance test" in first.reason and "significant" not in first.trend
    # The baseline: the mean of its whole quarters with every month (May 2022 is missing, so Apr-Jun 2022
    # is left out): 2 locations in each of the other three; a 50% fall is 1.
    assert first.target == Decimal("1.00") and first.status == Status.OFF_TRACK
    # July to September 2023, September missing: A 2, C 2, B 6: one location, never raised pro rata.
    second = values[JUL]
    assert second.value == Decimal(1) and second.detail["months_missing"] == ["2023-09"]
    assert "Only 2 of 3 months have data: a count of locations is not raised pro rata" in second.reason
    assert "compared pro rata" not in second.reason and "2023-09" in second.coverage_warning
    # The same reason as the public page says it in Welsh, the months missing included (ADR 0039).
    assert in_english(second.detail["reason"]) == second.reason
    with translation.override("cy"):
        welsh = render(second.detail["reason"]) + " " + render([second.detail["trend"]])
    for said in (
        "Dim ond 2 o 3 mis sydd â data: nid yw cyfrif lleoliadau’n cael ei godi pro rata",
        "(pob trosedd ac eithrio ymddygiad gwrthgymdeithasol)",
        "Data anghyflawn: dim data’r heddlu ar gyfer 2023-09 (y cyfnod hwn, 2 o 3 mis yn bresennol).",
        "lleoliadau mynych",
    ):
        assert said in welsh, (said, welsh)
    # 2024 is not in the store: no data, never zero.
    assert values[JAN].value is None and values[JAN].status == Status.NO_DATA
    # Burglary, 4 or more: Park Road B's 6 only (by street name, High Street would have 6 too).
    assert _values(burglary)[APR].value == Decimal(1)
    # ASB, 9 or more: The Green's 9 in April to June; a count of 0 is a real count when there is data.
    assert _values(asb)[APR].value == Decimal(1)
    assert _values(asb)[JUL].value == Decimal(0) and _values(asb)[JUL].status == Status.ON_TRACK


def test_charge_rate_from_published_last_outcomes_against_hand_counts(places: dict[str, Any], client: Client):
    every = _define(
        places,
        name="Charge/summons rate",
        police_measure="charge_rate",
        unit="percent",
        direction="up",
        target_kind="threshold",
        target_value=30,
    )
    burglary = _define(
        places,
        name="Burglary charge/summons rate",
        police_measure="charge_rate",
        unit="percent",
        crime_type="Burglary",
        direction="up",
        target_kind="change",
        target_value=10,
    )
    drugs = _define(
        places,
        name="Drugs charge/summons rate",
        police_measure="charge_rate",
        unit="percent",
        crime_type="Drugs",
        direction="up",
        target_kind="threshold",
        target_value=30,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    values = _values(every)
    # April to June 2023, each month: 6 crimes (ASB left out), 2 charged (awaiting court; court result
    # unavailable), 2 with no known outcome (under investigation; status update unavailable).
    first = values[APR]
    assert first.value == Decimal("33.30") and first.status == Status.ON_TRACK
    assert (first.detail["count"], first.detail["crimes"], first.detail["not_known"]) == (6, 18, 6)
    assert (
        "6 of 18 crimes (all crime excluding ASB) have a last outcome that follows a charge" in first.reason
    )
    assert "not the Home Office outcomes data" in first.reason
    assert "6 (33.3%) have no known outcome yet and count as not charged" in first.reason
    # January to March 2023: 4 crimes a month, 1 charged: 25%. Up 8.3 points, untested.
    assert first.trend == "charge rate up 8.3 pts, not tested"
    assert "33.3% against 25.0%: not tested" in first.reason
    with translation.override("cy"):
        welsh = render(first.detail["reason"]) + " " + render([first.detail["trend"]])
    assert "Mae gan 6 o 18 trosedd (pob trosedd ac eithrio ymddygiad gwrthgymdeithasol) ganlyniad" in welsh
    assert "33.3% o’i gymharu â 25.0%: heb ei brofi" in welsh and "cyfradd cyhuddo i fyny 8.3 pwynt" in welsh
    # September missing: the two months' rate, not scaled, with the gap named.
    second = values[JUL]
    assert second.value == Decimal("33.30") and second.detail["months_missing"] == ["2023-09"]
    assert "2023-09" in second.coverage_warning
    assert values[JAN].value is None and values[JAN].status == Status.NO_DATA
    # Burglary: 5 a month from April 2023, 1 charged: 20%. The baseline (11 months, 4 burglaries and 1
    # charged each) is 25%; a 10% rise on it is 27.5%.
    burglary_first = _values(burglary)[APR]
    assert burglary_first.value == Decimal("20.00") and burglary_first.target == Decimal("27.50")
    # The indicator's page says plainly where the rate comes from.
    client.force_login(places["analyst"])
    page = client.get(f"/staff/performance/indicators/{every.pk}/").content.decode()
    assert "from data.police.uk&#x27;s published last outcomes, not the Home Office outcomes data" in page
    assert "not the Home Office&#x27;s crime outcomes data" in page
    # No drugs offences at all: no rate (never 0%).
    assert _values(drugs)[APR].value is None
    assert "No crimes (Drugs) in North Testshire" in _values(drugs)[APR].reason


def test_trend_wording_fits_its_column_at_the_extremes():
    """The trend is a 40-character column (PostgreSQL refuses longer): the widest wording of each fits."""
    widest = [
        in_english([services.charge_trend(-100.0)]),
        in_english([services.charge_trend(-33.35)]),
        in_english([services.repeat_trend(-999_999)]),
        in_english([services.repeat_trend(0)]),
    ]
    assert widest[0] == "charge rate down 100.0 pts, not tested"
    assert max(len(text) for text in widest) <= 40


def test_the_new_measures_refuse_what_makes_no_sense(setting: dict[str, Any]):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        services.define_indicator(
            actor=setting["analyst"],
            priority=setting["priority"],
            data=_police(setting, police_measure="repeat_locations", unit="rate", crime_type="Burgalry"),
        )
    problems = caught.value.message_dict
    assert problems["unit"] == ["Repeat locations are a count of locations."]
    assert "not a crime type data.police.uk publishes" in problems["crime_type"][0]
    assert "Enter how many crimes at one location" in problems["repeat_minimum"][0]
    with pytest.raises(ValidationError) as caught:
        services.define_indicator(
            actor=setting["analyst"],
            priority=setting["priority"],
            data=_police(
                setting,
                police_measure="charge_rate",
                unit="count",
                crime_type="Anti-social behaviour",
                repeat_minimum=3,
            ),
        )
    problems = caught.value.message_dict
    assert problems["unit"] == ["The charge/summons rate is a percentage."]
    assert problems["crime_type"] == ["ASB has no outcomes, so no charge/summons rate."]
    assert "repeat_minimum" in problems
    with pytest.raises(ValidationError) as caught:
        services.define_indicator(
            actor=setting["analyst"],
            priority=setting["priority"],
            data=_police(setting, police_measure="repeat_locations", repeat_minimum=1),
        )
    assert "at least 2 crimes" in caught.value.message_dict["repeat_minimum"][0]
    assert not Indicator.objects.exists()
