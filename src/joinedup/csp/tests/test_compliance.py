"""The compliance grid: every CSP by every duty, red/amber/green with a reason readable without colour."""

from __future__ import annotations

import csv
import datetime

import pytest

from joinedup.core.roles import Role
from joinedup.csp import selectors
from joinedup.csp.duties import Duty, current_year, year_label
from joinedup.csp.models import DutyStatus
from joinedup.csp.tests.factories import make_agreement, make_duty

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 12, 1)
YEAR = 2025


def _seed(areas, authorities):
    north, south = areas["north"], areas["south"]
    make_duty(
        csp=north,
        duty=Duty.STRATEGY_GROUP,
        year=YEAR,
        status=DutyStatus.COMPLETE,
        evidence_text="Terms of reference and minutes",
        evidence_date=datetime.date(2025, 6, 12),
        approved_by="CSP chair",
    )
    make_duty(csp=north, duty=Duty.ENGAGEMENT, year=YEAR, due_date=datetime.date(2025, 11, 1))
    protocol = make_duty(
        csp=north,
        duty=Duty.INFORMATION_SHARING,
        year=YEAR,
        status=DutyStatus.COMPLETE,
        evidence_link="https://example.org/isp.pdf",
        evidence_date=datetime.date(2025, 9, 1),
        approved_by="Strategy group",
    )
    protocol.signed_off_by.set([authorities["police"], authorities["local_authority"]])
    make_agreement(
        areas=[areas["north_lad"]],
        officers={
            authorities["police"]: "Sgt P Lyons",
            authorities["local_authority"]: "A Officer",
            authorities["fire_rescue"]: "F Watch",
            authorities["probation"]: "P Reed",
            authorities["health"]: "",
        },
    )
    make_duty(
        csp=north,
        duty=Duty.STRATEGIC_ASSESSMENT,
        year=YEAR,
        status=DutyStatus.IN_PROGRESS,
        due_date=datetime.date(2025, 12, 11),
    )
    make_duty(csp=north, duty=Duty.PARTNERSHIP_PLAN, year=YEAR)
    make_duty(
        csp=north,
        duty=Duty.DHR,
        year=YEAR,
        status=DutyStatus.NOT_REQUIRED,
        evidence_text="No domestic homicides were notified.",
    )
    make_duty(csp=south, duty=Duty.STRATEGY_GROUP, year=YEAR, due_date=datetime.date(2025, 6, 30))


def _cells(rows, code):
    row = next(r for r in rows if r.csp.code == code)
    return row, dict(zip([d.duty for d in selectors.STATUTORY_DUTIES], row.cells, strict=True))


def test_grid_colours_and_reasons_for_a_seeded_set_of_csps(areas, users, authorities):
    _seed(areas, authorities)
    rows = selectors.compliance_grid(
        user=users[Role.OPCC_OFFICER], force_area=areas["pfa"], year=YEAR, today=TODAY
    )
    assert [r.csp.name for r in rows] == ["North Testshire", "South Testshire"]

    north, cells = _cells(rows, "E22000901")
    seen = {duty.value: (cell.rag, cell.reason) for duty, cell in cells.items()}
    assert seen["strategy_group"] == ("green", "Evidenced on 12 June 2025, approved by CSP chair.")
    assert seen["engagement"] == ("red", "Overdue: was due 1 November 2025 and is not started.")
    assert seen["information_sharing"] == (
        "amber",
        "Evidenced but awaiting sign-off by: Fire and rescue, Probation, Health. "
        "No designated liaison officer in: Health.",
    )
    assert seen["strategic_assessment"] == ("amber", "Due 11 December 2025, in 10 days, and is in progress.")
    assert seen["partnership_plan"] == ("green", "Not yet due: due 31 March 2026 and is not started.")
    assert seen["dhr"] == ("green", "Not required this year: No domestic homicides were notified.")
    assert seen["reoffending"] == ("red", "No record of this duty for 2025/26.")
    assert north.authorities.cell.rag == "green"

    south, cells = _cells(rows, "E22000902")
    assert cells[Duty.STRATEGY_GROUP].reason == "Overdue: was due 30 June 2025 and is not started."
    assert south.authorities.cell.rag == "red"


def test_missing_responsible_authority_is_flagged(areas, authorities):
    north = selectors.authority_check(areas["north"])
    assert north.missing == []
    south = selectors.authority_check(areas["south"])
    assert south.missing == ["Local authority", "Probation", "Health"]
    assert south.cell.reason == "Missing responsible authority: Local authority, Probation, Health."
    assert [o.name for o in south.present["Police"]] == ["Test Police"]


