"""`joinedup casework demo`: the Sevenoaks day on Northumbria ground (run `joinedup demo` first).

One weekday's ASB casework in Newcastle upon Tyne, as the Sevenoaks daily tasking would see it: reports to
Northumbria Police, Newcastle City Council and the fictional Tyne Valley Homes in the last 24 hours; an
information-sharing agreement for ASB casework between the police and the council only (so the housing
association sees no case until it owns an action); and one repeat, vulnerable victim whose third report
in six months is due a Risk Assessment Matrix within 24 hours. Every person is invented; addresses are
fictional streets. Loaded once: if the agreement exists, nothing is added again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.core.demo import (
    NEWCASTLE_COUNCIL,
    NEWCASTLE_CSP,
    NORTHUMBRIA_POLICE,
    TYNE_VALLEY_HOMES,
    DemoRefused,
)
from joinedup.core.models import Area, AreaLevel, Organisation, User

from .models import AgreementParty, AgreementStatus, Case, InformationSharingAgreement, LawfulBasis
from .services import record_incident

AGREEMENT_TITLE = "Newcastle ASB casework: Northumbria Police and Newcastle City Council"
NEWCASTLE_LAD = "E08000021"
VICTIM = {"name": "Margaret Ellis", "date_of_birth": "1941-06-12", "phone": "07700 900461"}


@dataclass
class CaseworkDemoSummary:
    loaded: bool
    incidents: int = 0
    repeat_case: Case | None = None


def _place() -> Area:
    """A Newcastle LSOA when the full geography is loaded, otherwise the district itself."""
    lsoa = Area.objects.filter(level=AreaLevel.LSOA, lad__code=NEWCASTLE_LAD).order_by("code").first()
    if lsoa is not None:
        return lsoa
    district = Area.objects.filter(code=NEWCASTLE_LAD).first()
    if district is None:
        raise DemoRefused("Newcastle upon Tyne is not in the areas: run `joinedup demo` first.")
    return district


def _report(actor: User, area: Area, hours_ago: float, **fields: Any) -> Any:
    received = timezone.now() - timedelta(hours=hours_ago)
    data = {
        "reporting_organisation": actor.organisation_id,
        "received_at": received.isoformat(),
        "occurred_at": (received - timedelta(hours=fields.pop("happened_hours_before", 1))).isoformat(),
        "area": area.code,
        **fields,
    }
    return record_incident(actor=actor, data=data)


def load_casework_demo(*, out: Callable[[str], None]) -> CaseworkDemoSummary:
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    if InformationSharingAgreement.objects.filter(title=AGREEMENT_TITLE).exists():
        out("Casework demo: already loaded; nothing added.")
        return CaseworkDemoSummary(loaded=False)
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(
            name__in=[NORTHUMBRIA_POLICE, NEWCASTLE_COUNCIL, TYNE_VALLEY_HOMES]
        )
    }
    users = {u.email: u for u in User.objects.filter(email__startswith="practitioner.")}
    needed = (
        "practitioner.police@example.org",
        "practitioner.council@example.org",
        "practitioner.housing@example.org",
    )
    if len(organisations) < 3 or any(email not in users for email in needed):
        raise DemoRefused("The demo organisations and accounts are missing: run `joinedup demo` first.")
    police, council, housing = (users[email] for email in needed)
    area = _place()
    csp = Area.objects.get(code=NEWCASTLE_CSP)
    summary = CaseworkDemoSummary(loaded=True)
    with transaction.atomic():
        agreement = InformationSharingAgreement.objects.create(
            title=AGREEMENT_TITLE,
            purpose=(
                "Daily tasking of anti-social behaviour reported to either partner, risk assessment of "
                "vulnerable and repeat victims, and joint problem solving."
            ),
            lawful_basis=LawfulBasis.CDA_S115,
            lawful_basis_detail="Crime and Disorder Act 1998 s.115; UK GDPR Article 6(1)(e) and the Data Protection Act 2018.",
            data_categories=["identity", "contact", "incidents", "vulnerability", "offending"],
            covers_asb_casework=True,
            start_date=date.today() - timedelta(days=365),
            review_date=date.today() + timedelta(days=180),
            # Signed by both parties a year ago (the demo's history; new agreements are signed in the app).
            status=AgreementStatus.IN_FORCE,
            in_force_from=timezone.now() - timedelta(days=365),
        )
        agreement.areas.set([csp])
        for org, officer in ((NORTHUMBRIA_POLICE, police), (NEWCASTLE_COUNCIL, council)):
            AgreementParty.objects.create(
                agreement=agreement,
                organisation=organisations[org],
                liaison_officer_name=officer.full_name,
                liaison_officer_email=officer.email,
            )

        # The repeat, vulnerable victim: two earlier reports (police, then council), and last night's.
        common = {
            "category": "asb/personal/intimidation",
            "address": "14 Example Terrace, Heaton",
            "postcode": "NE6 5AA",
            "latitude": "54.982000",
            "longitude": "-1.585000",
            "informant": VICTIM,
            "preferred_contact": "phone",
            "perpetrators": [{"name": "Dean Parr", "date_of_birth": "2004-09-01"}],
        }
        first = _report(
            police,
            area,
            24 * 40,
            description="Youths kicking the door and shouting abuse at night.",
            **common,
        )
        _report(
            council,
            area,
            24 * 12,
            description="Eggs thrown at the window; the resident is frightened to go out.",
            case=first.case.pk,
            **common,
        )
        latest = _report(
            police,
            area,
            9,
            description="Door kicked again at 11pm; the resident, who uses a walking frame, is afraid to go out.",
            vulnerability_indicators=["disability", "age", "isolation"],
            case=first.case.pk,
            **common,
        )
        summary.repeat_case = latest.case
        # The rest of the last 24 hours, from all three agencies.
        _report(
            council,
            area,
            16,
            category="asb/environmental/fly-tipping",
            address="Back lane behind Example Road",
            postcode="NE6 5AB",
            latitude="54.979500",
            longitude="-1.590500",
            description="Mattresses and bags of rubbish dumped in the back lane.",
            informant={"name": "Sunil Mehta", "phone": "07700 900462"},
            preferred_contact="email",
        )
        _report(
            housing,
            area,
            6,
            category="asb/nuisance/noise",
            address="Flat 3, Example Court",
            postcode="NE6 5AD",
            latitude="54.975000",
            longitude="-1.600000",
            description="Tenant reports loud parties in the flat above, most nights this week.",
            informant={"name": "Joanne Hart", "phone": "07700 900463"},
            preferred_contact="phone",
        )
        _report(
            police,
            area,
            3,
            category="asb/nuisance/vehicle-nuisance",
            address="Example Park",
            postcode="NE6 5AE",
            latitude="54.970000",
            longitude="-1.610000",
            description="Group of youths with motorbikes on the park paths.",
            informant_anonymous=True,
        )
    summary.incidents = 6
    out(
        f"Casework demo: the agreement '{AGREEMENT_TITLE}', 6 incidents from 3 agencies, and "
        f"{summary.repeat_case.reference if summary.repeat_case else 'a case'} for a repeat vulnerable victim "
        "(risk assessment due within 24 hours)."
    )
    return summary
