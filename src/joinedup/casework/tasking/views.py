"""Daily tasking outputs: the printable daily action sheet (page and PDF) and tasking meeting records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.lists import list_view
from joinedup.core.models import EventType
from joinedup.core.pdf import pdf_response
from joinedup.core.views.base import staff_view

from . import lists, selectors, tasking_outputs
from .forms_agreements import MeetingForm, _helper


def _sheet_context(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    area = (request.GET.get("area") or "").strip().upper() or None
    rows = tasking_outputs.daily_action_sheet(user=request.user, now=now, area_code=area)
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        request=request,
        object_type="casework.daily_action_sheet",
        detail={"cases": [row.case.pk for row in rows], "area": area or ""},
    )
    return {
        "rows": rows,
        "counts": tasking_outputs.sheet_counts(rows),
        "since": selectors.tasking_since(now),
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
    if request.method == "POST" and form.is_valid():
        try:
            meeting = tasking_outputs.record_meeting(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            messages.success(request, "The meeting has been recorded. Add its decisions case by case.")
            return redirect("casework:meeting-detail", pk=meeting.pk)
    return render(request, "casework/meeting_form.html", {"form": form})


class DecisionForm(forms.Form):
    case = forms.ChoiceField(label="Case", required=False)
    decision = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, case_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        field: Any = self.fields["case"]
        field.choices = [("", "Choose a case"), *case_choices]


@staff_view("casework.tasking.meetings")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, decisions = tasking_outputs.get_meeting(user=request.user, pk=pk, request=request)
    board = selectors.tasking_board(user=request.user, area_code=meeting.area.code)
    seen: dict[int, str] = {}
    for incident in board:
        seen.setdefault(incident.case_id, f"{incident.case.reference}: {incident.get_category_display()}")
    for decision in decisions:
        seen.setdefault(decision.case_id, decision.case.reference)
    form = DecisionForm(request.POST or None, case_choices=[(str(k), v) for k, v in seen.items()])
    if request.method == "POST" and form.is_valid():
        try:
            tasking_outputs.record_decision(
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
