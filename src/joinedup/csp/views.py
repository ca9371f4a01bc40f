"""Staff pages: the compliance grid, duties due, a CSP's page and duties, its information-sharing protocols,
and the pieces the sub-areas' pages share (dhrs, plans, reports, assessments and briefings each have their
own `views.py`; the Panel's pages are joinedup.scrutiny.views)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.forms import VersionedForm, run_service, save_form, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.models import Area, AreaLevel, Organisation, ResponsibleAuthorityType
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import deny, get_allowed_object, staff_user, staff_view

from . import lists, selectors, services
from .assessments import selectors as assessment_selectors
from .duties import DUTIES_BY_KEY, STATUTORY_DUTIES, current_year, year_label
from .forms import DutyRecordForm
from .models import (
    CspPlan,
    DutyRecord,
    StrategicAssessment,
)


def csp_or_404(request: HttpRequest, code: str, action: str) -> Area:
    csp = Area.objects.filter(level=AreaLevel.CSP, code=code).select_related("pfa").first()
    if csp is None or not has_permission(request.user, action, csp):
        raise deny(request, action, obj=csp)
    return csp


def _force_area_choice(request: HttpRequest) -> tuple[list[Area], Area | None]:
    """The force areas the user works in, and the one asked for (``?force_area=``), else the first."""
    force_areas = list(selectors.force_areas_for(staff_user(request)))
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


def form_view(
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


def record_page(
    request: HttpRequest,
    template: str,
    name: str,
    record: Any,
    change: str,
    *,
    changeable: bool = True,
    **context: Any,
) -> HttpResponse:
    """A record's page: the record (as `name`), its change history, whether the user may `change` it (a
    permission; never when the record is not `changeable`), and `context`."""
    can_change = changeable and has_permission(request.user, change, record)
    return render(
        request,
        template,
        {name: record, "history": field_history(record), "can_change": can_change, **context},
    )


def csp_create(
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
    return form_view(request, form, save, success, title=title, to=to, back=f"/staff/csp/{csp.code}/")


@dataclass(frozen=True)
class Addition:
    """What an adding page saves: a new record under `parent`, through the service `create`, which takes the
    parent as the keyword `as_`; then the page `to` of `pk` (the parent's page)."""

    parent: Any
    as_: str
    create: Callable[..., Any]
    to: str
    pk: int


def add_view(
    request: HttpRequest, addition: Addition, form: Any, success: str, *, title: str
) -> HttpResponse:
    """An adding page: `form` saved by `addition`, saying `success`."""
    save = service_save(request, addition.create, **{addition.as_: addition.parent})
    return form_view(request, form, save, success, title=title, to=addition.to, pk=addition.pk)


def change_view(
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
    return form_view(
        request,
        form,
        change.save(request),
        success,
        title=title,
        to=to,
        pk=change.record.pk if pk is None else pk,
    )


def item_or_404(request: HttpRequest, queryset: Any, pk: int, action: str, *, check: bool = True) -> Any:
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
        selectors.compliance_grid(user=staff_user(request), force_area=force_area, year=year, today=today)
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


due = list_view(lists.DUE)


@staff_view("csp.view")
def csp_detail(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.view")
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
            "adoptable": assessment_selectors.adoptable_assessments(staff_user(request), csp)
            if has_permission(request.user, "csp.change", csp)
            else [],
            "briefings": selectors.list_briefing_notes(user=staff_user(request)).filter(csp=csp)[:8],
            "quarter": selectors.current_quarter(today),
            "items": selectors.duty_cells(records, today=today, protocols=protocols),
            "missing_duties": len(STATUTORY_DUTIES) - len(records),
            "dhrs": selectors.list_dhrs(user=staff_user(request)).filter(csp=csp)
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
    csp = csp_or_404(request, code, "csp.change")
    try:
        year = int(request.POST.get("year") or current_year(timezone.localdate()))
    except ValueError:
        year = 0
    run_service(
        request,
        lambda: services.start_duty_year(actor=staff_user(request), csp=csp, year=year),
        lambda created: f"{len(created)} duties added for {year_label(year)}.",
    )
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
    return record_page(request, "csp/duty_detail.html", "record", record, "csp.change", duty=duty, cell=cell)


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
    return change_view(
        request, change, form, title=title, to="csp:duty-detail", success="The duty record has been saved."
    )


# --- the CSP as a partnership: information-sharing protocols ----------------------------------------------


@staff_view("csp.protocols.view")
def protocols(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.protocols.view")
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
