"""The public plan-progress pages (issue 18 item 3): every Police and Crime Plan with indicators and the
CSP plans shown publicly; the same values as the staff report, with casework counts of 1 or 2 shown as
"fewer than 3" on the page and in the CSV, no owner's commentary, and no page for a plan kept private."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.csp.tests.factories import make_plan
from joinedup.performance import selectors
from joinedup.performance.models import Commentary, Indicator

from . import test_small_counts
from .test_small_counts import APR, AUG, JUL, MAY, SEP, _define, _recompute

casework = test_small_counts.casework  # the fixture: a plan priority measured by casework KPIs

pytestmark = pytest.mark.django_db


def _csv(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_public_sees_the_plans_progress_with_small_casework_counts_withheld(
    casework: dict[str, Any],
) -> None:
    casework["table"].update(
        {
            APR: {"incidents": 4, "repeat_victim": 2},
            MAY: {"incidents": 4, "repeat_victim": 6},
            JUL: {"incidents": 9, "repeat_victim": 5},
        }
    )
    indicator = _define(casework)
    _recompute(indicator)
    Commentary.objects.create(indicator=indicator, period_start=JUL, text="Internal note for the board")
    plan = casework["plan"]
    visitor = Client()

    index = visitor.get("/plan-progress/")
    assert index.status_code == 200
    assert f'href="/plan-progress/pcc/{plan.pk}/"' in index.content.decode()
    assert "/plan-progress/" in visitor.get("/").content.decode()  # linked from the public home page
    # and from the area pages of the force area and of a CSP in it
    for code in (casework["pfa"].code, casework["north"].code):
        area_page = visitor.get(reverse("portal:area", args=[code]))
        assert area_page.status_code == 200
        assert f'href="/plan-progress/pcc/{plan.pk}/"' in area_page.content.decode()

    page = visitor.get(f"/plan-progress/pcc/{plan.pk}/?quarter=2023-07")
    assert page.status_code == 200
    text = page.content.decode()
    assert indicator.name in text and "Supporting victims" in text
    assert "Fewer than 3" in text  # April's 2
    assert "Internal note for the board" not in text and "None" not in text
    assert "/staff/performance/" not in text  # no link into the staff report

    rows = {r["period_start"]: r for r in _csv(visitor.get(f"/plan-progress/pcc/{plan.pk}/progress.csv"))}
    assert rows["2023-04-01"]["value"] == "fewer than 3"
    assert rows["2023-05-01"]["value"] == "6.00" and rows["2023-07-01"]["value"] == "5.00"
    assert "commentary" not in next(iter(rows.values()))
    # The staff report holds the same values for a casework statistics reader.
    staff = Client()
    staff.force_login(casework["analyst"])
    staff_rows = _csv_lines(staff.get(f"/staff/performance/plans/pcc/{plan.pk}/report.csv?quarter=2023-07"))
    assert any(r["commentary"] == "Internal note for the board" for r in staff_rows)
    assert {r["period_start"]: r["value"] for r in staff_rows if r["period_start"] != "2023-04-01"} == {
        k: v["value"] for k, v in rows.items() if k != "2023-04-01"
    }


def test_the_public_sees_percentages_and_why_one_is_not_shown_on_the_page_and_in_the_csv(
    casework: dict[str, Any],
) -> None:
    casework["table"].update(
        {
            APR: {"incidents": 4, "repeat_victim": 2},  # a count of 2: "fewer than 3"
            JUL: {"eligible": 5, "actioned": 4},  # 80% of 5: shown
            AUG: {"eligible": 6, "actioned": 5},  # 83.3% of 6: shown
            SEP: {"eligible": 2, "actioned": 1},  # 50% of 2: withheld, and the quarter's reported figure
        }
    )
    count = _define(casework)
    percent = _define(
        casework,
        name="Reports actioned within 48 hours",
        unit="percent",
        casework_measure="actioned_48h",
        target_kind="amount",
        target_value=90,
    )
    _recompute(count)
    _recompute(percent)
    plan = casework["plan"]
    visitor = Client()

    text = visitor.get(f"/plan-progress/pcc/{plan.pk}/?quarter=2023-07").content.decode()
    assert (
        text.count('numeric">80<') == 1 and text.count('numeric">83.30<') == 1
    )  # the percentages shown, as stored
    assert 'numeric">50<' not in text and "50%" not in text and "Withheld" in text
    assert selectors.WITHHELD_NOTE in text  # why September's is not shown: the quarter's reported figure

    rows = {
        (r["indicator"], r["period_start"]): r
        for r in _csv(visitor.get(f"/plan-progress/pcc/{plan.pk}/progress.csv"))
    }
    share = "Reports actioned within 48 hours"
    assert (rows[(share, "2023-07-01")]["value"], rows[(share, "2023-08-01")]["value"]) == ("80.00", "83.30")
    assert rows[(share, "2023-07-01")]["reason"].startswith("80% has not reached the target of 90%")
    september = rows[(share, "2023-09-01")]
    assert (september["value"], september["reason"]) == ("withheld", selectors.WITHHELD_NOTE)
    april = rows[("Repeat victims, North Testshire", "2023-04-01")]
    assert (april["value"], april["reason"]) == ("fewer than 3", selectors.SMALL_COUNT_NOTE)


def _csv_lines(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_csp_plan_is_public_only_when_its_partnership_shows_it(casework: dict[str, Any]) -> None:
    csp_plan = make_plan(csp=casework["north"])
    priority = csp_plan.priorities.first() or csp_plan.priorities.create(title="ASB")
    Indicator.objects.create(
        csp_priority=priority,
        force_area=casework["pfa"],
        area=casework["north"],
        name="ASB reports, North Testshire",
        definition="Reports.",
        unit="count",
        direction="down",
        baseline_from=casework["plan"].period_start.replace(year=2022),
        baseline_to=casework["plan"].period_start.replace(year=2023, month=3, day=31),
        target_kind="threshold",
        target_value=10,
        frequency="quarterly",
        owner=casework["owner"],
        source="manual",
    )
    visitor = Client()
    for shown in (False, True):
        type(csp_plan).objects.filter(pk=csp_plan.pk).update(is_public=shown)
        page = visitor.get(f"/plan-progress/csp/{csp_plan.pk}/")
        download = visitor.get(f"/plan-progress/csp/{csp_plan.pk}/progress.csv")
        listed = f"/plan-progress/csp/{csp_plan.pk}/" in visitor.get("/plan-progress/").content.decode()
        assert (page.status_code, download.status_code, listed) == (
            (200, 200, True) if shown else (404, 404, False)
        )
    assert "ASB reports, North Testshire" in page.content.decode()


def test_unknown_plans_and_plans_without_measures_are_not_found(casework: dict[str, Any]) -> None:
    visitor = Client()
    plan = casework["plan"]  # no indicator yet
    assert visitor.get(f"/plan-progress/pcc/{plan.pk}/").status_code == 404
    assert f"/plan-progress/pcc/{plan.pk}/" not in visitor.get("/plan-progress/").content.decode()
    assert visitor.get(f"/plan-progress/pcc/{plan.pk + 999}/").status_code == 404
    assert visitor.get(f"/plan-progress/other/{plan.pk}/").status_code == 404
