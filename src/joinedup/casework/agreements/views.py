"""Staff pages for information-sharing agreements: the list, one agreement, creating and editing it, its
history and its steps (propose, sign, review, end)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError
from joinedup.core.views.base import get_allowed_object, staff_view

from .. import lists
from ..models import InformationSharingAgreement
from . import services
from .forms import AgreementForm, AgreementReviewForm, PartyFormSet


def _agreement(request: HttpRequest, pk: int, action: str) -> InformationSharingAgreement:
    agreement: Any = get_allowed_object(
        request,
        InformationSharingAgreement.objects.prefetch_related("party_rows__organisation", "areas"),
        action,
        pk=pk,
    )
    return agreement


def _initial(agreement: InformationSharingAgreement) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fields = {
        name: getattr(agreement, name)
        for name in services.AGREEMENT_FIELDS
        if name not in ("start_date", "review_date", "end_date")
    }
    for name in ("start_date", "review_date", "end_date"):
        value = getattr(agreement, name)
        fields[name] = value.isoformat() if value else ""
    fields["areas"] = " ".join(sorted(a.code for a in agreement.areas.all()))
    fields["data_categories"] = agreement.data_categories
    fields["version"] = agreement.version
    parties = [
        {
            "organisation": row.organisation_id,
            "liaison_officer_name": row.liaison_officer_name,
            "liaison_officer_email": row.liaison_officer_email,
        }
        for row in agreement.party_rows.all()
    ]
    return fields, parties


def _as_saved(agreement: InformationSharingAgreement | None) -> None:
    """The service sets the refused values on the object it was given: the page's title and back link
    name the agreement as it is saved."""
    if agreement is not None:
        agreement.refresh_from_db()


def _edit(request: HttpRequest, agreement: InformationSharingAgreement | None) -> HttpResponse:
    if request.method == "POST":
        form = AgreementForm(request.POST)
        party_forms = PartyFormSet(request.POST, prefix="parties")
    else:
        fields, parties = _initial(agreement) if agreement else ({"covers_asb_casework": True}, [])
        form = AgreementForm(initial=fields)
        party_forms = PartyFormSet(initial=parties, prefix="parties")
    status = 200
    party_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and party_forms.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["areas"] = [c for c in re.split(r"[\s,;]+", data.get("areas") or "") if c]
        data["parties"] = [f.cleaned_data for f in party_forms.forms if f.cleaned_data]
        try:
            saved = services.save_agreement(
                actor=request.user,
                data=data,
                agreement=agreement,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _as_saved(agreement)
            errors = exc.message_dict
            party_errors = errors.pop("parties", [])
            form.add_service_errors(errors)
            for message in party_errors:
                form.add_error(None, f"Parties: {message}")
        except ConflictError as exc:
            _as_saved(agreement)
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, f"“{saved.title}” has been saved.")
            return redirect("casework:agreement-detail", pk=saved.pk)
    return render(
        request,
        "casework/agreement_form.html",
        {"form": form, "party_forms": party_forms, "agreement": agreement, "party_errors": party_errors},
        status=status,
    )


@staff_view("casework.agreements.manage")
def agreement_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@staff_view("casework.agreements.manage")
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _agreement(request, pk, "casework.agreements.manage"))


@staff_view("casework.agreements.view")
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "casework.agreements.view")
    return render(
        request,
        "casework/agreement_history.html",
        {"agreement": agreement, "history": field_history(agreement)},
    )


@staff_view("casework.agreements.view")
def agreement_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Propose, sign, review or end an agreement (POST). Each step checks who may take it; a refused step
    is a message on the agreement page, and anyone who may not take it at all gets 404."""
    from django.http import Http404

    from joinedup.core.services.errors import NotAllowed

    if request.method != "POST" or step not in ("propose", "sign", "review", "end"):
        raise Http404("Not found")
    agreement = _agreement(request, pk, "casework.agreements.view")
    try:
        if step == "propose":
            version = str(request.POST.get("version") or "")
            services.propose_agreement(
                actor=request.user,
                agreement=agreement,
                expected_version=int(version) if version.isdigit() else None,
            )
            done = "The agreement has been proposed: each party's liaison officer may now sign it."
        elif step == "sign":
            signed = services.sign_agreement(actor=request.user, agreement=agreement)
            done = (
                "Signed: the agreement is now in force."
                if signed.status == "in_force"
                else "Signed: the agreement comes into force when every party has signed."
            )
        elif step == "review":
            review = AgreementReviewForm(request.POST)
            if not review.is_valid():
                raise ValidationError({"review_date": review.errors["review_date"]})
            services.review_agreement(
                actor=request.user, agreement=agreement, next_review=review.cleaned_data["review_date"]
            )
            done = "The review has been recorded."
        else:
            services.end_agreement(
                actor=request.user, agreement=agreement, reason=request.POST.get("reason", "")
            )
            done = "The agreement has ended: it no longer shares anything."
    except NotAllowed:
        raise Http404("Not found") from None
    except (ValidationError, ConflictError) as exc:
        text = (
            "; ".join(m for ms in exc.message_dict.values() for m in ms)
            if isinstance(exc, ValidationError)
            else str(exc)
        )
        messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("casework:agreement-detail", pk=agreement.pk)


agreement_list = list_view(lists.AGREEMENTS)


@staff_view("casework.agreements.view")
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement: Any = get_allowed_object(
        request,
        InformationSharingAgreement.objects.prefetch_related("party_rows__organisation", "areas"),
        "casework.agreements.view",
        pk=pk,
    )
    party = services.signing_party(request.user, agreement)
    return render(
        request,
        "casework/agreement_detail.html",
        {
            "agreement": agreement,
            "can_manage": has_permission(request.user, "casework.agreements.manage"),
            "can_sign": party is not None and party.signed_at is None and agreement.status == "proposed",
            "can_review": agreement.status == "in_force"
            and (party is not None or has_permission(request.user, "casework.agreements.manage")),
            "can_end": agreement.status != "ended"
            and (party is not None or getattr(request.user, "role", None) == "opcc_admin"),
            "review_form": AgreementReviewForm(),
        },
    )