def test_authorities_serving_the_area_but_not_members_are_named_as_candidates(areas, authorities):
    # Probation serves the split district, so South; it is still missing until it joins the partnership.
    authorities["probation"].areas.set([areas["split_lad"]])
    south = selectors.authority_check(areas["south"])
    assert "Probation" in south.missing
    assert [o.name for o in south.candidates["Probation"]] == ["Test Probation"]


def test_a_csp_with_no_statutory_partnership_in_the_register_is_red(areas, authorities):
    from joinedup.partnerships.models import Partnership, Status

    Partnership.objects.filter(areas=areas["south"]).update(status=Status.TERMINATED)
    south = selectors.authority_check(areas["south"])
    assert south.partnership is None
    assert south.cell.rag == "red"
    assert south.cell.reason == "No statutory partnership for this CSP in the partnership register."


def test_grid_page_shows_each_reason_in_words(areas, authorities, client_for):
    year = current_year(datetime.date.today())
    make_duty(
        csp=areas["north"],
        duty=Duty.ENGAGEMENT,
        year=year,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
    )
    page = client_for(Role.PANEL_MEMBER).get("/staff/csp/", {"year": year})
    assert page.status_code == 200
    text = page.content.decode()
    assert "North Testshire" in text and "South Testshire" in text
    assert "Overdue: was due" in text
    assert "Missing responsible authority: Local authority, Probation, Health." in text
    assert "No record of this duty for" in text
    assert ">Red</strong>" in text and ">Green</strong>" in text


def _one_overdue_one_coming_due(areas):
    """North's engagement duty two days overdue and south's reoffending strategy due in a week; today and
    this financial year."""
    today = datetime.date.today()
    year = current_year(today)
    make_duty(
        csp=areas["north"], duty=Duty.ENGAGEMENT, year=year, due_date=today - datetime.timedelta(days=2)
    )
    make_duty(
        csp=areas["south"], duty=Duty.REOFFENDING, year=year, due_date=today + datetime.timedelta(days=7)
    )
    return today, year


def test_due_list_shows_overdue_and_coming_due_but_not_done_or_far_off(areas, client_for):
    today, year = _one_overdue_one_coming_due(areas)
    make_duty(csp=areas["north"], duty=Duty.DHR, year=year, due_date=today + datetime.timedelta(days=90))
    make_duty(
        csp=areas["north"],
        duty=Duty.STRATEGY_GROUP,
        year=year,
        due_date=today - datetime.timedelta(days=9),
        status=DutyStatus.COMPLETE,
        evidence_text="Minutes",
        evidence_date=today - datetime.timedelta(days=9),
        approved_by="Chair",
    )
    text = client_for(Role.CSP_MANAGER).get("/staff/csp/due/").content.decode()
    # The rows name each duty with its year (the duty filter offers every duty's name alone).
    assert f"Community engagement and consultation, {year_label(year)}" in text
    # the CSP manager reads the wider force area
    assert f"Strategy to reduce reoffending, {year_label(year)}" in text
    assert f"Domestic homicide reviews, {year_label(year)}" not in text
    assert f"Strategy group directing the partnership, {year_label(year)}" not in text
    download = client_for(Role.CSP_MANAGER).get("/staff/csp/due/", {"format": "csv", "overdue": "on"})
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "CSP,CSP code,Duty,Financial year,Due,Status,Rating and reason,Reason"
    assert len(lines) == 2 and lines[1].startswith("North Testshire,E22000901,Community engagement")
    assert ",Red,Overdue: was due" in lines[1]
    assert client_for(Role.PRACTITIONER).get("/staff/csp/due/", {"format": "csv"}).status_code == 404


def test_due_list_download_works_out_each_duty_rating_once(areas, client_for, monkeypatch):
    """The rating and the reason columns of a download come from one rating of the duty, not one each."""
    _one_overdue_one_coming_due(areas)
    rated = []
    duty_cell = selectors.duty_cell

    def counting(duty, record, **kwargs):
        rated.append(record.pk)
        return duty_cell(duty, record, **kwargs)

    monkeypatch.setattr(selectors, "duty_cell", counting)
    download = client_for(Role.CSP_MANAGER).get("/staff/csp/due/", {"format": "csv"})
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    overdue = next(csv.reader([lines[1]]))
    assert overdue[6] == "Red" and overdue[7].startswith("Overdue: was due")
    assert len(rated) == len(set(rated)) == 2  # each of the two rows rated once


