"""`joinedup partnerships demo`: the partnerships described in the source reports, with their real facts.

Each partnership's facts come from `partnerships/demo_facts.SEED_PARTNERSHIP_FACTS` (the seed reports,
quoted in `purpose`, with the seed section in `source`). Register fields the seeds do not give (for
example a legal basis or the level where the seeds do not say) are filled in so the register is usable,
and every such partnership is flagged `illustrative` with a sentence in its purpose naming exactly which
details are illustrative. Members are the core directory's organisations of those names, created by
`joinedup demo`; a member missing from the directory is skipped with a message.

Idempotent: a record is saved only when one of its values differs, so running it again adds no history.
Refused when JOINEDUP_ENV=production.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction

from joinedup.core.demo import DemoRefused
from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.partnerships.demo_facts import SEED_PARTNERSHIP_FACTS

from .models import (
    ExpectedBenefit,
    LegalBasis,
    Level,
    MemberRole,
    Membership,
    Partnership,
    Status,
    Visibility,
)

DEMO_REASON = "Demo data (joinedup partnerships demo)"
FACTS = {facts["name"]: facts for facts in SEED_PARTNERSHIP_FACTS}


@dataclass(frozen=True)
class DemoMember:
    organisation: str  # a name in the core organisation directory
    role: str = MemberRole.MEMBER
    cost_share_percent: Decimal | None = None


@dataclass(frozen=True)
class DemoBenefit:
    financial_year: int
    savings_projected: Decimal | None
    other_outcomes: str


@dataclass(frozen=True)
class DemoPartnership:
    seed_name: str  # the key in SEED_PARTNERSHIP_FACTS
    legal_basis: str
    level: str
    force_areas: tuple[str, ...]  # police force area names
    members: tuple[DemoMember, ...]
    lead: str = ""
    scope_in: str = ""
    scope_out: str = ""
    governance_body: str = ""
    governance_chair: str = ""
    benefits: tuple[DemoBenefit, ...] = ()
    # Which of the register's details are not in the seeds (shown in the purpose); empty = none.
    illustrative_details: tuple[str, ...] = ()


M = DemoMember

DEMO_PARTNERSHIPS: tuple[DemoPartnership, ...] = (
    DemoPartnership(
        seed_name="Warwickshire and West Mercia Strategic Alliance",
        legal_basis=LegalBasis.AGREEMENT,  # the Strategic Alliance Collaboration Agreement, 13 March 2012
        level=Level.STRATEGIC,
        force_areas=("West Mercia", "Warwickshire"),
        lead="West Mercia Police",
        members=(
            M("West Mercia Police", MemberRole.LEAD, Decimal("69")),
            M("Warwickshire Police", MemberRole.MEMBER, Decimal("31")),
            M("West Mercia OPCC"),
            M("Warwickshire OPCC"),
        ),
        scope_in="Functions in four directorates shared by the two forces.",
        benefits=(
            DemoBenefit(
                2014,
                Decimal("34200000.00"),
                "£34.2m projected over the spending review period (as at October 2014), shared 69:31 "
                "between West Mercia and Warwickshire. Recorded against 2014/15 for the register "
                "(illustrative placement: the seeds give the total for the whole period).",
            ),
        ),
        illustrative_details=("the lead organisation", "the year the projected savings are recorded against"),
    ),
    DemoPartnership(
        seed_name="Humberside police and fire vehicle maintenance site",
        legal_basis=LegalBasis.AGREEMENT,
        level=Level.OPERATIONAL,
        force_areas=("Humberside",),
        members=(
            M("Humberside Police"),
            M("Humberside Fire and Rescue"),
            M("Humberside OPCC"),
        ),
        scope_in="Maintenance of police and fire vehicles across the Humber and Yorkshire region.",
        benefits=(
            DemoBenefit(
                2014,
                Decimal("200000.00"),
                "About £200k a year for the two organisations (estimated), plus reduced energy and running "
                "costs of around £69k a year; Humberside Police consolidates departments from seven sites "
                "into one. Recorded against 2014/15 (illustrative: the seeds give a yearly estimate).",
            ),
        ),
        illustrative_details=("the legal basis (agreement)", "the financial year of the savings"),
    ),
    DemoPartnership(
        seed_name="Surrey, Sussex and Thames Valley victims' referral framework",
        legal_basis=LegalBasis.CONTRACTUAL,
        level=Level.REGIONAL,
        force_areas=("Surrey", "Sussex", "Thames Valley"),
        lead="Surrey OPCC",
        members=(
            M("Surrey OPCC", MemberRole.LEAD),
            M("Sussex OPCC"),
            M("Thames Valley OPCC"),
        ),
        scope_in="Victim referral, assessment and non-specialist services commissioned by PCCs from April 2015.",
        governance_body="Officer-level group of OPCCs using the contract or supplier (led by Surrey)",
        illustrative_details=("the legal basis (contractual: a procurement framework)",),
    ),
    DemoPartnership(
        seed_name="North Yorkshire, Cleveland and Durham strategic collaboration",
        legal_basis=LegalBasis.AGREEMENT,
        level=Level.STRATEGIC,
        force_areas=("North Yorkshire", "Cleveland", "Durham"),
        members=(
            M("North Yorkshire Police"),
            M("Cleveland Police"),
            M("Durham Police"),
            M("North Yorkshire OPCC"),
        ),
        scope_in="All operational areas except the chief and deputy chief constable posts and local policing.",
        scope_out="Back office (partly because Cleveland has outsourced it); local policing.",
        illustrative_details=("the legal basis (agreement)",),
    ),
    DemoPartnership(
        seed_name="Yorkshire and the Humber (YaTH) regional collaboration",
        legal_basis=LegalBasis.AGREEMENT,
        level=Level.REGIONAL,
        force_areas=("West Yorkshire", "South Yorkshire", "North Yorkshire", "Humberside"),
        members=(
            M("West Yorkshire Police"),
            M("South Yorkshire Police"),
            M("North Yorkshire Police"),
            M("Humberside Police"),
        ),
        governance_body="Regional Fleet Board (transport and fleet)",
        illustrative_details=("the legal basis (agreement)",),
    ),
    DemoPartnership(
        seed_name="North Yorkshire police and fire estates sharing and Safety Service",
        legal_basis=LegalBasis.AGREEMENT,
        level=Level.OPERATIONAL,
        force_areas=("North Yorkshire",),
        members=(
            M("North Yorkshire Police"),
            M("North Yorkshire Fire and Rescue Service"),
            M("North Yorkshire OPCC"),
        ),
        illustrative_details=("the legal basis (agreement)",),
    ),
    DemoPartnership(
        seed_name="York River Safety Programme",
        legal_basis=LegalBasis.INFORMAL,
        level=Level.LOCAL,
        force_areas=("North Yorkshire",),
        lead="North Yorkshire OPCC",
        members=(
            M("North Yorkshire OPCC", MemberRole.LEAD),
            M("North Yorkshire Police"),
            M("City of York Council"),
        ),
        governance_body="City Safety Strategic Group (multi-agency)",
        illustrative_details=("the legal basis (informal)",),
    ),
    DemoPartnership(
        seed_name="Together York",
        legal_basis=LegalBasis.AGREEMENT,
        level=Level.LOCAL,
        force_areas=("North Yorkshire",),
        members=(
            M("North Yorkshire Police"),
            M("North Yorkshire OPCC"),
            M("Together: for Mental Wellbeing"),
            M("Vale of York Clinical Commissioning Group"),
            M("Leeds and York Partnership NHS Foundation Trust"),
        ),
        scope_in="The most mentally vulnerable service users in the York area (a pilot).",
        illustrative_details=("the legal basis (agreement)",),
    ),
    DemoPartnership(
        seed_name="Gwent Strategic Commissioning Board",
        legal_basis=LegalBasis.INFORMAL,
        level=Level.STRATEGIC,
        force_areas=("Gwent",),
        lead="Gwent OPCC",
        members=(
            M("Gwent OPCC", MemberRole.LEAD),
            M("Gwent Police"),
            M("South Wales Fire & Rescue Service"),
            M("Wales Probation Trust"),
            M("Aneurin Bevan Health Board"),
        ),
        scope_in=(
            "Strategic direction of the PCC's commissioning programme: planning, service quality, contract "
            "performance and stakeholder engagement. The seeds also list the local authorities, Gwent "
            "registered social landlords and the Gwent voluntary sector as members."
        ),
        governance_body="Gwent Strategic Commissioning Board",
        governance_chair="The Deputy Police and Crime Commissioner for Gwent",
        illustrative_details=("the legal basis (informal)",),
    ),
)


@dataclass
class PartnershipDemoSummary:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    missing_organisations: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        lines = []
        for kind in ("partnerships", "members", "benefits"):
            c = self.counts.get(kind, Counter())
            lines.append(
                f"{kind.capitalize()}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged."
            )
        if self.missing_organisations:
            names = ", ".join(sorted(set(self.missing_organisations)))
            lines.append(
                f"Not in the organisation directory (run `joinedup demo` first), so left out: {names}."
            )
        return lines


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("&", " and ")).strip().casefold()


def _purpose(spec: DemoPartnership) -> str:
    facts = FACTS[spec.seed_name]["facts"]
    if not spec.illustrative_details:
        return facts
    return f"{facts}\n\nIllustrative (not in the source reports): {'; '.join(spec.illustrative_details)}."


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    summary: PartnershipDemoSummary,
    kind: str,
) -> Any:
    """Create the record, or save only the values that differ (so a second run adds no history)."""
    obj: Any = model.objects.filter(**lookup).first()  # type: ignore[attr-defined]
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(exclude=["created_by", "updated_by"], validate_constraints=False)
        stamp(obj, actor=None, reason=DEMO_REASON)
        obj.save()
        summary.count(kind, "created")
        return obj
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        summary.count(kind, "unchanged")
        return obj
    for key, value in changed.items():
        setattr(obj, key, value)
    obj.full_clean(exclude=["created_by", "updated_by"], validate_constraints=False)
    save_versioned(obj, expected_version=obj.version, actor=None, reason=DEMO_REASON)
    summary.count(kind, "updated")
    return obj


def load_partnership_demo(*, out: Callable[[str], None]) -> PartnershipDemoSummary:
    """Load (or bring up to date) the seed partnerships; see the module docstring."""
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    summary = PartnershipDemoSummary()
    wanted = {_normalise(m.organisation) for s in DEMO_PARTNERSHIPS for m in s.members} | {
        _normalise(s.lead) for s in DEMO_PARTNERSHIPS if s.lead
    }
    organisations = {
        _normalise(o.name): o for o in Organisation.objects.all() if _normalise(o.name) in wanted
    }
    pfas = {_normalise(a.name): a for a in Area.objects.filter(level=AreaLevel.PFA)}
    with transaction.atomic():
        for spec in DEMO_PARTNERSHIPS:
            _load_one(spec, organisations, pfas, summary)
    for line in summary.lines():
        out(line)
    return summary


def _load_one(
    spec: DemoPartnership,
    organisations: dict[str, Organisation],
    pfas: dict[str, Area],
    summary: PartnershipDemoSummary,
) -> Partnership:
    facts = FACTS[spec.seed_name]
    lead = organisations.get(_normalise(spec.lead)) if spec.lead else None
    if spec.lead and lead is None:
        summary.missing_organisations.append(spec.lead)
    partnership: Partnership = _upsert(
        Partnership,
        {"name": facts["name"]},
        {
            "purpose": _purpose(spec),
            "scope_in": spec.scope_in,
            "scope_out": spec.scope_out,
            "legal_basis": spec.legal_basis,
            "level": spec.level,
            "lead_organisation": lead,
            "governance_body": spec.governance_body,
            "governance_chair": spec.governance_chair,
            "status": Status.ACTIVE,
            "visibility": Visibility.PUBLIC,
            "illustrative": bool(spec.illustrative_details),
            "source": f"{facts['source']}; as stated there, members: {facts['members']}"[:300],
        },
        summary,
        "partnerships",
    )
    areas = [pfas[_normalise(name)] for name in spec.force_areas if _normalise(name) in pfas]
    if {a.pk for a in areas} != set(partnership.areas.values_list("pk", flat=True)):
        partnership.areas.set(areas)
    for member in spec.members:
        organisation = organisations.get(_normalise(member.organisation))
        if organisation is None:
            summary.missing_organisations.append(member.organisation)
            continue
        _upsert(
            Membership,
            {"partnership": partnership, "organisation": organisation},
            {"role": member.role, "cost_share_percent": member.cost_share_percent},
            summary,
            "members",
        )
    for benefit in spec.benefits:
        _upsert(
            ExpectedBenefit,
            {"partnership": partnership, "financial_year": benefit.financial_year},
            {"savings_projected": benefit.savings_projected, "other_outcomes": benefit.other_outcomes},
            summary,
            "benefits",
        )
    return partnership


# --- a year in the life: the Police and Crime Plan and reviews falling due --------------------------------

DEMO_PLAN_TITLE = "Police and Crime Plan for Northumbria (illustrative)"
# Illustrative priorities: the shape of a Police and Crime Plan, not the Commissioner's published wording.
DEMO_PLAN_PRIORITIES = (
    "Fighting crime and anti-social behaviour",
    "Preventing violence against women and girls",
    "Reducing serious violence",
    "Supporting victims of crime",
    "Working with communities and partners",
)
# Active partnerships whose next review falls due soon after the demo is loaded (days from today); one is
# already overdue, so the register shows both.
REVIEWS_FALLING_DUE = (-7, 21)


@transaction.atomic
def load_year_demo(*, out: Callable[[str], None]) -> list[str]:
    """The Police and Crime Plan the CSP plans have regard to, and partnership reviews falling due.

    Idempotent: the plan is recorded once (by its title); review dates are set only while no active
    partnership has one. Refused when JOINEDUP_ENV=production."""
    import datetime

    from django.utils import timezone

    from joinedup.core.demo import PFA
    from joinedup.core.models import User
    from joinedup.core.roles import Role

    from .models import Plan
    from .services import create_plan

    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    lines: list[str] = []
    admin = User.objects.filter(email="opcc.admin@example.org", role=Role.OPCC_ADMIN).first()
    force_area = Area.objects.filter(code=PFA, level=AreaLevel.PFA).first()
    if admin is None or force_area is None:
        lines.append(
            "Year demo: run `joinedup demo` first (no OPCC administrator or Northumbria force area)."
        )
    elif not Plan.objects.filter(title=DEMO_PLAN_TITLE).exists():
        today = timezone.localdate()
        start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
        create_plan(
            actor=admin,
            data={
                "title": DEMO_PLAN_TITLE,
                "pcc_name": "The Police and Crime Commissioner for Northumbria",
                "force_area": force_area,
                "period_start": start,
                "period_end": start.replace(year=start.year + 4) - datetime.timedelta(days=1),
            },
            priorities=list(DEMO_PLAN_PRIORITIES),
        )
        lines.append(f"Police and Crime Plan recorded: {DEMO_PLAN_TITLE}.")
    today = timezone.localdate()
    active = Partnership.objects.filter(status=Status.ACTIVE)
    # Once any active partnership has a review date, the register already shows reviews falling due.
    undated = [] if active.exclude(next_review_date=None).exists() else list(active.order_by("name"))
    for days, partnership in zip(REVIEWS_FALLING_DUE, undated[: len(REVIEWS_FALLING_DUE)], strict=False):
        partnership.next_review_date = today + datetime.timedelta(days=days)
        save_versioned(
            partnership, expected_version=partnership.version, actor=admin, reason=DEMO_REVIEW_REASON
        )
        lines.append(f"Review of {partnership.name} due {partnership.next_review_date:%-d %B %Y}.")
    for line in lines:
        out(line)
    return lines


DEMO_REVIEW_REASON = "Demo data: review falling due"
