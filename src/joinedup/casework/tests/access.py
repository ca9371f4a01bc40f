"""Expected access to casework pages and API operations, role by role (see core/testing.py).

`objects_hook` makes an active agreement covering North Testshire for ASB casework between the
practitioner's organisation and Northtown Youth Trust, and a case in North Testshire led by the
practitioner's organisation. Every other matrix user belongs to an organisation of its own that is not a
party, so only the practitioner may open the case: everyone else gets 404.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.core.testing import PUBLIC, Access, roles

ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER, ANALYST, AUDITOR = (
    Role.OPCC_ADMIN,
    Role.OPCC_OFFICER,
    Role.CSP_MANAGER,
    Role.PRACTITIONER,
    Role.ANALYST,
    Role.AUDITOR,
)
CASEWORKERS = roles(ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER)
STATISTICS = roles(ADMIN, OFFICER, CSP_MANAGER, ANALYST, AUDITOR)
AGREEMENTS = roles(ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER, AUDITOR)
ONLY_PRACTITIONER = roles(PRACTITIONER)
AGREEMENT_EDITORS = roles(ADMIN, OFFICER, CSP_MANAGER)
ONLINE_KEY = "matrix-progress-link-key"


def objects_hook(objects: dict[str, Any]) -> None:
    from joinedup.casework.models import (
        ActionType,
        AgreementParty,
        Case,
        CaseAction,
        Incident,
        InformationSharingAgreement,
        LawfulBasis,
        Person,
    )

    practitioner_org = objects["people"][Role.PRACTITIONER].organisation
    agreement = InformationSharingAgreement.objects.create(
        title="North Testshire ASB information sharing",
        purpose="Tackling anti-social behaviour together.",
        lawful_basis=LawfulBasis.CDA_S115,
        covers_asb_casework=True,
        data_categories=["identity", "contact", "incidents"],
        start_date=date.today() - timedelta(days=30),
        status="in_force",
        in_force_from=timezone.now() - timedelta(days=30),
    )
    agreement.areas.set([objects["north"]])
    # The practitioner is their organisation's designated liaison officer: they may sign, review and end it.
    AgreementParty.objects.create(
        agreement=agreement,
        organisation=practitioner_org,
        liaison_officer_name="Matrix Practitioner",
        liaison_officer_email=objects["people"][Role.PRACTITIONER].email,
    )
    AgreementParty.objects.create(agreement=agreement, organisation=objects["organisation"])
    case = Case.objects.create(area=objects["E01900001"], lead_organisation=practitioner_org)
    informant = Person.objects.create(full_name="Alex Informant", phone="07700900001")
    Incident.objects.create(
        case=case,
        reporting_organisation=practitioner_org,
        received_at=timezone.now() - timedelta(hours=3),
        category="asb/nuisance/noise",
        area=objects["E01900001"],
        postcode="NE1 1AA",
        description="Loud music late at night.",
        informant=informant,
    )
    action = CaseAction.objects.create(
        case=case,
        owner_organisation=practitioner_org,
        action_type=ActionType.REASSURANCE,
        due_date=date.today() + timedelta(days=2),
    )
    from joinedup.casework.models import TaskingMeeting

    meeting = TaskingMeeting.objects.create(held_on=date.today(), area=objects["north"], chair="A Chair")
    objects.update(agreement=agreement, case=case, case_action=action, meeting=meeting, informant=informant)
    objects.update(agreement=agreement, case=case, case_action=action)
    _risk_and_review_objects(objects, practitioner_org, case, informant)
    from joinedup.core.models import ImportJob

    # A large incident import run by the worker: only the practitioner who uploaded it sees its page.
    objects["incident_import_job"] = ImportJob.objects.create(
        kind="casework.incidents",
        file_name="incidents.csv",
        rows=500,
        created_by=objects["people"][PRACTITIONER],
    )


def _risk_and_review_objects(
    objects: dict[str, Any], practitioner_org: Any, case: Any, informant: Any
) -> None:
    """A risk assessment and plan on the case, and a case review request the practitioner's organisation
    received (not appealed, so the OPCC does not see it)."""
    from joinedup.casework.models import CaseReviewRequest, ProblemSolvingPlan, RiskAssessment
    from joinedup.casework.risk.services import ensure_questionnaire

    ensure_questionnaire()
    practitioner = objects["people"][Role.PRACTITIONER]
    assessment = RiskAssessment.objects.create(
        case=case,
        assessed_at=timezone.now(),
        assessed_by=practitioner,
        organisation=practitioner_org,
        answers=[],
        score=25,
        risk_level="high",
    )
    plan = ProblemSolvingPlan.objects.create(
        case=case,
        objective="Keep the resident safe.",
        raised_by=practitioner,
        raised_at=timezone.now(),
        next_review_due=date.today() + timedelta(days=30),
    )
    review = CaseReviewRequest.objects.create(
        received_on=date.today() - timedelta(days=2),
        receiving_organisation=practitioner_org,
        area=objects["E01900001"],
        applicant=informant,
        summary="Three reports of loud music and nothing done.",
    )
    # An application made online: anyone holding its progress link sees the steps (and nothing personal).
    import hashlib

    CaseReviewRequest.objects.create(
        received_on=date.today(),
        receiving_organisation=practitioner_org,
        area=objects["E01900001"],
        applicant=informant,
        summary="Applied online.",
        received_online=True,
        status_key_hash=hashlib.sha256(ONLINE_KEY.encode()).hexdigest(),
    )
    from joinedup.casework.models import RiskQuestion

    objects.update(
        risk_assessment=assessment,
        jps_plan=plan,
        case_review=review,
        risk_question=RiskQuestion.objects.order_by("pk").first(),
    )


def case(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["case"].pk}


def case_id(objects: dict[str, Any]) -> dict[str, Any]:
    return {"id": objects["case"].pk}


def incident_payload(objects: dict[str, Any]) -> dict[str, Any]:
    return {
        "reporting_organisation": objects.get("me", objects["person"]).organisation_id,
        "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "category": "asb/environmental/fly-tipping",
        "postcode": "NE1 4ST",
        "area": objects["E01900002"].code,
        "description": "Mattresses dumped in the back lane.",
    }


URLS: dict[str, Access] = {
    "casework:case-list": Access(CASEWORKERS),
    # Only the practitioner's organisation is party to the agreement covering the case's area.
    "casework:case-detail": Access(roles(PRACTITIONER), kwargs=case),
    "casework:action-create": Access(roles(PRACTITIONER), kwargs=case),
    "casework:informant-update-create": Access(roles(PRACTITIONER), kwargs=case),
    "casework:action-edit": Access(roles(PRACTITIONER), kwargs=lambda o: {"pk": o["case_action"].pk}),
    "casework:incident-create": Access(CASEWORKERS),
    "casework:tasking": Access(CASEWORKERS),
    "casework:statistics": Access(STATISTICS),
    "casework:agreement-list": Access(AGREEMENTS),
    "casework:agreement-detail": Access(AGREEMENTS, kwargs=lambda o: {"pk": o["agreement"].pk}),
    # Risk Assessment Matrix and Joint Problem Solving plans: on the case only the practitioner may see.
    "casework:risk-assessment-create": Access(ONLY_PRACTITIONER, kwargs=case),
    "casework:risk-assessment-detail": Access(
        ONLY_PRACTITIONER, kwargs=lambda o: {"pk": o["risk_assessment"].pk}
    ),
    "casework:risk-due": Access(CASEWORKERS),
    "casework:risk-matrix": Access(CASEWORKERS),
    "casework:risk-matrix-settings": Access(roles(ADMIN)),
    "casework:risk-question-create": Access(roles(ADMIN)),
    "casework:risk-question-retire": Access(
        roles(ADMIN), method="POST", kwargs=lambda o: {"pk": o["risk_question"].pk}
    ),
    "casework:plan-create": Access(ONLY_PRACTITIONER, kwargs=case),
    "casework:plan-detail": Access(ONLY_PRACTITIONER, kwargs=case),
    "casework:plan-action-create": Access(ONLY_PRACTITIONER, kwargs=case),
    "casework:plan-review-create": Access(ONLY_PRACTITIONER, kwargs=case),
    # KPIs: depersonalised, so analysts and auditors too.
    "casework:kpis": Access(STATISTICS),
    "casework:kpis-csv": Access(STATISTICS),
    # ASB case reviews: the request was received by the practitioner's organisation.
    "casework:review-list": Access(CASEWORKERS),
    "casework:review-create": Access(CASEWORKERS),
    "casework:review-detail": Access(ONLY_PRACTITIONER, kwargs=lambda o: {"pk": o["case_review"].pk}),
    "casework:review-step": Access(
        ONLY_PRACTITIONER, kwargs=lambda o: {"pk": o["case_review"].pk, "step": "acknowledge"}
    ),
    "casework:review-recommendation-create": Access(
        ONLY_PRACTITIONER, kwargs=lambda o: {"pk": o["case_review"].pk}
    ),
    "public-casework:case-review-statistics": Access(PUBLIC),
    "public-casework:case-review-apply": Access(PUBLIC),
    "public-casework:case-review-progress": Access(PUBLIC, kwargs=lambda o: {"key": ONLINE_KEY}),
    # casework-b
    "casework:agreement-create": Access(AGREEMENT_EDITORS),
    "casework:agreement-edit": Access(AGREEMENT_EDITORS, kwargs=lambda o: {"pk": o["agreement"].pk}),
    "casework:agreement-history": Access(AGREEMENTS, kwargs=lambda o: {"pk": o["agreement"].pk}),
    "casework:incident-import": Access(CASEWORKERS),
    "casework:incident-import-template": Access(CASEWORKERS),
    "casework:incident-import-job": Access(
        ONLY_PRACTITIONER, kwargs=lambda o: {"pk": o["incident_import_job"].pk}
    ),
    "casework:action-sheet": Access(CASEWORKERS),
    "casework:action-sheet-pdf": Access(CASEWORKERS),
    "casework:meeting-list": Access(CASEWORKERS),
    "casework:meeting-create": Access(CASEWORKERS),
    "casework:meeting-detail": Access(CASEWORKERS, kwargs=lambda o: {"pk": o["meeting"].pk}),
    "casework:subject-access": Access(roles(ADMIN)),
    # The sharing rule (ADR 0012): disclosure needs the case; agreement steps check who may take them.
    "casework:disclosure-create": Access(ONLY_PRACTITIONER, kwargs=case),
    "casework:agreement-step": Access(
        roles(ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER),
        method="POST",
        kwargs=lambda o: {"pk": o["agreement"].pk, "step": "review"},
        data=lambda o: {"review_date": (date.today() + timedelta(days=60)).isoformat()},
        note="Review: the practitioner as the party's liaison officer, agreement managers; auditors 404.",
    ),
    "casework:subject-access-report": Access(
        roles(ADMIN), note="Without a person it goes back to the search."
    ),
}

API: dict[str, Access] = {
    "casework_create_incident": Access(CASEWORKERS, method="POST", data=incident_payload),
    "casework_list_cases": Access(CASEWORKERS),
    "casework_get_case": Access(roles(PRACTITIONER), kwargs=case_id),
    "casework_update_action": Access(
        roles(PRACTITIONER),
        method="PUT",
        kwargs=lambda o: {"id": o["case_action"].pk},
        data=lambda o: {"status": "in_progress", "version": 1},
    ),
    "casework_statistics": Access(STATISTICS),
    "casework_list_agreements": Access(AGREEMENTS),
    "casework_risk_matrix": Access(CASEWORKERS),
    "casework_list_risk_assessments": Access(ONLY_PRACTITIONER, kwargs=case_id),
    "casework_create_risk_assessment": Access(
        ONLY_PRACTITIONER, method="POST", kwargs=case_id, data=lambda o: {"answers": {}}
    ),
    "casework_get_plan": Access(ONLY_PRACTITIONER, kwargs=case_id),
    "casework_create_plan": Access(
        ONLY_PRACTITIONER, method="POST", kwargs=case_id, data=lambda o: {"objective": "Keep them safe."}
    ),
    "casework_create_plan_action": Access(
        ONLY_PRACTITIONER,
        method="POST",
        kwargs=case_id,
        data=lambda o: {
            "owner_organisation": o["organisation"].pk,
            "action_type": "eva",
            "due_date": (date.today() + timedelta(days=7)).isoformat(),
        },
    ),
    "casework_create_plan_review": Access(
        ONLY_PRACTITIONER,
        method="POST",
        kwargs=case_id,
        data=lambda o: {"attendees": "Police, council", "notes": "Actions on track."},
    ),
    "casework_list_case_reviews": Access(CASEWORKERS),
    "casework_get_case_review": Access(ONLY_PRACTITIONER, kwargs=lambda o: {"id": o["case_review"].pk}),
    "casework_create_case_review": Access(
        CASEWORKERS,
        method="POST",
        data=lambda o: {
            "received_on": date.today().isoformat(),
            "area": o["E01900001"].code,
            "applicant_name": "Robin Resident",
            "applicant_phone": "07700900555",
            "summary": "Noise every night.",
        },
    ),
    "casework_take_case_review_step": Access(
        ONLY_PRACTITIONER,
        method="POST",
        kwargs=lambda o: {"id": o["case_review"].pk, "step": "acknowledge"},
        data=lambda o: {"version": 1, "acknowledged_on": date.today().isoformat()},
    ),
    "casework_get_kpis": Access(STATISTICS),
    "casework_case_review_statistics": Access(PUBLIC),
    # casework-b: a JSON body is not a CSV, so the allowed roles get 422 (every problem listed).
    "casework_import_incidents": Access(CASEWORKERS, method="POST"),
    "casework_incident_import_job": Access(
        ONLY_PRACTITIONER, kwargs=lambda o: {"import_id": o["incident_import_job"].pk}
    ),
    "casework_subject_access_export": Access(roles(ADMIN)),
    "casework_create_agreement": Access(AGREEMENT_EDITORS, method="POST"),
    # Agreement lifecycle (ADR 0012). The matrix agreement is in force, so proposing it is a 422.
    "casework_propose_agreement": Access(
        AGREEMENT_EDITORS,
        method="POST",
        kwargs=lambda o: {"id": o["agreement"].pk},
        data=lambda o: {"version": 1},
    ),
    # Only a party's liaison officer signs (422 here: it is already in force).
    "casework_sign_agreement": Access(
        ONLY_PRACTITIONER, method="POST", kwargs=lambda o: {"id": o["agreement"].pk}
    ),
    "casework_review_agreement": Access(
        roles(ADMIN, OFFICER, CSP_MANAGER, PRACTITIONER),
        method="POST",
        kwargs=lambda o: {"id": o["agreement"].pk},
        data=lambda o: {"review_date": (date.today() + timedelta(days=60)).isoformat()},
    ),
    # The OPCC administrator ends any agreement; a party's liaison officer their own.
    "casework_end_agreement": Access(
        roles(ADMIN, PRACTITIONER),
        method="POST",
        kwargs=lambda o: {"id": o["agreement"].pk},
        data=lambda o: {"reason": "Replaced"},
    ),
    # Disclosure needs the case (only the practitioner's organisation may see it); a 422 here, as the
    # other party already sees it.
    "casework_disclose_case": Access(
        ONLY_PRACTITIONER,
        method="POST",
        kwargs=case_id,
        data=lambda o: {"organisation": o["organisation"].pk, "reason": "x", "lawful_basis": "cda_s115"},
    ),
    "casework_update_agreement": Access(
        AGREEMENT_EDITORS,
        method="PUT",
        kwargs=lambda o: {"id": o["agreement"].pk},
        data=lambda o: {"version": 1},
    ),
}
