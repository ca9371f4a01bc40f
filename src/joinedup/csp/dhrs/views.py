"""Staff pages for domestic homicide reviews: the register, a review and its recommendations."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from joinedup.core.lists import list_view
from joinedup.core.views.base import get_allowed_object, staff_view

from .. import lists, selectors
from ..models import DhrRecommendation, DomesticHomicideReview
from ..views import Addition, Change, add_view, change_view, csp_create, csp_or_404, item_or_404, record_page
from . import services
from .forms import DhrForm, DhrRecommendationForm

dhr_list = list_view(lists.DHRS)


@staff_view("csp.dhr.view")
def dhr_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(
        request, DomesticHomicideReview.objects.select_related("csp"), "csp.dhr.view", pk=pk
    )
    return record_page(
        request,
        "csp/dhr_detail.html",
        "review",
        review,
        "csp.dhr.change",
        stages=selectors.dhr_stages(review, today=timezone.localdate()),
        recommendations=review.recommendations.select_related("agency"),
    )


@staff_view("csp.dhr.change")
def dhr_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.dhr.change")
    added, title = (
        "The review has been added to the register.",
        f"Add a domestic homicide review — {csp.name}",
    )
    form = DhrForm(request.POST or None)
    return csp_create(request, csp, form, services.create_dhr, added, title=title, to="csp:dhr-detail")


@staff_view("csp.dhr.change")
def dhr_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(request, DomesticHomicideReview.objects.all(), "csp.dhr.change", pk=pk)
    change = Change(review, services.DHR_FIELDS, services.update_dhr, "review")
    form = change.form(request, DhrForm)
    return change_view(request, change, form, title=f"Edit {review.case_reference}", to="csp:dhr-detail")


@staff_view("csp.dhr.change")
def dhr_recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(request, DomesticHomicideReview.objects.all(), "csp.dhr.change", pk=pk)
    addition = Addition(review, "review", services.add_dhr_recommendation, "csp:dhr-detail", review.pk)
    form, title = (
        DhrRecommendationForm(request.POST or None),
        f"Add a recommendation — {review.case_reference}",
    )
    return add_view(request, addition, form, "The recommendation has been added.", title=title)


@staff_view("csp.dhr.change")
def dhr_recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = DhrRecommendation.objects.filter(
        review__in=DomesticHomicideReview.objects.restrict(request.user, "csp.dhr.change")
    ).select_related("review")
    item = item_or_404(request, queryset, pk, "csp.dhr.change", check=False)
    change = Change(item, services.DHR_RECOMMENDATION_FIELDS, services.update_dhr_recommendation, "item")
    form = change.form(request, DhrRecommendationForm)
    return change_view(
        request, change, form, title="Edit a recommendation", to="csp:dhr-detail", pk=item.review_id
    )
