"""Permission rules for consultations and surveys (see core/permissions.py).

- The OPCC runs consultations for its force area and any CSP in it; a CSP manager for their own CSP.
- Everyone in the force area's partnership reads them and their results (auditors read everything).
- Respondents' contact details (given only with consent) are read by those who run the consultation, and
  every read is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from joinedup.core.permissions import force_area_ids, force_scoped, register, scope_area_ids, scope_areas
from joinedup.core.roles import Role

MANAGERS = (Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER)
READERS = (*MANAGERS, Role.ANALYST, Role.PANEL_MEMBER, Role.AUDITOR)


def _consultation(obj: Any) -> Any:
    return getattr(obj, "consultation", obj)


def _manages(user: Any, obj: Any) -> bool:
    return _consultation(obj).area_id in scope_area_ids(user)


def _managed(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(area__in=scope_areas(user))


def _reads(user: Any, obj: Any) -> bool:
    if user.role == Role.AUDITOR:
        return True
    area = _consultation(obj).area
    force = force_area_ids(user)
    return area.pk in force or area.pfa_id in force


def _readable(user: Any, queryset: QuerySet) -> QuerySet:
    if user.role == Role.AUDITOR:
        return queryset
    force = force_area_ids(user)
    return queryset.filter(Q(area__in=force) | Q(area__pfa__in=force))


VIEW = register(
    "engagement.view",
    roles=READERS,
    description=(
        "Read the consultations and surveys of your force area and their results (approved comments only, "
        "unless you run the consultation)."
    ),
    object_check=_reads,
    queryset_filter=_readable,
)
MANAGE = register(
    "engagement.manage",
    roles=MANAGERS,
    description=(
        "Run consultations and surveys for your areas (the OPCC for the force area and its CSPs, a CSP "
        "manager for their CSP): questions, dates, publication, and moderating comments before they are shown."
    ),
    object_check=_manages,
    queryset_filter=_managed,
)
CONTACTS = register(
    "engagement.contacts.view",
    roles=MANAGERS,
    description=(
        "Read the names and email addresses of respondents who agreed to be contacted, for consultations "
        "you run. Every view is written to the audit log."
    ),
    object_check=_manages,
    queryset_filter=_managed,
)


RESPONDENTS = (Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER, Role.ANALYST)


def _answers(user: Any, obj: Any) -> bool:
    from .models import Audience

    survey = _consultation(obj)
    if survey.audience != Audience.PARTNERS:
        return False
    force = force_area_ids(user)
    return survey.area.pk in force or survey.area.pfa_id in force


def _answerable(user: Any, queryset: QuerySet) -> QuerySet:
    from .models import Audience

    force = force_area_ids(user)
    return queryset.filter(Q(area__in=force) | Q(area__pfa__in=force), audience=Audience.PARTNERS)


RESPOND = register(
    "engagement.survey.respond",
    roles=RESPONDENTS,
    description=(
        "Answer the annual partner survey of your force area, once, anonymously (partner organisations' "
        "staff: the OPCC, CSP managers, practitioners and analysts)."
    ),
    object_check=_answers,
    queryset_filter=_answerable,
)


def _force_scope() -> None:
    """A consultation or a neighbourhood meeting belongs to the force area of its area."""
    from . import models as m

    for model in (m.Consultation, m.NeighbourhoodMeeting):
        force_scoped(model, "area")
    force_scoped(m.MeetingPriority, "meeting__area")


_force_scope()
