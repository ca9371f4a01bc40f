"""One search across what a person may see, grouped by kind (docs/adr/0020).

Every group reads through its app's restricted selector, so a result the person may not see is never
found. On PostgreSQL names and titles match by full-text search (English stemming) as well as by any
part of the text; on SQLite by the part alone. Cases are found by their reference (ASB-000123), and the
people named on them (informants or victims, alleged perpetrators) by part of their name, only on cases the
sharing rule lets the searcher open (casework.selectors.people_named); so are the applicants for the ASB case
reviews the searcher may open (casework.selectors.applicants_named). A search that could reach cases or
the people on them is written to the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from joinedup.core.permissions import has_permission

MAX_PER_KIND = 20
MIN_LENGTH = 2
APPLICANT = "applicant for an ASB case review"
CASE_REFERENCE = re.compile(r"^\s*(?:ASB-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


@dataclass
class Group:
    kind: str
    label: str
    results: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    # For the audit log: who was found on which case, by id and reference (the people group only).
    found: list[dict[str, Any]] = field(default_factory=list)


def _text_match(queryset: QuerySet[Any], fields: list[str], query: str) -> QuerySet[Any]:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="english")
        matched = queryset.annotate(_search=vector).filter(
            _search=SearchQuery(query, config="english", search_type="websearch")
        )
        return queryset.filter(Q(pk__in=matched.values("pk")) | condition)
    return queryset.filter(condition)


def _organisations(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.core.models import Organisation

    if not has_permission(user, "organisations.view"):
        return []
    found = _text_match(Organisation.objects.restrict(user, "organisations.view"), ["name"], query)
    return [
        (o.name, reverse("staff:organisation-detail", args=[o.pk]))
        for o in found.order_by("name")[:MAX_PER_KIND]
    ]


def _partnerships(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.partnerships.models import Partnership

    if not has_permission(user, "partnerships.view"):
        return []
    found = _text_match(Partnership.objects.restrict(user, "partnerships.view"), ["name", "purpose"], query)
    return [
        (p.name, reverse("partnerships:detail", args=[p.pk])) for p in found.order_by("name")[:MAX_PER_KIND]
    ]


def _plans(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.csp.models import CspPlan
    from joinedup.partnerships.selectors import list_plans

    results = []
    if has_permission(user, "partnerships.view"):
        plans = _text_match(list_plans(user=user), ["title"], query).order_by("title")[:MAX_PER_KIND]
        results += [
            (f"Police and Crime Plan: {p.title}", reverse("partnerships:plan-detail", args=[p.pk]))
            for p in plans
        ]
    if has_permission(user, "csp.view"):
        csp_plans = _text_match(CspPlan.objects.restrict(user, "csp.view"), ["title"], query).select_related(
            "csp"
        )
        results += [
            (f"{p.csp.name}: {p.title}", reverse("csp:plan-detail", args=[p.pk]))
            for p in csp_plans.order_by("title")[:MAX_PER_KIND]
        ]
    return results[:MAX_PER_KIND]


def _grants(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.funding.selectors import list_applications, list_awards

    if not has_permission(user, "funding.view"):
        return []
    results = []
    match = re.match(r"^\s*APP-?0*(\d{1,9})\s*$", query, re.IGNORECASE)
    applications = list_applications(user=user)
    applications = (
        applications.filter(pk=int(match.group(1)))
        if match
        else _text_match(applications, ["project_title", "organisation_name"], query)
    )
    results += [
        (
            f"{a.reference}: {a.project_title} ({a.organisation_name})",
            reverse("funding:application-detail", args=[a.pk]),
        )
        for a in applications.order_by("-pk")[:MAX_PER_KIND]
    ]
    awards = _text_match(list_awards(user=user), ["title", "recipient_name"], query)
    results += [
        (f"Award: {a.title} ({a.recipient_name})", reverse("funding:award-detail", args=[a.pk]))
        for a in awards.order_by("-pk")[:MAX_PER_KIND]
    ]
    return results[:MAX_PER_KIND]


def _contracts(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.funding.commissioning.selectors import list_contracts

    if not has_permission(user, "funding.view"):
        return []
    found = _text_match(list_contracts(user=user), ["reference", "title"], query)
    return [
        (f"{c.reference}: {c.title}", reverse("funding:contract-detail", args=[c.pk]))
        for c in found.order_by("reference")[:MAX_PER_KIND]
    ]


def _dhrs(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.csp.selectors import list_dhrs

    if not has_permission(user, "csp.dhr.view"):
        return []
    found = list_dhrs(user=user).filter(case_reference__icontains=query.strip())
    return [
        (f"{r.case_reference} ({r.csp.name})", reverse("csp:dhr-detail", args=[r.pk]))
        for r in found.order_by("case_reference")[:MAX_PER_KIND]
    ]


def _cases(user: Any, query: str) -> list[tuple[str, str]]:
    from joinedup.casework.selectors import visible_cases

    match = CASE_REFERENCE.match(query)
    if match is None or not has_permission(user, "casework.cases.view"):
        return []
    found = visible_cases(user).filter(pk=int(match.group(1)))
    return [(f"Case {c.reference}", reverse("casework:case-detail", args=[c.pk])) for c in found]


def _people(user: Any, query: str) -> Group:
    from joinedup.casework.selectors import applicants_named, people_named

    named = people_named(user, query, limit=MAX_PER_KIND)
    applicants = applicants_named(user, query, limit=MAX_PER_KIND)
    return Group(
        "people",
        "People named in cases and case reviews",
        [
            (
                f"{n.case_reference}: {n.full_name}, {n.role}",
                reverse("casework:case-detail", args=[n.case_id]),
            )
            for n in named
        ]
        + [
            (
                f"{a.review_reference}: {a.full_name}, {APPLICANT}",
                reverse("casework:review-detail", args=[a.review_id]),
            )
            for a in applicants
        ],
        [{"case": n.case_reference, "person": n.person_id, "role": n.role} for n in named]
        + [{"review": a.review_reference, "person": a.person_id, "role": APPLICANT} for a in applicants],
    )


SEARCHES: list[tuple[str, str, Callable[[Any, str], list[tuple[str, str]]]]] = [
    ("cases", "Cases", _cases),
    ("organisations", "Organisations", _organisations),
    ("partnerships", "Partnerships", _partnerships),
    ("plans", "Plans", _plans),
    ("grants", "Grants and applications", _grants),
    ("contracts", "Contracts", _contracts),
    ("dhrs", "Domestic homicide reviews", _dhrs),
]


def search(*, user: Any, query: str) -> list[Group]:
    """Groups with at least one result, in a fixed order. Queries shorter than two characters find nothing."""
    query = query.strip()[:100]
    if len(query) < MIN_LENGTH:
        return []
    groups = []
    for kind, label, find in SEARCHES:
        results = find(user, query)
        if results:
            groups.append(Group(kind, label, results))
        if kind == "cases" and searches_people(query):
            people = _people(user, query)
            if people.results:
                groups.append(people)
    return groups


def touches_personal_data(user: Any, query: str) -> bool:
    """Whether this search could find a case or a person named on one or applying for a case review (the
    personal records search reaches): any search long enough, by someone who may read cases or reviews."""
    return len(query.strip()) >= MIN_LENGTH and (
        has_permission(user, "casework.cases.view") or has_permission(user, "casework.reviews.view")
    )


def searches_people(query: str) -> bool:
    """Whether the query is read as (part of) a name rather than a case reference."""
    return CASE_REFERENCE.match(query.strip()) is None
