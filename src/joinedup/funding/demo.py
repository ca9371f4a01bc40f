"""`joinedup funding demo`: a year of the OPCC's funding in Northumbria, all of it illustrative.

A community safety fund with this financial year's budget, a grant round whose grants are awarded and tied
to the CSP each serves (so `/grants/`, the 360Giving package, spend by CSP and the CSPs' briefing notes
have them), two contracts, a joint commissioning board and a framework. The victims' service reports its
KPIs monthly and the first grant its measures quarterly (the returns ended by today, accepted), so the
performance demo has indicators from a contract KPI and a grant outcome measure. Recipients and suppliers are
invented and say so in their names; amounts are illustrative. Idempotent: each part is added once (the
fund, round, board and framework by name or reference). Run `joinedup demo` and `joinedup partnerships
demo` first (the OPCC, the CSPs and the Police and Crime Plan). Refused when JOINEDUP_ENV=production.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.core.demo import NORTHUMBRIA_DISTRICTS, NORTHUMBRIA_OPCC, PFA, DemoRefused
from joinedup.core.models import Area, AreaLevel, Organisation, Sector, User

from . import services
from .commissioning import services as commissioning_services
from .models import Application, CommissioningBoard, Contract, Framework, Fund, GrantRound

FUND = "Northumbria Community Safety Fund (illustrative)"
ROUND = "Community safety small grants"
BOARD = "Northumbria victims' services commissioning board (illustrative)"
FRAMEWORK = "NV-FW-01"
# One invented recipient per CSP: (CSP name, recipient, project, amount).
GRANTS = (
    ("Gateshead", "Gateshead Youth Boxing Club (illustrative)", "Friday night boxing sessions", "8500.00"),
    (
        "Newcastle upon Tyne",
        "Tyne Street Pastors (illustrative)",
        "City centre night-time patrols",
        "9200.00",
    ),
    ("North Tyneside", "Coast Road Mentoring (illustrative)", "Mentoring young people at risk", "7400.00"),
    (
        "South Tyneside",
        "Jarrow Neighbourhood Watch (illustrative)",
        "Street-by-street watch schemes",
        "3900.00",
    ),
    ("Sunderland", "Wearside Safe Homes (illustrative)", "Target hardening for repeat victims", "9800.00"),
    (
        "Northumberland",
        "Rural Northumberland Link (illustrative)",
        "Farm and rural crime awareness",
        "6100.00",
    ),
)


# The victims' service reports its KPIs monthly (so a quarter has three returns: a percentage and an average
# time are averaged over them, docs/adr/0044), and the first grant quarterly; both feed an indicator of the
# Police and Crime Plan (`joinedup performance demo`).
REPORTING_CONTRACT = "NV-VS-01"
KPIS = "Contacted within 48 hours | 90 | % | higher\nDays to first contact | 2 | days | lower"
CONTACTED = ("86", "88", "91", "89", "92", "93", "90", "94", "91", "92", "93", "95")
DAYS = ("2.6", "2.4", "2.1", "2.3", "1.9", "1.8", "2.0", "1.7", "1.9", "1.8", "1.6", "1.5")
REPORTING_GRANT = GRANTS[0][1]
TAKING_PART = ("38", "44", "51", "47")
SESSIONS_IN_FULL = ("68", "72", "77", "79")
# An average (docs/adr/0045): the mean number of sessions each young person came to in the quarter.
AVERAGE_MEASURE = "Sessions per young person"
SESSIONS_EACH = ("4.5", "5.2", "6.1", "6.4")


def _supplier_returns(officer: User, today: datetime.date) -> list[str]:
    """The reporting contract's monthly returns for every month of its first year that has ended (once)."""
    from .models import Kpi

    kpis = list(Kpi.objects.filter(contract__reference=REPORTING_CONTRACT).order_by("name"))
    if len(kpis) < 2 or any(kpi.returns.exists() for kpi in kpis):
        return []
    contract = kpis[0].contract
    assert contract is not None
    sent = 0
    for month, (contacted, days) in enumerate(zip(CONTACTED, DAYS, strict=True)):
        start = _add_months(contract.starts_on, month)
        end = _add_months(start, 1) - datetime.timedelta(days=1)
        if end >= today:
            break
        figures = {"Contacted within 48 hours": contacted, "Days to first contact": days}
        commissioning_services.record_performance(
            actor=officer,
            kpis=kpis,
            data={
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "note": "Illustrative.",
                **{f"actual_{kpi.pk}": figures[kpi.name] for kpi in kpis if kpi.name in figures},
            },
        )
        sent += 1
    return [f"Supplier returns for {REPORTING_CONTRACT}: {sent} month(s)."] if sent else []


