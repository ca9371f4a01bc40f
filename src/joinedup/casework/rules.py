"""Permission rules for casework: who sees personal data is decided here and nowhere else (ADR 0012).

The sharing rule. An organisation may see a case, and the personal data in it (its incidents, the people
named in them, actions, informant updates, risk assessments and plans), if and only if
  (a) it reported an incident on the case, or leads the case (the organisation that opened it); or
  (b) it and the case's lead organisation are both parties to an information-sharing agreement that is
      *in force at the moment of reading* (every party signed, not ended, within its dates), covers ASB
      casework and the "incidents" data category, and whose areas contain the case's area (the case's LSOA,
      or its district, CSP or force area); a restricted case (for example domestic abuse) is open under (b)
      only to the organisations named on it; or
  (c) the case was disclosed to it by an explicit, recorded disclosure (`CaseDisclosure`).
Owning a plan action does not open a case: an action may be given only to an organisation that may already
see the case. Analysts see depersonalised counts only (`casework.statistics`). Everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.core.permissions import register
from joinedup.core.roles import Role

CASEWORKERS = (Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER)


def sharing_agreement_ids(org_id: int | None) -> list[int]:
    """The agreements that share casework with `org_id` right now: in force, covering ASB casework and the
    casework data category, with the organisation a party. Few rows, so read once and filtered here (the
    category list is JSON, which not every database can search)."""
    from .models import CASEWORK_DATA_CATEGORY, InformationSharingAgreement

    if org_id is None:
        return []
    rows = (
        InformationSharingAgreement.objects.active()
        .filter(covers_asb_casework=True, party_rows__organisation_id=org_id)
        .values_list("pk", "data_categories")
    )
    return [pk for pk, categories in rows if CASEWORK_DATA_CATEGORY in (categories or [])]


# Inside `sharing_read_once()`: the rule's condition for each (organisation, prefix) already built.
_READ_ONCE: ContextVar[dict[tuple[int | None, str], Q] | None] = ContextVar("sharing_read_once", default=None)


@contextmanager
def sharing_read_once() -> Iterator[None]:
    """Within the block, the sharing rule reads the agreements in force for an organisation once, not once
    a query: a bulk import asks the rule eight times a row for the same organisation, and the block is one
    moment of reading (the agreements in force when it began). The condition itself is unchanged: every
    query still checks each case it touches."""
    token = _READ_ONCE.set({})
    try:
        yield
    finally:
        _READ_ONCE.reset(token)


def organisation_case_q(org_id: int | None, prefix: str = "") -> Q:
    """The sharing rule (module docstring) as a condition on a case (through `prefix`, e.g. "case__" from an
    incident): `org_id` may see it. Inside `sharing_read_once()` it is built once per organisation and
    prefix."""
    cache = _READ_ONCE.get()
    if cache is None:
        return _organisation_case_q(org_id, prefix)
    key = (org_id, prefix)
    if key not in cache:
        cache[key] = _organisation_case_q(org_id, prefix)
    return cache[key]


def _organisation_case_q(org_id: int | None, prefix: str = "") -> Q:
    """The sharing rule (module docstring) as a condition on a case (through `prefix`, e.g. "case__" from an
    incident): `org_id` may see it. Written against the case's own columns with small subqueries, so the
    database checks only the cases a query touches instead of working out every visible case first."""
    from joinedup.core.models import Area

    from .models import AgreementParty, Case, CaseDisclosure, Incident, InformationSharingAgreement

    if org_id is None:
        return Q(**{f"{prefix}pk__in": []})
    agreements = sharing_agreement_ids(org_id)
    case_ref = OuterRef(f"{prefix}pk" if prefix else "pk")
    own = Q(**{f"{prefix}lead_organisation_id": org_id}) | Q(
        Exists(Incident.objects.filter(case_id=case_ref, reporting_organisation_id=org_id))
    )
    disclosed = Q(Exists(CaseDisclosure.objects.filter(case_id=case_ref, organisation_id=org_id)))
    if not agreements:
        return own | disclosed
    # Under (b) the agreement must bind the case's owner too: the data is the lead organisation's, and an
    # agreement between two others shares nothing of it. One small condition per agreement (there are few).
    parties: dict[int, set[int]] = {pk: set() for pk in agreements}
    for agreement_id, party in AgreementParty.objects.filter(agreement_id__in=agreements).values_list(
        "agreement_id", "organisation_id"
    ):
        parties[agreement_id].add(party)
    in_agreement = Q(**{f"{prefix}pk__in": []})
    for agreement_id in agreements:
        agreement_areas = InformationSharingAgreement.areas.through.objects.filter(
            informationsharingagreement_id=agreement_id
        ).values("area_id")
        # An area is covered when it, or its district, CSP or force area, is one of the agreement's areas.
        # A subquery, not a list worked out first: a force-wide agreement covers thousands of areas, and a
        # list that long made the force-wide case list twice as slow (bench/RESULTS.md).
        covered = Area.objects.filter(
            Q(pk__in=agreement_areas)
            | Q(lad__in=agreement_areas)
            | Q(csp__in=agreement_areas)
            | Q(pfa__in=agreement_areas)
        ).values("pk")
        in_agreement |= Q(**{f"{prefix}area_id__in": covered}) & Q(
            **{f"{prefix}lead_organisation_id__in": sorted(parties[agreement_id])}
        )
    named = Q(Exists(Case.restricted_to.through.objects.filter(case_id=case_ref, organisation_id=org_id)))
    shared = (Q(**{f"{prefix}restricted": False}) & in_agreement) | (
        Q(**{f"{prefix}restricted": True}) & in_agreement & named
    )
    return own | disclosed | shared


def case_visibility_q(user: Any, prefix: str = "") -> Q:
    """The sharing rule for `user`'s organisation (see `organisation_case_q`)."""
    return organisation_case_q(getattr(user, "organisation_id", None), prefix)


