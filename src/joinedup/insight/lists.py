"""The insight app's lists, each declared once (core/lists, ADR 0024): police data imports and saved
strategic assessments."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_filters.fields import ChoiceField

from joinedup.core.lists import Column, ListDeclaration, area_columns, register
from joinedup.core.models import Area, AreaLevel
from joinedup.core.months import months_label
from joinedup.core.permissions import has_permission, restrict, scope_area_ids
from joinedup.core.views.base import deny, get_allowed_object

from . import selectors
from .models import ImportStatus, PoliceDataImport, SavedAssessment

ASSESSABLE = (AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD)


# --- police data imports ------------------------------------------------------------------------------------


class ImportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, empty_label="Any status")

    class Meta:
        model = PoliceDataImport
        fields = ["status"]


def _import_status(record: PoliceDataImport) -> str:
    if record.in_progress:
        return f"{record.get_status_display()} ({record.progress}%)"
    return record.get_status_display()


def _months(record: PoliceDataImport) -> str:
    return months_label(record.months[0], record.months[-1], english=True) if record.months else ""


POLICE_DATA_IMPORTS = register(
    ListDeclaration(
        name="insight-imports",
        title="Police data imports",
        rows=lambda request: restrict(PoliceDataImport.objects.all(), request.user, "insight.imports.view"),
        permission="insight.imports.view",
        object_type="insight.policedataimport",
        noun=("import", "imports"),
        filterset=ImportFilter,
        export_name="police-data-imports",
        template="insight/import_list.html",
        count_in_bold=True,
        empty="Nothing has been imported yet.",
        may={"can_import": "insight.import"},
        columns=(
            Column(
                "started",
                "Started",
                "started_at",
                sort="started_at",
                kind="date",
                date_format="j M Y H:i",
                link=lambda r: reverse("insight:import-detail", args=[r.pk]),
            ),
            Column("status", "Status", _import_status, sort="status"),
            Column("forces", "Forces", lambda r: ", ".join(r.forces), empty="None"),
            Column("months", "Months", _months, empty="None"),
            Column("files", "Files", lambda r: len(r.files), kind="number"),
            Column("rows_accepted", "Rows accepted", "rows_accepted", sort="rows_accepted", kind="number"),
            Column("rows_rejected", "Rows rejected", "rows_rejected", sort="rows_rejected", kind="number"),
            Column("rows_flagged", "Rows flagged", "flagged_rows", kind="number"),
        ),
    )
)


# --- saved strategic assessments ------------------------------------------------------------------------------


def _area_choices(request: HttpRequest) -> QuerySet[Area]:
    """The areas the person may choose: those they assess, or (a reader who does not assess, the Panel)
    the areas of the assessments they may read."""
    if has_permission(request.user, "insight.assess"):
        areas = restrict(Area.objects.filter(level__in=ASSESSABLE), request.user, "insight.assess")
    else:
        readable = selectors.saved_assessments(request.user).values("area_id")
        areas = Area.objects.filter(pk__in=readable)
    return areas.order_by("level", "name")


def chosen_area(request: HttpRequest) -> Area | None:
    """The area `?area=CODE` names, if the person may choose it; an area they may not is not found."""
    code = (request.GET.get("area") or "").strip().upper()
    if not code:
        return None
    if has_permission(request.user, "insight.assess"):
        return get_allowed_object(request, Area.objects.all(), "insight.assess", code=code)
    area = Area.objects.filter(code=code, pk__in=scope_area_ids(request.user)).first()
    if area is None:
        raise deny(request, "insight.assessments.view")
    return area


class _AreaCodeField(ChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True  # the filter checks the code: an area the person may not choose is not found


class _AreaCodeFilter(django_filters.ChoiceFilter):
    field_class = _AreaCodeField


class SavedAssessmentFilter(django_filters.FilterSet):
    area = _AreaCodeFilter(label="Area", empty_label="All the areas you can see", method="by_area")

    class Meta:
        model = SavedAssessment
        fields = ["area"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].extra["choices"] = [
            (a.code, f"{a.name} ({a.code})") for a in _area_choices(self.request)
        ]

    def by_area(self, queryset: QuerySet[SavedAssessment], name: str, value: str) -> Any:
        assert self.request is not None
        return queryset.filter(area=chosen_area(self.request))


def _saved_status(record: SavedAssessment) -> SafeString:
    colour = "govuk-tag--green" if record.is_published else "govuk-tag--grey"
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, record.get_status_display())


SAVED_ASSESSMENTS = register(
    ListDeclaration(
        name="insight-saved-assessments",
        title="Saved strategic assessments",
        rows=lambda request: selectors.saved_assessments(request.user),
        permission="insight.assessments.view",
        object_type="insight.savedassessment",
        noun=("saved assessment", "saved assessments"),
        filterset=SavedAssessmentFilter,
        export_name="strategic-assessments",
        template="insight/saved_list.html",
        count_in_bold=True,
        empty="No assessments have been saved yet.",
        may={"can_assess": "insight.assess"},
        context=lambda request: {"area": chosen_area(request)},
        columns=(
            Column(
                "title",
                "Assessment",
                "title",
                sort="title",
                link=lambda s: reverse("insight:saved-detail", args=[s.pk]),
            ),
            *area_columns("area", "Area"),
            Column(
                "period",
                "Period",
                lambda s: months_label(s.from_month, s.to_month, english=True),
                sort=("from_month", "to_month"),
            ),
            Column("edition", "Edition", "edition", sort="edition", kind="number"),
            Column("status", "Status", "get_status_display", sort="status", html=_saved_status),
            Column(
                "updated",
                "Last saved",
                "updated_at",
                sort="updated_at",
                kind="date",
                date_format="j M Y H:i",
            ),
        ),
    )
)
