"""Rows for the shared list test (core/tests/test_lists.py) of the casework app's declared lists.

Each list's rows are made beside rows the person may not see (another organisation's case or case review
outside any agreement, another force's agreement), which the counts leave out: the lists read through the
sharing rule."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse

from joinedup.casework.models import (
    AgreementParty,
    AgreementStatus,
    Case,
    CaseReviewRequest,
    CaseReviewStatus,
    CaseStatus,
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
    """Open cases the practitioner's organisation leads; a closed one (the list shows open cases unless
    asked) and another organisation's (not shared with it) are left out."""
    areas = area_tree()
    own = OrganisationFactory(name=FORMULA)
    user = UserFactory(role=Role.PRACTITIONER, organisation=own, areas=[areas["pfa"]])

    def make(risk: str = RiskLevel.STANDARD, status: str = CaseStatus.OPEN, lead: object = own) -> None:
        Case.objects.create(
            area=areas["E01900001"],
            lead_organisation=lead,
            risk_level=risk,
            status=status,
            repeat_victim=True,
        )

    def add(n: int) -> None:
        for _ in range(n):
            make()

    make(status=CaseStatus.CLOSED)
    make(risk=RiskLevel.HIGH, lead=OrganisationFactory(name="Another agency"))
    make(risk=RiskLevel.HIGH)
    add(rows - 1)
    return ListSample(reverse("casework:case-list"), user, rows, {"risk": "high"}, 1, FORMULA, add)


@sample("casework-case-reviews")
def case_reviews(rows: int) -> ListSample:
    """Requests the practitioner's organisation received; another organisation's (outside any agreement)
    is left out."""
    areas = area_tree()
    own = OrganisationFactory(name=FORMULA)
    user = UserFactory(role=Role.PRACTITIONER, organisation=own, areas=[areas["pfa"]])

    def make(status: str = CaseReviewStatus.RECEIVED, by: object = own) -> None:
        CaseReviewRequest.objects.create(
            received_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=next(_days)),
            receiving_organisation=by,
            area=areas["E01900003"],
            applicant=Person.objects.create(full_name="Pat Applicant"),
            summary="Noise every night.",
            status=status,
        )

    def add(n: int) -> None:
        for _ in range(n):
            make()

    make(status=CaseReviewStatus.ACKNOWLEDGED, by=OrganisationFactory(name="Another agency"))
    make(status=CaseReviewStatus.ACKNOWLEDGED)
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

    def add(n: int) -> None:
        for i in range(n):
            make(f"Agreement {next(_days)} {i}", area="south")

    make("Farshire sharing", status=AgreementStatus.DRAFT, area="far-north")
    make(FORMULA, status=AgreementStatus.DRAFT)
    add(rows - 1)
    return ListSample(
        reverse("casework:agreement-list"), user, rows, {"status": AgreementStatus.DRAFT}, 1, FORMULA, add
    )


@sample("casework-tasking-meetings")
def meetings(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    police = make_organisation(name="Testshire Police", sector="police")

    def make(csp: str, attendee: str, chair: str = "") -> None:
        meeting = TaskingMeeting.objects.create(
            held_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=next(_days)),
            area=areas[csp],
            chair=chair,
        )
        meeting.attendees.create(name=attendee, organisation=police)
        meeting.attendees.create(name="Another officer", organisation=police)

    def add(n: int) -> None:
        for i in range(n):
            make("north", f"Officer {i}")

    make("south", "PC Smith")
    make("north", "PC Jones", chair=FORMULA)
    add(rows - 2)
    return ListSample(reverse("casework:meeting-list"), user, rows, {"area": "E22000902"}, 1, FORMULA, add)
