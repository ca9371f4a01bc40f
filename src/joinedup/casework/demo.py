"""`joinedup casework demo`: the Sevenoaks day on Northumbria ground (run `joinedup demo` first).

One weekday's ASB casework in Newcastle upon Tyne, as the Sevenoaks daily tasking would see it: reports to
Northumbria Police, Newcastle City Council and the fictional Tyne Valley Homes in the last 24 hours; an
information-sharing agreement for ASB casework between the police and the council only (so the housing
association sees no case until it owns an action); and one repeat, vulnerable victim whose third report
in six months is due a Risk Assessment Matrix within 24 hours. Behind that day, a case every few weeks
over the past seven months, each dated from when it was reported: an action assigned (mostly within 48
hours) and completed, and the informant told what was done (all but one), so the casework KPIs have a value
for every recent month. One resident reported four of them, so her last two reports (45 and 20 days before
the day) are from a repeat victim, each assessed on the Risk Assessment Matrix at the time. Every person is
invented; addresses are fictional streets. Loaded once: if the agreement exists, nothing is added again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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

from .models import (
    ActionStatus,
    AgreementParty,
    AgreementStatus,
    Case,
    CaseAction,
    Incident,
    InformantUpdate,
    InformationSharingAgreement,
    LawfulBasis,
    RiskAssessment,
)
from .risk.services import DEFAULT_QUESTIONS, questionnaire, record_risk_assessment
from .services import (
    IntakeResult,
    add_action,
    config,
    record_incident,
    record_informant_update,
    repeat_window,
    update_action,
)

AGREEMENT_TITLE = "Newcastle ASB casework: Northumbria Police and Newcastle City Council"
NEWCASTLE_LAD = "E08000021"
VICTIM = {"name": "Margaret Ellis", "date_of_birth": "1941-06-12", "phone": "07700 900461"}
# The earlier cases' repeat victim: her third and fourth reports in six months (45 and 20 days before the
# day: between them in every last whole month, whatever the date) are flagged as from a repeat victim.
REPEAT_INFORMANT = {"name": "Helen Cooper", "phone": "07700 900466"}
# How long after a repeat victim's report the earlier cases' Risk Assessment Matrix was done (within the
# 24 hours it is due in).
ASSESSED_HOURS = 4


@dataclass(frozen=True)
class EarlierCase:
    """A case from the months before the demo day: reported, actioned `actioned_hours` after the report by
    the reporting agency, done `done_days` after it, and the informant told (unless `told` is empty)."""

    days_ago: int
    reporter: str  # "police" or "council"
    category: str
    address: str
    postcode: str
    latitude: str
    longitude: str
    description: str
    informant: dict[str, str]
    action_type: str
    actioned_hours: int
    done_days: int
    told: str


# A case every 25 days back to seven months ago, so every recent calendar month opens at least one;
# each somewhere else (more than 250 m from the others and from the demo day's), so none is a repeat location.
# Four of them (95, 70, 45 and 20 days ago) are Helen Cooper's reports about where she lives and walks: the
# last two are from a repeat victim (three or more reports in six months).
EARLIER = (
    EarlierCase(
        20,
        "council",
        "asb/environmental/graffiti",
        "Underpass, Example Way",
        "NE6 5AF",
        "54.990000",
        "-1.600000",
        "Offensive graffiti sprayed across the underpass overnight.",
        REPEAT_INFORMANT,
        "other",
        20,
        3,
        "The graffiti was cleaned off within three days; the underpass is on the patrol route.",
    ),
    EarlierCase(
        45,
        "police",
        "asb/nuisance/rowdy-behaviour",
        "Outside 2 Example Parade",
        "NE6 5AG",
        "54.965000",
        "-1.590000",
        "Groups drinking and shouting outside the shops most evenings.",
        REPEAT_INFORMANT,
        "reassurance",
        6,
        5,
        "PCSOs patrolled the parade each evening for a week and spoke to the group.",
    ),
    EarlierCase(
        70,
        "council",
        "asb/nuisance/noise",
        "7 Example Gardens",
        "NE6 5AH",
        "54.995000",
        "-1.570000",
        "Music played loudly until the early hours from the house next door.",
        REPEAT_INFORMANT,
        "warning_letter",
        30,
        7,
        "A warning letter was sent to the neighbour; please keep the noise diary if it starts again.",
    ),
    EarlierCase(
        95,
        "police",
        "asb/nuisance/vehicle-nuisance",
        "Example Road playing fields",
        "NE6 5AJ",
        "54.985000",
        "-1.640000",
        "Off-road bikes ridden across the playing fields where children play.",
        REPEAT_INFORMANT,
        "eva",
        80,
        10,
        "An environmental audit was done and bollards are being fitted at the entrance.",
    ),
    EarlierCase(
        120,
        "council",
        "asb/environmental/abandoned-vehicle",
        "Example Close",
        "NE6 5AL",
        "54.970000",
        "-1.560000",
        "A car with no plates left in the turning circle for a fortnight.",
        {"name": "Fatima Begum", "phone": "07700 900468"},
        "other",
        24,
        6,
        "The car was removed by the council's contractor.",
    ),
    EarlierCase(
        145,
        "police",
        "asb/personal/harassment",
        "21 Example Street",
        "NE6 5AN",
        "54.960000",
        "-1.630000",
        "A neighbour keeps knocking on the door and shouting about parking.",
        {"name": "Robert Shaw", "phone": "07700 900469"},
        "reassurance",
        12,
        4,
        "",
    ),
    EarlierCase(
        170,
        "council",
        "asb/environmental/fly-tipping",
        "Back lane behind Example Crescent",
        "NE6 5AP",
        "54.955000",
        "-1.575000",
        "Builders' rubble tipped in the back lane.",
        {"name": "Linda Moss", "phone": "07700 900470"},
        "eva",
        18,
        2,
        "The rubble was cleared and the lane is watched by a camera for the next month.",
    ),
    EarlierCase(
        195,
        "police",
        "asb/nuisance/street-drinking",
        "Example Green",
        "NE6 5AQ",
        "54.975000",
        "-1.545000",
        "Drinkers on the benches by the play area, leaving cans and bottles.",
        {"name": "Kevin Walsh", "phone": "07700 900471"},
        "reassurance",
        10,
        8,
        "Officers moved the group on and the council has put up a public spaces protection order sign.",
    ),
)


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


def _backdate(model: Any, pk: int, since: datetime, when: datetime, *, created: bool = True) -> None:
    """Date a record the demo has just written (at `since` or later) at `when` in its history: its
    timestamps and its history rows (so the case's history reads in order)."""
    fields = {"created_at": when, "updated_at": when} if created else {"updated_at": when}
    model.objects.filter(pk=pk).update(**fields)
    model.history.filter(id=pk, history_date__gte=since).update(history_date=when)


def _report(actor: User, area: Area, hours_ago: float, **fields: Any) -> IntakeResult:
    """Record a report as if it had come in `hours_ago`: the incident, and the case when it opens one (or
    the risk assessment it makes due), are dated from then."""
    since = timezone.now()
    received = since - timedelta(hours=hours_ago)
    data = {
        "reporting_organisation": actor.organisation_id,
        "received_at": received.isoformat(),
        "occurred_at": (received - timedelta(hours=fields.pop("happened_hours_before", 1))).isoformat(),
        "area": area.code,
        **fields,
    }
    result = record_incident(actor=actor, data=data)
    _backdate(Incident, result.incident.pk, since, received)
    _backdate(Case, result.case.pk, since, received, created=result.case_opened)
    # A risk assessment this report made due: due that long after the report.
    Case.objects.filter(pk=result.case.pk, risk_assessment_due_at__gte=since).update(
        risk_assessment_due_at=received + timedelta(hours=config("risk_assessment_hours"))
    )
    return result


def _assessed(actor: User, incident: Incident) -> None:
    """An earlier repeat victim's Risk Assessment Matrix, done `ASSESSED_HOURS` after her report, as it was
    at the time: how often she has reported in six months, and nothing else of concern (the least worrying
    answer to every other question), so standard risk with no review due."""
    received = incident.received_at
    reports = Incident.objects.filter(
        informant__phone=incident.informant.phone if incident.informant else "",
        received_at__range=repeat_window(received),
    ).count()
    answers = {}
    for question in questionnaire():
        options = list(question.options.all())
        chosen = min(options, key=lambda option: option.score)
        if question.text == DEFAULT_QUESTIONS[0][0]:  # how often, answered "Once", "Two or three times"...
            chosen = options[min(len(options) - 1, 0 if reports < 2 else 1 if reports <= 3 else 2)]
        answers[question.pk] = chosen.pk
    since = timezone.now()
    assessed = received + timedelta(hours=ASSESSED_HOURS)
    case = incident.case
    assessment = record_risk_assessment(
        actor=actor,
        case=case,
        data={"answers": answers, "notes": "Reports what she sees around her street; no one targets her."},
    )
    RiskAssessment.objects.filter(pk=assessment.pk).update(assessed_at=assessed)
    RiskAssessment.history.filter(id=assessment.pk).update(assessed_at=assessed)
    _backdate(RiskAssessment, assessment.pk, since, assessed)
    Case.history.filter(id=case.pk, history_date__gte=since).update(history_date=assessed)


def _earlier(users: dict[str, User], area: Area, earlier: EarlierCase) -> None:
    """One of the earlier cases, worked and told as it was at the time."""
    actor = users[earlier.reporter]
    opened = _report(
        actor,
        area,
        24 * earlier.days_ago,
        category=earlier.category,
        address=earlier.address,
        postcode=earlier.postcode,
        latitude=earlier.latitude,
        longitude=earlier.longitude,
        description=earlier.description,
        informant=earlier.informant,
        preferred_contact="phone",
    )
    received = opened.incident.received_at
    if opened.incident.repeat_victim:
        _assessed(actor, opened.incident)
    assigned = received + timedelta(hours=earlier.actioned_hours)
    done = received + timedelta(days=earlier.done_days)
    # Assigned and completed through the services, then dated when each happened; nobody is told (its
    # owners would be notified today of an action finished months ago).
    since = timezone.now()
    action = add_action(
        actor=actor,
        case=opened.case,
        data={
            "owner_organisation": opened.case.lead_organisation,
            "officer": actor,
            "action_type": earlier.action_type,
            "due_date": timezone.localdate(assigned) + timedelta(days=14),
        },
        notify=False,
    )
    _backdate(CaseAction, action.pk, since, assigned)
    action.refresh_from_db()  # completed from its dated record, not over it
    since = timezone.now()
    update_action(
        actor=actor, action=action, expected_version=action.version, data={"status": ActionStatus.COMPLETE}
    )
    CaseAction.objects.filter(pk=action.pk).update(completed_at=done, updated_at=done)
    CaseAction.history.filter(id=action.pk, history_date__gte=since).update(
        history_date=done, completed_at=done, updated_at=done
    )
    last = done
    if earlier.told:
        since = timezone.now()
        last = done + timedelta(hours=2)
        update = record_informant_update(
            actor=actor,
            case=opened.case,
            data={"given_at": last.isoformat(), "method": "phone", "summary": earlier.told},
        )
        _backdate(InformantUpdate, update.pk, since, last)
    Case.objects.filter(pk=opened.case.pk).update(updated_at=last)


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

        # The months before: earlier cases, oldest first, by the police and the council.
        by_agency = {"police": police, "council": council}
        for earlier in sorted(EARLIER, key=lambda e: -e.days_ago):
            _earlier(by_agency, area, earlier)

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
        summary.repeat_case = Case.objects.get(pk=latest.case.pk)
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
    summary.incidents = 6 + len(EARLIER)
    out(
        f"Casework demo: the agreement '{AGREEMENT_TITLE}', 6 incidents from 3 agencies, and "
        f"{summary.repeat_case.reference if summary.repeat_case else 'a case'} for a repeat vulnerable victim "
        f"(risk assessment due within 24 hours); before them, {len(EARLIER)} cases over seven months, actioned "
        "and fed back."
    )
    return summary
