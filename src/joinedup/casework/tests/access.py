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
from joinedup.core.testing import Access, roles

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
AGREEMENT_EDITORS = roles(ADMIN, OFFICER, CSP_MANAGER)


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
        start_date=date.today() - timedelta(days=30),
    )
    agreement.areas.set([objects["north"]])
    AgreementParty.objects.create(agreement=agreement, organisation=practitioner_org)
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
    # casework-b
    "casework:agreement-create": Access(AGREEMENT_EDITORS),
    "casework:agreement-edit": Access(AGREEMENT_EDITORS, kwargs=lambda o: {"pk": o["agreement"].pk}),
    "casework:agreement-history": Access(AGREEMENTS, kwargs=lambda o: {"pk": o["agreement"].pk}),
    "casework:incident-import": Access(CASEWORKERS),
    "casework:incident-import-template": Access(CASEWORKERS),
    "casework:action-sheet": Access(CASEWORKERS),
    "casework:action-sheet-pdf": Access(CASEWORKERS),
    "casework:meeting-list": Access(CASEWORKERS),
    "casework:meeting-create": Access(CASEWORKERS),
    "casework:meeting-detail": Access(CASEWORKERS, kwargs=lambda o: {"pk": o["meeting"].pk}),
    "casework:subject-access": Access(roles(ADMIN)),
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
    # casework-b: a JSON body is not a CSV, so the allowed roles get 422 (every problem listed).
    "casework_import_incidents": Access(CASEWORKERS, method="POST"),
    "casework_subject_access_export": Access(roles(ADMIN)),
    "casework_create_agreement": Access(AGREEMENT_EDITORS, method="POST"),
    "casework_update_agreement": Access(
        AGREEMENT_EDITORS,
        method="PUT",
        kwargs=lambda o: {"id": o["agreement"].pk},
        data=lambda o: {"version": 1},
    ),
}
