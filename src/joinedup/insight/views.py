"""Staff pages: the strategic assessment of an area with its downloads (insight.calculation), the saved
assessments (models.SavedAssessment) and the scoring scheme. The import pages are insight.imports.views."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from joinedup.core.audit import record_event
from joinedup.core.exports import csv_response
from joinedup.core.forms import form_page, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.models import Area, EventType
from joinedup.core.pdf import pdf_response
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.views.base import deny, get_allowed_object, staff_view
from joinedup.insight import selectors, services
from joinedup.insight.calculation import LONG_CSV_HEADER, AssessmentError, as_long_rows, assess
from joinedup.insight.documents import PRINT_TEMPLATE, outputs, print_context, saved_document
from joinedup.insight.forms import (
    AssessmentForm,
    NarrativeForm,
    SaveAssessmentForm,
    SchemeForm,
    ThemeForm,
    VersionForm,
)
from joinedup.insight.lists import ASSESSABLE, SAVED_ASSESSMENTS
from joinedup.insight.models import PoliceDataImport, SavedAssessment
from joinedup.insight.priorities import ENTERED, FACTOR_LABELS, concern_rule, method_text


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


@staff_view("insight.assess")
def assessment(request: HttpRequest) -> HttpResponse:
    form, result, message = _assessment(request)
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "message": message,
        "query": request.GET.urlencode(),
        "can_see_imports": has_permission(request.user, "insight.imports.view"),
        "can_save": has_permission(request.user, "insight.assessments.change"),
    }
    if result:
        context.update(outputs(result))
        area = Area.objects.get(code=result["area"]["code"])
        context["saved"] = selectors.saved_assessments(request.user, area=area)[:5]
        # This period already saved: the page links to it (or offers a new edition) instead of saving again.
        context["saved_edition"] = selectors.latest_edition(request.user, area, result["from"], result["to"])
    return render(request, "insight/assessment.html", context)


@staff_view("insight.assess")
def assessment_pdf(request: HttpRequest) -> HttpResponse:
    _form, result, message = _assessment(request)
    if result is None:
        return _not_assessed(message)
    return pdf_response(
        request,
        template=PRINT_TEMPLATE,
        context=print_context(result, record=None, user=request.user),
        filename=_download_name(result),
        object_type="insight.assessment",
    )


def _download_name(result: dict[str, Any], extension: str = "") -> str:
    """The file name of an assessment's download (without the extension when none is given)."""
    stem = f"assessment-{result['area']['code']}-{result['from']}-{result['to']}"
    return f"{stem}.{extension}" if extension else stem


def _not_assessed(message: str | None) -> HttpResponse:
    """A download asked for with no assessment to give: why, as plain text (422)."""
    return HttpResponse(message or "Choose an area and valid months.", content_type="text/plain", status=422)


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
        return _not_assessed(message)
    return csv_response(
        request,
        name=_download_name(result),
        header=LONG_CSV_HEADER,
        rows=as_long_rows(result),
        object_type="insight.assessment",
        filters={"area": result["area"]["code"], "from": result["from"], "to": result["to"]},
    )


# --- saved assessments ------------------------------------------------------------------------------


def _problem(exc: ValidationError | AssessmentError) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(m for messages_ in exc.message_dict.values() for m in messages_)
    return str(exc)


def _record(request: HttpRequest, pk: int, action: str = "insight.assessments.view") -> SavedAssessment:
    return get_allowed_object(request, SavedAssessment.objects.select_related("area"), action, pk=pk)


