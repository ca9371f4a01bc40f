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

from django.db.models import Q, QuerySet

from joinedup.core.permissions import register
from joinedup.core.roles import Role

CASEWORKERS = (Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER)


def visible_case_ids(user: Any) -> QuerySet:
    """A subquery of the ids of the cases `user`'s organisation may see (see the module docstring)."""
    from .models import Case, InformationSharingAgreement

    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return Case.objects.none().values("pk")
    agreement_areas = (
        InformationSharingAgreement.objects.active()
        .filter(covers_asb_casework=True, party_rows__organisation_id=org_id)
        .values("areas")
    )
    in_agreement = (
        Q(area__in=agreement_areas)
        | Q(area__lad__in=agreement_areas)
        | Q(area__csp__in=agreement_areas)
        | Q(area__pfa__in=agreement_areas)
    )
    owns_action = Q(pk__in=Case.objects.filter(actions__owner_organisation_id=org_id).values("pk"))
    named = Q(pk__in=Case.objects.filter(restricted_to__pk=org_id).values("pk"))
    return Case.objects.filter(
        (Q(restricted=False) & (in_agreement | owns_action)) | (Q(restricted=True) & named)
    ).values("pk")


def _case_visible(user: Any, case: Any) -> bool:
    return visible_case_ids(user).filter(pk=case.pk).exists()


def _cases(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(pk__in=visible_case_ids(user))


def _on_visible_case(user: Any, obj: Any) -> bool:
    return visible_case_ids(user).filter(pk=obj.case_id).exists()


def _records_on_visible_cases(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(case__in=visible_case_ids(user))


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
