"""Staff pages for ASB case reviews, and the public page of annual statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.forms import save_form
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_view

from . import lists, reviews
from .forms_risk import CaseReviewRequestForm, RecommendationForm, ReviewStepForm

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
            review = reviews.record_request(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            check = reviews.check_threshold(review)
            messages.success(request, f"Case review request {review.reference} recorded. {check.summary}")
            return redirect("casework:review-detail", pk=review.pk)
    return render(
        request,
        "casework/simple_form.html",
        {"form": form, "title": "Record an ASB case review request", "back": "casework:review-list"},
    )


@staff_view("casework.reviews.view")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = reviews.get_review(user=request.user, pk=pk, request=request)
    can_manage = has_permission(request.user, "casework.reviews.manage", review)
    return render(
        request,
        "casework/review_detail.html",
        {
            "review": review,
            "check": reviews.check_threshold(review),
            "timeline": reviews.timeline(review),
            "timeline_covered": reviews.timeline_covered(review),
            "can_manage": can_manage,
            "can_appeal": can_manage or reviews.hears_appeals(request.user, review),
            "steps": STEP_TITLES,
        },
    )


@staff_view("casework.reviews.view")
def review_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_TITLES:
        raise Http404("No such step")
    review = reviews.get_review(user=request.user, pk=pk, request=request, audit=False)
    allowed = has_permission(request.user, "casework.reviews.manage", review) or (
        step == "appeal" and reviews.hears_appeals(request.user, review)
    )
    if not allowed:
        raise Http404("Not found")
    form = ReviewStepForm(request.POST or None, step=step, initial={"version": review.version})
    saved, status = save_form(
        request,
        form,
        lambda form: reviews.record_step(
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
    review = reviews.get_review(user=request.user, pk=pk, request=request, audit=False)
    if not has_permission(request.user, "casework.reviews.manage", review):
        raise Http404("Not found")
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.add_recommendation(actor=request.user, review=review, data=form.cleaned_data)
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
        request, "casework/public_review_statistics.html", {"years": reviews.published_statistics()}
    )
