"""Permission rules for casework: who sees personal data is decided here and nowhere else.

A case (and the incidents, people, actions and informant updates in it) is visible only to staff of an
organisation that
  - is party to an active information-sharing agreement covering ASB casework whose areas contain the
    case's area (the agreement's area is the case's LSOA, or its district, CSP or force area), or
  - owns an action on the case;
and a restricted case (for example domestic abuse) only to staff of the organisations named on it.
Analysts see depersonalised counts only (`casework.statistics`). Everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.core.permissions import register
from joinedup.core.roles import Role

CASEWORKERS = (Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER)


def case_visibility_q(user: Any, prefix: str = "") -> Q:
    """The condition on a case (through `prefix`, e.g. "case__" from an incident) that `user`'s
    organisation may see it (see the module docstring). Written against the case's own columns with small
    subqueries (covered areas, cases with an action the organisation owns, restricted cases naming it), so
    the database checks only the cases a query touches instead of working out every visible case first."""
    from joinedup.core.models import Area

    from .models import Case, CaseAction, InformationSharingAgreement

    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return Q(**{f"{prefix}pk__in": []})
    agreement_areas = (
        InformationSharingAgreement.objects.active()
        .filter(covers_asb_casework=True, party_rows__organisation_id=org_id)
        .values("areas")
    )
    # An area is covered when it, or its district, CSP or force area, is one of the agreements' areas.
    # A subquery, not a list worked out first: a force-wide agreement covers thousands of areas, and a
    # list that long made the force-wide case list twice as slow (bench/RESULTS.md).
    covered = Area.objects.filter(
        Q(pk__in=agreement_areas)
        | Q(lad__in=agreement_areas)
        | Q(csp__in=agreement_areas)
        | Q(pfa__in=agreement_areas)
    ).values("pk")
    in_agreement = Q(**{f"{prefix}area_id__in": covered})
    case_ref = OuterRef(f"{prefix}pk" if prefix else "pk")
    owns_action = Q(Exists(CaseAction.objects.filter(case_id=case_ref, owner_organisation_id=org_id)))
    named = Q(Exists(Case.restricted_to.through.objects.filter(case_id=case_ref, organisation_id=org_id)))
    return (Q(**{f"{prefix}restricted": False}) & (in_agreement | owns_action)) | (
        Q(**{f"{prefix}restricted": True}) & named
    )


def visible_case_ids(user: Any) -> QuerySet:
    """A subquery of the ids of the cases `user`'s organisation may see (see the module docstring)."""
    from .models import Case

    return Case.objects.filter(case_visibility_q(user)).values("pk")


def _case_visible(user: Any, case: Any) -> bool:
    return visible_case_ids(user).filter(pk=case.pk).exists()


def _cases(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(case_visibility_q(user))


def _on_visible_case(user: Any, obj: Any) -> bool:
    return visible_case_ids(user).filter(pk=obj.case_id).exists()


def _records_on_visible_cases(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(case_visibility_q(user, "case__"))


CASES_VIEW = register(
    "casework.cases.view",
    roles=CASEWORKERS,
    description=(
        "Read ASB cases and the personal data in them: only cases in an area covered by an information-sharing "
        "agreement your organisation is party to, or with an action your organisation owns; restricted cases "
        "only if your organisation is named. Every view is written to the audit log."
    ),
    object_check=_case_visible,
    queryset_filter=_cases,
)
CASES_WORK = register(
    "casework.cases.work",
    roles=CASEWORKERS,
    description="Add and update actions and informant feedback on the cases you may read.",
    object_check=_case_visible,
    queryset_filter=_cases,
)
ACTIONS_CHANGE = register(
    "casework.actions.change",
    roles=CASEWORKERS,
    description="Update actions on the cases you may read.",
    object_check=_on_visible_case,
    queryset_filter=_records_on_visible_cases,
)
INCIDENTS_CREATE = register(
    "casework.incidents.create",
    roles=CASEWORKERS,
    description="Record incidents reported to your own organisation.",
)
STATISTICS_VIEW = register(
    "casework.statistics",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.ANALYST, Role.AUDITOR),
    description="See depersonalised casework counts (no names, contact details or descriptions).",
)
AGREEMENTS_VIEW = register(
    "casework.agreements.view",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER, Role.AUDITOR),
    description="Read the information-sharing agreements: parties, purpose, lawful basis, areas and liaison officers.",
)

