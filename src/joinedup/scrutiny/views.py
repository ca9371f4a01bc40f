"""Staff pages of the Police and Crime Panel: its recommendations to the PCC (and the PCC's responses), its
workspace (members, work programme, meetings) and the casework KPIs by CSP as the Panel sees them.

The paths stay under /staff/csp/panel/ as they were before the Panel became its own app (docs/adr/0042).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from joinedup.core.disclosure import suppress_rows
from joinedup.core.forms import VersionedForm, save_form, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.models import Area
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import deny, get_allowed_object, staff_user, staff_view
from joinedup.csp import selectors as csp_selectors

from . import lists, selectors, services
from .forms import (
    MeetingForm,
    PanelMemberForm,
    PanelRecommendationForm,
    PanelResponseForm,
    WorkItemForm,
)
from .models import PanelMeeting, PanelMember, PanelRecommendation, WorkProgrammeItem

FORM_TEMPLATE = "csp/form.html"  # the form page the Panel's pages have always shared with the CSPs'


def _form_page(
    request: HttpRequest, form: VersionedForm, title: str, back: str, status: int = 200
) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": back}, status=status)


def _initial(obj: Any, fields: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    """A change form's starting values: the version the record is read at, `extra` and its `fields`."""
    return {"version": obj.version, **extra, **{name: getattr(obj, name) for name in fields}}


def _changed(
    request: HttpRequest,
    form: VersionedForm,
    save: Callable[[Any], Any],
    success: str,
    *,
    title: str,
    done: Callable[[Any], HttpResponse],
    back: str,
) -> HttpResponse:
    """A form page: on a valid POST `save` the form, say `success` and answer `done(saved)`; otherwise show
    the form, with every problem, and the way `back`."""
    saved, status = save_form(request, form, save, success)
    if saved:
        return done(saved)
    return _form_page(request, form, title, back, status)


def _force_area(request: HttpRequest, action: str) -> Area:
    """The force area of the user's Panel (``?force_area=`` among theirs, else the first) they may `action`."""
    force_areas = list(csp_selectors.force_areas_for(staff_user(request)))
    code = request.GET.get("force_area")
    force_area = next((a for a in force_areas if a.code == code), force_areas[0] if force_areas else None)
    if force_area is None or not has_permission(request.user, action, force_area):
        raise deny(request, action)
    return force_area


# --- recommendations to the PCC ----------------------------------------------------------------------------


panel_list = list_view(lists.PANEL_RECOMMENDATIONS)


@staff_view("csp.panel.view")
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(
        request,
        PanelRecommendation.objects.select_related("force_area", "csp", "indicator__plan_priority"),
        "csp.panel.view",
        pk=pk,
    )
    return render(
        request,
        "scrutiny/panel_detail.html",
        {
            "item": item,
            "history": field_history(item),
            "can_change": has_permission(request.user, "csp.panel.recommend", item)
            or has_permission(request.user, "csp.panel.respond", item),
        },
    )


def _to_recommendation(saved: Any) -> HttpResponse:
    return redirect("scrutiny:panel-detail", pk=saved.pk)


@staff_view("csp.panel.recommend")
def panel_create(request: HttpRequest) -> HttpResponse:
    force_area = csp_selectors.force_areas_for(staff_user(request)).first()
    if force_area is None:
        raise deny(request, "csp.panel.recommend")
    return _changed(
        request,
        PanelRecommendationForm(
            request.POST or None, csps=csp_selectors.csps_for(staff_user(request), force_area)
        ),
        service_save(request, services.create_panel_recommendation, force_area=force_area),
        "The recommendation has been recorded.",
        title=f"Record a recommendation to the PCC — {force_area.name}",
        done=_to_recommendation,
        back="/staff/csp/panel/",
    )


@staff_view("csp.panel.view")
def panel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, PanelRecommendation.objects.all(), "csp.panel.view", pk=pk)
    user = staff_user(request)
    fields: tuple[str, ...]
    if has_permission(user, "csp.panel.recommend", item):
        fields = services.PANEL_FIELDS
        form_class: Any = PanelRecommendationForm
        extra: dict[str, Any] = {"csps": csp_selectors.csps_for(user, item.force_area)}
        title = f"Edit {item.title}"
    elif has_permission(user, "csp.panel.respond", item):
        fields, form_class, extra = services.RESPONSE_FIELDS, PanelResponseForm, {}
        title = f"Record the PCC's response — {item.title}"
    else:
        raise deny(request, "csp.panel.respond", obj=item)
    form = form_class(request.POST or None, initial=_initial(item, fields), **extra)
    return _changed(
        request,
        form,
        service_save(request, services.update_panel_recommendation, versioned=True, item=item),
        "Your changes have been saved.",
        title=title,
        done=lambda saved: redirect("scrutiny:panel-detail", pk=item.pk),
        back=reverse("scrutiny:panel-detail", kwargs={"pk": item.pk}),
    )


# --- the Panel's workspace ----------------------------------------------------------------------------------


@staff_view("csp.panel.view")
def panel_workspace(request: HttpRequest) -> HttpResponse:
    force_area = _force_area(request, "csp.panel.view")
    user = staff_user(request)
    return render(
        request,
        "scrutiny/panel_workspace.html",
        {
            "force_area": force_area,
            **selectors.panel_workspace(user=user, force_area=force_area, today=timezone.localdate()),
            "can_manage": has_permission(user, "csp.panel.manage", force_area),
            "can_recommend": has_permission(user, "csp.panel.recommend", force_area),
            "can_read_reports": has_permission(user, "funding.reports.view"),
            "can_read_assessments": has_permission(user, "insight.assessments.view"),
            "can_read_kpis": has_permission(user, "csp.panel.kpis"),
            "today": timezone.localdate(),
        },
    )


