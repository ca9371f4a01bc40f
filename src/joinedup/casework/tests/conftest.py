"""A small partnership for casework tests: police and council share under an agreement; housing does not."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.casework.models import AgreementParty, AgreementStatus, InformationSharingAgreement, LawfulBasis
from joinedup.casework.services import record_incident
from joinedup.core.models import Sector
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def world(areas: dict[str, Any]) -> dict[str, Any]:
    police = OrganisationFactory(name="Testshire Police", sector=Sector.POLICE_FORCE)
    council = OrganisationFactory(name="Northtown Council", sector=Sector.LA_DISTRICT)
    housing = OrganisationFactory(name="Fictional Homes", sector=Sector.VCS_SOCIAL_ENTERPRISE)
    agreement = InformationSharingAgreement.objects.create(
        title="North Testshire ASB",
        purpose="ASB casework",
        lawful_basis=LawfulBasis.CDA_S115,
        start_date=date.today() - timedelta(days=10),
        covers_asb_casework=True,
        data_categories=["identity", "contact", "incidents"],
        status=AgreementStatus.IN_FORCE,
        in_force_from=timezone.now() - timedelta(days=10),
    )
    agreement.areas.set([areas["north"]])
    for org in (police, council):
        AgreementParty.objects.create(
            agreement=agreement, organisation=org, liaison_officer_name=f"{org} DLO"
        )
    users = {
        "police": UserFactory(role=Role.PRACTITIONER, organisation=police, email="pc@example.org"),
        "council": UserFactory(role=Role.PRACTITIONER, organisation=council, email="council@example.org"),
        "housing": UserFactory(role=Role.PRACTITIONER, organisation=housing, email="housing@example.org"),
        "analyst": UserFactory(role=Role.ANALYST, organisation=police, email="analyst@example.org"),
        "auditor": UserFactory(role=Role.AUDITOR, email="auditor@example.org"),
    }
    return {
        "areas": areas,
        "police": police,
        "council": council,
        "housing": housing,
        "agreement": agreement,
        "users": users,
    }


def incident_data(world: dict[str, Any], user: str = "police", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reporting_organisation": world["users"][user].organisation_id,
        "received_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "category": "asb/nuisance/noise",
        "address": "1 High Street",
        "postcode": "NE1 4ST",
        "latitude": "54.970000",
        "longitude": "-1.610000",
        "area": "E01900001",
        "description": "Loud music until 3am.",
        "informant": {"name": "Pat Resident", "date_of_birth": "1950-02-03", "phone": "07700 900123"},
        "preferred_contact": "phone",
        "perpetrators": [{"name": "Sam Noisy", "date_of_birth": "2001-05-06"}],
    }
    data.update(overrides)
    return data


@pytest.fixture
def case(world: dict[str, Any]) -> Any:
    return record_incident(actor=world["users"]["police"], data=incident_data(world)).case


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: Any) -> dict[str, str]:
    _token, raw = create_token(user=user, name="test", actor=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
