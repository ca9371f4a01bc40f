"""Staff pages for monitoring returns and outcome measures (docs/adr/0037): set a grant's measures,
schedule, record and review its returns, and the measures' values as a CSV. Thin: services.py and
selectors.py beside it do the work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.exports import csv_response
from joinedup.core.forms import save_form, save_versioned_form, service_save
from joinedup.core.views.base import get_allowed_object, staff_view

from ..models import Award, MonitoringReturn
from . import selectors, services
from .forms import MonitoringReturnForm, OutcomeMeasuresForm, ReturnReviewForm, ReturnScheduleForm


def _award(request: HttpRequest, pk: int, action: str) -> Award:
    return get_allowed_object(request, Award.objects.select_related("fund", "csp"), action, pk=pk)


def _return(request: HttpRequest, pk: int) -> MonitoringReturn:
    return get_allowed_object(
        request,
        MonitoringReturn.objects.select_related("award", "award__fund", "submitted_by", "reviewed_by"),
        "funding.manage",
        pk=pk,
    )


@staff_view("funding.manage")
def award_measures(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, "funding.manage")
    initial = {"measures": services.measures_as_text(award), "version": award.version}
    form = OutcomeMeasuresForm(request.POST or None, initial=initial)
    saved, status = save_versioned_form(
        request,
        form,
        services.set_outcome_measures,
        "The outcome measures have been saved.",
        award=award,
    )
    if saved:
        return redirect("funding:award-detail", pk=award.pk)
    title = f"Outcome measures: {award.title}"
    return render(request, "funding/form.html", {"form": form, "title": title}, status=status)


@staff_view("funding.view")
def award_measures_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    award = _award(request, pk, "funding.view")
    return csv_response(
        request,
        name=f"grant-{award.pk}-outcome-measures",
        header=selectors.CSV_HEADER,
        rows=selectors.csv_rows(selectors.measure_table(award)),
        object_type="funding.award",
    )


@staff_view("funding.manage")
@require_POST
def award_return_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, "funding.manage")
    form = ReturnScheduleForm(request.POST)
    save = service_save(request, services.add_monitoring_return, award=award)
    saved, _status = save_form(request, form, save, "The monitoring return has been added.")
    if saved:
        return redirect("funding:award-detail", pk=award.pk)
    return render(
        request, "funding/form.html", {"form": form, "title": f"Add a monitoring return: {award.title}"}
    )


def _title(monitoring_return: MonitoringReturn) -> str:
    return f"Monitoring return due {monitoring_return.due_on:%-d %B %Y}: {monitoring_return.award.recipient_name}"


@staff_view("funding.manage")
def monitoring_return_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a return the grant holder sent some other way (it is then accepted)."""
    monitoring_return = _return(request, pk)
    measures = list(monitoring_return.award.outcome_measures.all())
    form = MonitoringReturnForm(
        request.POST or None, measures=measures, initial={"version": monitoring_return.version}
    )
    saved, status = save_versioned_form(
        request,
        form,
        services.record_monitoring_return,
        "The monitoring return has been recorded.",
        monitoring_return=monitoring_return,
    )
    if saved:
        return redirect("funding:award-detail", pk=monitoring_return.award_id)
    return render(
        request, "funding/form.html", {"form": form, "title": _title(monitoring_return)}, status=status
    )


@staff_view("funding.manage")
def monitoring_return_review(request: HttpRequest, pk: int) -> HttpResponse:
    """What the grant holder submitted, with the choice to accept it or ask for changes."""
    monitoring_return = _return(request, pk)
    form = ReturnReviewForm(request.POST or None, initial={"version": monitoring_return.version})
    saved, status = save_versioned_form(
        request,
        form,
        services.review_monitoring_return,
        "Your review has been saved.",
        monitoring_return=monitoring_return,
    )
    if saved:
        return redirect("funding:award-detail", pk=monitoring_return.award_id)
    context: dict[str, Any] = {
        "form": form,
        "title": _title(monitoring_return),
        "monitoring_return": monitoring_return,
        "values": monitoring_return.measure_values.select_related("measure"),
    }
    return render(request, "funding/return_review.html", context, status=status)
