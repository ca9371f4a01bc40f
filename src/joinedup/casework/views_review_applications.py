"""Public pages for applying online for an ASB case review and following its progress (no sign-in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from joinedup.core.throttling import RateLimit
from joinedup.core.views.public import keep_link_private, take_public_form

from . import review_applications
from .forms_risk import CaseReviewApplicationForm
from .reviews import config

# Applications from one address (IPv6 by its /64) in an hour; more are refused and nothing is saved.
APPLICATIONS_PER_HOUR = "5/hour"


def _form(request: HttpRequest) -> CaseReviewApplicationForm:
    choices = [(d.area.code, f"{d.area.name} ({d.council.name})") for d in review_applications.districts()]
    return CaseReviewApplicationForm(
        request.POST or None, districts=choices, applying_for=review_applications.APPLYING_FOR
    )


def _applied(request: HttpRequest, data: Mapping[str, Any]) -> HttpResponse:
    application = review_applications.apply(data=dict(data), language=request.LANGUAGE_CODE)
    return redirect(review_applications.progress_url(application.key) + "?sent=1")


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if request.method == "POST":
        answered = take_public_form(
            request,
            form,
            problems=lambda data: review_applications.problems(dict(data)),
            save=lambda data: _applied(request, data),
            limit=RateLimit("case-review-application", APPLICATIONS_PER_HOUR),
            limited=lambda: render(request, "casework/public_review_apply_limited.html", status=429),
            refused=_("We could not accept this application. Check your answers and send it again."),
        )
        if answered is not None:
            return answered
    return render(
        request,
        "casework/public_review_apply.html",
        {
            "form": form,
            "has_districts": len(form.fields["district"].widget.choices) > 1,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def progress(request: HttpRequest, key: str) -> HttpResponse:
    review = review_applications.find(key)
    if review is None:
        raise Http404("Not found")
    response = render(
        request,
        "casework/public_review_progress.html",
        {
            "review": review,
            "status": review_applications.STATUS_WORDS.get(review.status, review.get_status_display()),
            "steps": review_applications.progress(review),
            "sent": request.GET.get("sent") == "1",
            "decide_days": config("review_decide_days"),
        },
    )
    return keep_link_private(response)  # the link is the applicant's key
