"""The public site: no sign-in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from joinedup.core.exports import spreadsheet_safe, stream_csv
from joinedup.insight.selectors import coverage_warning, no_data_in_words


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html", {})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", {})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer (core.health.HealthCheckMiddleware answers first; see there)."""
    from joinedup.core.health import healthz as alive

    return alive(request)


# --- your area -----------------------------------------------------------------------------------------


def area_search(request: HttpRequest) -> HttpResponse:
    """Find a place by name or postcode without JavaScript: a postcode or one match goes straight to the
    place, several are listed."""
    from . import areas
    from .maps import force_areas_on_map

    query = " ".join(request.GET.get("q", "").split())[:100]
    postcode = areas.place_of_postcode(query) if query else None
    if postcode is not None:
        if postcode.place is not None:
            return redirect("portal:area", code=postcode.place.code)
        return render(request, "portal/area_search.html", {"query": "", "postcode": postcode})
    places = areas.find_places(query) if query else []
    if query and len(places) == 1:
        return redirect("portal:area", code=places[0].code)
    return render(
        request,
        "portal/area_search.html",
        {"query": query, "places": places, "on_map": [] if query else force_areas_on_map()},
    )


def area_page(request: HttpRequest, code: str) -> HttpResponse:
    from . import areas
    from .maps import districts_of, places_map

    area = areas.get_place(code)
    if area is None:
        raise Http404("Not found")
    figures = areas.crime_figures(area)
    return render(
        request,
        "portal/area.html",
        {
            "area": area,
            "figures": figures,
            "result": figures.result,
            # Which months are missing, in the reader's language (the data keeps the English).
            "coverage_warning": coverage_warning((figures.result or {}).get("coverage") or {}),
            # Why there are no figures, in the reader's language too (the JSON keeps the English).
            "no_data_reason": no_data_in_words(figures.because) if figures.because else figures.reason,
            "months_chart": areas.months_chart(area, figures),
            "places_map": places_map(area),
            "districts": districts_of(area),
            "containing": areas.containing(area),
            **areas.around(area),
        },
    )


def area_figures(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    """The area's crime and ASB figures as CSV (by type, or by month) or JSON (both), with the same
    suppression as the page."""
    from . import areas

    area = areas.get_place(code)
    if area is None or fmt not in ("csv", "json", "by-month.csv"):
        raise Http404("Not found")
    figures = areas.crime_figures(area)
    if fmt == "json":
        return JsonResponse(areas.figures_json(area, figures))
    if fmt == "by-month.csv":
        header, *rows = areas.months_table(area, figures)
        name = f"crime-by-month-{area.code}.csv"
    else:
        header, *rows = areas.figures_table(area, figures)
        name = f"crime-{area.code}.csv"
    safe = ([spreadsheet_safe(value) for value in row] for row in rows)
    return stream_csv(header, safe, name)
