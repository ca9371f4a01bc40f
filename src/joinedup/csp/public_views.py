"""Public pages: each CSP's public meeting dates, and published domestic homicide reviews (titles and dates)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.lists import list_view
from joinedup.core.models import Area, AreaLevel

from . import lists, selectors

csp_index = list_view(lists.PUBLIC_CSPS)


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
