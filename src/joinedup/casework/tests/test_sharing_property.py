"""The sharing rule (ADR 0012) as a property: for generated organisations, agreements (every state, dates
before and after today, areas at every level, with and without the casework data category), cases (some
restricted), incidents from several agencies, plan actions and disclosures, every organisation sees a case's
personal data on every path if and only if the rule allows it.

The oracle below is written from the ADR, in plain Python over the generated description, not with the
code under test. Examples are few and small so the test runs in well under a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.casework import selectors
from joinedup.casework.models import (
    ActionType,
    AgreementParty,
    Case,
    CaseAction,
    CaseDisclosure,
    Incident,
    InformationSharingAgreement,
    LawfulBasis,
    Person,
)
from joinedup.casework.rules import organisations_seeing_case
from joinedup.casework.services import suggest_links
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory

from .conftest import api_client

pytestmark = pytest.mark.django_db

ORGS = 3
AREAS = ("pfa", "north", "south", "north_lad", "E01900001", "E01900002", "E01900003")
CASE_AREAS = ("E01900001", "E01900002", "E01900003")
STATES = ("draft", "proposed", "in_force", "ended")


@dataclass
class AgreementSpec:
    parties: frozenset[int]
    status: str
    start: int  # days from today
    end: int | None
    area: str
    incidents_category: bool
    covers_casework: bool


@dataclass
class CaseSpec:
    lead: int
    area: str
    restricted: bool
    named: frozenset[int]
    other_reporters: frozenset[int]
    action_owners: frozenset[int]
    disclosed_to: frozenset[int]
    status: str = "open"
    informant: str = field(default="")


orgs = st.integers(min_value=0, max_value=ORGS - 1)
org_sets = st.frozensets(orgs, max_size=ORGS)
agreement_specs = st.builds(
    AgreementSpec,
    parties=st.frozensets(orgs, min_size=2, max_size=ORGS),
    status=st.sampled_from(STATES),
    start=st.integers(min_value=-20, max_value=5),
    end=st.none() | st.integers(min_value=-5, max_value=20),
    area=st.sampled_from(AREAS),
    incidents_category=st.booleans(),
    covers_casework=st.booleans(),
)
case_specs = st.builds(
    CaseSpec,
    lead=orgs,
    area=st.sampled_from(CASE_AREAS),
    restricted=st.booleans(),
    named=org_sets,
    other_reporters=org_sets,
    action_owners=org_sets,
    disclosed_to=org_sets,
    status=st.sampled_from(("open", "open", "closed")),
)


def _covers(area: Any, lsoa: Any) -> bool:
    return area.pk in {lsoa.pk, lsoa.lad_id, lsoa.csp_id, lsoa.pfa_id}


def expected(org: int, case: CaseSpec, agreements: list[AgreementSpec], areas: dict[str, Any]) -> bool:
    """ADR 0012, read literally."""
    if org == case.lead or org in case.other_reporters or org in case.disclosed_to:
        return True
    today = 0
    for a in agreements:
        in_force = (
            a.status == "in_force"
            and a.start <= today
            and (a.end is None or a.end >= today)
            and a.covers_casework
            and a.incidents_category
        )
        if (
            in_force
            and org in a.parties
            and case.lead in a.parties
            and _covers(areas[a.area], areas[case.area])
            and (not case.restricted or org in case.named)
        ):
            return True
    return False


def _build(
    organisations: list[Any],
    users: list[Any],
    agreements: list[AgreementSpec],
    cases: list[CaseSpec],
    areas: Any,
) -> list[Case]:
    today = date.today()
    for n, spec in enumerate(agreements):
        agreement = InformationSharingAgreement.objects.create(
            title=f"Agreement {n}",
            purpose="ASB casework",
            lawful_basis=LawfulBasis.CDA_S115,
            covers_asb_casework=spec.covers_casework,
            data_categories=["identity", "incidents"] if spec.incidents_category else ["identity", "contact"],
            start_date=today + timedelta(days=spec.start),
            end_date=None if spec.end is None else today + timedelta(days=spec.end),
            status=spec.status,
        )
        agreement.areas.set([areas[spec.area]])
        for org in spec.parties:
            AgreementParty.objects.create(agreement=agreement, organisation=organisations[org])
    made = []
    for n, spec in enumerate(cases):
        spec.informant = f"Informant Number{n} Zq"
        case = Case.objects.create(
            area=areas[spec.area],
            lead_organisation=organisations[spec.lead],
            restricted=spec.restricted,
            status=spec.status,
        )
        case.restricted_to.set([organisations[o] for o in spec.named])
        person = Person.objects.create(full_name=spec.informant, phone=f"0770090{n:04d}")
        for org in sorted({spec.lead} | spec.other_reporters):
            Incident.objects.create(
                case=case,
                reporting_organisation=organisations[org],
                received_at=timezone.now() - timedelta(hours=2),
                category="asb/nuisance/noise",
                area=areas[spec.area],
                description="Noise.",
                informant=person,
            )
        for org in spec.action_owners:  # made directly: an action, however it came about, opens nothing
            CaseAction.objects.create(
                case=case, owner_organisation=organisations[org], action_type=ActionType.EVA, due_date=today
            )
        for org in spec.disclosed_to:
            CaseDisclosure.objects.create(
                case=case,
                organisation=organisations[org],
                disclosed_by=users[spec.lead],
                reason="Needed",
                lawful_basis=LawfulBasis.CDA_S115,
            )
        made.append(case)
    return made


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    agreements=st.lists(agreement_specs, max_size=3),
    cases=st.lists(case_specs, min_size=1, max_size=3),
)
def test_personal_data_appears_on_every_path_iff_the_rule_allows(areas, agreements, cases):
    with transaction.atomic():
        organisations = [OrganisationFactory(name=f"Agency {n} {id(cases)}") for n in range(ORGS)]
        users = [
            UserFactory(role=Role.PRACTITIONER, organisation=org, email=f"p{n}.{id(cases)}@example.org")
            for n, org in enumerate(organisations)
        ]
        made = _build(organisations, users, agreements, cases, areas)
        tokens = [api_client(user) for user in users]
        pages = []
        for user in users:
            client = Client()
            client.force_login(user)
            pages.append(client)
        for case, spec in zip(made, cases, strict=True):
            allowed = {org for org in range(ORGS) if expected(org, spec, agreements, areas)}
            # The organisations offered for a plan action are exactly those the rule allows.
            assert set(organisations_seeing_case(case)) == {organisations[o].pk for o in allowed}
            for org, user in enumerate(users):
                may = org in allowed
                name = spec.informant.encode()
                api = Client().get(f"/api/v1/cases/{case.pk}", **tokens[org])
                assert api.status_code == (200 if may else 404) and (name in api.content) == may
                detail = pages[org].get(reverse("casework:case-detail", args=[case.pk]))
                assert detail.status_code == (200 if may else 404) and (name in detail.content) == may
                listed = set(selectors.list_cases(user=user).values_list("pk", flat=True))
                assert (case.pk in listed) == may
                board = set(selectors.tasking_board(user=user).values_list("case_id", flat=True))
                assert (case.pk in board) == may
                try:
                    selectors.get_case(user=user, pk=case.pk, audit=False)
                    read = True
                except Http404:
                    read = False
                assert read == may
                suggested = {
                    s.case.pk
                    for s in suggest_links(
                        user=user,
                        received_at=timezone.now(),
                        informant={"full_name": spec.informant, "phone": f"0770090{made.index(case):04d}"},
                    )
                }
                assert (case.pk in suggested) == (may and spec.status == "open")
        transaction.set_rollback(True)
