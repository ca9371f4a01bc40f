"""The only way pages and the API read cases, incidents and people: always restricted to the user.

Reading a record that contains personal data writes PERSONAL_RECORD_VIEWED to the audit event log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission, restrict

from .models import Case, CaseAction, CaseReviewRequest, Incident, InformationSharingAgreement, TaskingMeeting
from .names import fold_name
from .rules import case_visibility_q


def list_cases(*, user: Any, status: str | None = None, area_code: str | None = None) -> QuerySet[Case]:
    """Cases the user may read, newest first. The list itself shows no personal data."""
    cases = restrict(Case.objects.select_related("area", "lead_organisation"), user, "casework.cases.view")
    if status:
        cases = cases.filter(status=status)
    if area_code:
        cases = cases.filter(
            Q(area__code=area_code)
            | Q(area__lad__code=area_code)
            | Q(area__csp__code=area_code)
            | Q(area__pfa__code=area_code)
        )
    # A correlated count: worked out only for the rows of the page shown, not for every visible case.
    incident_count = Subquery(
        Incident.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cases.annotate(incident_count=Coalesce(incident_count, 0)).order_by("-created_at", "-id")


def _case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("area", "lead_organisation", "lead_officer").prefetch_related(
        Prefetch(
            "incidents",
            queryset=Incident.objects.select_related(
                "informant", "reporting_organisation", "area"
            ).prefetch_related("perpetrators"),
        ),
        Prefetch("actions", queryset=CaseAction.objects.select_related("owner_organisation", "officer")),
        "informant_updates__given_by",
        "restricted_to",
        "disclosures__organisation",
    )


def get_case(
    *, user: Any, pk: int, request: Any = None, action: str = "casework.cases.view", audit: bool = True
) -> Case:
    """One case with its incidents and people, or Http404 (missing or not allowed, which look the same).

    A successful read is written to the event log with the people it showed."""
    try:
        case = restrict(_case_queryset(), user, action).get(pk=pk)
    except Case.DoesNotExist:
        record_event(
            EventType.PERMISSION_DENIED,
            actor=user,
            request=request,
            object_type="casework.case",
            object_id=pk,
            detail={"action": action},
        )
        raise Http404("Not found") from None
    if audit:
        record_case_viewed(user=user, case=case, request=request)
    return case


def record_case_viewed(*, user: Any, case: Case, request: Any = None) -> None:
    people: set[int] = set()
    for incident in case.incidents.all():
        if incident.informant_id:
            people.add(incident.informant_id)
        people.update(p.pk for p in incident.perpetrators.all())
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        actor=user,
        request=request,
        obj=case,
        detail={
            "people": sorted(people),
            "incidents": sorted(i.pk for i in case.incidents.all()),
        },
    )


def get_action(*, user: Any, pk: int, request: Any = None) -> CaseAction:
    try:
        return restrict(
            CaseAction.objects.select_related("case", "owner_organisation"), user, "casework.actions.change"
        ).get(pk=pk)
    except CaseAction.DoesNotExist:
        record_event(
            EventType.PERMISSION_DENIED,
            actor=user,
            request=request,
            object_type="casework.caseaction",
            object_id=pk,
            detail={"action": "casework.actions.change"},
        )
        raise Http404("Not found") from None


def visible_cases(user: Any) -> QuerySet[Case]:
    return restrict(Case.objects.all(), user, "casework.cases.view")


NAME_MIN_LENGTH = 2


@dataclass(frozen=True)
class NamedInCase:
    """A person named on a case the user may read, and how: a search result, never the person's details."""

    case_id: int
    case_reference: str
    person_id: int
    full_name: str
    role: str  # "informant or victim" or "alleged perpetrator"


@dataclass(frozen=True)
class ApplicantNamed:
    """Someone who applied for an ASB case review the user may read: a search result, never their details."""

    review_id: int
    review_reference: str
    person_id: int
    full_name: str


