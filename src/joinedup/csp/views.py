"""Staff pages: the compliance grid, duties due, a CSP's duties, DHRs, plans, reports required by the PCC,
strategic assessments and briefing notes (the Panel's pages are joinedup.scrutiny.views)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from joinedup.core.forms import save_form, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.models import Area, AreaLevel, Organisation, ResponsibleAuthorityType
from joinedup.core.pdf import pdf_response
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import deny, get_allowed_object, staff_view

from . import lists, selectors, services
from .duties import DUTIES_BY_KEY, STATUTORY_DUTIES, current_year, year_label
from .forms import (
    ActionForm,
    ActionUpdateForm,
    AssessmentForm,
    BriefingNoteForm,
    DhrForm,
    DhrRecommendationForm,
    DutyRecordForm,
    PlanForm,
    PriorityForm,
    RequirementForm,
    RequirementResponseForm,
    VersionedForm,
)
from .models import (
    BriefingNote,
    BriefingStatus,
    CspAction,
    CspPlan,
    CspPriority,
    DhrRecommendation,
    DomesticHomicideReview,
    DutyRecord,
    ReportRequirement,
    StrategicAssessment,
)


def _csp_or_404(request: HttpRequest, code: str, action: str) -> Area:
    csp = Area.objects.filter(level=AreaLevel.CSP, code=code).select_related("pfa").first()
    if csp is None or not has_permission(request.user, action, csp):
        raise deny(request, action, obj=csp)
    return csp


def _force_area_choice(request: HttpRequest) -> tuple[list[Area], Area | None]:
    """The force areas the user works in, and the one asked for (``?force_area=``), else the first."""
    force_areas = list(selectors.force_areas_for(request.user))
    code = request.GET.get("force_area")
    return force_areas, next(
        (a for a in force_areas if a.code == code), force_areas[0] if force_areas else None
    )


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year(timezone.localdate())
    return year if 2000 <= year <= 2100 else current_year(timezone.localdate())


def _form_page(
    request: HttpRequest, form: VersionedForm, title: str, back: str, status: int = 200
) -> HttpResponse:
    return render(request, "csp/form.html", {"form": form, "title": title, "back": back}, status=status)


def _form_view(
    request: HttpRequest,
    form: VersionedForm,
    save: Callable[[Any], Any],
    success: str,
    *,
    title: str,
    to: str,
    pk: int | None = None,
    back: str | None = None,
) -> HttpResponse:
    """A form page: on a valid POST `save` the form, say `success` and go to the page `to` of `pk` (of what
    was saved when no `pk`); otherwise show the form, with every problem, and a way `back` (by default the
    page `to`)."""
    saved, status = save_form(request, form, save, success)
    if saved:
        return redirect(to, pk=saved.pk if pk is None else pk)
    return _form_page(request, form, title, back or reverse(to, kwargs={"pk": pk}), status)


def _initial(obj: Any, fields: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    """A change form's starting values: the version the record is read at, `extra` and its `fields`."""
    return {"version": obj.version, **extra, **{name: getattr(obj, name) for name in fields}}


SAVED = "Your changes have been saved."


@dataclass(frozen=True)
class Change:
    """What a change page saves: `record` (its `fields` are the form's starting values, with `initial`),
    through the versioned service `update`, which takes the record as the keyword `as_` (and `target`)."""

    record: Any
    fields: tuple[str, ...]
    update: Callable[..., Any]
    as_: str
    initial: dict[str, Any] = field(default_factory=dict)
    target: dict[str, Any] = field(default_factory=dict)

    def form(self, request: HttpRequest, form_class: Any, *files: Any, **form_kwargs: Any) -> Any:
        """The change form, bound to the request's POST (and `files`), starting from the record."""
        initial = _initial(self.record, self.fields, **self.initial)
        return form_class(request.POST or None, *files, initial=initial, **form_kwargs)

    def save(self, request: HttpRequest) -> Callable[[Any], Any]:
        return service_save(request, self.update, versioned=True, **{self.as_: self.record}, **self.target)


