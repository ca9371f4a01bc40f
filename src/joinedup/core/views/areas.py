"""Reference geography pages: the area list (declared in core.staff_lists: filters, sort, CSV/XLSX/JSON),
the older CSV download, an area's page, and the import record (declared too)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.models import Area, AreaLevel
from joinedup.core.selectors.areas import get_area
from joinedup.core.staff_lists import AREA_CSV_COLUMNS, AREAS, REFERENCE_IMPORTS
from joinedup.core.views.base import staff_view

PER_PAGE = 50

# What the children of an area at each level are called.
CHILD_LABELS: dict[str, str] = {
    AreaLevel.PFA: "Community safety partnerships",
    AreaLevel.CSP: "Local authority districts",
    AreaLevel.LAD: "Electoral wards and lower layer super output areas (LSOAs)",
    AreaLevel.WARD: "Lower layer super output areas (LSOAs)",
}


area_list = list_view(AREAS)


# The older CSV address, with the columns it always had: the list's own export.
area_export = download_view(AREAS, columns=AREA_CSV_COLUMNS)


@staff_view("areas.view")
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        area = get_area(user=request.user, code=code)
    except Area.DoesNotExist:
        raise Http404("No area with this code") from None
    inside = Area.objects.restrict(request.user, "areas.view")
    # A ward's LSOAs keep their district as parent (docs/adr/0036): they name the ward in `ward` instead.
    children = inside.filter(ward=area) if area.level == AreaLevel.WARD else inside.filter(parent=area)
    children = children.order_by("name", "code")
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
