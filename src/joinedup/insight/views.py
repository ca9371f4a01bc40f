"""Staff pages: the record of police data imports, and the strategic assessment with its downloads."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from joinedup.core.audit import record_event
from joinedup.core.exports import csv_response
from joinedup.core.models import Area, AreaLevel, EventType
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.views.base import get_allowed_object, staff_view
from joinedup.insight.assessment import LONG_CSV_HEADER, AssessmentError, as_long_rows, assess
from joinedup.insight.forms import AssessmentForm
from joinedup.insight.models import PoliceDataImport

ASSESSABLE = (AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD)


@staff_view("insight.imports.view")
def import_list(request: HttpRequest) -> HttpResponse:
    imports = restrict(PoliceDataImport.objects.all(), request.user, "insight.imports.view")
    page = Paginator(imports, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "insight/import_list.html",
        {
            "page_obj": page,
            "count": page.paginator.count,
            "can_import": has_permission(request.user, "insight.import"),
        },
    )


REFRESH_SECONDS = 5


@staff_view("insight.imports.view")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_allowed_object(request, PoliceDataImport.objects.all(), "insight.imports.view", pk=pk)
    rejected = Paginator(record.rejected_rows.all(), 100).get_page(request.GET.get("page"))
    flags = [(name.replace("_", " ").capitalize(), count) for name, count in (record.flags or {}).items()]
    # While the import runs the page reloads itself (an HTTP Refresh header: no JavaScript needed), unless
    # the reader turned that off.
    refreshing = record.in_progress and request.GET.get("refresh") != "off"
    response = render(
        request,
        "insight/import_detail.html",
        {
            "record": record,
            "page_obj": rejected,
            "flags": flags,
            "refreshing": refreshing,
            "every": REFRESH_SECONDS,
        },
    )
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def _areas(request: HttpRequest) -> Any:
    return restrict(Area.objects.filter(level__in=ASSESSABLE), request.user, "insight.assess")


def _assessment(request: HttpRequest) -> tuple[AssessmentForm, dict[str, Any] | None, str]:
    """The form and, if it names an area the user may assess, the assessment (or a message why not)."""
    form = AssessmentForm(request.GET or None, areas=_areas(request))
    if not request.GET.get("area"):
        return AssessmentForm(areas=_areas(request)), None, ""
    # An area outside the user's scope is answered as not found, before the form's choice check.
    get_allowed_object(
        request, Area.objects.filter(level__in=ASSESSABLE), "insight.assess", code=request.GET["area"]
    )
    if not form.is_valid():
        return form, None, ""
    data = form.cleaned_data
    try:
        result = assess(data["area"], data["from_month"] or None, data["to_month"] or None)
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
        return form, None, ""
    except AssessmentError as exc:
        return form, None, str(exc)
    return form, result, ""


def _charts(result: dict[str, Any]) -> dict[str, Any]:
    """Bar lengths (percent of the largest value) for the simple HTML bar charts beside the tables."""
    monthly = result["monthly"]
    top = max((m["crimes_excl_asb"] for m in monthly), default=0) or 1
    bars = [
        {"month": m["month"], "value": m["crimes_excl_asb"], "pct": round(m["crimes_excl_asb"] * 100 / top)}
        for m in monthly
    ]
    types = list(result["by_crime_type"])
    top_type = max((t["count"] for t in types), default=0) or 1
    type_bars = [
        {"label": t["crime_type"], "value": t["count"], "pct": round(t["count"] * 100 / top_type)}
        for t in types
    ]
    return {"monthly": bars, "by_crime_type": type_bars}


@staff_view("insight.assess")
def assessment(request: HttpRequest) -> HttpResponse:
    form, result, message = _assessment(request)
    return render(
        request,
        "insight/assessment.html",
        {
            "form": form,
            "result": result,
            "message": message,
            "charts": _charts(result) if result else None,
            "query": request.GET.urlencode(),
            "can_see_imports": has_permission(request.user, "insight.imports.view"),
        },
    )


def _download_name(result: dict[str, Any], extension: str) -> str:
    return f"assessment-{result['area']['code']}-{result['from']}-{result['to']}.{extension}"


@staff_view("insight.assess")
def assessment_json(request: HttpRequest) -> HttpResponse:
    form, result, message = _assessment(request)
    if result is None:
        errors = {k: [str(e) for e in v] for k, v in form.errors.items()} if form.errors else {}
        body = {"detail": message or "Choose an area and valid months.", "errors": errors}
        return HttpResponse(json.dumps(body), content_type="application/json", status=422)
    record_event(
        EventType.EXPORT,
        request=request,
        object_type="insight.assessment",
        detail={"format": "json", "area": result["area"]["code"], "from": result["from"], "to": result["to"]},
    )
    response = HttpResponse(
        json.dumps(result, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(result, "json")}"'
    return response


@staff_view("insight.assess")
def assessment_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    _form, result, message = _assessment(request)
    if result is None:
        return HttpResponse(
            message or "Choose an area and valid months.", content_type="text/plain", status=422
        )
    return csv_response(
        request,
        name=f"assessment-{result['area']['code']}-{result['from']}-{result['to']}",
        header=LONG_CSV_HEADER,
        rows=as_long_rows(result),
        object_type="insight.assessment",
        filters={"area": result["area"]["code"], "from": result["from"], "to": result["to"]},
    )
