"""The "Your work" page: thin, reads only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from joinedup.core.views.base import staff_view

from .calendars import csp_duties_feed, due_dates_feed, panel_meetings_feed, user_for_token
from .selectors import area_figures, run_search, your_work
from .services import new_calendar_token, revoke_calendar_token


@staff_view("workqueue.view")
def your_work_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    work = your_work(user=request.user, kind=kind)
    items = work.items
    return render(
        request,
        "workqueue/your_work.html",
        {"work": work, "items": items, "kind": kind, "figures": area_figures(user=request.user)},
    )


@staff_view("workqueue.view")
def calendar_page(request: HttpRequest) -> HttpResponse:
    from joinedup.notifications.preferences import preference_for

    return render(
        request, "workqueue/calendar.html", {"has_feed": bool(preference_for(request.user).calendar_token)}
    )


@require_POST
@staff_view("workqueue.view")
def calendar_new(request: HttpRequest) -> HttpResponse:
    raw = new_calendar_token(user=request.user)
    feeds = [
        (label, request.build_absolute_uri(reverse(f"calendar:{name}", args=[raw])))
        for label, name in [
            ("Your due dates", "due"),
            ("CSP duties", "csp-duties"),
            ("Police and Crime Panel meetings", "panel-meetings"),
        ]
    ]
    response = render(request, "workqueue/calendar.html", {"has_feed": True, "feeds": feeds})
    add_never_cache_headers(response)
    return response


@require_POST
@staff_view("workqueue.view")
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    revoke_calendar_token(user=request.user)
    messages.success(request, "Your calendar addresses have stopped working.")
    return redirect("workqueue:calendar")


def _feed(request: HttpRequest, token: str, build: Callable[[Any], bytes], name: str) -> HttpResponse:
    user = user_for_token(token)
    if user is None:
        raise Http404("Not found")
    response = HttpResponse(build(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    add_never_cache_headers(response)
    return response


def feed_due(request: HttpRequest, token: str) -> HttpResponse:
    return _feed(request, token, due_dates_feed, "joinedup-due")


def feed_csp_duties(request: HttpRequest, token: str) -> HttpResponse:
    return _feed(request, token, csp_duties_feed, "joinedup-csp-duties")


def feed_panel_meetings(request: HttpRequest, token: str) -> HttpResponse:
    return _feed(request, token, panel_meetings_feed, "joinedup-panel-meetings")


@sensitive_post_parameters("q")
@staff_view("workqueue.view")
def search_page(request: HttpRequest) -> HttpResponse:
    from .search import MIN_LENGTH

    # The search box posts its query, so a name searched for is in no URL (access logs, browser history,
    # referrers: ADR 0012); an address with ?q= (a case reference, say) still works.
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()[:100]
    groups = run_search(user=request.user, query=query, request=request) if query else []
    return render(
        request,
        "workqueue/search.html",
        {"query": query, "groups": groups, "too_short": bool(query) and len(query) < MIN_LENGTH},
    )
