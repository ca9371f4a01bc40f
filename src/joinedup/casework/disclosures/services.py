"""Explicit disclosure of a case to another organisation (ADR 0012, rule (c)).

Outside an agreement, the only way to bring another organisation into a case is a recorded disclosure:
who disclosed it, to whom, why and under which lawful basis. It is shown on the case, written to the audit
event log and included in subject-access exports.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.audit import record_event
from joinedup.core.models import EventType, Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.versioning import stamp

from ..models import Case, CaseDisclosure, LawfulBasis
from ..rules import organisations_seeing_case

WARNING = (
    "Disclosing this case gives every member of staff of the organisation you choose the names, dates of "
    "birth, contact details and reports of everyone on it. Disclose only what is necessary and "
    "proportionate, under a lawful basis, and say why."
)


def disclose_case(*, actor: Any, case: Case, data: dict[str, Any]) -> CaseDisclosure:
    """Disclose `case` to `data["organisation"]` (object or id) with `reason` and `lawful_basis`. Raises
    ValidationError listing every problem; NotAllowed if the actor may not read the case."""
    if not has_permission(actor, "casework.cases.disclose", case):
        raise NotAllowed("You may not disclose this case.")
    errors: dict[str, list[str]] = {}
    org = data.get("organisation")
    organisation = (
        org
        if isinstance(org, Organisation)
        else Organisation.objects.filter(pk=int(str(org).strip())).first()
        if str(org or "").strip().isdigit()
        else None
    )
    if organisation is None:
        errors["organisation"] = ["Choose the organisation to disclose the case to."]
    elif organisation.pk in organisations_seeing_case(case):
        errors["organisation"] = [f"{organisation.name} may already see this case."]
    reason = str(data.get("reason") or "").strip()
    if not reason:
        errors["reason"] = ["Say why the case must be disclosed to this organisation."]
    basis = str(data.get("lawful_basis") or "")
    if basis not in LawfulBasis.values:
        errors["lawful_basis"] = ["Choose the lawful basis for the disclosure."]
    if errors or organisation is None:
        raise ValidationError(errors)
    with transaction.atomic():
        disclosure = CaseDisclosure(
            case=case, organisation=organisation, disclosed_by=actor, reason=reason, lawful_basis=basis
        )
        stamp(disclosure, actor=actor, reason=f"Disclosed to {organisation.name}")
        disclosure.save()
        record_event(
            EventType.CASE_DISCLOSED,
            actor=actor,
            obj=case,
            detail={
                "organisation": organisation.pk,
                "organisation_name": organisation.name,
                "reason": reason,
                "lawful_basis": basis,
            },
        )
    return disclosure
