"""`joinedup performance demo`: indicators for the demo Police and Crime Plan and the Northumbria CSP plans
(police data, casework KPIs, a manual return with one quarter sent and one owed, a contract KPI and a grant
outcome measure from `joinedup funding demo`'s returns), values worked out."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

DEMO_REASON = "Demo data (joinedup performance demo)"
# The baseline for police data: the financial year 2021/22, which the shared Northumbria download covers.
POLICE_BASELINE = (datetime.date(2021, 4, 1), datetime.date(2022, 3, 31))
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
    monthly, so each quarter is the mean of three returns) and one from a grant outcome measure (young people
    taking part, from the grant's accepted quarterly returns): `joinedup funding demo` records both."""
    from joinedup.core.models import Organisation
    from joinedup.funding.demo import REPORTING_CONTRACT, REPORTING_GRANT
    from joinedup.funding.selectors import readable_kpis, readable_outcome_measures

    kpi = readable_kpis(user=admin).filter(
        contract__reference=REPORTING_CONTRACT, name="Days to first contact"
    )
    measure = readable_outcome_measures(user=admin).filter(
        award__recipient_name=REPORTING_GRANT, name="People taking part"
    )
    found_kpi, found_measure = kpi.first(), measure.first()
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
    if found_measure is not None and owner is not None:
        award = found_measure.award
        define(
            priority,
            {
                **baseline,
                "name": f"Young people taking part, {award.title} (illustrative)",
                "definition": f"People taking part in {award.title.lower()}, from the grant's accepted "
                "quarterly monitoring returns (illustrative).",
                "unit": "count",
                "area": award.csp or plan.force_area,
                "direction": "up",
                "target_value": Decimal("40"),
                "owner": owner,
                "source": "grant",
                "outcome_measure": found_measure.pk,
            },
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
    # A manual return owed by Newcastle City Council each quarter of the plan: one sent, the next owed.
    start = plan.period_start
    victims = define(
        priorities.get("Supporting victims of crime"),
        {
            "name": "Victims of ASB offered support within 5 working days (Newcastle, illustrative)",
            "definition": "Share of victims of anti-social behaviour reported to the council offered support "
            "within 5 working days, from the council's case system (illustrative).",
            "unit": "percent",
            "area": Area.objects.get(code="E22000245"),
            "direction": "up",
            "baseline_from": start.replace(year=start.year - 1),
            "baseline_to": start - datetime.timedelta(days=1),
            "baseline_value": Decimal("78"),
            "target_kind": "threshold",
            "target_value": Decimal("85"),
            "frequency": "quarterly",
            "owner": council,
            "source": "manual",
            "return_due_days": 20,
        },
    )
    reporter = User.objects.filter(email="practitioner.council@example.org").first()
    if victims is not None and reporter is not None and start + datetime.timedelta(days=92) < today:
        submit_return(
            actor=reporter, indicator=victims, period_start=start, value="82.5", note="Illustrative."
        )
        lines.append(f"Manual return from {council.name} for the quarter from {start:%-d %B %Y}.")

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
            for measure, name, target in (
                ("actioned_48h", "ASB reports actioned within 48 hours, Newcastle upon Tyne", "90"),
                ("feedback", "ASB cases with informant feedback, Newcastle upon Tyne", "80"),
            ):
                define(
                    priority,
                    {
                        "name": name,
                        "definition": f"{name}, from the partnership's casework (casework KPIs), by month.",
                        "unit": "percent",
                        "area": csp,
                        "direction": "up",
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
