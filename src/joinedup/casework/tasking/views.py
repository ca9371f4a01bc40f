"""Daily tasking: the printable daily action sheet (page and PDF), the board it starts from, and tasking
meeting records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.forms import save_form, service_save
from joinedup.core.lists import list_view
from joinedup.core.models import EventType
from joinedup.core.pdf import pdf_response
from joinedup.core.views.base import staff_view

from ..selectors import tasking_board, tasking_since
from . import lists, selectors, services
from .forms import DecisionForm, MeetingForm


def _sheet_context(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    area = (request.GET.get("area") or "").strip().upper() or None
    rows = selectors.daily_action_sheet(user=request.user, now=now, area_code=area)
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        request=request,
        object_type="casework.daily_action_sheet",
        detail={"cases": [row.case.pk for row in rows], "area": area or ""},
    )
    return {
        "rows": rows,
        "counts": selectors.sheet_counts(rows),
        "since": tasking_since(now),
        "now": now,
        "area": area or "",
        "generated_at": now,
        "document_title": f"Daily action sheet {timezone.localtime(now):%d %B %Y}",
    }


@staff_view("casework.tasking.meetings")
def action_sheet(request: HttpRequest) -> HttpResponse:
    """The daily action sheet as a page laid out for printing (A4), with a link to the PDF."""
    return render(request, "casework/action_sheet.html", {**_sheet_context(request), "for_screen": True})


@staff_view("casework.tasking.meetings")
def action_sheet_pdf(request: HttpRequest) -> HttpResponse:
    context = _sheet_context(request)
    return pdf_response(
        request,
        template="casework/action_sheet.html",
        context=context,
        filename=context["document_title"],
        object_type="casework.daily_action_sheet",
    )


meeting_list = list_view(lists.MEETINGS)


@staff_view("casework.tasking.meetings")
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate().isoformat()})
    recorded = "The meeting has been recorded. Add its decisions case by case."
    meeting, _ = save_form(request, form, service_save(request, services.record_meeting), recorded)
    if meeting:
        return redirect("casework:meeting-detail", pk=meeting.pk)
    return render(request, "casework/meeting_form.html", {"form": form})


@staff_view("casework.tasking.meetings")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, decisions = selectors.get_meeting(user=request.user, pk=pk, request=request)
    board = tasking_board(user=request.user, area_code=meeting.area.code)
    seen: dict[int, str] = {}
    for incident in board:
        seen.setdefault(incident.case_id, f"{incident.case.reference}: {incident.get_category_display()}")
    for decision in decisions:
        seen.setdefault(decision.case_id, decision.case.reference)
    form = DecisionForm(request.POST or None, case_choices=[(str(k), v) for k, v in seen.items()])
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(
                actor=request.user,
                meeting=meeting,
                case_id=form.cleaned_data["case"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, "The decision has been recorded.")
            return redirect("casework:meeting-detail", pk=meeting.pk)
    return render(
        request, "casework/meeting_detail.html", {"meeting": meeting, "decisions": decisions, "form": form}
    )


@staff_view("casework.cases.view")
def tasking(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    area = (request.GET.get("area") or "").strip().upper() or None
    incidents = tasking_board(user=request.user, now=now, area_code=area)
    return render(
        request,
        "casework/tasking.html",
        {"incidents": incidents, "since": tasking_since(now), "now": now, "area": area or ""},
    )
