"""Reference data the assessment needs beside the crime store: IMD 2019 by LSOA and Crime Severity weights.

Both imports replace the whole table in one transaction, are recorded as a core `ReferenceImport` (visible
with the other reference imports) and in the event log.

Severity weights (`import_severity`): the published ONS Crime Severity Score weights are per Home Office
offence, but data.police.uk street rows carry only one of 14 broad categories. A file that maps offences to
police.uk categories (columns `ONS_SEVERITY_code`, `ONS_SEVERITY_weight`, `POLICE_UK_CAT_MAP_category`) is
reduced to one weight per category: the **median** of the distinct offences' weights (each ONS offence
counted once however many Home Office codes map to it). The mean, minimum and maximum are stored too, so
the spread is visible. Anti-social behaviour is not a crime and has no weight.
"""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.csvfile import CsvFileError, read_csv
from joinedup.core.models import EventType, ReferenceImport
from joinedup.insight import store
from joinedup.insight.models import DeprivationIndex, SeverityWeight

SEVERITY_COLUMNS = ("ONS_SEVERITY_code", "ONS_SEVERITY_weight", "POLICE_UK_CAT_MAP_category")
IMD_COLUMNS = ("lsoa11cd", "IMDRank", "IMDDecil")
CRIME_TYPE_BY_KEY = {name.casefold(): name for name in store.CRIME_TYPES}


@dataclass
class ReferenceResult:
    record: ReferenceImport
    summary: str


def _read(path: Path) -> tuple[list[dict[str, str]], str, list[str]]:
    """The file's rows, read strictly (joinedup.core.csvfile): a broken file is refused naming its line and
    column."""
    data = Path(path).read_bytes()
    try:
        table = read_csv(data, file=Path(path).name, strip=False)
    except CsvFileError as exc:
        raise ValidationError({"file": [str(p) for p in exc.problems]}) from None
    if table.problems:
        raise ValidationError({"file": [str(p) for p in table.problems]})
    return [row.values for row in table.rows], hashlib.sha256(data).hexdigest(), table.header


def _missing_columns(found: list[str], wanted: tuple[str, ...]) -> None:
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError({"file": f"The file has no column {', '.join(missing)}."})


def derive_severity(rows: list[dict[str, str]]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """{crime type: {weight, mean_weight, min_weight, max_weight, offences}}, and the problems found."""
    offences: dict[str, dict[str, float]] = {}
    problems = []
    for number, row in enumerate(rows, start=2):
        category = (row.get("POLICE_UK_CAT_MAP_category") or "").strip()
        crime_type = CRIME_TYPE_BY_KEY.get(category.casefold())
        if crime_type is None:
            problems.append(f"line {number}: {category!r} is not a data.police.uk crime type")
            continue
        try:
            weight = float(row["ONS_SEVERITY_weight"])
        except (TypeError, ValueError):
            problems.append(f"line {number}: weight {row.get('ONS_SEVERITY_weight')!r} is not a number")
            continue
        code = (row.get("ONS_SEVERITY_code") or "").strip() or f"line {number}"
        offences.setdefault(crime_type, {})[code] = weight
    derived = {}
    for crime_type, weights in offences.items():
        values = list(weights.values())
        derived[crime_type] = {
            "weight": statistics.median(values),
            "mean_weight": statistics.fmean(values),
            "min_weight": min(values),
            "max_weight": max(values),
            "offences": len(values),
        }
    return derived, problems


def import_severity(path: Path, *, actor_label: str = "") -> ReferenceResult:
    started = timezone.now()
    rows, digest, columns = _read(path)
    _missing_columns(columns, SEVERITY_COLUMNS)
    derived, problems = derive_severity(rows)
    if not derived:
        raise ValidationError({"file": "No row maps a weight to a data.police.uk crime type."})
    with transaction.atomic():
        SeverityWeight.objects.all().delete()
        SeverityWeight.objects.bulk_create(SeverityWeight(crime_type=k, **v) for k, v in derived.items())
        record = ReferenceImport.objects.create(
            kind="crime_severity_weights",
            source=str(path)[:500],
            files=[{"name": Path(path).name, "sha256": digest, "rows": len(rows)}],
            counts={"crime_types": len(derived), "rows": len(rows), "rows_skipped": len(problems)},
            imported_by=actor_label,
            started_at=started,
            finished_at=timezone.now(),
        )
        record_event(
            EventType.DATA_IMPORTED,
            obj=record,
            detail={"kind": "crime_severity_weights", "crime_types": len(derived), "skipped": len(problems)},
        )
    lines = [f"Derived Crime Severity weights for {len(derived)} crime types from {len(rows)} rows:"]
    lines += [
        f"  {k}: median {v['weight']:.1f} (mean {v['mean_weight']:.1f}, {v['offences']} offences)"
        for k, v in sorted(derived.items())
    ]
    lines += [f"  skipped {p}" for p in problems]
    return ReferenceResult(record, "\n".join(lines))


def import_deprivation(path: Path, *, actor_label: str = "") -> ReferenceResult:
    started = timezone.now()
    rows, digest, columns = _read(path)
    _missing_columns(columns, IMD_COLUMNS)
    keep: list[DeprivationIndex] = []
    missing = bad = 0
    for row in rows:
        try:
            rank, decile = int(row["IMDRank"]), int(row["IMDDecil"])
        except (TypeError, ValueError):
            bad += 1
            continue
        if rank == 0 or decile == 0:  # Welsh LSOAs: 0 is the file's "not in the English index"
            missing += 1
            continue
        if not 1 <= decile <= 10 or rank < 0:
            bad += 1
            continue
        keep.append(DeprivationIndex(lsoa_code=row["lsoa11cd"].strip(), rank=rank, decile=decile))
    if not keep:
        raise ValidationError({"file": "No LSOA in the file has an IMD rank and decile."})
    with transaction.atomic():
        DeprivationIndex.objects.all().delete()
        DeprivationIndex.objects.bulk_create(keep, batch_size=2000)
        record = ReferenceImport.objects.create(
            kind="imd2019",
            source=str(path)[:500],
            files=[{"name": Path(path).name, "sha256": digest, "rows": len(rows)}],
            counts={"lsoas": len(keep), "missing": missing, "unreadable": bad},
            imported_by=actor_label,
            started_at=started,
            finished_at=timezone.now(),
        )
        record_event(
            EventType.DATA_IMPORTED,
            obj=record,
            detail={"kind": "imd2019", "lsoas": len(keep), "missing": missing, "unreadable": bad},
        )
    summary = (
        f"Imported IMD 2019 for {len(keep):,} LSOAs; {missing:,} without a rank (0 in the file: Welsh LSOAs), "
        f"{bad:,} unreadable."
    )
    return ReferenceResult(record, summary)
