"""Factories for the CSP app's tests."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.models import Area
from joinedup.csp.duties import DUTIES_BY_KEY, Duty, current_year
from joinedup.csp.models import (
    CspPlan,
    DomesticHomicideReview,
    DutyRecord,
    ReportRequirement,
    StrategicAssessment,
)


def make_duty(
    *, csp: Area, duty: str = Duty.STRATEGY_GROUP, year: int | None = None, **kwargs: Any
) -> DutyRecord:
    year = year if year is not None else current_year(datetime.date.today())
    kwargs.setdefault("due_date", DUTIES_BY_KEY[duty].due_date(year))
    return DutyRecord.objects.create(csp=csp, duty=duty, year=year, **kwargs)


_dhr_counter = iter(range(1, 10_000))


def make_dhr(*, csp: Area, **kwargs: Any) -> DomesticHomicideReview:
    kwargs.setdefault("case_reference", f"DHR-TEST-{next(_dhr_counter):04d}")
    kwargs.setdefault("notified_on", datetime.date.today() - datetime.timedelta(days=10))
    return DomesticHomicideReview.objects.create(csp=csp, **kwargs)


def make_plan(*, csp: Area, **kwargs: Any) -> CspPlan:
    kwargs.setdefault("title", "Community safety agreement")
    kwargs.setdefault("period_start", datetime.date(2025, 4, 1))
    kwargs.setdefault("period_end", datetime.date(2028, 3, 31))
    kwargs.setdefault("is_public", True)
    return CspPlan.objects.create(csp=csp, **kwargs)


def make_requirement(*, csp: Area, **kwargs: Any) -> ReportRequirement:
    today = datetime.date.today()
    kwargs.setdefault("subject", "Progress on the strategic assessment")
    kwargs.setdefault("reason", "The strategic assessment is overdue.")
    kwargs.setdefault("required_on", today - datetime.timedelta(days=40))
    kwargs.setdefault("due_date", today - datetime.timedelta(days=10))
    return ReportRequirement.objects.create(csp=csp, **kwargs)


def make_assessment(*, csp: Area, **kwargs: Any) -> StrategicAssessment:
    kwargs.setdefault("title", "Strategic assessment")
    kwargs.setdefault("year", current_year(datetime.date.today()))
    kwargs.setdefault("published_on", datetime.date.today() - datetime.timedelta(days=3))
    kwargs.setdefault("approved_by", "Strategy group")
    kwargs.setdefault("link", "https://example.org/assessment.pdf")
    return StrategicAssessment.objects.create(csp=csp, **kwargs)


def make_csp_partnership(*, csp: Area, members: list[Any], **kwargs: Any) -> Any:
    """The CSP's statutory partnership in the register, with these organisations as members."""
    from joinedup.partnerships.models import LegalBasis, Status
    from joinedup.partnerships.tests.factories import make_partnership

    kwargs.setdefault("name", f"{csp.name} Community Safety Partnership")
    kwargs.setdefault("governance_chair", "Councillor A Chair")
    partnership = make_partnership(legal_basis=LegalBasis.STATUTORY, status=Status.ACTIVE, **kwargs)
    partnership.areas.set([csp])
    for organisation in members:
        partnership.memberships.create(organisation=organisation)
    return partnership


def make_agreement(*, areas: list[Area], officers: dict[Any, str], **kwargs: Any) -> Any:
    """An information-sharing agreement (casework's model) naming these areas; `officers` maps each party
    organisation to its designated liaison officer ("" for none)."""
    from joinedup.casework.models import AgreementParty, InformationSharingAgreement, LawfulBasis

    kwargs.setdefault("title", "Community safety information-sharing protocol")
    kwargs.setdefault("purpose", "Share information to reduce crime and disorder.")
    kwargs.setdefault("lawful_basis", LawfulBasis.CDA_S115)
    kwargs.setdefault("start_date", datetime.date(2020, 1, 1))
    kwargs.setdefault("review_date", datetime.date.today() + datetime.timedelta(days=200))
    kwargs.setdefault("status", "in_force")  # every party signed (casework ADR 0012)
    agreement = InformationSharingAgreement.objects.create(**kwargs)
    agreement.areas.set(areas)
    for organisation, officer in officers.items():
        AgreementParty.objects.create(
            agreement=agreement,
            organisation=organisation,
            liaison_officer_name=officer,
            liaison_officer_email=f"{officer.split()[-1].lower()}@example.org" if officer else "",
        )
    return agreement


def make_authorities(areas: dict[str, Area]) -> dict[str, Any]:
    """One organisation of each responsible authority type: all five serve North Testshire (police and fire
    across the force area) and are members of its statutory partnership; South's has police and fire only."""
    from joinedup.core.models import ResponsibleAuthorityType, Sector
    from joinedup.partnerships.tests.factories import make_organisation

    sectors = {
        ResponsibleAuthorityType.POLICE: Sector.POLICE_FORCE,
        ResponsibleAuthorityType.LOCAL_AUTHORITY: Sector.LA_DISTRICT,
        ResponsibleAuthorityType.FIRE_RESCUE: Sector.FIRE_RESCUE,
        ResponsibleAuthorityType.PROBATION: Sector.PROBATION,
        ResponsibleAuthorityType.HEALTH: Sector.HEALTH_ICB,
    }
    made = {}
    for kind, sector in sectors.items():
        organisation = make_organisation(name=f"Test {kind.label}", sector=sector, responsible_authority=kind)
        force_wide = kind in (ResponsibleAuthorityType.POLICE, ResponsibleAuthorityType.FIRE_RESCUE)
        served: list[Any] = [areas["pfa"]] if force_wide else [areas["north_lad"]]
        if kind == ResponsibleAuthorityType.HEALTH:
            served = [areas["north"]]
        organisation.areas.set(served)
        made[str(kind)] = organisation
    make_csp_partnership(csp=areas["north"], members=list(made.values()))
    make_csp_partnership(csp=areas["south"], members=[made["police"], made["fire_rescue"]])
    return made