# The casework KPI counts the Panel sees; a percentage worked out from a suppressed count is withheld.
KPI_COUNTS = (
    "incidents",
    "eligible",
    "actioned",
    "feedback_cases",
    "with_feedback",
    "repeat_victim",
    "repeat_location",
    "open_high_risk",
    "overdue_assessments",
)
KPI_DERIVED = {
    "actioned_percent": ("eligible", "actioned"),
    "feedback_percent": ("feedback_cases", "with_feedback"),
}


@staff_view("csp.panel.kpis")
def panel_kpis(request: HttpRequest) -> HttpResponse:
    """Casework KPIs by CSP for the Panel: its force area's CSPs, counts of 1 or 2 suppressed."""
    from joinedup.casework.kpis import selectors as kpis

    force_area = _force_area(request, "csp.panel.kpis")
    months = 12
    codes = set(csp_selectors.csps_for(staff_user(request), force_area).values_list("code", flat=True))
    rows = [
        r
        for r in kpis.kpis_by_csp(user=request.user, months=months, action="csp.panel.kpis")
        if r["code"] in codes
    ]
    return render(
        request,
        "scrutiny/panel_kpis.html",
        {
            "force_area": force_area,
            "months": months,
            "rows": suppress_rows(rows, fields=KPI_COUNTS, derived=KPI_DERIVED),
        },
    )


def _panel_item(request: HttpRequest, model: Any, pk: int) -> Any:
    """The Panel's record `pk` the user may manage, or 404, the refusal audited."""
    item = model.objects.select_related("force_area").filter(pk=pk).first()
    if item is None or not has_permission(request.user, "csp.panel.manage", item):
        raise deny(request, "csp.panel.manage", obj=item)
    return item


def _to_workspace(saved: Any) -> HttpResponse:
    return redirect("scrutiny:panel-workspace")


def _panel_form(request: HttpRequest, *, form: VersionedForm, save: Any, title: str) -> HttpResponse:
    return _changed(
        request,
        form,
        save,
        "The Panel's record has been saved.",
        title=title,
        done=_to_workspace,
        back=reverse("scrutiny:panel-workspace"),
    )


def _panel_change(
    request: HttpRequest,
    record: Any,
    fields: tuple[str, ...],
    update: Callable[..., Any],
    as_: str,
    initial: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], Callable[[Any], Any]]:
    """A change to one of the Panel's records (in its force area): the form's starting values and its save."""
    save = service_save(request, update, versioned=True, **{as_: record}, force_area=record.force_area)
    return _initial(record, fields, **(initial or {})), save


@staff_view("csp.panel.manage")
def panel_member_create(request: HttpRequest) -> HttpResponse:
    force_area = _force_area(request, "csp.panel.manage")
    form = PanelMemberForm(request.POST or None, csps=csp_selectors.csps_for(staff_user(request), force_area))
    return _panel_form(
        request,
        form=form,
        save=service_save(request, services.save_panel_member, force_area=force_area),
        title="Add a Panel member",
    )


@staff_view("csp.panel.manage")
def panel_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _panel_item(request, PanelMember, pk)
    linked = {"linked_csps": list(member.linked_csps.all())}
    initial, save = _panel_change(
        request, member, services.PANEL_MEMBER_FIELDS, services.save_panel_member, "member", linked
    )
    csps = csp_selectors.csps_for(staff_user(request), member.force_area)
    form = PanelMemberForm(request.POST or None, initial=initial, csps=csps)
    return _panel_form(request, form=form, save=save, title=f"Edit {member.name}")


def _work_form_kwargs(request: HttpRequest, force_area: Area) -> dict[str, Any]:
    return {
        "csps": csp_selectors.csps_for(staff_user(request), force_area),
        "members": PanelMember.objects.filter(force_area=force_area),
    }


@staff_view("csp.panel.manage")
def work_item_create(request: HttpRequest) -> HttpResponse:
    force_area = _force_area(request, "csp.panel.manage")
    return _panel_form(
        request,
        form=WorkItemForm(request.POST or None, **_work_form_kwargs(request, force_area)),
        save=service_save(request, services.save_work_item, force_area=force_area),
        title="Add to the work programme",
    )


@staff_view("csp.panel.manage")
def work_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _panel_item(request, WorkProgrammeItem, pk)
    initial, save = _panel_change(request, item, services.WORK_ITEM_FIELDS, services.save_work_item, "item")
    form = WorkItemForm(request.POST or None, initial=initial, **_work_form_kwargs(request, item.force_area))
    return _panel_form(request, form=form, save=save, title=f"Edit {item.title}")


@staff_view("csp.panel.manage")
def meeting_create(request: HttpRequest) -> HttpResponse:
    force_area = _force_area(request, "csp.panel.manage")
    return _panel_form(
        request,
        form=MeetingForm(request.POST or None),
        save=service_save(request, services.save_meeting, force_area=force_area),
        title="Add a Panel meeting",
    )


@staff_view("csp.panel.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _panel_item(request, PanelMeeting, pk)
    initial, save = _panel_change(request, meeting, services.MEETING_FIELDS, services.save_meeting, "meeting")
    form = MeetingForm(request.POST or None, initial=initial)
    return _panel_form(request, form=form, save=save, title=f"Edit {meeting.title}")
