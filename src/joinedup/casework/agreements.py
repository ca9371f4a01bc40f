"""Writing information-sharing agreements: every problem at once, versioned (a stale save is refused).

The csp app reads these agreements as CSP information-sharing protocols, so the field names are fixed.
Parties and areas are not in the agreement's own history table; each save's change reason lists them, so
the history page shows who changed the parties or areas and to what.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.core.models import Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import (
    Errors,
    add_error,
    apply_fields,
    collect_model_errors,
    resolve_areas,
)
from joinedup.core.services.versioning import save_versioned, stamp

from .models import AgreementParty, DataCategory, InformationSharingAgreement

AGREEMENT_FIELDS = (
    "title",
    "purpose",
    "lawful_basis",
    "lawful_basis_detail",
    "covers_asb_casework",
    "start_date",
    "review_date",
    "end_date",
)


def _date(value: Any, field: str, label: str, errors: Errors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        add_error(errors, field, f"Enter the {label} as a real date, YYYY-MM-DD.")
        return None


def _parties(raw: Any, errors: Errors) -> list[dict[str, Any]]:
    """Each party: an organisation (object or id) with its designated liaison officer's name and email."""
    rows = [dict(r) for r in (raw or []) if any(str(v or "").strip() for v in dict(r).values())]
    ids: list[int] = []
    for r in rows:
        org = r.get("organisation")
        if isinstance(org, Organisation):
            ids.append(org.pk)
        elif str(org or "").strip().isdigit():
            ids.append(int(str(org).strip()))
    known = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    parties: list[dict[str, Any]] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        org = row.get("organisation")
        org_id = org.pk if isinstance(org, Organisation) else org
        organisation = known.get(int(str(org_id))) if str(org_id or "").strip().isdigit() else None
        name = str(row.get("liaison_officer_name") or "").strip()
        email = str(row.get("liaison_officer_email") or "").strip().lower()
        if organisation is None:
            add_error(errors, "parties", f"Party {number}: choose an organisation from the directory.")
        elif organisation.pk in seen:
            add_error(errors, "parties", f"Party {number}: {organisation.name} is listed twice.")
        else:
            seen.add(organisation.pk)
        if not name:
            add_error(errors, "parties", f"Party {number}: name the designated liaison officer.")
        if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1]):
            add_error(errors, "parties", f"Party {number}: “{email}” is not an email address.")
        parties.append({"organisation": organisation, "name": name, "email": email})
    if len(parties) < 2:
        add_error(errors, "parties", "An agreement needs at least two parties, each with a liaison officer.")
    return parties


def save_agreement(
    *,
    actor: Any,
    data: dict[str, Any],
    agreement: InformationSharingAgreement | None = None,
    expected_version: int | None = None,
) -> InformationSharingAgreement:
    """Create an agreement (no `agreement`) or change one (with the `expected_version` that was read).

    `data` holds the fields of AGREEMENT_FIELDS plus `areas` (Area objects or ONS codes),
    `data_categories` (DataCategory values) and `parties` (a list of {organisation,
    liaison_officer_name, liaison_officer_email}). Raises ValidationError with every problem, or
    ConflictError when someone else saved first."""
    if not has_permission(actor, "casework.agreements.manage"):
        raise NotAllowed("You may not change information-sharing agreements.")
    creating = agreement is None
    target = InformationSharingAgreement() if agreement is None else agreement
    errors: Errors = {}
    fields = {k: data[k] for k in AGREEMENT_FIELDS if k in data}
    for name, label in (
        ("start_date", "start date"),
        ("review_date", "review date"),
        ("end_date", "end date"),
    ):
        if name in fields:
            fields[name] = _date(fields[name], name, label, errors)
    fields["covers_asb_casework"] = bool(data.get("covers_asb_casework"))
    apply_fields(target, fields, AGREEMENT_FIELDS, errors)
    categories = [str(c) for c in (data.get("data_categories") or [])]
    unknown = [c for c in categories if c not in DataCategory.values]
    if unknown:
        add_error(errors, "data_categories", f"Unknown data category: {', '.join(unknown)}.")
    if not categories:
        add_error(errors, "data_categories", "Choose the categories of personal data shared.")
    target.data_categories = [c for c in DataCategory.values if c in categories]
    areas = resolve_areas(data.get("areas"), errors)
    if not areas and "areas" not in errors:
        add_error(errors, "areas", "Give at least one area the agreement covers (ONS code).")
    parties = _parties(data.get("parties"), errors)
    collect_model_errors(
        target,
        errors,
        exclude=("version", "data_categories"),
        blank_messages={"start_date": "Enter the date the agreement starts."},
    )
    start, review, end = target.start_date, target.review_date, target.end_date
    if start and end and end < start:
        add_error(errors, "end_date", "The end date must be on or after the start date.")
    if start and review and review < start:
        add_error(errors, "review_date", "The review date must be after the start date.")
    if errors:
        raise ValidationError(errors)
    summary = "; ".join(
        [
            "parties: " + ", ".join(f"{p['organisation'].name} (DLO {p['name']})" for p in parties),
            "areas: " + ", ".join(a.code for a in areas),
        ]
    )
    with transaction.atomic():
        if creating:
            stamp(target, actor=actor, reason=f"Created — {summary}")
            target.save()
        else:
            save_versioned(
                target,
                expected_version=expected_version if expected_version is not None else -1,
                actor=actor,
                reason=f"Changed — {summary}",
            )
        target.areas.set(areas)
        keep = [p["organisation"].pk for p in parties]
        AgreementParty.objects.filter(agreement=target).exclude(organisation_id__in=keep).delete()
        for party in parties:
            AgreementParty.objects.update_or_create(
                agreement=target,
                organisation=party["organisation"],
                defaults={"liaison_officer_name": party["name"], "liaison_officer_email": party["email"]},
            )
    return target


def overdue_reviews(queryset: QuerySet[InformationSharingAgreement]) -> QuerySet[InformationSharingAgreement]:
    today = timezone.localdate()
    return queryset.filter(review_date__lt=today).exclude(end_date__lt=today)
