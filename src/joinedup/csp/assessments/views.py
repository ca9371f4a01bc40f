"""Staff pages for a CSP's strategic assessments: published from a document or link, or adopted from the
insight store."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from joinedup.core.forms import run_service, service_save
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import deny, get_allowed_object, staff_user, staff_view

from ..duties import current_year, year_label
from ..models import StrategicAssessment
from ..views import Change, change_view, csp_or_404, form_view, record_page
from . import services
from .forms import AssessmentForm


@staff_view("csp.change")
def assessment_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.change")
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": current_year(timezone.localdate()), "published_on": timezone.localdate()},
    )
    return form_view(
        request,
        form,
        service_save(
            request,
            services.save_assessment,
            csp=csp,
            document=request.FILES.get("document"),
            evidence_url=lambda item: request.build_absolute_uri(
                reverse("csp:assessment-detail", kwargs={"pk": item.pk})
            ),
        ),
        "The strategic assessment has been published.",
        title=f"Publish a strategic assessment — {csp.name}",
        to="csp:assessment-detail",
        back=f"/staff/csp/{csp.code}/",
    )


@require_POST
@staff_view("csp.change")
def assessment_adopt(request: HttpRequest, code: str) -> HttpResponse:
    """Record a published insight assessment of the CSP's area as its strategic assessment (no upload)."""
    from joinedup.insight.models import SavedAssessment as InsightAssessment

    csp = csp_or_404(request, code, "csp.change")
    try:
        pk = int(request.POST.get("saved", ""))
    except ValueError:
        pk = 0
    saved = InsightAssessment.objects.filter(pk=pk, area=csp).first()
    if saved is None or not has_permission(request.user, "insight.assessments.view", saved):
        raise deny(request, "insight.assessments.view", obj=saved)
    done, item = run_service(
        request,
        lambda: services.adopt_insight_assessment(
            actor=staff_user(request),
            csp=csp,
            saved=saved,
            evidence_url=lambda item: request.build_absolute_uri(
                reverse("csp:assessment-detail", kwargs={"pk": item.pk})
            ),
        ),
        lambda item: f"{item.title} is now the CSP's strategic assessment for {year_label(item.year)}.",
    )
    if not done:
        return redirect("csp:csp-detail", code=csp.code)
    return redirect("csp:assessment-detail", pk=item.pk)


@staff_view("csp.view")
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(
        request, StrategicAssessment.objects.select_related("csp", "insight_assessment"), "csp.view", pk=pk
    )
    saved = item.insight_assessment
    readable = saved is not None and has_permission(request.user, "insight.assessments.view", saved)
    priorities = item.priorities.select_related("plan")
    return record_page(
        request,
        "csp/assessment_detail.html",
        "item",
        item,
        "csp.change",
        saved_is_readable=readable,
        priorities=priorities,
    )


@staff_view("csp.view")
def assessment_document(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, StrategicAssessment.objects.select_related("csp"), "csp.view", pk=pk)
    if not item.document:
        raise deny(request, "csp.view", obj=item)
    with item.document.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=item.document_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, item.document_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view("csp.change")
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, StrategicAssessment.objects.select_related("csp"), "csp.change", pk=pk)
    target = {"csp": item.csp, "document": request.FILES.get("document")}
    change = Change(item, services.ASSESSMENT_FIELDS, services.save_assessment, "assessment", target=target)
    form = change.form(request, AssessmentForm, request.FILES or None)
    return change_view(request, change, form, title=f"Edit {item.title}", to="csp:assessment-detail")
