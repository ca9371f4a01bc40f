"""Staff pages for the outcome view of a funded project (a grant or a contract) and its CSV: readable by
whoever may see the award or the contract (anyone else gets 404). Thin: selectors.py beside it does the
work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.core.exports import csv_response
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import get_allowed_object, staff_user, staff_view

from ..commissioning import selectors as commissioning_selectors
from ..models import Award
from ..monitoring import selectors as monitoring_selectors
from . import selectors


def _award(request: HttpRequest, pk: int) -> Award:
    return get_allowed_object(
        request, Award.objects.select_related("fund", "csp", "ward__lad"), "funding.view", pk=pk
    )


def _page(request: HttpRequest, view: dict[str, Any], **context: Any) -> HttpResponse:
    can_manage = has_permission(request.user, "funding.manage")
    return render(request, "funding/outcomes.html", {"view": view, "can_manage": can_manage, **context})


def _csv(request: HttpRequest, view: dict[str, Any], name: str, object_type: str) -> StreamingHttpResponse:
    return csv_response(
        request,
        name=name,
        header=selectors.CSV_HEADER,
        rows=selectors.csv_rows(view),
        object_type=object_type,
    )


@staff_view("funding.view")
def award_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    view = selectors.outcome_view(area=selectors.area_served(award), starts_on=award.awarded_on)
    return _page(
        request,
        view,
        subject=award.title,
        caption=f"Grant {award.identifier}",
        start_label="Awarded on",
        back_url=reverse("funding:award-detail", args=[award.pk]),
        back_text="The award",
        project=award,
        edit_url=reverse("funding:award-edit", args=[award.pk]),
        csv_url=reverse("funding:award-outcomes-csv", args=[award.pk]),
        measure_table=monitoring_selectors.measure_table(award, charts=True),
    )


@staff_view("funding.view")
def award_outcomes_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    award = _award(request, pk)
    view = selectors.outcome_view(area=selectors.area_served(award), starts_on=award.awarded_on)
    return _csv(request, view, f"grant-{award.pk}-outcomes", "funding.award")


@staff_view("funding.view")
def contract_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    contract = commissioning_selectors.get_contract(user=staff_user(request), pk=pk)
    view = selectors.outcome_view(area=selectors.area_served(contract), starts_on=contract.starts_on)
    return _page(
        request,
        view,
        subject=contract.title,
        caption=f"Contract {contract.reference}",
        start_label="Started on",
        back_url=reverse("funding:contract-detail", args=[contract.pk]),
        back_text=f"Contract {contract.reference}",
        project=contract,
        edit_url=reverse("funding:contract-edit", args=[contract.pk]),
        csv_url=reverse("funding:contract-outcomes-csv", args=[contract.pk]),
    )


@staff_view("funding.view")
def contract_outcomes_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    contract = commissioning_selectors.get_contract(user=staff_user(request), pk=pk)
    view = selectors.outcome_view(area=selectors.area_served(contract), starts_on=contract.starts_on)
    return _csv(request, view, f"contract-{contract.reference}-outcomes", "funding.contract")
