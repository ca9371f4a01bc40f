"""Staff pages for the quarterly briefing notes a CSP drafts from its data and submits to the Panel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from joinedup.core.forms import run_service
from joinedup.core.lists import list_view
from joinedup.core.views.base import get_allowed_object, staff_user, staff_view

from .. import lists
from ..models import BriefingNote, BriefingStatus
from ..views import Change, change_view, csp_or_404, record_page
from . import services
from .forms import BriefingNoteForm

briefing_list = list_view(lists.BRIEFINGS)


@require_POST
@staff_view("csp.change")
def briefing_generate(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.change")
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
    except ValueError:
        year, quarter = 0, 0
    done, note = run_service(
        request,
        lambda: services.generate_briefing_note(
            actor=staff_user(request), csp=csp, year=year, quarter=quarter
        ),
        "A draft has been made from the CSP's data. Check and edit it, then submit it.",
    )
    return redirect("csp:briefing-edit", pk=note.pk) if done else redirect("csp:briefing-list")


@staff_view("csp.briefing.view")
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_allowed_object(request, BriefingNote.objects.select_related("csp"), "csp.briefing.view", pk=pk)
    draft = note.status == BriefingStatus.DRAFT
    return record_page(request, "csp/briefing_detail.html", "note", note, "csp.change", changeable=draft)


@staff_view("csp.change")
def briefing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_allowed_object(request, BriefingNote.objects.select_related("csp"), "csp.change", pk=pk)
    if note.status != BriefingStatus.DRAFT:
        messages.error(request, "A submitted briefing note cannot be changed.")
        return redirect("csp:briefing-detail", pk=note.pk)
    submit = "submit_note" in request.POST
    change = Change(
        note, services.BRIEFING_FIELDS, services.update_briefing_note, "note", target={"submit": submit}
    )
    form = change.form(request, BriefingNoteForm)
    success = "The briefing note has been submitted to the Panel." if submit else "The draft has been saved."
    return change_view(
        request, change, form, title=f"{note} — {note.csp.name}", to="csp:briefing-detail", success=success
    )