def _grant_returns(officer: User, grant_round: GrantRound, today: datetime.date) -> list[str]:
    """The first grant, awarded two weeks after its round closed, reports each quarter: the returns due by
    today are recorded and accepted (once)."""
    from .models import Award
    from .monitoring import services as monitoring_services

    award = Award.objects.filter(application__round=grant_round, recipient_name=REPORTING_GRANT).first()
    awarded_on = grant_round.closes_on + datetime.timedelta(days=14)
    if award is None or award.monitoring_returns.exclude(status="due").exists() or awarded_on >= today:
        return []
    # Illustrative: the award is dated as if decided after the round closed, not on the day the demo ran.
    Award.objects.filter(pk=award.pk).update(awarded_on=awarded_on)
    award.refresh_from_db()
    measures = {m.name: m.pk for m in award.outcome_measures.all()}
    recorded = 0
    for n, (taking_part, in_full, each) in enumerate(
        zip(TAKING_PART, SESSIONS_IN_FULL, SESSIONS_EACH, strict=True)
    ):
        due_on = _add_months(
            datetime.date(awarded_on.year, (awarded_on.month - 1) // 3 * 3 + 1, 1), 3 * (n + 2)
        )
        due_on -= datetime.timedelta(days=1)  # the end of each quarter after the one it was awarded in
        if due_on >= today:
            break
        monitoring_return = award.monitoring_returns.filter(due_on=due_on).first()
        if monitoring_return is None:
            monitoring_return = monitoring_services.add_monitoring_return(
                actor=officer, award=award, data={"due_on": due_on.isoformat()}
            )
        monitoring_services.record_monitoring_return(
            actor=officer,
            monitoring_return=monitoring_return,
            expected_version=monitoring_return.version,
            data={
                "submitted_on": min(due_on + datetime.timedelta(days=5), today).isoformat(),
                "spend": "2000.00",
                "narrative": "Illustrative.",
                "values": {
                    str(measures["People taking part"]): taking_part,
                    str(measures["Sessions attended in full"]): in_full,
                    # A grant awarded before the average measure was added to the demo has none.
                    **({str(measures[AVERAGE_MEASURE]): each} if AVERAGE_MEASURE in measures else {}),
                },
            },
        )
        recorded += 1
    return [f"Monitoring returns recorded for {REPORTING_GRANT}: {recorded}."] if recorded else []


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _financial_year(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _organisation(name: str, sector: str, area: Area | None) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name,
            sector=sector,
            description="FICTIONAL: invented for the demonstration; not a real organisation.",
            illustrative=True,
            source="Illustrative (demo): fictional",
        )
        if area is not None:
            organisation.areas.set([area])
    return organisation


@transaction.atomic
def load_funding_demo(*, out: Callable[[str], None]) -> list[str]:
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    from joinedup.partnerships.models import Plan

    lines: list[str] = []
    admin = User.objects.filter(email="opcc.admin@example.org").first()
    officer = User.objects.filter(email="opcc.officer@example.org").first()
    force_area = Area.objects.filter(code=PFA, level=AreaLevel.PFA).first()
    opcc = Organisation.objects.filter(name=NORTHUMBRIA_OPCC).first()
    if admin is None or officer is None or force_area is None or opcc is None:
        out("Funding demo: run `joinedup demo` first.")
        return lines
    today = timezone.localdate()
    year = _financial_year(today)
    csps = {c.code: c for c in Area.objects.filter(level=AreaLevel.CSP, pfa=force_area)}
    by_name = {name: csps.get(code) for _lad, name, code, _csp in NORTHUMBRIA_DISTRICTS}
    plan = Plan.objects.filter(force_area=force_area).order_by("-period_start").first()
    priorities = list(plan.priorities.order_by("order")) if plan else []

    fund = Fund.objects.filter(name=FUND).first()
    if fund is None:
        fund = services.create_fund(
            actor=officer,
            data={
                "name": FUND,
                "source": "community_safety",
                "distribution_model": "open_rounds",
                "force_area": force_area.code,
                "budgets": f"{year}: 250000.00",
                "max_award": "10000",
                "decision_body": opcc.pk,
                "description": "Illustrative: small grants for community safety projects in each CSP.",
                "priorities": priorities,
            },
        )
        lines.append(f"Fund set up: {FUND}, £250,000 for {year}-{(year + 1) % 100:02d}.")

    grant_round = GrantRound.objects.filter(fund=fund, name=ROUND).first()
    if grant_round is None:
        opens = datetime.date(year, 4, 1)
        grant_round = services.create_round(
            actor=officer,
            fund=fund,
            data={
                "name": ROUND,
                "opens_on": opens,
                "closes_on": opens + datetime.timedelta(days=60),
                "budget": "60000.00",
                "criteria": "Need: 3\nValue for money: 1",
            },
        )
        lines.append(f"Grant round: {ROUND}.")
    awarded = 0
    for csp_name, recipient, project, amount in GRANTS:
        if Application.objects.filter(round=grant_round, organisation_name=recipient).exists():
            continue
        csp = by_name.get(csp_name)
        _organisation(recipient, Sector.VCS_CHARITY, csp)
        application = services.create_application(
            actor=officer,
            grant_round=grant_round,
            data={
                "organisation_name": recipient,
                "project_title": project,
                "project_description": f"Illustrative: {project.lower()} in {csp_name}.",
                "amount_requested": amount,
            },
        )
        application = services.check_eligibility(
            actor=officer,
            application=application,
            eligible=True,
            note="",
            expected_version=application.version,
        )
        services.decide_application(
            actor=admin,
            application=application,
            data={
                "outcome": "approve",
                "amount": amount,
                "conditions": "A monitoring return a year after the award.",
                "csp": csp.code if csp else "",
                "measures": "People taking part | count | up | 100\n"
                "Sessions attended in full | percentage | up | 75\n"
                f"{AVERAGE_MEASURE} | average | up | 6",
            },
        )
        awarded += 1
    if awarded:
        lines.append(f"Grants awarded and tied to their CSPs: {awarded}.")

    provider = _organisation("North East Victims' Hub (illustrative)", Sector.VCS_CHARITY, force_area)
    mediation = _organisation("Tyne and Wear Mediation (illustrative)", Sector.VCS_CHARITY, force_area)
    board = CommissioningBoard.objects.filter(name=BOARD).first()
    if board is None:
        board = commissioning_services.create_board(
            actor=officer,
            data={
                "name": BOARD,
                "description": "Illustrative: the OPCC and the councils commission victims' services together.",
                "members": [opcc.pk],
            },
        )
        lines.append(f"Commissioning board: {BOARD}.")
    contracts = (
        ("NV-VS-01", "Victims' referral and support service", provider, None, "180000.00", 3),
        (
            "NV-MED-01",
            "Neighbour mediation service",
            mediation,
            by_name.get("Newcastle upon Tyne"),
            "24000.00",
            2,
        ),
    )
    for reference, title, supplier, csp, value, years in contracts:
        if Contract.objects.filter(reference=reference).exists():
            continue
        starts = datetime.date(year, 4, 1)
        commissioning_services.create_contract(
            actor=officer,
            data={
                "reference": reference,
                "title": f"{title} (illustrative)",
                "provider": supplier.pk,
                "commissioner": opcc.pk,
                "fund": fund.pk,
                "board": board.pk,
                "csp": csp.code if csp else "",
                "value": value,
                "starts_on": starts.isoformat(),
                "ends_on": (
                    starts.replace(year=starts.year + years) - datetime.timedelta(days=1)
                ).isoformat(),
                "priorities": [p.pk for p in priorities[3:4]],
                "description": "Illustrative.",
                "kpis": KPIS
                if reference == REPORTING_CONTRACT
                else "Contacted within 48 hours | 90 | % | higher",
            },
        )
        lines.append(f"Contract: {reference} {title}.")
    lines += _supplier_returns(officer, today)
    lines += _grant_returns(officer, grant_round, today)
    if not Framework.objects.filter(reference=FRAMEWORK).exists():
        commissioning_services.create_framework(
            actor=officer,
            data={
                "reference": FRAMEWORK,
                "name": "Northumbria victims' services framework (illustrative)",
                "lead": opcc.pk,
                "starts_on": datetime.date(year, 4, 1).isoformat(),
                "ends_on": datetime.date(year + 4, 3, 31).isoformat(),
                "description": "Illustrative: suppliers that OPCC and council commissioners call off from.",
                "lots": f"1 | Victims' support | {provider.pk}\n2 | Mediation | {mediation.pk}",
            },
        )
        lines.append(f"Framework: {FRAMEWORK}.")
    for line in lines:
        out(line)
    return lines
