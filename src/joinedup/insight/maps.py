"""The LSOA choropleth: crimes per 1,000 residents by LSOA, drawn as inline SVG from the shipped boundaries.

No map tiles and no JavaScript, so it works offline, in the page and in the PDF alike. The boundaries are
the 2011 LSOA shapes loaded by `joinedup areas import` (joinedup.core.boundaries); an LSOA without a loaded
shape is left off the map and counted under it, and every LSOA is in the table beside the map.

Rates are put into five classes at the quintiles of the area's LSOA rates (so each class holds about a
fifth of the LSOAs), shaded from light to dark; an LSOA with no population has no rate and is hatched.
The projection is plain longitude/latitude with longitude scaled by the cosine of the middle latitude,
which is close enough at the scale of a district or force area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from joinedup.core.charts import FONT, GREY, INK, MAP_SHADES, WHITE, hatch_pattern
from joinedup.core.months import months_label

# Light to dark blue; each step differs in lightness, so the classes read in greyscale print too.
SHADES = MAP_SHADES
WIDTH = 720
SIMPLIFY_DEGREES = 0.0001  # about 7-11 m: invisible at this size, and the SVG is a fraction of the GeoJSON


@dataclass(frozen=True)
class MapClass:
    low: float
    high: float
    colour: str
    lsoas: int

    @property
    def label(self) -> str:
        return f"{self.low:,.1f} to {self.high:,.1f}"


def quantile_breaks(values: list[float], classes: int = len(SHADES)) -> list[float]:
    """Upper bounds of `classes` classes at the quantiles of `values` (duplicates removed)."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks = []
    for i in range(1, classes + 1):
        position = min(len(ordered) - 1, math.ceil(i * len(ordered) / classes) - 1)
        breaks.append(ordered[position])
    return sorted(set(breaks))


def class_of(value: float, breaks: list[float]) -> int:
    for index, upper in enumerate(breaks):
        if value <= upper:
            return index
    return len(breaks) - 1


def _rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    from shapely.geometry import mapping, shape

    simplified = mapping(shape(geometry).simplify(SIMPLIFY_DEGREES, preserve_topology=True))
    polygons = (
        [simplified["coordinates"]]
        if simplified["type"] == "Polygon"
        else list(simplified["coordinates"])
        if simplified["type"] == "MultiPolygon"
        else []
    )
    return [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon]


def choropleth(
    lsoas: list[dict[str, Any]],
    geometries: dict[str, dict[str, Any]],
    *,
    title: str,
    merged: bool = False,
) -> dict[str, Any]:
    """The map as SVG, its classes for the legend, and how many LSOAs had no shape to draw.

    On a page each LSOA is its own shape, named in a tooltip. `merged` (for print) draws each class as one
    shape instead: the same picture, from a few SVG elements rather than hundreds, which a PDF renderer
    lays out and draws many times faster (the LSOAs' names and rates are in the document's table)."""
    shapes = {row["lsoa"]: _rings(geometries[row["lsoa"]]) for row in lsoas if row["lsoa"] in geometries}
    points = [point for rings in shapes.values() for ring in rings for point in ring]
    missing = [row["lsoa"] for row in lsoas if row["lsoa"] not in shapes]
    rates = [row["rate_per_1000"] for row in lsoas if row["rate_per_1000"] is not None]
    breaks = quantile_breaks(rates)
    counts = [0] * len(breaks)
    for value in rates:
        counts[class_of(value, breaks)] += 1
    shades = SHADES[len(SHADES) - len(breaks) :] if breaks else ()
    classes = [
        MapClass(low=(breaks[i - 1] if i else min(rates)), high=upper, colour=shades[i], lsoas=counts[i])
        for i, upper in enumerate(breaks)
    ]
    if not points:
        return {"svg": None, "classes": classes, "missing": missing, "drawn": 0}

    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    squeeze = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * squeeze, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    margin = 10
    scale = (WIDTH - 2 * margin) / span_x
    map_height = span_y * scale
    legend_top = map_height + 2 * margin
    height = legend_top + 24 * (len(classes) + 1) + 10

    def xy(point: tuple[float, float]) -> str:
        x = margin + (point[0] - min_x) * squeeze * scale
        y = margin + (max_y - point[1]) * scale
        return f"{x:.1f} {y:.1f}"

    by_code = {row["lsoa"]: row for row in lsoas}
    body = [hatch_pattern("map-hatch", colour=GREY, stroke_width=2)]
    by_fill: dict[str, list[str]] = {}
    for code, rings in shapes.items():
        row = by_code[code]
        value = row["rate_per_1000"]
        fill = "url(#map-hatch)" if value is None or not classes else classes[class_of(value, breaks)].colour
        path = " ".join("M " + " L ".join(xy(p) for p in ring) + " Z" for ring in rings if len(ring) > 2)
        if merged:
            by_fill.setdefault(fill, []).append(path)
            continue
        label = f"{row.get('name') or code} ({code}): " + (
            f"{value:,.1f} crimes per 1,000 residents" if value is not None else "no population, no rate"
        )
        body.append(
            f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="{WHITE}" stroke-width="0.6">'
            f"<title>{escape(label)}</title></path>"
        )
    for fill, paths in by_fill.items():
        # Each LSOA's rings are closed subpaths; neighbours share edges, so no shape covers another.
        body.append(
            f'<path d="{" ".join(paths)}" fill="{fill}" fill-rule="evenodd" stroke="{WHITE}" stroke-width="0.6"/>'
        )
    body.append(
        f'<text x="{margin}" y="{legend_top + 4}" font-size="13" font-weight="bold" fill="{INK}" '
        f"{FONT}>Crimes (excluding ASB) per 1,000 residents</text>"
    )
    for i, item in enumerate([*classes, None]):
        y = legend_top + 14 + 24 * i
        if item is None:
            fill, text = "url(#map-hatch)", "No population, no rate"
        else:
            fill, text = item.colour, f"{item.label} ({item.lsoas} LSOAs)"
        body.append(
            f'<rect x="{margin}" y="{y}" width="28" height="16" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{margin + 36}" y="{y + 13}" font-size="13" fill="{INK}" {FONT}>{escape(text)}</text>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
        'class="ju-map__svg" role="img" aria-labelledby="map-title map-desc" focusable="false">'
        f'<title id="map-title">{escape(title)}</title>'
        '<desc id="map-desc">Each LSOA shaded by its crimes per 1,000 residents, darker for higher rates, in five '
        "classes with about a fifth of the LSOAs each. The same figures are in the table of LSOAs.</desc>"
        + "".join(body)
        + "</svg>"
    )
    return {
        "svg": mark_safe(svg),  # noqa: S308  (numbers, fixed markup, and escaped names only)
        "classes": classes,
        "missing": missing,
        "drawn": len(shapes),
    }


def area_map(result: dict[str, Any], *, merged: bool = False) -> dict[str, Any]:
    """The choropleth of an assessment's LSOAs from the loaded boundaries (`merged`: for print)."""
    from joinedup.core.boundaries import boundaries_for

    lsoas = result.get("lsoas", [])
    geometries = boundaries_for(row["lsoa"] for row in lsoas)
    drawn = choropleth(
        lsoas,
        geometries,
        title=f"Crimes per 1,000 residents by LSOA, {result['area']['name']}, "
        f"{months_label(result['from'], result['to'], english=True)}",
        merged=merged,
    )
    drawn["svg"] = SafeString(drawn["svg"]) if drawn["svg"] else None
    return drawn
