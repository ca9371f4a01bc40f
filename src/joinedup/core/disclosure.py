"""Small-number suppression for figures shown outside casework (ARCHITECTURE: counts below 3 are never
shown where someone could be recognised from them).

A count of 1 or 2 is replaced by the words "fewer than 3"; 0 and 3 or more are shown. A figure worked out
from a suppressed count (a percentage) is withheld too, so it cannot give the count back.

    rows = suppress_small_counts(rows, fields=("incidents", "actioned"), derived={"actioned_percent": ("actioned",)})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

THRESHOLD = 3
SUPPRESSED = f"fewer than {THRESHOLD}"
WITHHELD = "withheld"


def is_small(value: Any, *, threshold: int = THRESHOLD) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold


def suppress_small_counts(
    rows: Iterable[Mapping[str, Any]],
    *,
    fields: Sequence[str],
    derived: Mapping[str, Sequence[str]] | None = None,
    threshold: int = THRESHOLD,
) -> list[dict[str, Any]]:
    """Copies of `rows` with each count in `fields` from 1 to threshold - 1 replaced by "fewer than 3", and
    each field in `derived` withheld when any count it is worked out from was suppressed."""
    label = f"fewer than {threshold}"
    out = []
    for row in rows:
        copy = dict(row)
        small = {name for name in fields if is_small(row.get(name), threshold=threshold)}
        for name in small:
            copy[name] = label
        for name, sources in (derived or {}).items():
            if small.intersection(sources) and row.get(name) is not None:
                copy[name] = WITHHELD
        out.append(copy)
    return out