def test_a_csp_manager_starts_a_year_of_duties_for_their_own_csp(areas, client_for):
    client = client_for(Role.CSP_MANAGER)
    response = client.post("/staff/csp/E22000901/start-year/", {"year": "2025"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "8 duties added for 2025/26." in text
    assert "At least one face-the-public meeting" in text
    assert "31 March 2026" in text


def test_evidence_signed_off_by_all_five_authorities_turns_the_cell_green(areas, authorities, client_for):
    year = current_year(datetime.date.today())
    record = make_duty(csp=areas["north"], duty=Duty.INFORMATION_SHARING, year=year)
    make_agreement(
        areas=[areas["north"]], officers={org: f"Officer {k.title()}" for k, org in authorities.items()}
    )
    client = client_for(Role.CSP_MANAGER)
    form = client.get(f"/staff/csp/duties/{record.pk}/edit/").content.decode()
    assert all(org.name in form for org in authorities.values())
    response = client.post(
        f"/staff/csp/duties/{record.pk}/edit/",
        {
            "version": 1,
            "due_date": record.due_date.isoformat(),
            "status": "complete",
            "evidence_link": "https://example.org/protocol.pdf",
            "evidence_date": datetime.date.today().isoformat(),
            "approved_by": "Strategy group",
            "signed_off_by": [org.pk for org in authorities.values()],
        },
    )
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    assert ">Green</strong> Evidenced on" in text and "approved by Strategy group" in text
    assert "Test Probation (Probation)" in text
    history = record.history.first()
    assert history is not None and history.history_user.role == Role.CSP_MANAGER


def _complete_protocol(csp, authorities):
    record = make_duty(
        csp=csp,
        duty=Duty.INFORMATION_SHARING,
        year=YEAR,
        status=DutyStatus.COMPLETE,
        evidence_link="https://example.org/isp.pdf",
        evidence_date=datetime.date(2025, 9, 1),
        approved_by="Strategy group",
    )
    record.signed_off_by.set(authorities.values())
    return record


def test_an_evidenced_protocol_turns_amber_when_an_authority_has_no_liaison_officer(
    areas, users, authorities
):
    _complete_protocol(areas["north"], authorities)
    officers = {org: f"Officer {kind.title()}" for kind, org in authorities.items()}
    officers[authorities["probation"]] = ""
    make_agreement(areas=[areas["north"]], officers=officers)
    rows = selectors.compliance_grid(
        user=users[Role.OPCC_OFFICER], force_area=areas["pfa"], year=YEAR, today=TODAY
    )
    _row, cells = _cells(rows, "E22000901")
    cell = cells[Duty.INFORMATION_SHARING]
    assert cell.rag == "amber"
    assert cell.reason.endswith("But: No designated liaison officer in: Probation.")


def test_an_expired_agreement_does_not_count(areas, users, authorities):
    _complete_protocol(areas["north"], authorities)
    officers = {org: f"Officer {kind.title()}" for kind, org in authorities.items()}
    make_agreement(areas=[areas["north"]], officers=officers, end_date=datetime.date(2024, 3, 31))
    rows = selectors.compliance_grid(
        user=users[Role.OPCC_OFFICER], force_area=areas["pfa"], year=YEAR, today=TODAY
    )
    _row, cells = _cells(rows, "E22000901")
    assert cells[Duty.INFORMATION_SHARING].rag == "amber"
    assert (
        "No active information-sharing agreement covers this CSP." in cells[Duty.INFORMATION_SHARING].reason
    )


def test_a_protocol_with_a_liaison_officer_in_every_authority_stays_green(areas, users, authorities):
    _complete_protocol(areas["north"], authorities)
    officers = {org: f"Officer {kind.title()}" for kind, org in authorities.items()}
    make_agreement(areas=[areas["pfa"]], officers=officers)  # a force-wide agreement covers the CSP
    rows = selectors.compliance_grid(
        user=users[Role.OPCC_OFFICER], force_area=areas["pfa"], year=YEAR, today=TODAY
    )
    _row, cells = _cells(rows, "E22000901")
    cell = cells[Duty.INFORMATION_SHARING]
    assert cell.rag == "green"
    assert "with a designated liaison officer in each responsible authority" in cell.reason