def _record_page(
    request: HttpRequest, template: str, name: str, record: Any, change: str, **context: Any
) -> HttpResponse:
    """A record's page: the record (as `name`), its change history, whether the user may `change` it (a
    permission), and `context`."""
    can_change = has_permission(request.user, change, record)
    return render(
        request,
        template,
        {name: record, "history": field_history(record), "can_change": can_change, **context},
    )


def _csp_create(
    request: HttpRequest,
    csp: Area,
    form: Any,
    create: Callable[..., Any],
    success: str,
    *,
    title: str,
    to: str,
) -> HttpResponse:
    """A page adding a record to `csp` with the service `create`, then to the new record's page `to`; the way
    back is the CSP's page."""
    save = service_save(request, create, csp=csp)
    return _form_view(request, form, save, success, title=title, to=to, back=f"/staff/csp/{csp.code}/")


@dataclass(frozen=True)
class Addition:
    """What an adding page saves: a new record under `parent`, through the service `create`, which takes the
    parent as the keyword `as_`; then the page `to` of `pk` (the parent's page)."""

    parent: Any
    as_: str
    create: Callable[..., Any]
    to: str
    pk: int


def _add_view(
    request: HttpRequest, addition: Addition, form: Any, success: str, *, title: str
) -> HttpResponse:
    """An adding page: `form` saved by `addition`, saying `success`."""
    save = service_save(request, addition.create, **{addition.as_: addition.parent})
    return _form_view(request, form, save, success, title=title, to=addition.to, pk=addition.pk)


def _change_view(
    request: HttpRequest,
    change: Change,
    form: Any,
    *,
    title: str,
    to: str,
    pk: int | None = None,
    success: str = SAVED,
) -> HttpResponse:
    """A change page: `form` (from `change.form`) saved by `change`, then the page `to` of `pk` (by default
    the record's own)."""
    return _form_view(
        request,
        form,
        change.save(request),
        success,
        title=title,
        to=to,
        pk=change.record.pk if pk is None else pk,
    )


def _item(request: HttpRequest, queryset: Any, pk: int, action: str, *, check: bool = True) -> Any:
    """The record `pk` of `queryset` the user may `action` (`check` False: `queryset` is already only
    what they may), or 404, the refusal audited."""
    item = queryset.filter(pk=pk).first()
    if item is None or (check and not has_permission(request.user, action, item)):
        raise deny(request, action, obj=item)
    return item


# --- duties -------------------------------------------------------------------------------------------


@staff_view("csp.view")
def grid(request: HttpRequest) -> HttpResponse:
    force_areas, force_area = _force_area_choice(request)
    year = _year(request)
    today = timezone.localdate()
    rows = (
        selectors.compliance_grid(user=request.user, force_area=force_area, year=year, today=today)
        if force_area
        else []
    )
    return render(
        request,
        "csp/grid.html",
        {
            "force_areas": force_areas,
            "force_area": force_area,
            "year": year,
            "year_label": year_label(year),
            "years": range(year - 2, year + 2),
            "duties": STATUTORY_DUTIES,
            "rows": rows,
        },
    )


@staff_view("csp.view")
def due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    records = list(selectors.duties_due(user=request.user, today=today))
    return render(
        request,
        "csp/due.html",
        {"items": selectors.duty_cells(records, today=today), "days": selectors.DUE_SOON_DAYS},
    )