def name_words(text: str) -> list[str]:
    """The words a name search looks for: `text` folded, split into words; none when they come to fewer
    than two letters (a query of accents alone, or one letter, finds nothing rather than everyone)."""
    words = fold_name(" ".join(text.split())[:100]).split()
    return words if len("".join(words)) >= NAME_MIN_LENGTH else []


def _named(
    rows: QuerySet[Any], case: str, person: str, words: list[str], limit: int
) -> list[tuple[Any, ...]]:
    """(case id, person id, name) of `rows` (already on the visible cases) whose `person`'s name contains
    every word; the first `limit` by folded name, name and newest case, so a search shows the same people
    each time. The words are matched against the stored folded name (`Person.folded_name`): on PostgreSQL
    its trigram index finds the people before their cases are read."""
    folded = f"{person}__folded_name"
    condition = Q()
    for word in words:
        condition &= Q(**{f"{folded}__contains": word})
    name = f"{person}__full_name"
    return [
        (case_id, person_id, full_name)
        for case_id, person_id, full_name, _folded in rows.filter(condition)
        .values_list(case, f"{person}_id", name, folded)
        .distinct()
        .order_by(folded, name, f"-{case}")[:limit]
    ]


def people_named(user: Any, text: str, *, limit: int = 20) -> list[NamedInCase]:
    """People named on the cases `user` may read whose name contains `text` (every word of it, ignoring
    case and accents: "zoe" finds "Zoë"), with each case and their role on it (informant or victim, alleged
    perpetrator).

    Only through the sharing rule (ADR 0012): the cases are those `casework.cases.view` lets the user open
    (their organisation's own, shared under an agreement in force, or disclosed to it, within their force
    area), and names are matched only on those cases' incidents, so a person on any other case is never
    found and "not allowed" reads as "nothing found". Fewer than two letters finds nothing. Not audited
    here: the caller records the search."""
    words = name_words(text)
    if not words or not has_permission(user, "casework.cases.view"):
        return []
    visible = visible_cases(user).values("pk")
    # Incidents with an informant only: an inner join, so the name condition can be applied to the people
    # before their incidents are read, not to every incident after an outer join.
    reported = _named(
        Incident.objects.filter(case__in=visible, informant__isnull=False),
        "case_id",
        "informant",
        words,
        limit,
    )
    accused = _named(
        Incident.perpetrators.through.objects.filter(incident__case__in=visible),
        "incident__case_id",
        "person",
        words,
        limit,
    )
    rows = [(*row, "informant or victim") for row in reported] + [
        (*row, "alleged perpetrator") for row in accused
    ]
    ordered = sorted(rows, key=lambda row: (fold_name(row[2]), row[2], -row[0], row[3]))[:limit]
    return [
        NamedInCase(case_id, Case(pk=case_id).reference, person_id, name, role)
        for case_id, person_id, name, role in ordered
    ]


def applicants_named(user: Any, text: str, *, limit: int = 20) -> list[ApplicantNamed]:
    """Applicants for the ASB case reviews `user` may read (`casework.reviews.view`, the review page's own
    rule: received by their organisation, in an area their sharing agreements cover, or appealed to the OPCC,
    within their force area) whose name contains every word of `text`, folded as `people_named` does. An
    applicant of any other review is never found. Not audited here: the caller records the search."""
    words = name_words(text)
    if not words or not has_permission(user, "casework.reviews.view"):
        return []
    reviews = restrict(CaseReviewRequest.objects.all(), user, "casework.reviews.view")
    return [
        ApplicantNamed(review_id, CaseReviewRequest(pk=review_id).reference, person_id, name)
        for review_id, person_id, name in _named(reviews, "pk", "applicant", words, limit)
    ]


