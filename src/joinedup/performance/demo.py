"""`joinedup performance demo`: indicators for the demo Police and Crime Plan and the Northumbria CSP plans
(police data, the three casework KPIs, a manual return with the quarters before the last sent and the last
owed, whatever the date, a contract KPI and two grant outcome measures, a count and an average, from
`joinedup funding demo`'s returns), values worked out."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from .periods import Period

DEMO_REASON = "Demo data (joinedup performance demo)"
# The baseline for police data: the financial year 2021/22, which the shared Northumbria download covers.
POLICE_BASELINE = (datetime.date(2021, 4, 1), datetime.date(2022, 3, 31))
VICTIMS_INDICATOR = "Victims of ASB offered support within 5 working days (Newcastle, illustrative)"
REPEAT_VICTIMS_INDICATOR = "ASB reports from repeat victims, Newcastle upon Tyne"
MANUAL_FIGURES = ("82.5", "84", "86.5", "83")  # the council's returns, quarter by quarter
COUNCILS = {
    "E22000244": "Gateshead Council",
    "E22000245": "Newcastle City Council",
    "E22000246": "North Tyneside Council",
    "E22000247": "South Tyneside Council",
    "E22000248": "Sunderland City Council",
    "E22000358": "Northumberland County Council",
}


def _police(
    name: str, area: Any, owner: Any, measure: str, unit: str, change: str, crime_type: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "definition": f"{name}: street-level records from data.police.uk located in {area.name}, by quarter.",
        "unit": unit,
        "area": area,
        "direction": "down",
        "baseline_from": POLICE_BASELINE[0],
        "baseline_to": POLICE_BASELINE[1],
        "target_kind": "change",
        "target_value": Decimal(change),
        "frequency": "quarterly",
        "owner": owner,
        "source": "police",
        "police_measure": measure,
        "crime_type": crime_type,
    }


def _funded_indicators(admin: Any, plan: Any, priority: Any, define: Callable[..., Any]) -> None:
    """An indicator from a contract KPI (the victims' service's average days to first contact, reported
    monthly, so each quarter is the mean of three returns) and two from the grant's outcome measures (young
    people taking part, a count, and sessions per young person, an average: docs/adr/0045), from the grant's
    accepted quarterly returns: `joinedup funding demo` records them."""
    from joinedup.core.models import Organisation
    from joinedup.funding.demo import AVERAGE_MEASURE, REPORTING_CONTRACT, REPORTING_GRANT
    from joinedup.funding.selectors import readable_kpis, readable_outcome_measures

    found_kpi = (
        readable_kpis(user=admin)
        .filter(contract__reference=REPORTING_CONTRACT, name="Days to first contact")
        .first()
    )
    measures = {
        m.name: m
        for m in readable_outcome_measures(user=admin)
        .filter(award__recipient_name=REPORTING_GRANT, name__in=["People taking part", AVERAGE_MEASURE])
        .select_related("award__csp")
    }
    baseline = {
        "baseline_from": plan.period_start.replace(year=plan.period_start.year - 1),
        "baseline_to": plan.period_start - datetime.timedelta(days=1),
        "frequency": "quarterly",
        "target_kind": "amount",
    }
    if found_kpi is not None and found_kpi.contract is not None:
        define(
            priority,
            {
                **baseline,
                "name": "Days from referral to first contact, victims' service (illustrative)",
                "definition": "The victims' referral and support service's average days from a referral to "
                "first contact with the victim, from its monthly performance returns (illustrative).",
                "unit": "count",
                "area": plan.force_area,
                "direction": "down",
                "target_value": Decimal("2"),
                "owner": found_kpi.contract.provider,
                "source": "contract",
                "contract_kpi": found_kpi.pk,
            },
        )
    owner = Organisation.objects.filter(name=REPORTING_GRANT).first()
    if owner is None:
        return
    for measure_name, name, definition, target in (
        (
            "People taking part",
            "Young people taking part, {title} (illustrative)",
            "People taking part in {lower}, from the grant's accepted quarterly monitoring returns "
            "(illustrative).",
            "40",
        ),
        (
            AVERAGE_MEASURE,
            "Sessions per young person, {title} (illustrative)",
            "The mean number of sessions each young person came to in {lower}, from the grant's accepted "
            "quarterly monitoring returns: an average, so a period with several returns takes their mean "
            "(illustrative).",
            "6",
        ),
    ):
        measure = measures.get(measure_name)
        if measure is None:
            continue
        award = measure.award
        define(
            priority,
            {
                **baseline,
                "name": name.format(title=award.title),
                "definition": definition.format(lower=award.title.lower()),
                "unit": "count",
                "area": award.csp or plan.force_area,
                "direction": "up",
                "target_value": Decimal(target),
                "owner": owner,
                "source": "grant",
                "outcome_measure": measure.pk,
            },
        )


def manual_return_periods(plan_start: datetime.date, today: datetime.date) -> tuple[Period, list[Period]]:
    """The demo's manual return: its baseline and the quarters sent, so that whatever today's date the
    last quarter to have ended is owed and every quarter between the baseline and it has been sent (at
    least one). The baseline is the year before the plan or, early in the plan's first year (before two
    of its quarters have ended), the year before the quarter before the one owed."""
    from .models import Frequency
    from .periods import Period, period_containing, periods_between

    quarterly = Frequency.QUARTERLY
    day = datetime.timedelta(days=1)
    owed = period_containing(period_containing(today, quarterly).start - day, quarterly)
    before = period_containing(owed.start - day, quarterly)
    baseline_end = min(plan_start, before.start) - day
    baseline_start = (baseline_end + day).replace(year=baseline_end.year - 1)
    return Period(baseline_start, baseline_end), periods_between(
        baseline_end + day, owed.start - day, quarterly
    )


def load_performance_demo(out: Callable[[str], Any] = print) -> list[str]:
    from joinedup.core.demo import DemoRefused
    from joinedup.core.models import Area, AreaLevel, Organisation, User
    from joinedup.core.roles import Role
    from joinedup.csp.models import CspPlan
    from joinedup.csp.plans import services as csp_services
    from joinedup.partnerships.demo import DEMO_PLAN_TITLE
    from joinedup.partnerships.models import Plan

    from .models import Indicator
    from .services import define_indicator, recompute, submit_return

    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    lines: list[str] = []
    admin = User.objects.filter(email="opcc.admin@example.org", role=Role.OPCC_ADMIN).first()
    plan = Plan.objects.filter(title=DEMO_PLAN_TITLE).select_related("force_area").first()
    if admin is None or plan is None:
        out("Performance demo: run `joinedup demo` and `joinedup partnerships demo` first.")
        return lines
    force_area = plan.force_area
    police = Organisation.objects.filter(name="Northumbria Police").first()
    council = Organisation.objects.filter(name="Newcastle City Council").first()
    if police is None or council is None:
        out("Performance demo: run `joinedup demo` first (no Northumbria Police or Newcastle City Council).")
        return lines
    priorities = {p.title: p for p in plan.priorities.all()}
    today = timezone.localdate()

    def define(priority: Any, data: dict[str, Any]) -> Indicator | None:
        if priority is None or Indicator.objects.filter(name=data["name"], area=data["area"]).exists():
            return None
        indicator = define_indicator(actor=admin, priority=priority, data=data, compute=False)
        lines.append(f"Indicator: {indicator.name}.")
        return indicator

    crime = priorities.get("Fighting crime and anti-social behaviour")
    define(
        crime,
        _police(
            "All crime excluding ASB per 1,000 residents, Northumbria",
            force_area,
            police,
            "all_crime",
            "rate",
            "-5",
        ),
    )
    define(crime, _police("Anti-social behaviour, Northumbria", force_area, police, "asb", "count", "-10"))
    define(
        priorities.get("Reducing serious violence"),
        _police(
            "Violence and sexual offences, Northumbria",
            force_area,
            police,
            "crime_type",
            "count",
            "-3",
            "Violence and sexual offences",
        ),
    )
    # A manual return owed by Newcastle City Council each quarter, due two weeks after it ends (so the one
    # owed is always on the council's "Your work": overdue, or due within its two weeks): every quarter
    # from the baseline sent but the last to have ended, which is owed (`manual_return_periods`).
    baseline, sent = manual_return_periods(plan.period_start, today)
    victims = define(
        priorities.get("Supporting victims of crime"),
        {
            "name": VICTIMS_INDICATOR,
            "definition": "Share of victims of anti-social behaviour reported to the council offered support "
            "within 5 working days, from the council's case system (illustrative).",
            "unit": "percent",
            "area": Area.objects.get(code="E22000245"),
            "direction": "up",
            "baseline_from": baseline.start,
            "baseline_to": baseline.end,
            "baseline_value": Decimal("78"),
            "target_kind": "threshold",
            "target_value": Decimal("85"),
            "frequency": "quarterly",
            "owner": council,
            "source": "manual",
            "return_due_days": 14,
        },
    )
    reporter = User.objects.filter(email="practitioner.council@example.org").first()
    if victims is not None and reporter is not None:
        for period, figure in zip(sent, itertools.cycle(MANUAL_FIGURES), strict=False):
            submit_return(
                actor=reporter,
                indicator=victims,
                period_start=period.start,
                value=figure,
                note="Illustrative.",
            )
            lines.append(f"Manual return from {council.name} for {period.label}.")

    _funded_indicators(admin, plan, priorities.get("Supporting victims of crime"), define)

    # Every Northumbria CSP gets a plan (Newcastle's comes from `joinedup csp demo`) with ASB and crime
    # indicators; Newcastle also measures its casework.
    for csp in Area.objects.filter(level=AreaLevel.CSP, pfa=force_area).order_by("name"):
        csp_plan = CspPlan.objects.filter(csp=csp).order_by("-period_start").first()
        if csp_plan is None:
            csp_plan = csp_services.create_plan(
                actor=admin,
                csp=csp,
                data={
                    "title": f"{csp.name} partnership plan (illustrative)",
                    "period_start": plan.period_start,
                    "period_end": plan.period_start.replace(year=plan.period_start.year + 3)
                    - datetime.timedelta(days=1),
                    "police_and_crime_plan": plan,
                    "summary": "Illustrative.",
                    "joint_introduction": "",
                    "is_public": False,
                },
            )
            csp_services.save_priority(
                actor=admin,
                plan=csp_plan,
                data={"title": "Anti-social behaviour", "order": 1, "pcc_priorities": []},
            )
            lines.append(f"CSP plan recorded: {csp_plan.title}.")
        priority = csp_plan.priorities.order_by("order", "pk").first()
        owner = Organisation.objects.filter(name=COUNCILS.get(csp.code, "")).first() or police
        define(priority, _police(f"Anti-social behaviour, {csp.name}", csp, owner, "asb", "count", "-10"))
        define(
            priority,
            _police(
                f"All crime excluding ASB per 1,000 residents, {csp.name}",
                csp,
                owner,
                "all_crime",
                "rate",
                "-5",
            ),
        )
        if csp.code == "E22000245":
            # Percentages to stay at or above; reports from repeat victims (three or more reports in six
            # months: `joinedup casework demo` has some), a count to stay at or below.
            for measure, name, unit, direction, target in (
                (
                    "actioned_48h",
                    "ASB reports actioned within 48 hours, Newcastle upon Tyne",
                    "percent",
                    "up",
                    "90",
                ),
                ("feedback", "ASB cases with informant feedback, Newcastle upon Tyne", "percent", "up", "80"),
                ("repeat_victims", REPEAT_VICTIMS_INDICATOR, "count", "down", "3"),
            ):
                define(
                    priority,
                    {
                        "name": name,
                        "definition": f"{name}, from the partnership's casework (casework KPIs), by month.",
                        "unit": unit,
                        "area": csp,
                        "direction": direction,
                        "baseline_from": plan.period_start.replace(year=plan.period_start.year - 1),
                        "baseline_to": plan.period_start - datetime.timedelta(days=1),
                        "target_kind": "threshold",
                        "target_value": Decimal(target),
                        "frequency": "monthly",
                        "owner": council,
                        "source": "casework",
                        "casework_measure": measure,
                    },
                )
    result = recompute(force_area=force_area)
    lines.append(
        f"Values worked out: {result.indicators} indicator(s), {result.written} value(s) changed, "
        f"in {result.seconds:.1f} s."
    )
    for line in lines:
        out(line)
    return lines
