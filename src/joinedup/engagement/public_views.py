"""Public pages: consultations open to everyone, the response form, and published results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from joinedup.core.exports import spreadsheet_safe, stream_csv
from joinedup.core.lists import list_view
from joinedup.core.throttling import RateLimit
from joinedup.core.views.public import keep_link_private, take_public_form

from . import lists, meetings, selectors, services
from .forms import ResponseForm, VoteForm
from .models import Consultation

# Responses from one address (IPv6 by its /64) to one consultation in an hour: generous, since a household
# or an office shares an address, but enough to stop a script filling the results.
RESPONSES_PER_HOUR = "30/hour"


def consultation_index(request: HttpRequest) -> HttpResponse:
    found = list(selectors.public_consultations())
    return render(
        request,
        "engagement/public_list.html",
        {"open": [c for c in found if c.is_open()], "closed": [c for c in found if not c.is_open()]},
    )


def _raw_answers(request: HttpRequest) -> dict[str, object]:
    return {
        key: (values if len(values) > 1 else values[0])
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken"
    }


@never_cache
def consultation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.public_consultation(pk)
    questions = selectors.questions(consultation)
    form = ResponseForm(request.POST or None, questions=questions)
    if request.method == "POST":
        answered = take_public_form(
            request,
            form,
            data=_raw_answers(request),
            problems=lambda data: services.respond_problems(consultation=consultation, data=dict(data)),
            save=lambda data: _responded(consultation, data),
            limit=RateLimit(f"consultation-{consultation.pk}", RESPONSES_PER_HOUR),
            limited=lambda: _limited(request, consultation),
            refused=_("We could not accept these answers. Check them and send them again."),
        )
        if answered is not None:
            return answered
    return render(
        request,
        "engagement/public_respond.html",
        {"consultation": consultation, "form": form, "is_open": consultation.is_open()},
        status=400 if request.method == "POST" else 200,
    )


def _responded(consultation: Consultation, data: Mapping[str, Any]) -> HttpResponse:
    services.respond(consultation=consultation, data=dict(data))
    return redirect("public-engagement:thanks", pk=consultation.pk)


def _limited(request: HttpRequest, what: Any) -> HttpResponse:
    return render(request, "engagement/public_limited.html", {"consultation": what}, status=429)


def consultation_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "engagement/public_thanks.html", {"consultation": selectors.public_consultation(pk)}
    )


def _published_results(pk: int) -> Consultation:
    consultation = selectors.public_consultation(pk)
    if not consultation.results_published:
        raise Http404("Not found")
    return consultation


def consultation_results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _published_results(pk)
    total, found = selectors.results(consultation)
    return render(
        request,
        "engagement/public_results.html",
        {"consultation": consultation, "total": total, "results": found},
    )


def consultation_results_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    consultation = _published_results(pk)
    header, *rows = selectors.results_rows(consultation)
    safe = ([spreadsheet_safe(value) for value in row] for row in rows)
    return stream_csv(header, safe, f"consultation-{consultation.pk}-results.csv")


# --- neighbourhood meetings ------------------------------------------------------------------------------

VOTES_PER_HOUR = "20/hour"


meeting_index = list_view(lists.PUBLIC_MEETINGS)


@never_cache
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    priorities = list(meeting.priorities.all())
    form = VoteForm(request.POST or None, priorities=priorities)
    if request.method == "POST":
        answered = take_public_form(
            request,
            form,
            data={"priority": request.POST.get("priority"), "email": request.POST.get("email")},
            problems=lambda data: meetings.vote_problems(meeting, dict(data)),
            save=lambda data: _voted(request, meeting, data),
            limit=RateLimit(f"meeting-{meeting.pk}", VOTES_PER_HOUR),
            limited=lambda: _limited(request, meeting),
            refused=_("We could not accept this vote. Check it and send it again."),
        )
        if answered is not None:
            return answered
    voting_open = meeting.voting_open()
    return render(
        request,
        "engagement/public_meeting.html",
        {
            "meeting": meeting,
            "form": form,
            "voting_open": voting_open,
            "tallies": meetings.tallies(meeting),
        },
        status=400 if request.method == "POST" else 200,
    )


def _voted(request: HttpRequest, meeting: Any, data: Mapping[str, Any]) -> HttpResponse:
    meetings.cast_vote(meeting, dict(data), language=request.LANGUAGE_CODE)
    return redirect("public-engagement:vote-sent", pk=meeting.pk)


def vote_sent(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "engagement/public_vote_sent.html", {"meeting": selectors.public_meeting(pk)})


@never_cache
def vote_confirm(request: HttpRequest, key: str) -> HttpResponse:
    """The emailed link shows a button; only pressing it (a POST) counts the vote."""
    vote = meetings.pending_vote(key)
    outcome = ""
    if request.method == "POST":
        vote, outcome = meetings.confirm_vote(key)
    return keep_link_private(
        render(
            request,
            "engagement/public_vote_confirm.html",
            {"vote": vote, "meeting": vote.meeting, "outcome": outcome},
        )
    )
