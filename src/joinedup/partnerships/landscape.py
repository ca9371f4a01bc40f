"""The landscape picture: partnerships and the organisations they join, laid out as a simple network.

A deterministic layout computed on the server and drawn as inline SVG (no JavaScript): partnerships as
labelled squares on an inner ring, organisations as labelled circles on an outer ring, each sorted by
name, and a line for every membership (thicker for the lead). Shapes, line styles and text labels tell
the kinds apart, never colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .models import MemberRole, Partnership

MAX_PARTNERSHIPS = 60
WIDTH, HEIGHT = 1300, 1000
CX, CY = WIDTH / 2, HEIGHT / 2
INNER_RADIUS = 200
OUTER_RADIUS = 390
SQUARE = 16
CIRCLE_RADIUS = 8
LABEL_CHARS = 32


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Node:
    kind: str  # "partnership" or "organisation"
    name: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the label: start, middle or end

    @property
    def label(self) -> str:
        return _short(self.name)

    @property
    def square_x(self) -> float:
        return round(self.x - SQUARE / 2, 1)

    @property
    def square_y(self) -> float:
        return round(self.y - SQUARE / 2, 1)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    lead: bool


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    partnerships: list[Node]
    organisations: list[Node]
    lines: list[Line]
    square: int = SQUARE
    circle_radius: int = CIRCLE_RADIUS


def _ring(names: Sequence[str], radius: float, kind: str, label_gap: float) -> list[Node]:
    """Place `names` evenly round a circle, the first at the top, going clockwise; labels outside it."""
    nodes = []
    for index, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * index / len(names)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = CX + radius * cos, CY + radius * sin
        nodes.append(
            Node(
                kind=kind,
                name=name,
                x=round(x, 1),
                y=round(y, 1),
                label_x=round(x + cos * label_gap, 1),
                label_y=round(y + sin * label_gap + 4, 1),
                anchor="middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end"),
            )
        )
    return nodes


def layout(partnerships: Sequence[Partnership]) -> Picture:
    """Lay out partnerships (memberships and their organisations prefetched) for the picture."""
    ordered = sorted(partnerships, key=lambda p: (p.name.lower(), p.pk))
    names = {m.organisation_id: m.organisation.name for p in ordered for m in p.memberships.all()}
    organisation_ids = sorted(names, key=lambda pk: (names[pk].lower(), pk))
    inner = _ring([p.name for p in ordered], INNER_RADIUS, "partnership", 18)
    outer = _ring([names[pk] for pk in organisation_ids], OUTER_RADIUS, "organisation", 14)
    where = dict(zip(organisation_ids, outer, strict=True))
    lines = [
        Line(
            x1=start.x,
            y1=start.y,
            x2=where[m.organisation_id].x,
            y2=where[m.organisation_id].y,
            lead=m.role == MemberRole.LEAD,
        )
        for p, start in zip(ordered, inner, strict=True)
        for m in p.memberships.all()
    ]
    return Picture(width=WIDTH, height=HEIGHT, partnerships=inner, organisations=outer, lines=lines)
