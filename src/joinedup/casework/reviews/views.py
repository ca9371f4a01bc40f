"""Staff pages for ASB case reviews; the public pages of annual statistics, of the online application and of
its progress (no sign-in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from joinedup.core.forms import save_form
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.throttling import RateLimit
from joinedup.core.views.base import staff_view
from joinedup.core.views.public import keep_link_private, take_public_form

from .. import lists
from . import selectors, services
from .forms import CaseReviewApplicationForm, CaseReviewRequestForm, RecommendationForm, ReviewStepForm

STEP_TITLES = {
    "acknowledge": "Acknowledge the request",
    "decide": "Decide whether the threshold is met",
    "meeting": "Record the case review meeting",
    "outcome": "Record that the outcome was sent",
    "appeal": "Record an appeal to the OPCC",
}


# The list of requests (filters, sort, pages and downloads) is declared in `lists.py`; it names no applicant.
review_list = list_view(lists.REVIEWS)


@staff_view("casework.reviews.manage")
def review_create(request: HttpRequest) -> HttpResponse:
    form = CaseReviewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_request(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            check = selectors.check_threshold(review)
            messages.success(request, f"Case review request {review.reference} recorded. {check.summary}")
            return redirect("casework:review-detail", pk=review.pk)
    return render(
        request,
        "casework/simple_form.html",
        {"form": form, "title": "Record an ASB case review request", "back": "casework:review-list"},
    )


@staff_view("casework.reviews.view")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(user=request.user, pk=pk, request=request)
    can_manage = has_permission(request.user, "casework.reviews.manage", review)
    return render(
        request,
        "casework/review_detail.html",
        {
            "review": review,
            "check": selectors.check_threshold(review),
            "timeline": selectors.timeline(review),
            "timeline_covered": selectors.timeline_covered(review),
            "can_manage": can_manage,
            "can_appeal": can_manage or selectors.hears_appeals(request.user, review),
            "steps": STEP_TITLES,
        },
    )


@staff_view("casework.reviews.view")
def review_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_TITLES:
        raise Http404("No such step")
    review = selectors.get_review(user=request.user, pk=pk, request=request, audit=False)
    allowed = has_permission(request.user, "casework.reviews.manage", review) or (
        step == "appeal" and selectors.hears_appeals(request.user, review)
    )
    if not allowed:
        raise Http404("Not found")
    form = ReviewStepForm(request.POST or None, step=step, initial={"version": review.version})
    saved, status = save_form(
        request,
        form,
        lambda form: services.record_step(
            actor=request.user,
            review=review,
            step=step,
            expected_version=form.cleaned_data["version"],
            data=form.service_data(),
        ),
        f"{STEP_TITLES[step]}: saved.",
    )
    if saved:
        return redirect("casework:review-detail", pk=review.pk)
    return render(
        request,
        "casework/simple_form.html",
        {"form": form, "title": STEP_TITLES[step], "caption": review.reference, "back_url": review.pk},
        status=status,
    )


@staff_view("casework.reviews.manage")
def review_recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(user=request.user, pk=pk, request=request, audit=False)
    if not has_permission(request.user, "casework.reviews.manage", review):
        raise Http404("Not found")
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_recommendation(actor=request.user, review=review, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            messages.success(request, "The recommendation has been recorded.")
            return redirect("casework:review-detail", pk=review.pk)
    return render(
        request,
        "casework/simple_form.html",
        {"form": form, "title": "Add a recommendation", "caption": review.reference, "back_url": review.pk},
    )


def review_statistics_public(request: HttpRequest) -> HttpResponse:
    """Published each year: how many applications, how many met the threshold, reviews and recommendations."""
    return render(
        request, "casework/public_review_statistics.html", {"years": selectors.published_statistics()}
    )


# --- the public's online application and its progress page (no sign-in) -------------------------------

# Applications from one address (IPv6 by its /64) in an hour; more are refused and nothing is saved.
APPLICATIONS_PER_HOUR = "5/hour"


def _form(request: HttpRequest) -> CaseReviewApplicationForm:
    choices = [(d.area.code, f"{d.area.name} ({d.council.name})") for d in selectors.districts()]
    return CaseReviewApplicationForm(
        request.POST or None, districts=choices, applying_for=services.APPLYING_FOR
    )


def _applied(request: HttpRequest, data: Mapping[str, Any]) -> HttpResponse:
    application = services.apply(data=dict(data), language=request.LANGUAGE_CODE)
    return redirect(services.progress_url(application.key) + "?sent=1")


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if request.method == "POST":
        answered = take_public_form(
            request,
            form,
            problems=lambda data: services.problems(dict(data)),
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
    review = selectors.find(key)
    if review is None:
        raise Http404("Not found")
    response = render(
        request,
        "casework/public_review_progress.html",
        {
            "review": review,
            "status": selectors.STATUS_WORDS.get(review.status, review.get_status_display()),
            "steps": selectors.progress(review),
            "sent": request.GET.get("sent") == "1",
            "decide_days": selectors.config("review_decide_days"),
        },
    )
    return keep_link_private(response)  # the link is the applicant's key
