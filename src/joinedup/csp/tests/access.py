"""Expected access to CSP pages and API operations, role by role (see core/testing.py)."""

from __future__ import annotations

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
READERS = roles(ADMIN, OFFICER, CSP_MANAGER, PANEL, ANALYST, AUDITOR)
DHR_READERS = roles(ADMIN, OFFICER, CSP_MANAGER, PANEL, AUDITOR)
CSP_EDITORS = roles(ADMIN, OFFICER, CSP_MANAGER)
PANEL_READERS = roles(ADMIN, OFFICER, CSP_MANAGER, PANEL, AUDITOR)


def objects_hook(objects: dict[str, Any]) -> None:
    """A duty record, a review with a recommendation, a plan, an assessment and a briefing note, all in North
    Testshire (the Panel's records are scrutiny/tests/access.py's)."""
    from django.core.files.base import ContentFile

    from joinedup.csp.models import BriefingNote
    from joinedup.csp.tests.factories import make_assessment, make_dhr, make_duty, make_plan, make_requirement

    north = objects["north"]
    objects["csp_duty"] = make_duty(csp=north)
    review = make_dhr(csp=north)
    objects["csp_dhr"] = review
    objects["csp_dhr_recommendation"] = review.recommendations.create(
        agency=objects["organisation"], text="Train staff in routine enquiry."
    )
    objects["csp_report_requirement"] = make_requirement(csp=north)
    plan = make_plan(csp=north)
    objects["csp_plan"] = plan
    objects["csp_priority"] = priority = plan.priorities.create(title="Domestic abuse")
    objects["csp_action"] = priority.actions.create(
        description="Run awareness sessions.", owner=objects["organisation"], due_date=plan.period_end
    )
    assessment = make_assessment(csp=north, document_name="assessment.pdf", document_type="application/pdf")
    assessment.document.save("upload", ContentFile(b"%PDF-1.4 matrix"), save=True)
    objects["csp_assessment"] = assessment
    objects["csp_briefing"] = BriefingNote.objects.create(csp=north, year=2024, quarter=2)


def _pk(key: str) -> Any:
    return lambda objects: {"pk": objects[key].pk}


def _id(key: str) -> Any:
    return lambda objects: {"id": objects[key].pk}


def north(objects: dict[str, Any]) -> dict[str, Any]:
    return {"code": objects["north"].code}


URLS: dict[str, Access] = {
    "csp:grid": Access(READERS),
    "csp:due": Access(READERS),
    "csp:csp-detail": Access(READERS, kwargs=north),
    "csp:duty-year-start": Access(CSP_EDITORS, method="POST", kwargs=north, data=lambda o: {"year": "2025"}),
    "csp:duty-detail": Access(READERS, kwargs=_pk("csp_duty")),
    "csp:duty-edit": Access(CSP_EDITORS, kwargs=_pk("csp_duty")),
    "csp:dhr-list": Access(DHR_READERS),
    "csp:dhr-create": Access(CSP_EDITORS, kwargs=north),
    "csp:dhr-detail": Access(DHR_READERS, kwargs=_pk("csp_dhr")),
    "csp:dhr-edit": Access(CSP_EDITORS, kwargs=_pk("csp_dhr")),
    "csp:dhr-recommendation-create": Access(CSP_EDITORS, kwargs=_pk("csp_dhr")),
    "csp:dhr-recommendation-edit": Access(CSP_EDITORS, kwargs=_pk("csp_dhr_recommendation")),
    "csp:plan-create": Access(CSP_EDITORS, kwargs=north),
    "csp:plan-detail": Access(READERS, kwargs=_pk("csp_plan")),
    "csp:plan-edit": Access(CSP_EDITORS, kwargs=_pk("csp_plan")),
    "csp:priority-create": Access(CSP_EDITORS, kwargs=_pk("csp_plan")),
    "csp:priority-edit": Access(CSP_EDITORS, kwargs=_pk("csp_priority")),
    "csp:priority-delete": Access(CSP_EDITORS, kwargs=_pk("csp_priority")),
    "csp:action-create": Access(CSP_EDITORS, kwargs=_pk("csp_priority")),
    "csp:action-edit": Access(CSP_EDITORS, kwargs=_pk("csp_action")),
    "csp:action-update-create": Access(CSP_EDITORS, kwargs=_pk("csp_action")),
    "csp:requirement-list": Access(READERS),
    "csp:requirement-detail": Access(READERS, kwargs=_pk("csp_report_requirement")),
    "csp:requirement-create": Access(roles(ADMIN, OFFICER), kwargs=north),
    "csp:requirement-respond": Access(CSP_EDITORS, kwargs=_pk("csp_report_requirement")),
    "csp:protocols": Access(PANEL_READERS, kwargs=north),
    "csp:assessment-create": Access(CSP_EDITORS, kwargs=north),
    "csp:assessment-adopt": Access(
        CSP_EDITORS, method="POST", kwargs=north, data=lambda o: {"saved": o["saved_assessment"].pk}
    ),
    "csp:assessment-detail": Access(READERS, kwargs=_pk("csp_assessment")),
    "csp:assessment-edit": Access(CSP_EDITORS, kwargs=_pk("csp_assessment")),
    "csp:assessment-document": Access(READERS, kwargs=_pk("csp_assessment")),
    "csp:aligned": Access(READERS, kwargs=_pk("csp_plan")),
    "csp:aligned-pdf": Access(READERS, kwargs=_pk("csp_plan")),
    "csp:briefing-list": Access(PANEL_READERS),
    "csp:briefing-generate": Access(
        CSP_EDITORS, method="POST", kwargs=north, data=lambda o: {"year": "2024", "quarter": "3"}
    ),
    "csp:briefing-detail": Access(PANEL_READERS, kwargs=_pk("csp_briefing")),
    "csp:briefing-edit": Access(CSP_EDITORS, kwargs=_pk("csp_briefing")),
    "public-csp:index": Access(PUBLIC),
    "public-csp:csp-detail": Access(PUBLIC, kwargs=north),
    "public-csp:dhr-list": Access(PUBLIC),
}

API: dict[str, Access] = {
    "csp_compliance_grid": Access(READERS),
    "csp_list_duty_records": Access(READERS),
    "csp_update_duty_record": Access(
        CSP_EDITORS,
        method="PUT",
        kwargs=_id("csp_duty"),
        data=lambda o: {
            "due_date": o["csp_duty"].due_date.isoformat(),
            "status": "in_progress",
            "version": 1,
        },
    ),
    "csp_list_dhrs": Access(DHR_READERS),
    "csp_list_plans": Access(READERS),
    "csp_list_briefing_notes": Access(PANEL_READERS),
    "csp_update_briefing_note": Access(
        CSP_EDITORS,
        method="PUT",
        kwargs=_id("csp_briefing"),
        data=lambda o: {"manager_commentary": "Matrix edit.", "version": o["csp_briefing"].version},
    ),
    "csp_csp_protocols": Access(PANEL_READERS, kwargs=north),
    "csp_list_assessments": Access(READERS),
}
