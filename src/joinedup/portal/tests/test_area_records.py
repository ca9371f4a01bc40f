"""Your area: the CSP's priorities from its public plan, published strategic assessments, published domestic
homicide reviews (title, date and link only) and the Police and Crime Panel's recommendations (title, date
and status only); nothing unpublished and nothing from another force area."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.core.models import Area
from joinedup.core.tests.factories import OrganisationFactory, area_tree
from joinedup.csp.tests.factories import make_dhr, make_plan
from joinedup.insight.models import AssessmentStatus, SavedAssessment
from joinedup.scrutiny.models import ImplementationStatus
from joinedup.scrutiny.tests.factories import make_panel_recommendation

NORTH = "/your-area/E22000901/"
NORTH_DISTRICT = "/your-area/E07000901/"
FORCE = "/your-area/E23000099/"
PRIORITIES = "Partnership\N{RIGHT SINGLE QUOTATION MARK}s priorities"


def _assessment(area: Area, title: str, *, published: bool = True, to_month: str = "2023-12") -> None:
    SavedAssessment.objects.create(
        area=area,
        from_month=f"{to_month[:4]}-01",
        to_month=to_month,
        title=title,
        narrative="NARRATIVE NOT SHOWN",
        status=AssessmentStatus.PUBLISHED if published else AssessmentStatus.DRAFT,
        published_at=timezone.now() if published else None,
    )


def _page(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def records(areas: dict[str, Area], settings: Any, tmp_path: Path) -> dict[str, Area]:
    settings.DATA_DIR = tmp_path / "var"
    far = area_tree(force=8, name="Farshire")
    old = make_plan(csp=areas["north"], title="Old agreement", period_start=datetime.date(2020, 4, 1))
    old.priorities.create(title="Old priority")
    plan = make_plan(csp=areas["north"], title="North agreement")
    plan.priorities.create(title="Fewer burglaries", order=1)
    plan.priorities.create(title="Safer streets", order=2)
    hidden = make_plan(
        csp=areas["north"], title="Draft agreement", is_public=False, period_start=datetime.date(2026, 4, 1)
    )
    hidden.priorities.create(title="Unpublished priority")
    make_plan(csp=areas["south"], title="South agreement").priorities.create(title="South priority")
    make_plan(csp=far["north"], title="Far agreement").priorities.create(title="Far priority")

    _assessment(areas["north"], "North assessment 2023")
    _assessment(areas["north"], "North draft assessment", published=False, to_month="2024-12")
    _assessment(areas["pfa"], "Testshire assessment 2023")
    _assessment(areas["south"], "South assessment 2023")
    _assessment(far["north"], "Farshire assessment 2023")

    published = datetime.date(2025, 3, 14)
    make_dhr(
        csp=areas["north"],
        case_reference="DHR-CASE-REF-77",
        independent_chair="Chair Name Not Shown",
        published_on=published,
        published_title="Review into the death of Adult A",
        report_url="https://example.org/dhr-adult-a.pdf",
    )
    make_dhr(csp=areas["north"], published_title="Not yet published review")
    make_dhr(csp=areas["north"], case_reference="DHR-UNTITLED-1", published_on=published)
    make_dhr(csp=areas["south"], published_on=published, published_title="Review into the death of Adult S")
    make_dhr(csp=far["north"], published_on=published, published_title="Farshire review")

    make_panel_recommendation(
        force_area=areas["pfa"],
        title="Publish 101 answer times",
        recommendation="PANEL TEXT NOT SHOWN",
        made_on=datetime.date(2025, 6, 2),
        status=ImplementationStatus.ACCEPTED,
        pcc_response="RESPONSE NOT SHOWN",
        implementation="IMPLEMENTATION NOT SHOWN",
    )
    make_panel_recommendation(force_area=far["pfa"], title="Farshire recommendation")
    return far


def test_a_csp_page_shows_its_public_plans_priorities_and_links_to_it(
    areas: dict[str, Area], records: dict[str, Area]
) -> None:
    for path in (NORTH, NORTH_DISTRICT):  # a district shows its CSP's
        page = _page(path)
        assert f"North Testshire Community Safety {PRIORITIES}" in page
        assert "Fewer burglaries" in page and "Safer streets" in page
        assert page.index("Fewer burglaries") < page.index("Safer streets")
        assert "North agreement" in page and 'href="/csp/E22000901/"' in page
        for absent in (
            "Old priority",
            "Unpublished priority",
            "Draft agreement",
            "South priority",
            "Far priority",
        ):
            assert absent not in page
    assert "/plan-progress/" not in _page(NORTH)  # no indicators: no progress page to link to
    force = _page(FORCE)
    assert "Fewer burglaries" not in force and PRIORITIES not in force  # the force page lists its CSPs


def test_the_priorities_link_to_the_plans_progress_when_it_reports_it(
    areas: dict[str, Area], records: dict[str, Area]
) -> None:
    from joinedup.csp.models import CspPlan
    from joinedup.performance.models import Indicator

    plan = CspPlan.objects.get(title="North agreement")
    Indicator.objects.create(
        csp_priority=plan.priorities.first(),
        force_area=areas["pfa"],
        area=areas["north"],
        name="Burglaries",
        definition="A figure.",
        unit="count",
        direction="down",
        baseline_from=datetime.date(2023, 4, 1),
        baseline_to=datetime.date(2024, 3, 31),
        target_kind="threshold",
        target_value=Decimal("10"),
        frequency="quarterly",
        owner=OrganisationFactory(),
        source="manual",
    )
    page = _page(NORTH)
    assert f'href="/plan-progress/csp/{plan.pk}/"' in page and "progress against it" in page


def test_published_assessments_of_the_area_its_csp_and_force_only(
    areas: dict[str, Area], records: dict[str, Area]
) -> None:
    north = _page(NORTH)
    assert "Strategic assessments" in north
    assert "North assessment 2023" in north and "Testshire assessment 2023" in north
    assert "2023-01 to 2023-12" in north
    district = _page(NORTH_DISTRICT)
    assert "North assessment 2023" in district and "Testshire assessment 2023" in district
    force = _page(FORCE)
    assert "Testshire assessment 2023" in force and "North assessment 2023" not in force
    for page in (north, district, force):
        assert "North draft assessment" not in page and "NARRATIVE NOT SHOWN" not in page
        assert "South assessment 2023" not in page and "Farshire assessment 2023" not in page


def test_published_reviews_show_their_title_date_and_link_and_never_the_case_reference(
    areas: dict[str, Area], records: dict[str, Area]
) -> None:
    north = _page(NORTH)
    assert "Domestic homicide reviews" in north
    assert "Review into the death of Adult A" in north and "14 March 2025" in north
    assert 'href="https://example.org/dhr-adult-a.pdf"' in north
    force = _page(FORCE)
    assert "Review into the death of Adult A" in force and "Review into the death of Adult S" in force
    for page in (north, _page(NORTH_DISTRICT), force):
        assert "DHR-CASE-REF-77" not in page and "DHR-UNTITLED-1" not in page and "DHR-TEST" not in page
        assert "Chair Name Not Shown" not in page and "Not yet published review" not in page
        assert "Farshire review" not in page
    assert "Review into the death of Adult S" not in north
    south = _page("/your-area/E22000902/")
    assert "Review into the death of Adult S" in south and "Review into the death of Adult A" not in south


def test_panel_recommendations_show_title_date_and_status_only(
    areas: dict[str, Area], records: dict[str, Area]
) -> None:
    for path in (NORTH, NORTH_DISTRICT, FORCE):
        page = _page(path)
        assert "Police and Crime Panel recommendations" in page
        assert "Publish 101 answer times" in page and "2 June 2025" in page and "Accepted" in page
        for absent in (
            "PANEL TEXT",
            "RESPONSE NOT SHOWN",
            "IMPLEMENTATION NOT SHOWN",
            "Farshire recommendation",
        ):
            assert absent not in page
    farshire = _page("/your-area/E23000098/")
    assert "Farshire recommendation" in farshire and "Publish 101 answer times" not in farshire
    assert "Farshire review" in _page("/your-area/E22000801/")


def test_nothing_published_means_no_empty_sections(
    areas: dict[str, Area], settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    page = _page(NORTH)
    for heading in (
        PRIORITIES,
        "Strategic assessments",
        "Domestic homicide reviews",
        "Panel recommendations",
    ):
        assert heading not in page


def _queries(path: str) -> int:
    Client().get(path)  # the crime figures are cached after the first view
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    return len(queries)


def test_more_records_add_no_queries(areas: dict[str, Area], records: dict[str, Area]) -> None:
    before = {path: _queries(path) for path in (NORTH, NORTH_DISTRICT, FORCE)}
    for n in range(3):
        plan = make_plan(
            csp=areas["north"], title=f"Agreement {n}", period_start=datetime.date(2021 + n, 4, 1)
        )
        plan.priorities.create(title=f"Priority {n}")
        _assessment(areas["north"], f"Assessment {n}", to_month=f"201{n}-12")
        _assessment(areas["pfa"], f"Force assessment {n}", to_month=f"201{n}-12")
        make_dhr(
            csp=areas["north"], published_on=datetime.date(2024, 1, n + 1), published_title=f"Review {n}"
        )
        make_panel_recommendation(force_area=areas["pfa"], title=f"Recommendation {n}")
    make_plan(csp=areas["south"], title="South again").priorities.create(title="More")
    assert {path: _queries(path) for path in before} == before


def test_the_page_links_only_to_csp_pages_that_exist(
    areas: dict[str, Area], records: dict[str, Area]
) -> None:
    """A CSP with neither a public plan nor public meeting dates has no public page (404): its area page
    does not link to one, and the force area's page still lists it (linking to its area page)."""
    from joinedup.csp.models import CspPlan

    assert 'href="/csp/E22000902/"' in _page("/your-area/E22000902/")  # South has a public plan
    CspPlan.objects.filter(csp=areas["south"]).update(is_public=False)
    assert Client().get("/csp/E22000902/").status_code == 404
    south = _page("/your-area/E22000902/")
    assert 'href="/csp/E22000902/"' not in south and "Community Safety Partnership</h2>" not in south
    assert 'href="/csp/E22000901/"' in _page(NORTH) and Client().get("/csp/E22000901/").status_code == 200
    assert 'href="/your-area/E22000902/"' in _page(FORCE)
