"""Staff pages for the reports a PCC requires of a CSP: the requirement, and the CSP's response."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from joinedup.core.lists import list_view
from joinedup.core.views.base import get_allowed_object, staff_view

from .. import lists
from ..models import ReportRequirement
from ..views import Change, change_view, csp_create, csp_or_404, record_page
from . import services
from .forms import RequirementForm, RequirementResponseForm

requirement_list = list_view(lists.REQUIREMENTS)


@staff_view("csp.view")
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, ReportRequirement.objects.select_related("csp"), "csp.view", pk=pk)
    today = timezone.localdate()
    return record_page(request, "csp/requirement_detail.html", "item", item, "csp.change", today=today)


@staff_view("csp.reports.require")
def requirement_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.reports.require")
    added, title = "The requirement has been recorded.", f"Require a report — {csp.name}"
    form = RequirementForm(request.POST or None)
    return csp_create(
        request, csp, form, services.require_report, added, title=title, to="csp:requirement-detail"
    )


@staff_view("csp.change")
def requirement_respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, ReportRequirement.objects.select_related("csp"), "csp.change", pk=pk)
    change = Change(item, services.REPORT_RESPONSE_FIELDS, services.respond_to_requirement, "item")
    form = change.form(request, RequirementResponseForm)
    title = f"Respond — {item.subject}"
    return change_view(
        request,
        change,
        form,
        title=title,
        to="csp:requirement-detail",
        success="The response has been recorded.",
    )
