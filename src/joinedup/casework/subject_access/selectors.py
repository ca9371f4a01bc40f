"""Subject access: everything casework holds about one person, for an authorised officer (ADR 0009).

Only the OPCC administrator (acting for the controller's data protection officer) may search and export;
the search crosses every agency's cases, whatever the information-sharing agreements say, because the
controller must answer for all of it. Every search and export is written to the audit event log.

The export names the person, the incidents they reported (as informant or victim) or were named in (as
alleged perpetrator), the cases those incidents are on with their actions, informant updates and tasking
decisions, and who viewed those cases when. Other people are never named in it (an informant's export does
not name the alleged perpetrator, and the reverse); free-text descriptions are included and must be read
for third-party data before disclosure, as the page says.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import AuditEvent, EventType
from joinedup.core.permissions import has_permission

from ..models import Case, CaseAction, Incident, InformantUpdate, Person, TaskingDecision

ACTION = "casework.subject_access"


def _require(user: Any, request: Any = None) -> None:
    if not has_permission(user, ACTION):
        record_event(EventType.PERMISSION_DENIED, actor=user, request=request, detail={"action": ACTION})
        raise Http404("Not found")


def find_people(
    *,
    user: Any,
    name: str = "",
    date_of_birth: date | None = None,
    phone: str = "",
    email: str = "",
    request: Any = None,
) -> QuerySet[Person]:
    """People who may be the requester: any of name (part of it), date of birth, phone or email matching."""
    _require(user, request)
    q = Q(pk__in=[])
    name = name.strip()
    if name:
        words = Q()
        for word in name.split():
            words &= Q(full_name__icontains=word)
        q |= words & (Q(date_of_birth=date_of_birth) if date_of_birth else Q())
    elif date_of_birth:
        q |= Q(date_of_birth=date_of_birth)
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits:
        q |= Q(phone=digits)
    if email.strip():
        q |= Q(email__iexact=email.strip())
    people = Person.objects.filter(q).order_by("full_name", "pk")[:100]
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        actor=user,
        request=request,
        object_type="casework.subject_access",
        detail={"search": True, "people": [p.pk for p in people]},
    )
    return people


def _person(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "full_name": p.full_name,
        "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "recorded_at": p.created_at.isoformat(),
    }


def _incident(i: Incident, role: str) -> dict[str, Any]:
    return {
        "reference": i.reference,
        "role": role,
        "case": i.case.reference,
        "reported_to": i.reporting_organisation.name,
        "received_at": i.received_at.isoformat(),
        "category": i.get_category_display(),
        "address": i.address,
        "postcode": i.postcode,
        "area": i.area.code,
        "description": i.description,
        "informant_anonymous": i.informant_anonymous if role != "alleged perpetrator" else None,
        "preferred_contact": i.get_preferred_contact_display() if role != "alleged perpetrator" else "",
        "vulnerability_indicators": i.vulnerability_indicators if role != "alleged perpetrator" else [],
    }


def subject_access_report(
    *, user: Any, person_ids: list[int], request: Any = None, fmt: str = "html"
) -> dict[str, Any]:
    """Everything held about the people `person_ids` (records of one person), as plain data for JSON."""
    _require(user, request)
    if not person_ids:
        raise ValidationError({"person": ["Choose at least one person record."]})
    people = list(Person.objects.filter(pk__in=person_ids).order_by("pk"))
    if not people:
        raise Http404("Not found")
    ids = [p.pk for p in people]
    related = ("case", "reporting_organisation", "area")
    reported = list(
        Incident.objects.filter(informant_id__in=ids).select_related(*related).order_by("received_at")
    )
    accused = list(
        Incident.objects.filter(perpetrators__in=ids)
        .select_related(*related)
        .distinct()
        .order_by("received_at")
    )
    case_ids = sorted({i.case_id for i in reported} | {i.case_id for i in accused})
    informant_cases = {i.case_id for i in reported}
    cases = list(
        Case.objects.filter(pk__in=case_ids).select_related("area", "lead_organisation").order_by("pk")
    )
    actions = list(
        CaseAction.objects.filter(case_id__in=case_ids)
        .select_related("case", "owner_organisation")
        .order_by("pk")
    )
    updates = list(
        InformantUpdate.objects.filter(case_id__in=informant_cases)
        .select_related("case", "given_by")
        .order_by("given_at")
    )
    from ..models import CaseDisclosure

    disclosures = list(
        CaseDisclosure.objects.filter(case_id__in=case_ids)
        .select_related("case", "organisation")
        .order_by("disclosed_at")
    )
    decisions = list(
        TaskingDecision.objects.filter(case_id__in=case_ids).select_related("case", "meeting").order_by("pk")
    )
    views = list(
        AuditEvent.objects.filter(
            event_type=EventType.PERSONAL_RECORD_VIEWED,
            object_type="casework.case",
            object_id__in=[str(pk) for pk in case_ids],
        ).order_by("occurred_at")[:5000]
    )
    from ..models import CaseReviewRequest, RiskAssessment

    assessments = list(
        RiskAssessment.objects.filter(case_id__in=informant_cases)
        .select_related("case", "organisation")
        .order_by("assessed_at")
    )
    case_reviews = list(
        CaseReviewRequest.objects.filter(applicant_id__in=ids)
        .select_related("receiving_organisation")
        .order_by("received_on")
    )
    # Daily action sheets list several cases in one event (read in Python: JSON containment is not portable).
    wanted = set(case_ids)
    sheet_views = [
        (case_id, e)
        for e in AuditEvent.objects.filter(
            event_type__in=[EventType.PERSONAL_RECORD_VIEWED, EventType.EXPORT],
            object_type="casework.daily_action_sheet",
        ).order_by("occurred_at")[:20000]
        for case_id in sorted(wanted.intersection(e.detail.get("cases", [])))
    ]
    # Searches by name that showed one of these people (each result names the case or case review, person
    # and role).
    asked = set(ids)
    search_views = [
        (found.get("case") or found.get("review"), e)
        for e in AuditEvent.objects.filter(
            event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.person"
        ).order_by("occurred_at")[:20000]
        for found in e.detail.get("people", [])
        if found.get("person") in asked
    ]
    report = {
        "risk_assessments": [
            {
                "case": a.case.reference,
                "assessed_at": a.assessed_at.isoformat(),
                "agency": a.organisation.name,
                "score": a.score,
                "risk_level": a.get_risk_level_display(),
                "answers": [{"question": x["question_text"], "answer": x["option_text"]} for x in a.answers],
                "notes": a.notes,
            }
            for a in assessments
        ],
        "case_reviews": [
            {
                "reference": r.reference,
                "received_on": r.received_on.isoformat(),
                "received_by": r.receiving_organisation.name,
                "summary": r.summary,
                "status": r.get_status_display(),
                "threshold_met": r.threshold_met,
                "threshold_reason": r.threshold_reason,
            }
            for r in case_reviews
        ],
        "generated_at": timezone.now().isoformat(),
        "generated_by": getattr(user, "email", ""),
        "people": [_person(p) for p in people],
        "incidents": [_incident(i, "informant or victim") for i in reported]
        + [_incident(i, "alleged perpetrator") for i in accused],
        "cases": [
            {
                "reference": c.reference,
                "status": c.get_status_display(),
                "area": c.area.code,
                "lead_organisation": c.lead_organisation.name,
                "risk_level": c.get_risk_level_display(),
                "repeat_victim": c.repeat_victim,
                "vulnerable": c.vulnerable,
                "opened_at": c.created_at.isoformat(),
                "closed_at": c.closed_at.isoformat() if c.closed_at else None,
            }
            for c in cases
        ],
        "actions": [
            {
                "case": a.case.reference,
                "action": a.get_action_type_display(),
                "agency": a.owner_organisation.name,
                "description": a.description,
                "due_date": a.due_date.isoformat(),
                "status": a.get_status_display(),
            }
            for a in actions
        ],
        "informant_updates": [
            {
                "case": u.case.reference,
                "given_at": u.given_at.isoformat(),
                "method": u.get_method_display(),
                "given_by": u.given_by.full_name,
                "summary": u.summary,
            }
            for u in updates
        ],
        "disclosures": [
            {
                "case": d.case.reference,
                "disclosed_to": d.organisation.name,
                "disclosed_at": d.disclosed_at.isoformat(),
                "reason": d.reason,
                "lawful_basis": d.get_lawful_basis_display(),
            }
            for d in disclosures
        ],
        "tasking_decisions": [
            {"case": d.case.reference, "meeting": d.meeting.held_on.isoformat(), "decision": d.decision}
            for d in decisions
        ],
        "views": [
            {
                "case": f"ASB-{int(e.object_id):06d}",
                "viewed_at": e.occurred_at.isoformat(),
                "by": e.actor_email,
                "role": e.actor_role,
                "how": "case page or API",
            }
            for e in views
        ]
        + [
            {
                "case": f"ASB-{case_id:06d}",
                "viewed_at": e.occurred_at.isoformat(),
                "by": e.actor_email,
                "role": e.actor_role,
                "how": "daily action sheet",
            }
            for case_id, e in sheet_views
        ]
        + [
            {
                "case": reference,
                "viewed_at": e.occurred_at.isoformat(),
                "by": e.actor_email,
                "role": e.actor_role,
                "how": "search by name",
            }
            for reference, e in search_views
        ],
    }
    record_event(
        EventType.EXPORT,
        actor=user,
        request=request,
        object_type="casework.subject_access",
        object_id=",".join(str(pk) for pk in ids)[:64],
        detail={"format": fmt, "people": ids, "cases": case_ids},
    )
    return report