@staff_view("csp.view")
def csp_detail(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.view")
    year = _year(request)
    today = timezone.localdate()
    records = list(
        DutyRecord.objects.restrict(request.user, "csp.view")
        .filter(csp=csp, year=year)
        .prefetch_related("signed_off_by")
        .order_by("due_date", "duty")
    )
    record = selectors.csp_record(csp)
    protocols = selectors.protocol_check(csp)
    return render(
        request,
        "csp/csp_detail.html",
        {
            "csp": csp,
            "year": year,
            "year_label": year_label(year),
            "years": range(year - 2, year + 2),
            "record": record,
            "authorities": record.authorities,
            "protocols": protocols,
            "can_see_protocols": has_permission(request.user, "csp.protocols.view", csp),
            "assessments": StrategicAssessment.objects.restrict(request.user, "csp.view").filter(csp=csp),
            "adoptable": selectors.adoptable_assessments(request.user, csp)
            if has_permission(request.user, "csp.change", csp)
            else [],
            "briefings": selectors.list_briefing_notes(user=request.user).filter(csp=csp)[:8],
            "quarter": selectors.current_quarter(today),
            "items": selectors.duty_cells(records, today=today, protocols=protocols),
            "missing_duties": len(STATUTORY_DUTIES) - len(records),
            "dhrs": selectors.list_dhrs(user=request.user).filter(csp=csp)
            if has_permission(request.user, "csp.dhr.view")
            else None,
            "can_change": has_permission(request.user, "csp.change", csp),
            "can_add_dhr": has_permission(request.user, "csp.dhr.change", csp),
            "plans": CspPlan.objects.restrict(request.user, "csp.view").filter(csp=csp),
            "can_require_report": has_permission(request.user, "csp.reports.require", csp),
        },
    )


@require_POST
@staff_view("csp.change")
def duty_year_start(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.change")
    try:
        year = int(request.POST.get("year") or current_year(timezone.localdate()))
    except ValueError:
        year = 0
    try:
        created = services.start_duty_year(actor=request.user, csp=csp, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{len(created)} duties added for {year_label(year)}.")
    return redirect(reverse("csp:csp-detail", kwargs={"code": csp.code}) + f"?year={year}")


@staff_view("csp.view")
def duty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_allowed_object(
        request, DutyRecord.objects.select_related("csp").prefetch_related("signed_off_by"), "csp.view", pk=pk
    )
    protocols = selectors.protocol_check(record.csp) if record.duty == "information_sharing" else None
    cell = selectors.duty_cell(
        DUTIES_BY_KEY[record.duty],
        record,
        today=timezone.localdate(),
        year_label=record.year_label,
        protocols=protocols,
    )
    duty = DUTIES_BY_KEY[record.duty]
    return _record_page(request, "csp/duty_detail.html", "record", record, "csp.change", duty=duty, cell=cell)


@staff_view("csp.change")
def duty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_allowed_object(request, DutyRecord.objects.select_related("csp"), "csp.change", pk=pk)
    authorities = (
        Organisation.objects.exclude(responsible_authority="")
        .filter(areas__in=selectors.areas_covering(record.csp))
        .distinct()
    )
    signed_off_by = list(record.signed_off_by.all())
    change = Change(
        record, services.DUTY_FIELDS, services.update_duty_record, "record", {"signed_off_by": signed_off_by}
    )
    form = change.form(request, DutyRecordForm, authorities=authorities)
    title = f"{record} — {record.csp.name}"
    return _change_view(
        request, change, form, title=title, to="csp:duty-detail", success="The duty record has been saved."
    )


# --- domestic homicide reviews -------------------------------------------------------------------------


dhr_list = list_view(lists.DHRS)


@staff_view("csp.dhr.view")
def dhr_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(
        request, DomesticHomicideReview.objects.select_related("csp"), "csp.dhr.view", pk=pk
    )
    return _record_page(
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
    csp = _csp_or_404(request, code, "csp.dhr.change")
    added, title = (
        "The review has been added to the register.",
        f"Add a domestic homicide review — {csp.name}",
    )
    form = DhrForm(request.POST or None)
    return _csp_create(request, csp, form, services.create_dhr, added, title=title, to="csp:dhr-detail")


@staff_view("csp.dhr.change")
def dhr_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(request, DomesticHomicideReview.objects.all(), "csp.dhr.change", pk=pk)
    change = Change(review, services.DHR_FIELDS, services.update_dhr, "review")
    form = change.form(request, DhrForm)
    return _change_view(request, change, form, title=f"Edit {review.case_reference}", to="csp:dhr-detail")


@staff_view("csp.dhr.change")
def dhr_recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(request, DomesticHomicideReview.objects.all(), "csp.dhr.change", pk=pk)
    addition = Addition(review, "review", services.add_dhr_recommendation, "csp:dhr-detail", review.pk)
    form, title = (
        DhrRecommendationForm(request.POST or None),
        f"Add a recommendation — {review.case_reference}",
    )
    return _add_view(request, addition, form, "The recommendation has been added.", title=title)


@staff_view("csp.dhr.change")
def dhr_recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = DhrRecommendation.objects.filter(
        review__in=DomesticHomicideReview.objects.restrict(request.user, "csp.dhr.change")
    ).select_related("review")
    item = _item(request, queryset, pk, "csp.dhr.change", check=False)
    change = Change(item, services.DHR_RECOMMENDATION_FIELDS, services.update_dhr_recommendation, "item")
    form = change.form(request, DhrRecommendationForm)
    return _change_view(
        request, change, form, title="Edit a recommendation", to="csp:dhr-detail", pk=item.review_id
    )


# --- partnership plans ----------------------------------------------------------------------------------


def _plan_queryset() -> Any:
    return CspPlan.objects.select_related("csp", "police_and_crime_plan")


@staff_view("csp.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.view", pk=pk)
    priorities = plan.priorities.select_related("strategic_assessment").prefetch_related(
        "pcc_priorities", "actions__owner", "actions__updates"
    )
    deleted = (
        CspPriority.history.filter(plan_id=plan.pk, history_type="-")
        .select_related("history_user")
        .order_by("-history_date")
    )
    return _record_page(
        request,
        "csp/plan_detail.html",
        "plan",
        plan,
        "csp.change",
        priorities=priorities,
        matrix=selectors.regard_matrix(plan),
        progress=selectors.plan_progress(plan),
        deleted=deleted,
    )


@staff_view("csp.change")
def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.change")
    added, title = "The partnership plan has been added.", f"Add a partnership plan — {csp.name}"
    form = PlanForm(request.POST or None, csp=csp)
    return _csp_create(request, csp, form, services.create_plan, added, title=title, to="csp:plan-detail")


@staff_view("csp.change")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.change", pk=pk)
    change = Change(plan, services.PLAN_FIELDS, services.update_plan, "plan")
    form = change.form(request, PlanForm, csp=plan.csp)
    return _change_view(request, change, form, title=f"Edit {plan.title}", to="csp:plan-detail")


@staff_view("csp.change")
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.change", pk=pk)
    addition = Addition(plan, "plan", services.save_priority, "csp:plan-detail", plan.pk)
    form = PriorityForm(request.POST or None, plan=plan)
    return _add_view(
        request, addition, form, "The priority has been added.", title=f"Add a priority — {plan.title}"
    )


def _owned(request: HttpRequest, queryset: Any, pk: int) -> Any:
    """A plan's part (priority or action) the user may change, or 404."""
    return _item(request, queryset, pk, "csp.change")


@staff_view("csp.change")
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    served = {"pcc_priorities": list(priority.pcc_priorities.all())}
    change = Change(
        priority,
        services.PRIORITY_FIELDS,
        services.save_priority,
        "priority",
        served,
        {"plan": priority.plan},
    )
    form = change.form(request, PriorityForm, plan=priority.plan)
    return _change_view(
        request, change, form, title=f"Edit {priority.title}", to="csp:plan-detail", pk=priority.plan_id
    )


@staff_view("csp.change")
def priority_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, with a reason, before a plan priority and its actions are deleted (kept in the history)."""
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    actions = list(priority.actions.all())
    errors: list[str] = []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            services.delete_priority(actor=request.user, priority=priority, reason=reason)
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
        else:
            messages.success(request, f"The priority “{priority.title}” has been deleted.")
            return redirect("csp:plan-detail", pk=priority.plan_id)
    return render(
        request,
        "csp/priority_delete.html",
        {"priority": priority, "actions": actions, "errors": errors, "reason": reason},
        status=422 if errors else 200,
    )


@staff_view("csp.change")
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    addition = Addition(priority, "priority", services.save_action, "csp:plan-detail", priority.plan_id)
    form = ActionForm(request.POST or None)
    return _add_view(
        request, addition, form, "The action has been added.", title=f"Add an action — {priority.title}"
    )


@staff_view("csp.change")
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _owned(request, CspAction.objects.select_related("priority__plan__csp"), pk)
    change = Change(
        action, services.ACTION_FIELDS, services.save_action, "action", target={"priority": action.priority}
    )
    form = change.form(request, ActionForm)
    return _change_view(
        request, change, form, title="Edit an action", to="csp:plan-detail", pk=action.priority.plan_id
    )


@staff_view("csp.change")
def action_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _owned(request, CspAction.objects.select_related("priority__plan__csp"), pk)
    addition = Addition(
        action, "action", services.add_action_update, "csp:plan-detail", action.priority.plan_id
    )
    form, title = ActionUpdateForm(request.POST or None), f"Record progress — {action}"
    return _add_view(request, addition, form, "The progress update has been recorded.", title=title)


# --- the PCC's requirement for a report -------------------------------------------------------------------


requirement_list = list_view(lists.REQUIREMENTS)


@staff_view("csp.view")
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, ReportRequirement.objects.select_related("csp"), "csp.view", pk=pk)
    return render(
        request,
        "csp/requirement_detail.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "history": field_history(item),
            "can_respond": has_permission(request.user, "csp.change", item),
        },
    )


@staff_view("csp.reports.require")
def requirement_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.reports.require")
    added, title = "The requirement has been recorded.", f"Require a report — {csp.name}"
    form = RequirementForm(request.POST or None)
    return _csp_create(
        request, csp, form, services.require_report, added, title=title, to="csp:requirement-detail"
    )


@staff_view("csp.change")
def requirement_respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, ReportRequirement.objects.select_related("csp"), "csp.change", pk=pk)
    change = Change(item, services.REPORT_RESPONSE_FIELDS, services.respond_to_requirement, "item")
    form = change.form(request, RequirementResponseForm)
    title = f"Respond — {item.subject}"
    return _change_view(
        request,
        change,
        form,
        title=title,
        to="csp:requirement-detail",
        success="The response has been recorded.",
    )


# --- the CSP as a partnership: information-sharing protocols ----------------------------------------------


@staff_view("csp.protocols.view")
def protocols(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.protocols.view")
    record = selectors.csp_record(csp)
    check = selectors.protocol_check(csp)
    from joinedup.casework.models import DataCategory

    labels = dict(DataCategory.choices)
    for agreement in check.agreements:
        agreement.category_labels = [str(labels.get(c, c)) for c in agreement.data_categories or []]
        agreement.review_is_overdue = bool(
            agreement.review_date and agreement.review_date < timezone.localdate()
        )
    members = record.authorities.present
    rows = [
        (label, members.get(label, []), check.officers.get(label, []))
        for label in (str(lab) for _value, lab in ResponsibleAuthorityType.choices)
    ]
    return render(
        request,
        "csp/protocols.html",
        {
            "csp": csp,
            "check": check,
            "rows": rows,
            "can_see_agreements": has_permission(request.user, "casework.agreements.view"),
        },
    )


# --- strategic assessments ------------------------------------------------------------------------------


@staff_view("csp.change")
def assessment_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.change")
    form = AssessmentForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": current_year(timezone.localdate()), "published_on": timezone.localdate()},
    )
    return _form_view(
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

    csp = _csp_or_404(request, code, "csp.change")
    try:
        pk = int(request.POST.get("saved", ""))
    except ValueError:
        pk = 0
    saved = InsightAssessment.objects.filter(pk=pk, area=csp).first()
    if saved is None or not has_permission(request.user, "insight.assessments.view", saved):
        raise deny(request, "insight.assessments.view", obj=saved)
    try:
        item = services.adopt_insight_assessment(
            actor=request.user,
            csp=csp,
            saved=saved,
            evidence_url=lambda item: request.build_absolute_uri(
                reverse("csp:assessment-detail", kwargs={"pk": item.pk})
            ),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("csp:csp-detail", code=csp.code)
    messages.success(
        request, f"{item.title} is now the CSP's strategic assessment for {year_label(item.year)}."
    )
    return redirect("csp:assessment-detail", pk=item.pk)


@staff_view("csp.view")
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(
        request, StrategicAssessment.objects.select_related("csp", "insight_assessment"), "csp.view", pk=pk
    )
    saved = item.insight_assessment
    readable = saved is not None and has_permission(request.user, "insight.assessments.view", saved)
    priorities = item.priorities.select_related("plan")
    return _record_page(
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
    return _change_view(request, change, form, title=f"Edit {item.title}", to="csp:assessment-detail")


# --- the aligned document ----------------------------------------------------------------------------------


def _aligned_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    plan = get_allowed_object(request, _plan_queryset(), "csp.view", pk=pk)
    pcc_plan = plan.police_and_crime_plan
    priorities = list(
        plan.priorities.select_related("strategic_assessment").prefetch_related(
            "pcc_priorities", "actions__owner"
        )
    )
    served_by: dict[int, list[CspPriority]] = {}
    for priority in priorities:
        for served in priority.pcc_priorities.all():
            served_by.setdefault(served.pk, []).append(priority)
    pcc_priorities = (
        [(p, served_by.get(p.pk, [])) for p in pcc_plan.priorities.all()] if pcc_plan is not None else []
    )
    return {
        "plan": plan,
        "pcc_plan": pcc_plan,
        "pcc_priorities": pcc_priorities,
        "priorities": priorities,
        "matrix": selectors.regard_matrix(plan),
        "document_title": f"{pcc_plan.title if pcc_plan else 'Police and Crime Plan'} and {plan.title}",
        "generated_at": timezone.now(),
    }


@staff_view("csp.view")
def aligned(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "csp/aligned.html", _aligned_context(request, pk))


@staff_view("csp.view")
def aligned_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _aligned_context(request, pk)
    return pdf_response(
        request,
        template="csp/aligned_print.html",
        context=context,
        filename=context["document_title"],
        object_type="csp.CspPlan",
        object_id=pk,
    )


# --- quarterly briefing notes -------------------------------------------------------------------------------


briefing_list = list_view(lists.BRIEFINGS)


@require_POST
@staff_view("csp.change")
def briefing_generate(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.change")
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
    except ValueError:
        year, quarter = 0, 0
    try:
        note = services.generate_briefing_note(actor=request.user, csp=csp, year=year, quarter=quarter)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("csp:briefing-list")
    messages.success(request, "A draft has been made from the CSP's data. Check and edit it, then submit it.")
    return redirect("csp:briefing-edit", pk=note.pk)


@staff_view("csp.briefing.view")
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_allowed_object(request, BriefingNote.objects.select_related("csp"), "csp.briefing.view", pk=pk)
    return render(
        request,
        "csp/briefing_detail.html",
        {
            "note": note,
            "history": field_history(note),
            "can_change": note.status == BriefingStatus.DRAFT
            and has_permission(request.user, "csp.change", note),
        },
    )


@staff_view("csp.change")
def briefing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_allowed_object(request, BriefingNote.objects.select_related("csp"), "csp.change", pk=pk)
    if note.status != BriefingStatus.DRAFT:
        messages.error(request, "A submitted briefing note cannot be changed.")
        return redirect("csp:briefing-detail", pk=note.pk)
    submit = "submit_note" in request.POST
    change = Change(
        note, services.BRIEFING_FIELDS, services.update_briefing_note, "note", target={"submit": submit}
    )
    form = change.form(request, BriefingNoteForm)
    success = "The briefing note has been submitted to the Panel." if submit else "The draft has been saved."
    return _change_view(
        request, change, form, title=f"{note} — {note.csp.name}", to="csp:briefing-detail", success=success
    )