def case_statistics(*, user: Any, area_code: str | None = None) -> dict[str, Any]:
    """Depersonalised counts over every case and incident (no names, contacts or descriptions).

    Counts are not limited by information-sharing agreements: they contain no personal data."""
    if not has_permission(user, "casework.statistics"):
        raise Http404("Not found")
    cases = Case.objects.all()
    incidents = Incident.objects.all()
    if area_code:
        in_area = (
            Q(area__code=area_code)
            | Q(area__lad__code=area_code)
            | Q(area__csp__code=area_code)
            | Q(area__pfa__code=area_code)
        )
        cases = cases.filter(in_area)
        incidents = incidents.filter(in_area)
    return {
        "cases_open": cases.filter(status="open").count(),
        "cases_closed": cases.filter(status="closed").count(),
        "open_high_risk": cases.filter(status="open", risk_level="high").count(),
        "repeat_victim_cases": cases.filter(repeat_victim=True).count(),
        "repeat_location_cases": cases.filter(repeat_location=True).count(),
        "incidents": incidents.count(),
        "by_category": [
            {"category": row["category"], "count": row["count"]}
            for row in incidents.values("category").annotate(count=Count("id")).order_by("category")
        ],
        "by_area": [
            {"area": row["area__code"], "name": row["area__name"], "count": row["count"]}
            for row in incidents.values("area__code", "area__name")
            .annotate(count=Count("id"))
            .order_by("area__code")
        ],
    }


def list_agreements(*, user: Any) -> QuerySet[InformationSharingAgreement]:
    return restrict(
        InformationSharingAgreement.objects.prefetch_related("party_rows__organisation", "areas"),
        user,
        "casework.agreements.view",
    )


def tasking_since(now: datetime) -> datetime:
    """The start of the daily tasking window: 24 hours back, or back to Friday on a Monday (and over a
    weekend), so that the weekend's reports roll into Monday's meeting."""
    back = {0: 3, 5: 1, 6: 2}.get(now.weekday(), 1)  # Monday → Friday; Saturday/Sunday → Friday
    return now - timedelta(days=back)


def tasking_board(
    *, user: Any, now: datetime | None = None, area_code: str | None = None
) -> QuerySet[Incident]:
    """Incidents on cases the user may see, received since the last tasking, oldest first."""
    now = now or timezone.now()
    if not has_permission(user, "casework.cases.view"):
        return Incident.objects.none()
    window = Incident.objects.filter(received_at__gte=tasking_since(now), received_at__lte=now)
    if area_code:
        window = window.filter(
            Q(area__code=area_code) | Q(area__lad__code=area_code) | Q(area__csp__code=area_code)
        )
    # Two short steps instead of one join: the cases reported on in the window, then which of those the
    # user may see (looked up by primary key), so the database never walks every case.
    reported = set(window.values_list("case_id", flat=True))
    visible = list(Case.objects.filter(case_visibility_q(user), pk__in=reported).values_list("pk", flat=True))
    incidents = window.filter(case_id__in=visible).select_related(
        "case", "area", "reporting_organisation", "case__lead_organisation"
    )
    open_actions = Subquery(
        CaseAction.objects.filter(case=OuterRef("case_id"))
        .exclude(status="complete")
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return incidents.annotate(open_actions=Coalesce(open_actions, 0)).order_by("received_at", "id")


def active_agreements_covering(area_ids: list[int], *, on: Any = None) -> list[InformationSharingAgreement]:
    """Active information-sharing agreements naming any of these areas, with their parties and areas (the
    CSP app's protocol check; agreements hold no case or victim data, so this read is not restricted)."""
    return list(
        InformationSharingAgreement.objects.active(on)
        .filter(areas__in=area_ids)
        .distinct()
        .prefetch_related("party_rows__organisation", "areas")
        .order_by("title")
    )


def list_meetings(*, user: Any) -> QuerySet[TaskingMeeting]:
    return restrict(
        TaskingMeeting.objects.select_related("area").prefetch_related("attendees__organisation"),
        user,
        "casework.tasking.meetings",
    )


def list_reviews(*, user: Any, status: str | None = None) -> QuerySet[CaseReviewRequest]:
    """Requests the user may read (the list itself names no applicant)."""
    reviews = restrict(
        CaseReviewRequest.objects.select_related("area", "receiving_organisation"),
        user,
        "casework.reviews.view",
    )
    if status:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-received_on", "-pk")
