"""The ONS Postcode Directory (ONSPD) in Joined Up: import it whole, and look a postcode up.

The ONSPD's CSV has a row per postcode with, among ~50 columns, `pcds` (the postcode as written), `lsoa11`
and/or `lsoa21` (its LSOA), `lat` and `long` (WGS84; 99.999999 and 0.000000 where it has no grid
reference). Only those columns are read. All or nothing: every problem in the file is reported with its
line, and nothing is written unless there are none. See docs/adr/0026.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from joinedup.core.csvfile import CsvFileError, CsvProblem, read_csv
from joinedup.core.models import Area, AreaLevel, Postcode, ReferenceImport

# The UK postcode format (not whether it exists), with the letters each position may hold: e.g. NE1 4ST,
# E1W 1AA, EC1A 1BB, W1A 0AX, GIR 0AA. The ONSPD import and casework's intake both check against it.
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")
NO_GRID_REFERENCE = Decimal("99.999999")
MAX_BYTES = 2 * 1024**3  # the whole UK directory is about 1.3 GB


class PostcodeImportError(Exception):
    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class PostcodeImportResult:
    rows: int = 0
    located: int = 0
    in_lsoa: int = 0
    outside: int = 0  # LSOAs not loaded here (Scotland, Northern Ireland, or geography not imported)
    problems: list[CsvProblem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Imported {self.rows:,} postcodes: {self.in_lsoa:,} in a loaded LSOA, {self.outside:,} in an "
            f"LSOA not loaded here, {self.located:,} with a location."
        )


def normalise(value: str) -> str:
    """A postcode as the directory holds it: capitals, one space before the last three characters."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _coordinate(text: str, limit: int) -> Decimal | str | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return "not a number"
    if value == NO_GRID_REFERENCE:
        return None
    if not value.is_finite() or abs(value) > limit:
        return f"outside -{limit} to {limit}"
    return value


@transaction.atomic
def import_postcodes(path: Path, *, actor_email: str) -> PostcodeImportResult:
    """Replace the postcode directory with the file's; PostcodeImportError lists every problem."""
    try:
        table = read_csv(path.read_bytes(), file=path.name, header_case="lower", max_bytes=MAX_BYTES)
    except CsvFileError as exc:
        raise PostcodeImportError(exc.problems) from None
    problems = list(table.problems)
    missing = [c for c in ("pcds", "lat", "long") if c not in table.header]
    lsoa_columns = [c for c in ("lsoa21", "lsoa11") if c in table.header]
    if missing or not lsoa_columns:
        needed = missing + ([] if lsoa_columns else ["lsoa21 or lsoa11"])
        raise PostcodeImportError(
            [
                CsvProblem(
                    1, "", f"the header has no {', '.join(needed)} column (the ONSPD format).", path.name
                )
            ]
        )
    lsoas = dict(Area.objects.filter(level=AreaLevel.LSOA).values_list("code", "pk"))
    lsoas.update(
        (code, pk)
        for code, pk in Area.objects.filter(level=AreaLevel.LSOA)
        .exclude(lsoa21_code="")
        .values_list("lsoa21_code", "pk")
        if code not in lsoas
    )
    result = PostcodeImportResult()
    seen: set[str] = set()
    postcodes: list[Postcode] = []
    for row in table.rows:
        values = row.values
        postcode = normalise(values.get("pcds", ""))
        if not POSTCODE_RE.match(postcode):
            problems.append(
                CsvProblem(row.line, "pcds", f"{values.get('pcds')!r} is not a postcode.", path.name)
            )
            continue
        if postcode in seen:
            problems.append(CsvProblem(row.line, "pcds", f"{postcode} is in the file twice.", path.name))
            continue
        seen.add(postcode)
        lat = _coordinate(values.get("lat", ""), 90)
        lon = _coordinate(values.get("long", ""), 180)
        for column, value in (("lat", lat), ("long", lon)):
            if isinstance(value, str):
                problems.append(
                    CsvProblem(row.line, column, f"{values.get(column)!r} is {value}.", path.name)
                )
        if isinstance(lat, str) or isinstance(lon, str):
            continue
        if lat is None or lon is None or (lat == 0 and lon == 0):
            lat = lon = None
        lsoa_id = next((lsoas[values[c]] for c in lsoa_columns if values.get(c) in lsoas), None)
        postcodes.append(Postcode(postcode=postcode, lsoa_id=lsoa_id, latitude=lat, longitude=lon))
        result.rows += 1
        result.located += lat is not None
        result.in_lsoa += lsoa_id is not None
        result.outside += lsoa_id is None
    if problems:
        raise PostcodeImportError(problems)
    Postcode.objects.all().delete()
    Postcode.objects.bulk_create(postcodes, batch_size=5_000)
    ReferenceImport.objects.create(
        kind="postcodes",
        source=str(path.name),
        counts={"postcodes": result.rows, "in_lsoa": result.in_lsoa},
        imported_by=actor_email,
        finished_at=timezone.now(),
    )
    return result


def directory_loaded() -> bool:
    return Postcode.objects.exists()


def find_postcode(value: str) -> Postcode | None:
    return Postcode.objects.select_related("lsoa").filter(postcode=normalise(value)).first()


@dataclass(frozen=True)
class KnownPostcodes:
    """Many postcodes looked up at once (a file's rows): what `find_postcode` and `directory_loaded` answer
    for each of them, from at most two queries however many rows there are."""

    found: dict[str, Postcode]
    loaded: bool

    def find(self, value: str) -> Postcode | None:
        return self.found.get(normalise(value))


def look_up_postcodes(values: Iterable[str]) -> KnownPostcodes:
    given = {postcode for postcode in map(normalise, values) if postcode}
    wanted = {postcode for postcode in given if POSTCODE_RE.match(postcode)}
    found = (
        {p.postcode: p for p in Postcode.objects.select_related("lsoa").filter(postcode__in=wanted)}
        if wanted
        else {}
    )
    # Whether the directory is loaded matters only to a row with a postcode (its message names it).
    return KnownPostcodes(found=found, loaded=bool(found) or (bool(given) and directory_loaded()))
