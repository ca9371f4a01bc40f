"""Public pages for applying online for an ASB case review and following its progress (no sign-in)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from joinedup.core.throttling import RateLimit, caught_by_honeypot, throttle_address

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


@never_cache
def apply(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    status = 200
    if request.method == "POST":
        status = 400
        if caught_by_honeypot(request):
            form.is_valid()
            form.add_error(
                None, "We could not accept this application. Check your answers and send it again."
            )
        elif form.is_valid():
            problems = review_applications.problems(form.cleaned_data)
            if problems:
                form.add_service_errors(problems)
            # Only applications that would be saved count towards the limit, so correcting mistakes never
            # locks anyone out.
            elif not RateLimit("case-review-application", APPLICATIONS_PER_HOUR).allow(
                throttle_address(request) or "unknown"
            ):
                return render(request, "casework/public_review_apply_limited.html", status=429)
            else:
                application = review_applications.apply(data=form.cleaned_data)
                return redirect(review_applications.progress_url(application.key) + "?sent=1")
        else:  # a field too long for its box: say so, with every other problem
            problems = review_applications.problems(form.cleaned_data)
            form.add_service_errors({k: v for k, v in problems.items() if k not in form.errors})
    return render(
        request,
        "casework/public_review_apply.html",
        {
            "form": form,
            "has_districts": len(form.fields["district"].widget.choices) > 1,
        },
        status=status,
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
    # The link is the applicant's key: never indexed, never sent on as a referrer.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
