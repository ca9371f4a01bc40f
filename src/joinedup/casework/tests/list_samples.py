"""Rows for the shared list test (core/tests/test_lists.py) of the casework app's declared lists.

Each list's rows are made beside rows the person may not see (another organisation's case or case review
outside any agreement, another force's agreement), which the counts leave out: the lists read through the
sharing rule."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse
from django.utils import timezone

from joinedup.casework.models import (
    CASEWORK_DATA_CATEGORY,
    AgreementParty,
    AgreementStatus,
    Case,
    CaseReviewRequest,
    CaseReviewStatus,
    CaseStatus,
    Incident,
    InformationSharingAgreement,
    LawfulBasis,
    Person,
    RiskLevel,
    TaskingMeeting,
)
from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.partnerships.tests.factories import make_organisation

FORMULA = '=HYPERLINK("x","y")'
_days = itertools.count(1)


@sample("casework-cases")
def cases(rows: int) -> ListSample:
    """Open cases the practitioner's organisation leads or reported an incident on; a closed one (the list
    shows open cases unless asked) and another organisation's (not shared with it) are left out. Each
    sortable column (reference, area, lead agency, incidents) puts the rows in a different order."""
    areas = area_tree()
    own = OrganisationFactory(name=FORMULA)
    user = UserFactory(role=Role.PRACTITIONER, organisation=own, areas=[areas["pfa"]])
    others: dict[str, object] = {}

    def make(
        risk: str = RiskLevel.STANDARD,
        status: str = CaseStatus.OPEN,
        lead: object = own,
        area: str = "E01900001",
        incidents: int = 0,
    ) -> None:
        case = Case.objects.create(
            area=areas[area], lead_organisation=lead, risk_level=risk, status=status, repeat_victim=True
        )
        for _ in range(incidents):  # reported by the practitioner's organisation, so it sees the case
            Incident.objects.create(
                case=case,
                reporting_organisation=own,
                received_at=timezone.now(),
                category="asb/nuisance/noise",
                area=areas[area],
                description="Noise.",
            )

    def other(name: str) -> object:
        if name not in others:
            others[name] = OrganisationFactory(name=name)
        return others[name]

    # (lead agency, area, incidents): with the high-risk case first, the reference, area, lead agency and
    # incidents orders all differ.
    patterns = itertools.cycle(
        [(None, "E01900002", 0), ("Alder agency", "E01900003", 3), ("Birch agency", "E01900001", 1)]
    )

    def add(n: int) -> None:
        for _ in range(n):
            lead, area, incidents = next(patterns)
            make(lead=other(lead) if lead else own, area=area, incidents=incidents)

    make(status=CaseStatus.CLOSED)
    make(risk=RiskLevel.HIGH, lead=OrganisationFactory(name="Another agency"))
    make(risk=RiskLevel.HIGH, lead=other("Cedar agency"), area="E01900004", incidents=2)
    add(rows - 1)
    return ListSample(reverse("casework:case-list"), user, rows, {"risk": "high"}, 1, FORMULA, add)


@sample("casework-case-reviews")
def case_reviews(rows: int) -> ListSample:
    """Requests the practitioner's organisation received, and others' in the CSPs an agreement it is party
    to covers; another organisation's outside those is left out. Each sortable column (reference, received,
    by, area, status) puts the rows in a different order."""
    areas = area_tree()
    own = OrganisationFactory(name=FORMULA)
    user = UserFactory(role=Role.PRACTITIONER, organisation=own, areas=[areas["pfa"]])
    agreement = InformationSharingAgreement.objects.create(
        title="North and South Testshire ASB",
        purpose="ASB casework",
        lawful_basis=LawfulBasis.CDA_S115,
        start_date=datetime.date(2026, 1, 1),
        status=AgreementStatus.IN_FORCE,
        data_categories=[CASEWORK_DATA_CATEGORY],
    )
    agreement.areas.set([areas["north"], areas["south"]])  # not the split district's LSOA, E01900004
    AgreementParty.objects.create(agreement=agreement, organisation=own)
    others: dict[str, object] = {}

    def make(status: str, by: object, area: str, day: int) -> None:
        CaseReviewRequest.objects.create(
            received_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
            receiving_organisation=by,
            area=areas[area],
            applicant=Person.objects.create(full_name="Pat Applicant"),
            summary="Noise every night.",
            status=status,
        )

    def other(name: str) -> object:
        if name not in others:
            others[name] = OrganisationFactory(name=name)
        return others[name]

    patterns = itertools.cycle(
        [
            (CaseReviewStatus.RECEIVED, None, "E01900004", 5),
            (CaseReviewStatus.CLOSED, "Alder agency", "E01900001", 30),
            (CaseReviewStatus.THRESHOLD_MET, "Birch agency", "E01900003", 10),
        ]
    )

    def add(n: int) -> None:
        for _ in range(n):
            status, by, area, day = next(patterns)
            make(status, other(by) if by else own, area, day)

    make(CaseReviewStatus.ACKNOWLEDGED, OrganisationFactory(name="Another agency"), "E01900004", 1)
    make(CaseReviewStatus.ACKNOWLEDGED, other("Cedar agency"), "E01900002", 20)
    add(rows - 1)
    return ListSample(
        reverse("casework:review-list"),
        user,
        rows,
        {"status": CaseReviewStatus.ACKNOWLEDGED},
        1,
        FORMULA,
        add,
    )


@sample("casework-agreements")
def agreements(rows: int) -> ListSample:
    """Agreements covering areas of the officer's force; another force's agreement is left out."""
    areas = area_tree()
    elsewhere = area_tree(force=8, name="Farshire")
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    police = OrganisationFactory(name="Testshire Police")

    def make(title: str, status: str = AgreementStatus.IN_FORCE, area: str = "north") -> None:
        agreement = InformationSharingAgreement.objects.create(
            title=title,
            purpose="ASB casework",
            lawful_basis=LawfulBasis.CDA_S115,
            start_date=datetime.date(2026, 1, 1),
            status=status,
            data_categories=["identity", "incidents"],
        )
        agreement.areas.set([areas[area]] if area in areas else [elsewhere[area.removeprefix("far-")]])
        AgreementParty.objects.create(agreement=agreement, organisation=police, liaison_officer_name="A DLO")

    # With the formula's first, the title and status orders differ from each other and from the rows'.
    patterns = itertools.cycle(
        [
            ("Cedar", AgreementStatus.DRAFT),
            ("Alder", AgreementStatus.ENDED),
            ("Birch", AgreementStatus.PROPOSED),
        ]
    )

    def add(n: int) -> None:
        for _ in range(n):
            title, status = next(patterns)
            make(f"{title} agreement {next(_days)}", status=status, area="south")

    make("Farshire sharing", status=AgreementStatus.DRAFT, area="far-north")
    make(FORMULA)
    add(rows - 1)
    return ListSample(
        reverse("casework:agreement-list"), user, rows, {"status": AgreementStatus.DRAFT}, 1, FORMULA, add
    )


@sample("casework-tasking-meetings")
def meetings(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    police = make_organisation(name="Testshire Police", sector="police")

    def make(csp: str, attendee: str, day: int, chair: str = "") -> None:
        meeting = TaskingMeeting.objects.create(
            held_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
            area=areas[csp],
            chair=chair,
        )
        meeting.attendees.create(name=attendee, organisation=police)
        meeting.attendees.create(name="Another officer", organisation=police)

    days = itertools.cycle([40, 20])

    def add(n: int) -> None:
        for i in range(n):
            make("north", f"Officer {i}", next(days))

    # Held on days 30, 10, 40 and 20: the date order differs from the rows' and from the partnership's.
    make("south", "PC Smith", 30)
    make("north", "PC Jones", 10, chair=FORMULA)
    add(rows - 2)
    return ListSample(reverse("casework:meeting-list"), user, rows, {"area": "E22000902"}, 1, FORMULA, add)


@sample("casework-risk-due")
def risk_due(rows: int) -> ListSample:
    """Open cases the practitioner's organisation leads with an assessment due, one of them overdue; a
    closed case, a case with nothing due and another organisation's case are left out. Each sortable column
    (reference, area, lead agency, risk level, due) puts the rows in a different order."""
    areas = area_tree()
    own = OrganisationFactory(name=FORMULA)
    user = UserFactory(role=Role.PRACTITIONER, organisation=own, areas=[areas["pfa"]])
    now = timezone.now()
    others: dict[str, object] = {}

    def make(
        hours: int | None,
        lead: object = own,
        area: str = "E01900001",
        risk: str = RiskLevel.STANDARD,
        status: str = CaseStatus.OPEN,
    ) -> None:
        Case.objects.create(
            area=areas[area],
            lead_organisation=lead,
            risk_level=risk,
            status=status,
            vulnerable=True,
            risk_assessment_due_at=None if hours is None else now + datetime.timedelta(hours=hours),
        )

    def other(name: str) -> object:
        if name not in others:
            others[name] = OrganisationFactory(name=name)
        return others[name]

    patterns = itertools.cycle(
        [
            (RiskLevel.HIGH, "E01900003", 30),
            (RiskLevel.STANDARD, "E01900002", 50),
            (RiskLevel.MEDIUM, "E01900001", 10),
        ]
    )

    def add(n: int) -> None:
        for _ in range(n):
            risk, area, hours = next(patterns)
            make(hours + next(_days), area=area, risk=risk)

    make(-5, area="E01900004", risk=RiskLevel.MEDIUM)  # overdue
    make(None)  # nothing due
    make(-3, status=CaseStatus.CLOSED)
    make(-2, lead=other("Another agency"))
    add(rows - 1)
    return ListSample(reverse("casework:risk-due"), user, rows, {"state": "overdue"}, 1, FORMULA, add)
