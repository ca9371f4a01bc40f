"""`joinedup csp demo`: each Northumbria CSP as a statutory partnership in the register, with its
responsible authorities as members, and this year's statutory duties (run `joinedup demo` first).

The partnerships' members are the real responsible authorities of each district (the council, Northumbria
Police, the fire and rescue service, the Probation Service and the integrated care board). Nothing else is
claimed as fact: chairs are not named, and duty records start "not started" with their statutory due dates,
so the compliance grid shows what is due and overdue today. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.core.demo import NORTHUMBRIA_DISTRICTS, NORTHUMBRIA_POLICE, DemoRefused
from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.services.versioning import stamp

from .duties import STATUTORY_DUTIES, current_year
from .models import DutyRecord

DEMO_REASON = "Demo data (joinedup csp demo)"
COUNCILS = {
    "Gateshead": "Gateshead Council",
    "Newcastle upon Tyne": "Newcastle City Council",
    "North Tyneside": "North Tyneside Council",
    "South Tyneside": "South Tyneside Council",
    "Sunderland": "Sunderland City Council",
    "Northumberland": "Northumberland County Council",
}
FORCE_WIDE = (
    NORTHUMBRIA_POLICE,
    "The Probation Service in the North East",
    "NHS North East and North Cumbria Integrated Care Board",
)


def _fire_service(district: str) -> str:
    if district == "Northumberland":
        return "Northumberland Fire and Rescue Service"
    return "Tyne and Wear Fire and Rescue Service"


@dataclass
class CspDemoSummary:
    partnerships: int = 0
    members: int = 0
    duties: int = 0
    missing: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"CSP demo: {self.partnerships} statutory partnerships and {self.members} memberships created, "
            f"{self.duties} duty records added."
        ]
        if self.missing:
            lines.append("Not found (run `joinedup demo` first): " + ", ".join(sorted(set(self.missing))))
        return lines


def load_csp_demo(*, out: Callable[[str], None]) -> CspDemoSummary:
    from joinedup.partnerships.models import LegalBasis, Level, Partnership, Status, Visibility

    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    summary = CspDemoSummary()
    year = current_year(timezone.localdate())
    organisations = {o.name: o for o in Organisation.objects.all()}
    with transaction.atomic():
        for _lad, district, csp_code, csp_name in NORTHUMBRIA_DISTRICTS:
            csp = Area.objects.filter(code=csp_code, level=AreaLevel.CSP).first()
            if csp is None:
                summary.missing.append(csp_code)
                continue
            name = f"{csp_name} Community Safety Partnership"
            partnership = Partnership.objects.filter(name=name).first()
            if partnership is None:
                partnership = Partnership(
                    name=name,
                    purpose=(
                        "The statutory community safety partnership for the district (Crime and Disorder Act "
                        "1998): reduce crime and disorder, substance misuse and reoffending."
                    ),
                    legal_basis=LegalBasis.STATUTORY,
                    level=Level.LOCAL,
                    status=Status.ACTIVE,
                    visibility=Visibility.PUBLIC,
                    accountable_to="The council's crime and disorder scrutiny committee.",
                    source="Crime and Disorder Act 1998; members are the district's responsible authorities.",
                )
                stamp(partnership, actor=None, reason=DEMO_REASON)
                partnership.save()
                partnership.areas.set([csp])
                summary.partnerships += 1
            for member in (COUNCILS[district], _fire_service(district), *FORCE_WIDE):
                organisation = organisations.get(member)
                if organisation is None:
                    summary.missing.append(member)
                    continue
                if not partnership.memberships.filter(organisation=organisation).exists():
                    partnership.memberships.create(organisation=organisation)
                    summary.members += 1
            existing = set(DutyRecord.objects.filter(csp=csp, year=year).values_list("duty", flat=True))
            for duty in STATUTORY_DUTIES:
                if duty.duty.value not in existing:
                    record = DutyRecord(
                        csp=csp, year=year, duty=duty.duty.value, due_date=duty.due_date(year)
                    )
                    stamp(record, actor=None, reason=DEMO_REASON)
                    record.save()
                    summary.duties += 1
    for line in summary.lines():
        out(line)
    return summary


# --- a year in the life: a CSP plan that has regard to the Police and Crime Plan; a briefing note submitted to
# the Panel (the Panel's own year is joinedup.scrutiny.demo) ---------------------------------------------------

DEMO_CSP_PLAN = "Newcastle upon Tyne partnership plan (illustrative)"


@transaction.atomic
def load_year_demo(*, out: Callable[[str], None]) -> list[str]:
    """A CSP plan and a submitted briefing note (idempotent: each part is added once). Run after `joinedup
    demo`, `joinedup partnerships demo` (the Police and Crime Plan) and the CSP demo above."""
    import datetime

    from joinedup.core.demo import NEWCASTLE_CSP, PFA
    from joinedup.core.models import User
    from joinedup.partnerships.models import Plan

    from .briefings import services as briefing_services
    from .models import BriefingNote, CspPlan
    from .plans import services
    from .selectors import current_quarter

    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    manager = users.get("csp.manager@example.org")
    force_area = Area.objects.filter(code=PFA, level=AreaLevel.PFA).first()
    newcastle = Area.objects.filter(code=NEWCASTLE_CSP, level=AreaLevel.CSP).first()
    lines: list[str] = []
    if None in (manager, force_area, newcastle):
        lines.append("Year demo: run `joinedup demo` first.")
        for line in lines:
            out(line)
        return lines
    assert manager and force_area and newcastle
    today = timezone.localdate()

    pcc_plan = Plan.objects.filter(force_area=force_area).order_by("-period_start").first()
    if pcc_plan is not None and not CspPlan.objects.filter(csp=newcastle, title=DEMO_CSP_PLAN).exists():
        plan = services.create_plan(
            actor=manager,
            csp=newcastle,
            data={
                "title": DEMO_CSP_PLAN,
                "period_start": pcc_plan.period_start,
                "period_end": pcc_plan.period_start.replace(year=pcc_plan.period_start.year + 3)
                - datetime.timedelta(days=1),
                "police_and_crime_plan": pcc_plan,
                "summary": "Illustrative: the partnership's priorities for the next three years.",
                "joint_introduction": "",
                "is_public": True,
            },
        )
        served = list(pcc_plan.priorities.order_by("order"))
        for order, (title, serves) in enumerate(
            (
                ("Anti-social behaviour in the city centre", served[:1]),
                ("Domestic abuse and violence against women and girls", served[1:2]),
                ("Serious violence among young people", served[2:3]),
            ),
            start=1,
        ):
            services.save_priority(
                actor=manager, plan=plan, data={"title": title, "order": order, "pcc_priorities": serves}
            )
        lines.append(f"CSP plan recorded: {DEMO_CSP_PLAN}, having regard to {pcc_plan.title}.")

    # Last quarter's briefing note from Newcastle, submitted to the Panel.
    year, quarter = current_quarter(today - datetime.timedelta(days=92))
    if not BriefingNote.objects.filter(csp=newcastle, year=year, quarter=quarter).exists():
        note = briefing_services.generate_briefing_note(
            actor=manager, csp=newcastle, year=year, quarter=quarter
        )
        briefing_services.update_briefing_note(
            actor=manager,
            note=note,
            expected_version=note.version,
            data={"manager_commentary": "Illustrative: the quarter in brief for the Panel."},
            submit=True,
        )
        lines.append(f"Briefing note submitted to the Panel: Newcastle upon Tyne, quarter {quarter}.")
    for line in lines:
        out(line)
    return lines