def organisation_may_see_case(org_id: int | None, case_id: int) -> bool:
    from .models import Case

    return Case.objects.filter(organisation_case_q(org_id), pk=case_id).exists()


def organisations_seeing_case(case: Any) -> list[int]:
    """The organisations that may see `case` under the rule, by id. The candidates (the reporters, the lead,
    the disclosed-to, the parties to any agreement in force) are checked one by one with the rule itself,
    so there is no second copy of it."""
    from .models import AgreementParty, CaseDisclosure, Incident, InformationSharingAgreement

    candidates = {case.lead_organisation_id}
    candidates.update(
        Incident.objects.filter(case_id=case.pk).values_list("reporting_organisation_id", flat=True)
    )
    candidates.update(
        CaseDisclosure.objects.filter(case_id=case.pk).values_list("organisation_id", flat=True)
    )
    in_force = InformationSharingAgreement.objects.active().filter(covers_asb_casework=True)
    candidates.update(
        AgreementParty.objects.filter(agreement__in=in_force).values_list("organisation_id", flat=True)
    )
    return sorted(org for org in candidates if organisation_may_see_case(org, case.pk))


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
        "Read ASB cases and the personal data in them: only cases your organisation reported or leads, cases "
        "in an area covered by an information-sharing agreement in force that your organisation is party to "
        "(restricted cases only if it is also named), and cases disclosed to it. Every view is written to the "
        "audit log."
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
AGREEMENTS_SIGN = register(
    "casework.agreements.sign",
    roles=CASEWORKERS,
    description=(
        "Sign, review or end an information-sharing agreement for your organisation: only as the designated "
        "liaison officer the agreement names for it. An OPCC administrator may end any agreement."
    ),
)
CASES_DISCLOSE = register(
    "casework.cases.disclose",
    roles=CASEWORKERS,
    description=(
        "Disclose a case you may read to another organisation outside any agreement, with the reason and "
        "the lawful basis. The disclosure opens the case to that organisation, is shown on the case and is "
        "written to the audit log."
    ),
    object_check=_case_visible,
    queryset_filter=_cases,
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
    agreement_areas = InformationSharingAgreement.areas.through.objects.filter(
        informationsharingagreement_id__in=sharing_agreement_ids(org_id)
    ).values("area_id")
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


def _force_scope() -> None:
    """A case belongs to the force area of its LSOA or district, and so does everything on it."""
    from joinedup.core.permissions import force_scoped

    from . import models as m

    force_scoped(m.Case, "area")
    force_scoped(m.Incident, "area")
    for model in (m.CaseAction, m.CaseDisclosure, m.InformantUpdate, m.TaskingDecision, m.RiskAssessment):
        force_scoped(model, "case__area")
    force_scoped(m.ProblemSolvingPlan, "case__area")
    force_scoped(m.CaseReviewRequest, "area")
    force_scoped(m.TaskingMeeting, "area")
    force_scoped(m.InformationSharingAgreement, "areas")


_force_scope()
