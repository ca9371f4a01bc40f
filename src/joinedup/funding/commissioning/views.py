"""Staff pages for commissioning: contracts, joint commissioning boards, frameworks and call-offs, and
supplier performance benchmarked across the areas buying from the same supplier. Thin: forms in,
services and selectors do the work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from joinedup.core.forms import service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.models import Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import get_allowed_object, staff_user, staff_view

from .. import lists
from .. import selectors as funding_selectors
from ..models import CommissioningBoard, Contract, Framework, FrameworkLot
from ..views import SAVED, call_service, form_page, record_page
from . import selectors, services
from .forms import (
    BoardForm,
    CallOffForm,
    ContractForm,
    ContributionForm,
    FrameworkForm,
    PerformanceForm,
)

# --- contracts --------------------------------------------------------------------------------------


contract_list = list_view(lists.CONTRACTS)


# The contracts CSV at its own address, with the columns it always had: the list's own export (its rows,
# filters and sort; the list page's downloads are `?format=csv|xlsx|json`).
contract_export = download_view(lists.CONTRACTS, columns=lists.CONTRACT_CSV_COLUMNS)


def _create_page(
    request: HttpRequest, form_class: Any, create: Callable[..., Any], success: str, *, title: str, to: str
) -> HttpResponse:
    """A page recording a new record with the service `create`, then on to its page `to`."""
    form = form_class(request.POST or None)
    return form_page(request, form, service_save(request, create), success, done=record_page(to), title=title)


@staff_view("funding.manage")
def contract_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        ContractForm,
        services.create_contract,
        "The contract has been recorded.",
        title="Record a contract",
        to="funding:contract-detail",
    )


@staff_view("funding.manage")
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_allowed_object(
        request,
        Contract.objects.select_related("csp").prefetch_related("priorities", "kpis"),
        "funding.manage",
        pk=pk,
    )
    form = ContractForm(request.POST or None, initial=ContractForm.initial_from(contract))
    save = service_save(request, services.update_contract, versioned=True, contract=contract)
    done = reverse("funding:contract-detail", args=[contract.pk])
    return form_page(request, form, save, SAVED, done=done, title=f"Edit {contract.reference}")


def _kpi_rows(kpis: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for kpi in kpis:
        returns = list(kpi.returns.all())
        latest = returns[-1] if returns else None
        met = None
        if latest is not None:
            met = latest.actual >= kpi.target if kpi.higher_is_better else latest.actual <= kpi.target
        rows.append({"kpi": kpi, "returns": returns, "latest": latest, "met": met})
    return rows


@staff_view("funding.view")
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract(user=staff_user(request), pk=pk)
    kpis = list(contract.kpis.all())
    return render(
        request,
        "funding/contract_detail.html",
        {
            "contract": contract,
            "kpis": _kpi_rows(kpis),
            "history": field_history(contract),
            "fund_warnings": funding_selectors.fund_warnings(contract.fund, contract.starts_on),
            "can_manage": has_permission(request.user, "funding.manage"),
            "performance_form": PerformanceForm(kpis=kpis) if kpis else None,
        },
    )


def _performance(
    request: HttpRequest, owner: Any, kpis: list[Any], detail: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    form = PerformanceForm(request.POST, kpis=kpis)
    if form.is_valid():
        recorded, _returns = call_service(
            form, services.record_performance, actor=staff_user(request), kpis=kpis, data=form.cleaned_data
        )
        if recorded:
            messages.success(request, "The performance return has been recorded.")
            return redirect(detail, pk=owner.pk)
    return render(request, template, {**context, "performance_form": form, "form": form})


@staff_view("funding.manage")
@require_POST
def contract_performance(request: HttpRequest, pk: int) -> HttpResponse:
    get_allowed_object(request, Contract.objects.all(), "funding.manage", pk=pk)
    contract = selectors.get_contract(user=staff_user(request), pk=pk)
    kpis = list(contract.kpis.all())
    context = {
        "contract": contract,
        "kpis": _kpi_rows(kpis),
        "history": field_history(contract),
        "can_manage": True,
    }
    return _performance(
        request, contract, kpis, "funding:contract-detail", "funding/contract_detail.html", context
    )


# --- boards -----------------------------------------------------------------------------------------


board_list = list_view(lists.BOARDS)


@staff_view("funding.manage")
def board_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        BoardForm,
        services.create_board,
        "The board has been set up.",
        title="Set up a joint commissioning board",
        to="funding:board-detail",
    )


@staff_view("funding.manage")
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_allowed_object(request, CommissioningBoard.objects.all(), "funding.manage", pk=pk)
    initial = {
        "name": board.name,
        "description": board.description,
        "members": [m.pk for m in board.members.all()],
        "version": board.version,
    }
    form = BoardForm(request.POST or None, initial=initial)
    save = service_save(request, services.update_board, versioned=True, board=board)
    done = reverse("funding:board-detail", args=[board.pk])
    return form_page(request, form, save, SAVED, done=done, title=f"Edit {board.name}")


def _board_context(request: HttpRequest, board: CommissioningBoard, **extra: Any) -> dict[str, Any]:
    return {
        "board": board,
        "pool": selectors.board_pool(board),
        "contracts": selectors.list_contracts(user=staff_user(request)).filter(board=board),
        "history": field_history(board),
        "can_manage": has_permission(request.user, "funding.manage"),
        "contribution_form": extra.pop("contribution_form", None) or ContributionForm(board=board),
        **extra,
    }


@staff_view("funding.view")
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = selectors.get_board(user=staff_user(request), pk=pk)
    return render(request, "funding/board_detail.html", _board_context(request, board))


@staff_view("funding.manage")
@require_POST
def board_contribution(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_allowed_object(request, CommissioningBoard.objects.all(), "funding.manage", pk=pk)
    form = ContributionForm(request.POST, board=board)
    if form.is_valid():
        recorded, _contribution = call_service(
            form,
            services.record_contribution,
            actor=staff_user(request),
            board=board,
            data=form.service_data(),
        )
        if recorded:
            messages.success(request, "The contribution has been recorded.")
            return redirect("funding:board-detail", pk=board.pk)
    context = _board_context(request, board, contribution_form=form, form=form)
    return render(request, "funding/board_detail.html", context)


# --- frameworks and call-offs -----------------------------------------------------------------------


framework_list = list_view(lists.FRAMEWORKS)


@staff_view("funding.manage")
def framework_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        FrameworkForm,
        services.create_framework,
        "The framework has been recorded.",
        title="Record a framework",
        to="funding:framework-detail",
    )


@staff_view("funding.manage")
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_allowed_object(
        request, Framework.objects.prefetch_related("lots"), "funding.manage", pk=pk
    )
    initial = {
        "reference": framework.reference,
        "name": framework.name,
        "lead": framework.lead_id,
        "starts_on": framework.starts_on.isoformat(),
        "ends_on": framework.ends_on.isoformat(),
        "lots": "\n".join(f"{lot.number} | {lot.title} | {lot.supplier_id}" for lot in framework.lots.all()),
        "description": framework.description,
        "version": framework.version,
    }
    form = FrameworkForm(request.POST or None, initial=initial)
    save = service_save(request, services.update_framework, versioned=True, framework=framework)
    done = reverse("funding:framework-detail", args=[framework.pk])
    return form_page(request, form, save, SAVED, done=done, title=f"Edit {framework.reference}")


@staff_view("funding.view")
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = selectors.get_framework(user=staff_user(request), pk=pk)
    return render(
        request,
        "funding/framework_detail.html",
        {
            "framework": framework,
            "history": field_history(framework),
            "can_manage": has_permission(request.user, "funding.manage"),
        },
    )


@staff_view("funding.manage")
def call_off_create(request: HttpRequest, pk: int) -> HttpResponse:
    frameworks = Framework.objects.restrict(request.user, "funding.manage")
    lot = get_object_or_404(FrameworkLot.objects.select_related("framework"), pk=pk, framework__in=frameworks)
    return form_page(
        request,
        CallOffForm(request.POST or None),
        service_save(request, services.record_call_off, lot=lot),
        lambda call_off: f"Call-off {call_off.reference} has been recorded.",
        done=lambda call_off: reverse("funding:call-off-detail", args=[call_off.pk]),
        title=f"Record a call-off from {lot.framework.reference}, lot {lot.number}: {lot.title}",
    )


def _call_off_context(request: HttpRequest, call_off: Any) -> dict[str, Any]:
    kpis = list(call_off.kpis.all())
    return {
        "call_off": call_off,
        "kpis": _kpi_rows(kpis),
        "history": field_history(call_off),
        "can_manage": has_permission(request.user, "funding.manage"),
        "performance_form": PerformanceForm(kpis=kpis) if kpis else None,
    }


@staff_view("funding.view")
def call_off_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call_off = selectors.get_call_off(user=staff_user(request), pk=pk)
    return render(request, "funding/call_off_detail.html", _call_off_context(request, call_off))


@staff_view("funding.manage")
@require_POST
def call_off_performance(request: HttpRequest, pk: int) -> HttpResponse:
    call_off = selectors.get_call_off(user=staff_user(request), pk=pk)
    context = _call_off_context(request, call_off)
    kpis = list(call_off.kpis.all())
    return _performance(
        request, call_off, kpis, "funding:call-off-detail", "funding/call_off_detail.html", context
    )


# --- suppliers ----------------------------------------------------------------------------------------


supplier_list = list_view(lists.SUPPLIERS)


@staff_view("funding.view")
def supplier_performance(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "funding/supplier_performance.html",
        {
            "supplier": supplier,
            "benchmarks": selectors.supplier_benchmark(user=staff_user(request), supplier=supplier),
        },
    )
