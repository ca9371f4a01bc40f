"""Expected access to the performance pages and API operations, role by role (see core/testing.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from joinedup.core.roles import Role
from joinedup.core.testing import PUBLIC, Access, roles

ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER, ANALYST, PANEL, AUDITOR = (
    Role.OPCC_ADMIN,
    Role.OPCC_OFFICER,
    Role.CSP_MANAGER,
    Role.PRACTITIONER,
    Role.ANALYST,
    Role.PANEL_MEMBER,
    Role.AUDITOR,
)
READERS = roles(ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER, ANALYST, PANEL, AUDITOR)
CSP_READERS = roles(ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER, ANALYST, AUDITOR)  # not the Panel
DEFINERS = roles(ADMIN, OFFICER, ANALYST, CSP_MANAGER)
SUBMITTERS = roles(ADMIN, OFFICER, CSP_MANAGER, ANALYST, PRACTITIONER)


def objects_hook(objects: dict[str, Any]) -> None:
    """A Police and Crime Plan for Testshire and a North Testshire CSP plan, each with a manual indicator
    owned by the partner practitioner's organisation (so only the practitioner owes returns and comments)."""
    from joinedup.partnerships.models import Plan
    from joinedup.performance.models import Indicator

    pfa, north = objects["pfa"], objects["north"]
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=pfa,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    priority = plan.priorities.create(title="Fewer burglaries")
    csp_plan = objects.get("csp_plan")
    if csp_plan is None:
        from joinedup.csp.tests.factories import make_plan

        csp_plan = make_plan(csp=north)
    csp_priority = csp_plan.priorities.first() or csp_plan.priorities.create(title="ASB")
    common = {
        "definition": "A figure.",
        "unit": "count",
        "direction": "down",
        "baseline_from": datetime.date(2023, 4, 1),
        "baseline_to": datetime.date(2024, 3, 31),
        "target_kind": "threshold",
        "target_value": Decimal("10"),
        "frequency": "quarterly",
        "owner": objects["people"][Role.PRACTITIONER].organisation or objects["organisation"],
        "source": "manual",
    }
    objects["perf_plan"] = plan
    objects["perf_csp_plan"] = csp_plan
    objects["perf_indicator"] = Indicator.objects.create(
        plan_priority=priority, force_area=pfa, area=pfa, name="Burglaries", **common
    )
    objects["perf_csp_indicator"] = Indicator.objects.create(
        csp_priority=csp_priority, force_area=pfa, area=north, name="ASB", **common
    )
    # A Panel member's comment on the Police and Crime Plan's indicator (the csp app keeps the Panel's
    # records), not yet turned into a recommendation.
    from joinedup.scrutiny.models import PanelComment

    objects["perf_panel_comment"] = PanelComment.objects.create(
        force_area=pfa,
        indicator=objects["perf_indicator"],
        report_quarter=datetime.date(2024, 4, 1),
        text="Why did burglaries rise in the spring?",
        created_by=objects["people"][PANEL],
    )


def _pcc(objects: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "pcc", "pk": objects["perf_plan"].pk}


def _csp(objects: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "csp", "pk": objects["perf_csp_plan"].pk}


def _indicator(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["perf_indicator"].pk}


URLS: dict[str, Access] = {
    "performance:index": Access(READERS),
    "performance:plan-report": Access(READERS, kwargs=_pcc),
    "performance:plan-report-csv": Access(READERS, kwargs=_pcc),
    "performance:plan-report-pdf": Access(
        READERS, kwargs=_pcc, note="The Panel reads the PCC plan's report."
    ),
    "performance:indicator-create": Access(roles(ADMIN, OFFICER, ANALYST), kwargs=_pcc),
    "performance:indicator-detail": Access(READERS, kwargs=_indicator),
    "performance:return-create": Access(SUBMITTERS, kwargs=_indicator),
    "performance:commentary": Access(roles(PRACTITIONER), kwargs=_indicator),
    "performance:recompute": Access(roles(ADMIN, OFFICER, ANALYST), kwargs=_indicator, method="POST"),
    "performance:recommend": Access(
        roles(PANEL), kwargs=_indicator, note="The Panel's recommendation about a PCC plan indicator."
    ),
    "performance:comment": Access(
        roles(PANEL),
        kwargs=_indicator,
        query="?quarter=2024-04",
        note="A Panel member's comment on a PCC plan indicator in one quarter's report.",
    ),
    "performance:comment-recommend": Access(
        roles(PANEL),
        kwargs=lambda o: {"pk": o["perf_panel_comment"].pk},
        note="Turning a Panel comment into a recommendation (the recommendation form, prefilled).",
    ),
    "public-performance:index": Access(PUBLIC),
    "public-performance:progress": Access(PUBLIC, kwargs=_pcc),
    "public-performance:progress-csv": Access(PUBLIC, kwargs=_pcc),
}

API: dict[str, Access] = {
    "performance_list_indicators": Access(READERS),
    "performance_get_indicator": Access(READERS, kwargs=lambda o: {"indicator_id": o["perf_indicator"].pk}),
    "performance_get_report": Access(
        CSP_READERS, kwargs=lambda o: {"kind": "csp", "plan_id": o["perf_csp_plan"].pk}
    ),
    "performance_post_return": Access(
        SUBMITTERS,
        method="POST",
        kwargs=lambda o: {"indicator_id": o["perf_indicator"].pk},
        data=lambda o: {"period_start": "2024-04-01", "value": "3"},
    ),
}
