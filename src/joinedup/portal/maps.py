"""Choosing a place on a map: a force area's or CSP's districts drawn from the loaded LSOA boundaries, each
district a link to its own page.

Plain SVG with no tiles and no JavaScript: each district is an `<a>` (reached with the Tab key, named by
its `aria-label`, followed with Enter), and the page lists the same districts as ordinary links beside the
map, so nobody needs to see or point at it. A district is drawn as the union of its LSOAs' 2011 shapes,
simplified to about 50 m (invisible at this size); a district with no loaded shapes is left off the map and
stays in the list. Drawn once per place and boundary load (kept in the shared cache).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union

from joinedup.core.charts import MAP_SHADES, WHITE
from joinedup.core.models import Area, AreaLevel, LsoaBoundary

WIDTH = 720
SIMPLIFY_DEGREES = 0.0005


def districts_of(area: Area) -> list[Area]:
    """The districts a force area's or CSP's page offers on its map, by name; none for a district."""
    if area.level == AreaLevel.PFA:
        found = Area.objects.filter(level=AreaLevel.LAD, pfa=area)
    elif area.level == AreaLevel.CSP:
        found = Area.objects.filter(level=AreaLevel.LAD, csp=area)
    else:
        return []
    return list(found.order_by("name"))


def _boundary_generation() -> str:
    latest = LsoaBoundary.objects.aggregate(last=Max("pk"), rows=Count("pk"))
    return f"{latest['last']}-{latest['rows']}"


def _district_shapes(districts: list[Area]) -> dict[str, Any]:
    """{district code: its shape} for the districts with at least one loaded LSOA boundary."""
    from joinedup.core.boundaries import boundaries_for

    lsoas = Area.objects.filter(level=AreaLevel.LSOA, lad__in=districts).values_list("code", "lad__code")
    district_of = dict(lsoas)
    pieces: dict[str, list[Any]] = {}
    for code, geometry in boundaries_for(district_of).items():
        pieces.setdefault(district_of[code], []).append(shape(geometry).buffer(0))
    return {code: unary_union(parts).simplify(SIMPLIFY_DEGREES) for code, parts in pieces.items()}


def _polygons(geometry: Any) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _polygons(part)]


def places_map(area: Area) -> SafeString | None:
    """The SVG map of the area's districts as links, or None when none of them has a loaded shape."""
    districts = districts_of(area)
    if not districts:
        return None
    key = f"joinedup-places-map:{area.code}:{_boundary_generation()}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = _draw(area, districts) or ""
        cache.set(key, cached, timeout=24 * 3600)
    return SafeString(cached) if cached else None


def _draw(area: Area, districts: list[Area]) -> str | None:
    shapes = _district_shapes(districts)
    if not shapes:
        return None
    min_x, min_y, max_x, max_y = unary_union(list(shapes.values())).bounds
    squeeze = math.cos(math.radians((min_y + max_y) / 2))
    margin = 10
    scale = (WIDTH - 2 * margin) / max((max_x - min_x) * squeeze, 1e-9)
    height = (max_y - min_y) * scale + 2 * margin

    def xy(point: tuple[float, float]) -> str:
        return (
            f"{margin + (point[0] - min_x) * squeeze * scale:.1f} {margin + (max_y - point[1]) * scale:.1f}"
        )

    def ring(coords: Any) -> str:
        return "M " + " L ".join(xy(p) for p in list(coords)) + " Z"

    body = []
    for index, district in enumerate(d for d in districts if d.code in shapes):
        path = " ".join(
            " ".join([ring(polygon.exterior.coords), *(ring(inner.coords) for inner in polygon.interiors)])
            for polygon in _polygons(shapes[district.code])
        )
        href = reverse("portal:area", args=[district.code])
        name = escape(district.name)
        fill = MAP_SHADES[1 + index % (len(MAP_SHADES) - 2)]
        body.append(
            f'<a href="{href}" aria-label="{name}" class="ju-places-map__link">'
            f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="{WHITE}" stroke-width="1.5">'
            f"<title>{name}</title></path></a>"
        )
    title = gettext("Districts of %(name)s: choose one to see its page") % {"name": area.name}
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
        f'class="ju-places-map" aria-labelledby="places-map-title">'
        f'<title id="places-map-title">{escape(title)}</title>' + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  (numbers, fixed markup, reversed URLs and escaped names only)


def force_areas_on_map() -> list[Area]:
    """The force areas with at least one district whose boundaries are loaded (their pages carry a map)."""
    drawn = LsoaBoundary.objects.values("lad_code").distinct()
    return list(
        Area.objects.filter(
            level=AreaLevel.PFA, pk__in=Area.objects.filter(code__in=drawn).values("pfa")
        ).order_by("name")
    )