# --- casework-b: imports, tasking outputs, agreements, subject access ---------------------------------

INCIDENTS_IMPORT = register(
    "casework.incidents.import",
    roles=CASEWORKERS,
    description="Upload a CSV of incidents reported to your own organisation (all rows or none).",
)
TASKING_MEETINGS = register(
    "casework.tasking.meetings",
    roles=CASEWORKERS,
    description=(
        "Record daily tasking meetings (attendees and decisions) and print the daily action sheet; decisions "
        "and actions are shown only for the cases you may read."
    ),
)
AGREEMENTS_MANAGE = register(
    "casework.agreements.manage",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER),
    description="Create and edit information-sharing agreements: parties, liaison officers, areas and dates.",
)
SUBJECT_ACCESS = register(
    "casework.subject_access",
    roles=(Role.OPCC_ADMIN,),
    description=(
        "Answer a subject access request: gather everything casework holds about one person, across every "
        "case and agency, as JSON or a readable page. Every export is written to the audit log."
    ),
)


# --- Risk Assessment Matrix, Joint Problem Solving plans and ASB case reviews ---------------------------

RISK_VIEW = register(
    "casework.risk.view",
    roles=CASEWORKERS,
    description="Read risk assessments and Joint Problem Solving plans on the cases you may read (audited).",
    object_check=_on_visible_case,
    queryset_filter=_records_on_visible_cases,
)
RISK_CONFIGURE = register(
    "casework.risk.configure",
    roles=(Role.OPCC_ADMIN,),
    description="Change the Risk Assessment Matrix: questions, answer scores, thresholds and review cadence.",
)


def visible_review_ids(user: Any) -> QuerySet:
    """ASB case review requests `user` may read: those received by their organisation, those in an area
    covered by an active ASB agreement their organisation is party to, and (for the OPCC, which hears
    appeals) those appealed."""
    from .models import CaseReviewRequest, InformationSharingAgreement

    org_id = getattr(user, "organisation_id", None)
    appealed = (
        Q(appeal_received_on__isnull=False) if user.role in (Role.OPCC_ADMIN, Role.OPCC_OFFICER) else Q()
    )
    if org_id is None:
        if not appealed:
            return CaseReviewRequest.objects.none().values("pk")
        return CaseReviewRequest.objects.filter(appealed).values("pk")
    agreement_areas = (
        InformationSharingAgreement.objects.active()
        .filter(covers_asb_casework=True, party_rows__organisation_id=org_id)
        .values("areas")
    )
    allowed = (
        Q(receiving_organisation_id=org_id)
        | Q(area__in=agreement_areas)
        | Q(area__lad__in=agreement_areas)
        | Q(area__csp__in=agreement_areas)
        | Q(area__pfa__in=agreement_areas)
    )
    if appealed:
        allowed |= appealed
    return CaseReviewRequest.objects.filter(allowed).values("pk")


def _review_visible(user: Any, review: Any) -> bool:
    return visible_review_ids(user).filter(pk=review.pk).exists()


def _reviews(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(pk__in=visible_review_ids(user))


REVIEWS_VIEW = register(
    "casework.reviews.view",
    roles=CASEWORKERS,
    description=(
        "Read ASB case review requests, with the applicant's details: those your organisation received or "
        "that are in an area covered by an information-sharing agreement it is party to; the OPCC also "
        "reads those appealed to it. Every view is written to the audit log."
    ),
    object_check=_review_visible,
    queryset_filter=_reviews,
)
REVIEWS_MANAGE = register(
    "casework.reviews.manage",
    roles=CASEWORKERS,
    description=(
        "Record ASB case review requests received by your organisation and take them through "
        "acknowledgement, the threshold decision, the review meeting, recommendations and appeal."
    ),
    object_check=_review_visible,
    queryset_filter=_reviews,
)