def _record_context(request: HttpRequest, record: SavedAssessment) -> dict[str, Any]:
    can_change = has_permission(request.user, "insight.assessments.change", record)
    rows = selectors.priority_matrix(record)
    show = request.GET.get("show", "")
    # The matrix filtered to a subset (the top ten, or those not fully scored), so it can be read at once.
    shown = {"top": rows[:10], "unscored": [row for row in rows if not row["complete"]]}.get(show, rows)
    return {
        "record": record,
        "result": record.results,
        "matrix": shown,
        "matrix_total": len(rows),
        "matrix_show": show if show in ("top", "unscored") else "",
        "method": method_text(record.scheme) if record.scheme else None,
        "factors": FACTOR_LABELS,
        "can_change": can_change and not record.is_published,
        "can_start_edition": can_change and record.is_published,
        "editions": selectors.saved_assessments(request.user, area=record.area).filter(
            from_month=record.from_month, to_month=record.to_month
        ),
        "imports": PoliceDataImport.objects.filter(pk__in=record.import_ids).order_by("pk"),
        **outputs(record.results),
    }


saved_list = list_view(SAVED_ASSESSMENTS)


@staff_view("insight.assessments.change")
@require_POST
def saved_create(request: HttpRequest) -> HttpResponse:
    form = SaveAssessmentForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose an area and months to save.", content_type="text/plain", status=422)
    area = get_allowed_object(
        request, Area.objects.filter(level__in=ASSESSABLE), "insight.assess", code=form.cleaned_data["area"]
    )
    try:
        record = services.create_assessment(
            actor=request.user,
            area=area,
            from_month=form.cleaned_data["from_month"] or None,
            to_month=form.cleaned_data["to_month"] or None,
        )
    except NotAllowed:
        raise deny(request, "insight.assessments.change") from None
    except services.AlreadySaved as exc:
        # Nothing new is saved: the person is taken to the assessment that exists, which says what to do.
        messages.error(request, str(exc))
        return redirect("insight:saved-detail", pk=exc.existing.pk)
    except (ValidationError, AssessmentError) as exc:
        # Back to the assessment page, which shows why (for example, no data in the store yet).
        messages.error(request, _problem(exc))
        query = {k: v for k, v in form.cleaned_data.items() if v}
        return redirect(f"{reverse('insight:assessment')}?{urlencode(query)}")
    messages.success(request, f"Saved as a draft: {record.title}.")
    return redirect("insight:saved-detail", pk=record.pk)


@staff_view("insight.assessments.view")
def saved_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return render(request, "insight/saved_detail.html", _record_context(request, record))


@staff_view("insight.assessments.change")
def saved_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "insight.assessments.change")
    form = NarrativeForm(
        request.POST or None,
        initial={"title": record.title, "narrative": record.narrative, "version": record.version},
    )
    return form_page(
        request,
        form,
        service_save(request, services.update_assessment, versioned=True, assessment=record),
        "The narrative has been saved.",
        done=lambda _saved: reverse("insight:saved-detail", args=[record.pk]),
        template="insight/saved_form.html",
        context={"record": record, "title": f"Narrative: {record.title}"},
    )


