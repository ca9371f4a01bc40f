"""LSOA boundaries: importing the shipped GeoJSON, finding the LSOA at a point, and shapes for maps.

`import_boundaries(directory)` reads ``lsoa11/*.geojson`` and ``lsoa21/*.geojson`` under `directory`
(laid out like shared/data/boundaries: one FeatureCollection per district, WGS84). Every file is checked
before anything is written; every problem is reported with the file and feature number; a bad folder
writes nothing; a second run updates the same rows.

`lsoa_at(longitude, latitude)` gives the LSOA area (2011 code, as areas use) whose boundary covers the
point, or None where no loaded boundary does. `boundaries_for(codes)` gives the GeoJSON geometry of each
code that has one, for maps drawn in the page without tiles.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from joinedup.core.audit import record_event
from joinedup.core.models import Area, AreaLevel, BoundaryVintage, EventType, LsoaBoundary, ReferenceImport

Progress = Callable[[str, int, int], None]

FOLDERS: dict[str, int] = {"lsoa11": BoundaryVintage.LSOA2011, "lsoa21": BoundaryVintage.LSOA2021}
CODE_FIELDS: dict[int, str] = {BoundaryVintage.LSOA2011: "LSOA11CD", BoundaryVintage.LSOA2021: "LSOA21CD"}
NAME_FIELDS: dict[int, str] = {BoundaryVintage.LSOA2011: "LSOA11NM", BoundaryVintage.LSOA2021: "LSOA21NM"}
LSOA_CODE = re.compile(r"[EW]01\d{6}")
MAX_PROBLEMS_SHOWN = 50
WRITE_BATCH = 500


class BoundaryImportError(Exception):
    """The boundary files could not be imported; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        lines = [
            f"The boundary import found {count} problem{'s' if count != 1 else ''}; nothing was imported."
        ]
        lines += self.problems[:MAX_PROBLEMS_SHOWN]
        if count > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {count - MAX_PROBLEMS_SHOWN:,} more.")
        return "\n".join(lines)


@dataclass
class BoundaryImportResult:
    counts: dict[int, int]  # vintage -> boundaries
    files: int
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [
            f"{count:,} {BoundaryVintage(vintage).label}" for vintage, count in sorted(self.counts.items())
        ]
        return f"Imported LSOA boundaries from {self.files} files: {', '.join(parts) or 'none'}."


def boundary_files(directory: Path) -> list[tuple[int, Path]]:
    """The (vintage, file) pairs under `directory`, in a stable order."""
    found = []
    for folder, vintage in FOLDERS.items():
        found += [(int(vintage), path) for path in sorted((Path(directory) / folder).glob("*.geojson"))]
    return found


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_feature(
    feature: Any, *, vintage: int, where: str, lad_code: str, problems: list[str]
) -> LsoaBoundary | None:
    if not isinstance(feature, dict):
        problems.append(f"{where}: not a GeoJSON feature")
        return None
    properties = feature.get("properties") or {}
    code = str(properties.get(CODE_FIELDS[vintage]) or "").strip()
    if not LSOA_CODE.fullmatch(code):
        problems.append(
            f"{where}: {CODE_FIELDS[vintage]} {code!r} is not an LSOA code (E01 or W01 and 6 digits)"
            if code
            else f"{where}: no {CODE_FIELDS[vintage]}"
        )
        return None
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        problems.append(f"{where} ({code}): the geometry is not a Polygon or MultiPolygon")
        return None
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        problems.append(f"{where} ({code}): the geometry cannot be read ({exc})")
        return None
    if polygon.is_empty:
        problems.append(f"{where} ({code}): the geometry is empty")
        return None
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        problems.append(f"{where} ({code}): coordinates are not longitude/latitude (WGS84)")
        return None
    return LsoaBoundary(
        vintage=vintage,
        code=code,
        name=str(properties.get(NAME_FIELDS[vintage]) or "")[:200],
        lad_code=str(properties.get("LADCD_ACTIVE") or lad_code)[:9],
        geometry=geometry,
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )


def import_boundaries(
    directory: Path, *, actor_email: str = "", progress: Progress | None = None
) -> BoundaryImportResult:
    """Check every file under `directory`, then create or update every boundary in one transaction."""
    started = time.monotonic()
    started_at = timezone.now()
    directory = Path(directory)
    files = boundary_files(directory)
    if not files:
        raise BoundaryImportError(
            [f"No boundary files in {directory}: expected lsoa11/*.geojson or lsoa21/*.geojson"]
        )
    problems: list[str] = []
    rows: dict[tuple[int, str], LsoaBoundary] = {}
    recorded: list[dict[str, Any]] = []
    for number, (vintage, path) in enumerate(files, start=1):
        name = f"{path.parent.name}/{path.name}"
        data = path.read_bytes()
        recorded.append({"name": name, "sha256": _sha256(data)})
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{name}: not GeoJSON ({exc})")
            continue
        features = document.get("features") if isinstance(document, dict) else None
        if not isinstance(features, list):
            problems.append(f"{name}: not a GeoJSON FeatureCollection")
            continue
        recorded[-1]["rows"] = len(features)
        for index, feature in enumerate(features, start=1):
            boundary = _check_feature(
                feature,
                vintage=vintage,
                where=f"{name} feature {index}",
                lad_code=path.stem,
                problems=problems,
            )
            if boundary is None:
                continue
            if (vintage, boundary.code) in rows:
                problems.append(f"{name} feature {index}: {boundary.code} appears more than once")
                continue
            rows[(vintage, boundary.code)] = boundary
        if progress:
            progress("Reading boundaries", number, len(files))
    if problems:
        raise BoundaryImportError(problems)

    with transaction.atomic():
        existing = {
            (vintage, code): pk
            for pk, vintage, code in LsoaBoundary.objects.values_list("pk", "vintage", "code")
        }
        new, changed = [], []
        for key, boundary in rows.items():
            if key in existing:
                boundary.pk = existing[key]
                changed.append(boundary)
            else:
                new.append(boundary)
        LsoaBoundary.objects.bulk_create(new, batch_size=WRITE_BATCH)
        LsoaBoundary.objects.bulk_update(
            changed,
            ["name", "lad_code", "geometry", "min_lon", "min_lat", "max_lon", "max_lat"],
            batch_size=WRITE_BATCH,
        )
        counts: dict[int, int] = {}
        for vintage, _code in rows:
            counts[vintage] = counts.get(vintage, 0) + 1
        record = ReferenceImport.objects.create(
            kind="boundaries",
            source=str(directory),
            files=recorded,
            counts={str(vintage): count for vintage, count in counts.items()},
            imported_by=actor_email,
            started_at=started_at,
            finished_at=timezone.now(),
        )
        record_event(
            EventType.DATA_IMPORTED,
            obj=record,
            detail={"email": actor_email, "kind": "boundaries", "counts": record.counts, "files": len(files)},
        )
    return BoundaryImportResult(counts=counts, files=len(files), seconds=time.monotonic() - started)


def boundaries_up_to_date(directory: Path) -> bool:
    """Whether the last boundary import read exactly the files that are in `directory` now."""
    last = (
        ReferenceImport.objects.filter(kind="boundaries", finished_at__isnull=False)
        .order_by("-started_at")
        .first()
    )
    if last is None:
        return False
    now = [
        {"name": f"{path.parent.name}/{path.name}", "sha256": _sha256(path.read_bytes())}
        for _vintage, path in boundary_files(directory)
    ]
    before = [{"name": entry.get("name"), "sha256": entry.get("sha256")} for entry in last.files]
    return now == before


def lsoa_at(longitude: float, latitude: float) -> Area | None:
    """The LSOA area whose 2011 boundary covers the point, or None where no loaded boundary does."""
    lon, lat = float(longitude), float(latitude)
    candidates = LsoaBoundary.objects.filter(
        vintage=BoundaryVintage.LSOA2011,
        min_lon__lte=lon,
        max_lon__gte=lon,
        min_lat__lte=lat,
        max_lat__gte=lat,
    ).values_list("code", "geometry")
    point = Point(lon, lat)
    for code, geometry in candidates:
        if shape(geometry).covers(point):
            return Area.objects.filter(code=code, level=AreaLevel.LSOA).first()
    return None


def boundaries_for(
    codes: Iterable[str], *, vintage: int = BoundaryVintage.LSOA2011
) -> dict[str, dict[str, Any]]:
    """The GeoJSON geometry of each of `codes` that has a loaded boundary of that vintage."""
    wanted = list(dict.fromkeys(codes))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 900):  # stay under SQLite's limit on query parameters
        chunk = wanted[start : start + 900]
        found.update(
            LsoaBoundary.objects.filter(vintage=vintage, code__in=chunk).values_list("code", "geometry")
        )
    return found
