"""Writing information-sharing agreements: every problem at once, versioned (a stale save is refused).

Lifecycle (ADR 0012): draft → proposed → signed by each party (by that party's designated liaison officer,
signed in with an account of the party's organisation) → in force from the last signature, never back-dated
→ reviewed (while in force) → ended. Only a draft can be changed. Access to cases changes only when an
agreement comes into force or ends. Every step is a history row and an `agreement_changed` event.

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

from joinedup.core.audit import record_event
from joinedup.core.models import Area, EventType, Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import (
    Errors,
    add_error,
    apply_fields,
    collect_model_errors,
    resolve_areas,
)
from joinedup.core.services.versioning import save_versioned, stamp

from ..models import AgreementParty, AgreementStatus, DataCategory, InformationSharingAgreement

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
    if not creating and target.status != AgreementStatus.DRAFT:
        add_error(
            errors,
            "status",
            f"This agreement is {target.get_status_display().lower()}: only a draft can be changed. End it "
            "and draft a new one.",
        )
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
    outside = _outside_own_area(actor, areas)
    if outside:
        add_error(
            errors,
            "areas",
            "A CSP manager drafts agreements only for their own CSP: "
            + ", ".join(a.code for a in outside)
            + " is outside it.",
        )
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
            target.status = AgreementStatus.DRAFT
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
        _event(actor, target, "drafted" if creating else "draft changed")
    return target


def _outside_own_area(actor: Any, areas: list[Area]) -> list[Area]:
    """For a CSP manager, the areas not inside one of their own (CSP) areas; nobody else is limited here."""
    if getattr(actor, "role", None) != Role.CSP_MANAGER:
        return []
    own = {a.pk for a in actor.areas.all()}
    return [a for a in areas if not ({a.pk, a.lad_id, a.csp_id} & own)]


def _event(actor: Any, agreement: InformationSharingAgreement, step: str, **detail: Any) -> None:
    record_event(
        EventType.AGREEMENT_CHANGED,
        actor=actor,
        obj=agreement,
        detail={"step": step, "status": agreement.status, **detail},
    )


def _refuse(message: str, field: str = "status") -> None:
    raise ValidationError({field: [message]})


def _locked(
    agreement: InformationSharingAgreement, expected_version: int | None
) -> InformationSharingAgreement:
    current = InformationSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if expected_version is not None and current.version != expected_version:
        from joinedup.core.services.errors import ConflictError

        raise ConflictError(
            "Someone changed this agreement after you opened it.", current_version=current.version
        )
    return current


def propose_agreement(
    *, actor: Any, agreement: InformationSharingAgreement, expected_version: int | None = None
) -> InformationSharingAgreement:
    """Send a draft to its parties for signature. It shares nothing yet."""
    if not has_permission(actor, "casework.agreements.manage") or _outside_own_area(
        actor, list(agreement.areas.all())
    ):
        raise NotAllowed("You may not propose this agreement.")
    with transaction.atomic():
        current = _locked(agreement, expected_version)
        if current.status != AgreementStatus.DRAFT:
            _refuse("Only a draft can be proposed.")
        current.status = AgreementStatus.PROPOSED
        save_versioned(
            current, expected_version=current.version, actor=actor, reason="Proposed to the parties"
        )
        _event(actor, current, "proposed")
    current.refresh_from_db()
    return current


def signing_party(actor: Any, agreement: InformationSharingAgreement) -> AgreementParty | None:
    """The party `actor` may sign for: their organisation's row, when they are its designated liaison officer
    (the signatory capability; a practitioner, CSP manager or OPCC account of that organisation)."""
    org_id = getattr(actor, "organisation_id", None)
    email = str(getattr(actor, "email", "") or "").lower()
    if org_id is None or not email or not has_permission(actor, "casework.agreements.sign"):
        return None
    return (
        AgreementParty.objects.filter(agreement=agreement, organisation_id=org_id)
        .filter(liaison_officer_email__iexact=email)
        .first()
    )


def sign_agreement(*, actor: Any, agreement: InformationSharingAgreement) -> InformationSharingAgreement:
    """Sign a proposed agreement for the actor's organisation. The last signature puts it in force from that
    moment (or from its start date, if later): never back-dated."""
    party = signing_party(actor, agreement)
    if party is None:
        raise NotAllowed("Only a party's designated liaison officer may sign for it.")
    with transaction.atomic():
        current = _locked(agreement, None)
        if current.status != AgreementStatus.PROPOSED:
            _refuse("Only a proposed agreement can be signed.")
        party = AgreementParty.objects.select_for_update().get(pk=party.pk)
        if party.signed_at is not None:
            _refuse(f"{party.organisation.name} has already signed.")
        now = timezone.now()
        party.signed_at, party.signed_by = now, actor
        party.save(update_fields=["signed_at", "signed_by"])
        waiting = AgreementParty.objects.filter(agreement=current, signed_at__isnull=True).count()
        reason = f"Signed for {party.organisation.name}"
        if waiting == 0:
            current.status = AgreementStatus.IN_FORCE
            current.in_force_from = now
            today = timezone.localdate()
            if current.start_date < today:
                current.start_date = today  # never back-dated
            reason += "; in force"
        save_versioned(current, expected_version=current.version, actor=actor, reason=reason)
        _event(actor, current, "signed", organisation=party.organisation.name, waiting_for=waiting)
    current.refresh_from_db()
    return current


def review_agreement(
    *, actor: Any, agreement: InformationSharingAgreement, next_review: date | None, notes: str = ""
) -> InformationSharingAgreement:
    """Record a review of an agreement in force (by a party's liaison officer or an agreements manager);
    it changes no one's access."""
    if signing_party(actor, agreement) is None and not has_permission(actor, "casework.agreements.manage"):
        raise NotAllowed("You may not review this agreement.")
    today = timezone.localdate()
    if next_review is None or next_review <= today:
        _refuse("Enter the date of the next review, after today.", "review_date")
    with transaction.atomic():
        current = _locked(agreement, None)
        if current.status != AgreementStatus.IN_FORCE:
            _refuse("Only an agreement in force can be reviewed.")
        current.last_reviewed_on = today
        current.review_date = next_review
        save_versioned(
            current, expected_version=current.version, actor=actor, reason=f"Reviewed: {notes}"[:100]
        )
        _event(actor, current, "reviewed", next_review=str(next_review))
    current.refresh_from_db()
    return current


def end_agreement(
    *, actor: Any, agreement: InformationSharingAgreement, reason: str
) -> InformationSharingAgreement:
    """End an agreement now: an OPCC administrator may end any, a party's liaison officer their own. From
    this moment it shares nothing."""
    may = getattr(actor, "role", None) == Role.OPCC_ADMIN or signing_party(actor, agreement) is not None
    if not may:
        raise NotAllowed("You may not end this agreement.")
    reason = str(reason or "").strip()
    if not reason:
        _refuse("Say why the agreement is ending.", "reason")
    with transaction.atomic():
        current = _locked(agreement, None)
        if current.status == AgreementStatus.ENDED:
            _refuse("This agreement has already ended.")
        current.status = AgreementStatus.ENDED
        current.ended_at = timezone.now()
        today = timezone.localdate()
        if current.end_date is None or current.end_date > today:
            current.end_date = today
        save_versioned(
            current, expected_version=current.version, actor=actor, reason=f"Ended: {reason}"[:100]
        )
        _event(actor, current, "ended", reason=reason)
    current.refresh_from_db()
    return current


def overdue_reviews(queryset: QuerySet[InformationSharingAgreement]) -> QuerySet[InformationSharingAgreement]:
    today = timezone.localdate()
    return queryset.filter(review_date__lt=today).exclude(end_date__lt=today)