def _priority_rows(
    record: SavedAssessment, data: Any = None, derived: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """One row per candidate for the priorities form: the saved values, or what was just posted, and what
    engagement gives for its community concern."""
    rows = []
    for index, priority in enumerate(record.priorities.all()):
        values = {
            name: getattr(priority, name) for name in ("harm", *ENTERED, "override_rank", "override_reason")
        }
        values["concern_from_engagement"] = "yes" if priority.concern_source else ""
        if data is not None:
            values = {name: data.get(f"p{index}-{name}", "") for name in values}
        rows.append(
            {
                "index": index,
                "priority": priority,
                "values": values,
                "factors": [(name, FACTOR_LABELS[name], values[name]) for name in ENTERED],
                "derived": (derived or {}).get(priority.key),
            }
        )
    return rows


def _attempt(change: Callable[[], Any], *, invalid: int = 200) -> tuple[list[str], int]:
    """Run a change that has no form to carry its problems: every problem the service finds, with status
    `invalid`, or the conflict message with 409 for a stale version; no problems when it was saved."""
    try:
        change()
    except ValidationError as exc:
        return [m for ms in exc.message_dict.values() for m in ms], invalid
    except ConflictError as exc:
        return [str(exc)], 409
    return [], 200


@staff_view("insight.assessments.change")
def saved_priorities(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "insight.assessments.change")
    errors: list[str] = []
    status = 200
    posted = request.POST if request.method == "POST" else None
    # The analyst enters harm only where the data gives none (ASB has no severity weight).
    needs_harm = {
        row["key"] for row in selectors.priority_matrix(record) if row["factors"]["harm"]["source"] != "data"
    }
    if posted is not None:
        entries = {}
        for row in _priority_rows(record, posted):
            entry = dict(row["values"])
            if row["priority"].key not in needs_harm:
                entry.pop("harm", None)
            entries[row["priority"].key] = entry
        version = VersionForm(posted)
        version.is_valid()
        errors, status = _attempt(
            lambda: services.save_priorities(
                actor=request.user,
                assessment=record,
                expected_version=version.cleaned_data.get("version") or 0,
                entries=entries,
            )
        )
        if not errors:
            messages.success(request, "The priorities have been saved.")
            return redirect(f"{reverse('insight:saved-detail', args=[record.pk])}#priorities")
    scale = record.scheme.get("scale_max", 5)
    theme_form = ThemeForm(
        initial={"version": record.version},
        crime_types=[row["crime_type"] for row in record.results.get("by_crime_type", [])],
    )
    return render(
        request,
        "insight/saved_priorities.html",
        {
            "record": record,
            "rows": _priority_rows(record, posted, selectors.engagement_concern(record)),
            "errors": errors,
            "scores": list(range(1, scale + 1)),
            "factors": [(name, FACTOR_LABELS[name]) for name in ENTERED],
            "needs_harm": needs_harm,
            "theme_form": theme_form,
            "matrix": selectors.priority_matrix(record),
            "method": method_text(record.scheme),
        },
        status=status,
    )


@staff_view("insight.assessments.view")
def saved_concern(request: HttpRequest, pk: int) -> HttpResponse:
    """Community concern from engagement, candidate by candidate: what the saved score was taken from, and
    what engagement in the area and period gives now, with the meetings and consultations counted."""
    record = _record(request, pk)
    derived = selectors.engagement_concern(record)
    rows = [
        {"priority": priority, "saved": priority.concern_source or None, "now": derived.get(priority.key)}
        for priority in record.priorities.all()
    ]
    return render(
        request,
        "insight/saved_concern.html",
        {
            "record": record,
            "rows": rows,
            "now": next(iter(derived.values()), None),
            "rule": concern_rule(record.scheme.get("scale_max", 5)) if record.scheme else "",
            "can_change": has_permission(request.user, "insight.assessments.change", record)
            and not record.is_published,
        },
    )


@staff_view("insight.assessments.change")
@require_POST
def saved_theme(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "insight.assessments.change")
    form = ThemeForm(
        request.POST, crime_types=[row["crime_type"] for row in record.results.get("by_crime_type", [])]
    )

    def save(form: ThemeForm) -> Any:
        version = form.cleaned_data["version"] or 0
        return services.add_theme(
            actor=request.user, assessment=record, expected_version=version, **form.service_data()
        )

    return form_page(
        request,
        form,
        save,
        lambda _theme: f"The theme {form.cleaned_data['name']} has been added.",
        done=lambda _theme: reverse("insight:saved-priorities", args=[record.pk]),
        template="insight/saved_form.html",
        context={"record": record, "title": f"Add a theme: {record.title}"},
    )


@staff_view("insight.assessments.change")
@require_POST
def saved_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "insight.assessments.change")
    form = VersionForm(request.POST)
    form.is_valid()
    gaps = selectors.publication_gaps(record)
    if gaps and request.POST.get("confirm") != "yes":
        # Publishing cannot be undone: say what is missing and ask again.
        return render(
            request,
            "insight/saved_publish_confirm.html",
            {"record": record, "gaps": gaps, "version": form.cleaned_data.get("version") or record.version},
        )
    errors, status = _attempt(
        lambda: services.publish_assessment(
            actor=request.user, assessment=record, expected_version=form.cleaned_data.get("version") or 0
        ),
        invalid=422,
    )
    if not errors:
        messages.success(request, f"Published: {record.title}. It can no longer be changed.")
        return redirect("insight:saved-detail", pk=record.pk)
    record = _record(request, pk)
    context = _record_context(request, record)
    context["publish_errors"] = errors
    return render(request, "insight/saved_detail.html", context, status=status)


