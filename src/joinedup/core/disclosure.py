"""Statistical disclosure control for counts shown outside casework (ADR 0013).

Counts about people (case reviews, cases, incidents by small area) published to the public or to the Police
and Crime Panel must not let anyone single out a person. The method, used everywhere such a count is shown:

- **Primary suppression.** A count of 1 or 2 is shown as "fewer than 3". Zero is shown (an empty cell names
  no one) and so is every count of 3 or more.
- **Secondary suppression.** Where the table shows a total (or the cells are known to add up to something
  shown elsewhere), one hidden cell could be worked out by subtraction, and two hidden cells whose total is
  below 3 could be too. So while the hidden cells are a single cell, or add up to fewer than 3, the smallest
  cell still shown (above zero) is hidden as well, marked "not shown". When no cell is left to hide, the
  total itself is hidden.

Counts are never rounded or perturbed: a count shown is the true count.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext, gettext_noop

THRESHOLD = 3
# The words shown in a hidden count's place: English in the data (CSV, JSON, the API), named in the reader's
# language on public pages (`{{ value|shown_count }}`, core/templatetags/ju_disclosure.py).
FEWER_THAN = gettext_noop("fewer than 3")  # fewer than THRESHOLD
NOT_SHOWN = gettext_noop("not shown")

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ShownCount:
    """One count as it may be shown: `value` is None when hidden, and `label` is what to print."""

    value: int | None
    reason: str = ""  # "" (shown), "small" (primary) or "secondary"

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def label(self) -> str:
        if self.reason == "small":
            return FEWER_THAN
        if self.reason == "secondary":
            return NOT_SHOWN
        return str(self.value)

    def as_json(self) -> int | str:
        """The number, or the words shown in its place."""
        return self.value if self.value is not None else self.label

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class SuppressedCounts(Generic[K]):
    """The cells of one table (or one row) after suppression, and its total."""

    cells: dict[K, ShownCount] = field(default_factory=dict)
    total: ShownCount = ShownCount(0)

    def as_json(self) -> dict[K, int | str]:
        return {key: cell.as_json() for key, cell in self.cells.items()}


def is_small(count: int, threshold: int = THRESHOLD) -> bool:
    return 0 < count < threshold


def suppress_small_counts(
    counts: Mapping[K, int], *, with_total: bool = True, threshold: int = THRESHOLD
) -> SuppressedCounts[K]:
    """Apply primary and secondary suppression to one group of counts that add up to a total.

    `counts` maps each cell (a category, an area, a month) to its true count. Counts from 1 to
    `threshold - 1` are hidden as "fewer than 3"; when `with_total` (the total is shown, or the cells are
    parts of a whole shown elsewhere) further cells, smallest first, are hidden as "not shown" until the
    hidden cells cannot be worked out by subtraction; if no cell is left to hide, the total is hidden.
    The result keeps the order of `counts`. Example:

        >>> shown = suppress_small_counts({"noise": 7, "litter": 1, "vehicles": 4})
        >>> [str(c) for c in shown.cells.values()], str(shown.total)
        (['7', 'fewer than 3', 'not shown'], '12')
    """
    if any(count < 0 for count in counts.values()):
        raise ValueError("Counts cannot be negative.")
    hidden: dict[K, str] = {key: "small" for key, count in counts.items() if is_small(count, threshold)}
    total = sum(counts.values())
    total_hidden = False
    if with_total and hidden:

        def hidden_sum() -> int:
            return sum(counts[key] for key in hidden)

        while len(hidden) == 1 or hidden_sum() < threshold:
            candidates = sorted(
                (count, index, key)
                for index, (key, count) in enumerate(counts.items())
                if key not in hidden and count > 0
            )
            if not candidates:
                total_hidden = True
                break
            hidden[candidates[0][2]] = "secondary"
    cells = {
        key: ShownCount(None, hidden[key]) if key in hidden else ShownCount(count)
        for key, count in counts.items()
    }
    if total_hidden:
        shown_total = ShownCount(None, "small" if is_small(total, threshold) else "secondary")
    elif is_small(total, threshold):
        shown_total = ShownCount(None, "small")
    else:
        shown_total = ShownCount(total)
    return SuppressedCounts(cells=cells, total=shown_total)


def suppress_count(count: int, *, threshold: int = THRESHOLD) -> ShownCount:
    """One count on its own (no total to subtract it from): primary suppression only."""
    return ShownCount(None, "small") if is_small(count, threshold) else ShownCount(count)


WITHHELD = gettext_noop("withheld")
HIDDEN_WORDS = frozenset((FEWER_THAN, NOT_SHOWN, WITHHELD))


def shown_word(value: object) -> str:
    """A count as a page shows it in the active language: the words for a hidden count translated, any
    other value as it is."""
    text = str(value)
    return gettext(text) if text in HIDDEN_WORDS else text


def suppress_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    fields: Sequence[str],
    derived: Mapping[str, Sequence[str]] | None = None,
    threshold: int = THRESHOLD,
) -> list[dict[str, Any]]:
    """Copies of `rows` (one measure per field, no total across them, e.g. casework KPIs by CSP) with each
    count in `fields` from 1 to `threshold - 1` shown as "fewer than 3", and each field in `derived` (a
    percentage worked out from counts) "withheld" when any count it comes from is hidden, so it cannot
    give the count back."""
    out = []
    for row in rows:
        copy = dict(row)
        small = set()
        for name in fields:
            value = row.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and is_small(value, threshold):
                copy[name] = suppress_count(value, threshold=threshold).label
                small.add(name)
        for name, sources in (derived or {}).items():
            if small.intersection(sources) and row.get(name) is not None:
                copy[name] = WITHHELD
        out.append(copy)
    return out
