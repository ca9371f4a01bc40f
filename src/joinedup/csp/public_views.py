"""Public pages: each CSP's public meeting dates, and published domestic homicide reviews (titles and dates)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.lists import list_view
from joinedup.core.models import Area, AreaLevel

from . import lists, selectors
from .models import DutyRecord


def csp_index(request: HttpRequest) -> HttpResponse:
    csps = Area.objects.filter(level=AreaLevel.CSP).order_by("name")
    meetings: dict[int, list[DutyRecord]] = {}
    for record in selectors.public_meeting_records():
        meetings.setdefault(record.csp_id, []).append(record)
    with_plans = set(selectors.public_plans().values_list("csp_id", flat=True))
    rows = [(csp, meetings.get(csp.pk, [])) for csp in csps if csp.pk in meetings or csp.pk in with_plans]
    return render(request, "csp/public_index.html", {"rows": rows})


dhr_list = list_view(lists.PUBLIC_DHRS)


def csp_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One CSP's public plans (priorities and summary) and public meeting dates."""
    csp = Area.objects.filter(level=AreaLevel.CSP, code=code).first()
    if csp is None:
        raise Http404("Page not found")
    plans = list(selectors.public_plans().filter(csp=csp))
    meetings = list(selectors.public_meeting_records().filter(csp=csp))
    if not plans and not meetings:
        raise Http404("Page not found")
    return render(request, "csp/public_detail.html", {"csp": csp, "plans": plans, "meetings": meetings})
