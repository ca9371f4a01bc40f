"""Charts drawn on the server as inline SVG (no JavaScript, no fetches): the one chart module, used by the
assessment page and its PDF (insight), the casework KPIs and anything new; the colours are `PALETTE`'s.

Each chart is a small, fixed layout over plain numbers, and always sits beside a table of the same numbers.
Series are told apart by line style, marker or pattern as well as colour, and every chart carries a text
title and description for assistive technology. Presentation attributes only (no style attributes), so the
page's Content-Security-Policy needs nothing extra.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Frontend's colours; the map's sequential blues (ColorBrewer "Blues", light to dark).
WHITE = "#ffffff"
INK = "#0b0c0c"
GREY = "#505a5f"
LIGHT = "#b1b4b6"
BLUE = "#1d70b8"
ORANGE = "#d4351c"
MAP_SHADES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08306b")


FONT = 'font-family="Arial, Helvetica, sans-serif"'


def nice_max(value: float) -> float:
    """A round number at or above `value` for the top of an axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308  (every text in `body` and here is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'class="ju-chart__svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{WHITE}"/>' + "".join(body) + "</svg>"
    )


def _axis(left: int, top: int, width: int, height: int, top_value: float, ticks: int = 4) -> list[str]:
    parts = []
    for i in range(ticks + 1):
        value = top_value * i / ticks
        y = top + height - height * i / ticks
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="{LIGHT}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{INK}" {FONT}>'
            f"{escape(_number(value))}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" stroke="{INK}" stroke-width="1"/>'
    )
    return parts


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str, str]],
    *,
    description: str = "",
) -> SafeString:
    """Lines over months: series are (name, values, colour, dash pattern or ''). None leaves a gap."""
    width, height, left, top, right, bottom = 720, 300, 70, 20, 20, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _name, vals, _c, _d in series for v in vals if v is not None]
    top_value = nice_max(max(values, default=0))
    step = plot_w / max(1, len(labels) - 1)
    body = _axis(left, top, plot_w, plot_h, top_value)
    every = max(1, math.ceil(len(labels) / 12))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            x = left + i * step
            body.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="end" font-size="11" fill="{INK}" {FONT} '
                f'transform="rotate(-45 {x:.1f} {top + plot_h + 16})">{escape(label)}</text>'
            )
    for index, (name, vals, colour, dash) in enumerate(series):
        segments: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(vals):
            if value is None:
                segments.append([])
                continue
            segments[-1].append((left + i * step, top + plot_h - plot_h * value / top_value))
        for points in segments:
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                body.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
            for x, y in points:
                if index % 2 == 0:
                    body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
                else:
                    body.append(
                        f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
                    )
        legend_x = left + index * 260
        marker = (
            f'<circle cx="{legend_x + 14}" cy="{height - 12}" r="3" fill="{colour}"/>'
            if index % 2 == 0
            else f'<rect x="{legend_x + 11}" y="{height - 15}" width="6" height="6" fill="{colour}"/>'
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{legend_x}" y1="{height - 12}" x2="{legend_x + 28}" y2="{height - 12}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>{marker}'
            f'<text x="{legend_x + 34}" y="{height - 8}" font-size="12" fill="{INK}" {FONT}>{escape(name)}</text>'
        )
    return _svg(
        chart_id, title, description or f"{title}. The same figures are in the table.", width, height, body
    )


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    description: str = "",
    colour: str = BLUE,
) -> SafeString:
    """Horizontal bars, one per row (label, value), labelled with their values."""
    bar, gap, left, right, top = 20, 8, 260, 90, 10
    width = 720
    height = top * 2 + len(rows) * (bar + gap)
    plot_w = width - left - right
    top_value = nice_max(max((v for _l, v in rows), default=0))
    body = []
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar + gap)
        length = plot_w * value / top_value if top_value else 0
        text = label if len(label) <= 38 else label[:37] + "…"
        body.append(
            f'<text x="{left - 8}" y="{y + bar - 5}" text-anchor="end" font-size="12" fill="{INK}" {FONT}>'
            f"{escape(text)}</text>"
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + bar - 5}" font-size="12" fill="{INK}" {FONT}>'
            f"{escape(_number(value) + unit)}</text>"
        )
    body.append(
        f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - top + 4}" stroke="{INK}" stroke-width="1"/>'
    )
    return _svg(
        chart_id, title, description or f"{title}. The same figures are in the table.", width, height, body
    )


def column_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, float]], *, description: str = "", unit: str = ""
) -> SafeString:
    """Vertical columns with labels under them (for ordered categories such as IMD deciles)."""
    width, height, left, top, right, bottom = 720, 280, 70, 24, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_max(max((v for _l, v in rows), default=0))
    body = _axis(left, top, plot_w, plot_h, top_value)
    slot = plot_w / max(1, len(rows))
    for i, (label, value) in enumerate(rows):
        h = plot_h * value / top_value if top_value else 0
        x = left + i * slot + slot * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{BLUE}"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h - h - 5:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{INK}" {FONT}>{escape(_number(value) + unit)}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12" '
            f'fill="{INK}" {FONT}>{escape(label)}</text>'
        )
    return _svg(
        chart_id, title, description or f"{title}. The same figures are in the table.", width, height, body
    )


def hatch_pattern(pattern_id: str, *, colour: str = INK, stroke_width: int = 3) -> str:
    """A diagonal hatch to fill a second series (or a class with no data), told apart without colour."""
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{WHITE}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="{stroke_width}"/></pattern></defs>'
    )


def grouped_column_chart(
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, Sequence[tuple[float, str]]]],
    *,
    description: str = "",
) -> SafeString:
    """Columns in groups (one group per month, say), each group's first series solid and the second
    hatched. `groups` are (label under the group, [(value, tooltip) per series])."""
    width, height, left, bottom, top = 640, 220, 36, 30, 10
    plot_h = height - bottom - top
    series = max((len(bars) for _label, bars in groups), default=1)
    peak = max([1.0, *(value for _label, bars in groups for value, _tip in bars)])
    group_w = (width - left - 10) / max(len(groups), 1)
    bar_w = max((group_w - 6) / series, 2)
    body = [hatch_pattern(f"{chart_id}-hatch")]
    for t in (0, 1, 2):
        y = round(top + plot_h - plot_h * t / 2, 1)
        body.append(
            f'<line x1="{left}" x2="{width}" y1="{y}" y2="{y}" stroke="{LIGHT}" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y}" text-anchor="end" font-size="11" dominant-baseline="middle" '
            f'fill="{INK}" {FONT}>{round(peak * t / 2)}</text>'
        )
    for i, (label, bars) in enumerate(groups):
        for j, (value, tip) in enumerate(bars):
            h = plot_h * value / peak
            fill = BLUE if j == 0 else f"url(#{chart_id}-hatch)"
            body.append(
                f'<rect x="{round(left + i * group_w + 3 + j * bar_w, 1)}" y="{round(top + plot_h - h, 1)}" '
                f'width="{round(bar_w - 1, 1)}" height="{round(h, 1)}" fill="{fill}" stroke="{INK}" '
                f'stroke-width="0.5"><title>{escape(tip)}</title></rect>'
            )
        body.append(
            f'<text x="{round(left + i * group_w + group_w / 2, 1)}" y="{height - 10}" text-anchor="middle" '
            f'font-size="11" fill="{INK}" {FONT}>{escape(label)}</text>'
        )
    return _svg(
        chart_id, title, description or f"{title}. The same figures are in the table.", width, height, body
    )
