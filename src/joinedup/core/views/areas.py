"""Reference geography pages: the area list (declared in core.staff_lists: filters, sort, CSV/XLSX/JSON),
the older CSV download, an area's page, and the import record (declared too)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from joinedup.core.exports import csv_response
from joinedup.core.lists import list_view
from joinedup.core.models import Area, AreaLevel
from joinedup.core.selectors.areas import DEFAULT_SORT, SORTS, get_area, list_areas
from joinedup.core.staff_lists import AREAS, REFERENCE_IMPORTS, AreaFilterForm
from joinedup.core.views.base import staff_view

PER_PAGE = 50

# What the children of an area at each level are called.
CHILD_LABELS: dict[str, str] = {
    AreaLevel.PFA: "Community safety partnerships",
    AreaLevel.CSP: "Local authority districts",
    AreaLevel.LAD: "Lower layer super output areas (LSOAs)",
}


def _filtered(request: HttpRequest) -> tuple[AreaFilterForm, Any, str]:
    form = AreaFilterForm(request.GET or None)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    return form, list_areas(user=request.user, sort=sort, **form.filters()), sort


area_list = list_view(AREAS)


@staff_view("areas.view")
def area_export(request: HttpRequest) -> StreamingHttpResponse:
    form, areas, _sort = _filtered(request)
    header = [
        "code",
        "name",
        "Welsh name",
        "level",
        "parent code",
        "district code",
        "CSP code",
        "police force area code",
        "population",
        "population year",
        "population partial",
        "split district",
        "2021 LSOA code",
    ]
    areas = areas.select_related("parent", "lad", "csp", "pfa")
    rows = (
        [
            area.code,
            area.name,
            area.name_welsh,
            area.level,
            area.parent.code if area.parent else "",
            area.lad.code if area.lad else "",
            area.csp.code if area.csp else "",
            area.pfa.code if area.pfa else "",
            "" if area.population is None else area.population,
            area.population_year or "",
            "yes" if area.population_partial else "no",
            "yes" if area.is_split else "no",
            area.lsoa21_code,
        ]
        for area in areas.iterator(chunk_size=2000)
    )
    return csv_response(
        request, name="areas", header=header, rows=rows, object_type="core.area", filters=form.filters()
    )


@staff_view("areas.view")
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = get_area(user=request.user, code=code)
    except Area.DoesNotExist:
        raise Http404("No area with this code") from None
    children = Area.objects.restrict(request.user, "areas.view").filter(parent=area).order_by("name", "code")
    page = Paginator(children, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/areas/detail.html",
        {
            "area": area,
            "page_obj": page,
            "child_label": CHILD_LABELS.get(area.level, "Areas inside"),
            "split_csps": area.split_csps.order_by("name") if area.is_split else [],
            "split_lads": area.split_lads.order_by("name") if area.level == AreaLevel.CSP else [],
        },
    )


reference_import_list = list_view(REFERENCE_IMPORTS)