@staff_view("insight.assessments.change")
@require_POST
def saved_new_edition(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk, "insight.assessments.change")
    try:
        edition = services.start_new_edition(actor=request.user, assessment=record)
    except services.AlreadySaved as exc:
        messages.error(request, str(exc))
        return redirect("insight:saved-detail", pk=exc.existing.pk)
    except (ValidationError, AssessmentError) as exc:
        messages.error(request, _problem(exc))
        return redirect("insight:saved-detail", pk=record.pk)
    messages.success(request, f"Edition {edition.edition} started as a draft from edition {record.edition}.")
    return redirect("insight:saved-detail", pk=edition.pk)


@staff_view("insight.assessments.view")
def saved_history(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    entries = field_history(record, hidden=("scheme",))
    for priority in record.priorities.all():
        hidden = ("assessment", "key", "crime_types", "is_theme", "concern_source")
        for entry in field_history(priority, hidden=hidden):
            entry.action = f"{entry.action} {priority.label}"
            entries.append(entry)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return render(request, "insight/saved_history.html", {"record": record, "history": entries})


@staff_view("insight.assessments.view")
def saved_json(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    record_event(
        EventType.EXPORT,
        request=request,
        object_type="insight.savedassessment",
        object_id=str(record.pk),
        detail={"format": "json"},
    )
    response = HttpResponse(
        json.dumps(selectors.assessment_record(record), indent=2, ensure_ascii=False, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="strategic-assessment-{record.pk}.json"'
    return response


@staff_view("insight.assessments.view")
def saved_csv(request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    record = _record(request, pk)
    prefix = [record.area.code, record.area.name, record.from_month, record.to_month]
    rows = as_long_rows(record.results)
    for row in selectors.priority_matrix(record):
        values = {
            "rank": row["rank"],
            "computed_rank": row["computed_rank"],
            "score": row["score"],
            **{f"{name}_score": factor["score"] for name, factor in row["factors"].items()},
            "concern_source": row["factors"]["concern"].get("summary", row["factors"]["concern"]["source"]),
            "override_reason": row["override_reason"],
        }
        rows += [[*prefix, "priorities", row["label"], measure, value] for measure, value in values.items()]
    return csv_response(
        request,
        name=f"strategic-assessment-{record.pk}",
        header=LONG_CSV_HEADER,
        rows=rows,
        object_type="insight.savedassessment",
        filters={"id": record.pk},
    )


@staff_view("insight.assessments.view")
def saved_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return pdf_response(
        request,
        content=saved_document(record),
        filename=f"{record.title} edition {record.edition}",
        object_type="insight.savedassessment",
        object_id=record.pk,
    )


@staff_view("insight.scheme.change")
def scheme_edit(request: HttpRequest) -> HttpResponse:
    scheme = selectors.current_scheme()
    current = scheme.as_dict()
    initial = {
        "name": scheme.name,
        "scale_max": scheme.scale_max,
        "position_weight": scheme.position_weight,
        "version": scheme.version,
        **{
            f"{name}_bands": ", ".join(f"{b:g}" for b in current[f"{name}_bands"])
            for name in ("harm", "volume", "trend")
        },
        **{f"{factor}_weight": weight for factor, weight in current["weights"].items()},
    }
    return form_page(
        request,
        SchemeForm(request.POST or None, initial=initial),
        service_save(request, services.update_scheme, versioned=True, scheme=scheme),
        "The scoring scheme has been saved. Assessments saved from now on use it.",
        done=lambda _scheme: reverse("insight:scheme"),
        template="insight/scheme.html",
        context={"scheme": scheme, "method": method_text(current), "history": field_history(scheme)},
    )
