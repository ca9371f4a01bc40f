"""Importing data.police.uk downloads (street crime, outcomes, stop and search) into the Parquet store.

`import_police_data(paths)` takes ZIP files, folders and CSV files, in any mix (ADR 0005):

1. The kind of each CSV is recognised by its header, never by its name. The force comes from the
   data.police.uk file name (`YYYY-MM-<force>-<kind>.csv`), else from the `force` argument, else from the
   first row's "Reported by". Plain files are read where they are; ZIP members are extracted to a staging
   folder. Every file's SHA-256 is worked out in a thread pool while the files are read.
2. Each file is streamed through Arrow's CSV reader (three files at a time) with its text columns
   dictionary-encoded, so each distinct LSOA code, month and crime type is looked up once per batch rather
   than once per row: rows are attributed LSOA → LAD → CSP → PFA from a lookup of the Area table (2011
   LSOA codes directly, 2021 codes through the best-fit `lsoa21_code`), flagged, and written as one Parquet
   file (ADR 0005). Arrow reads any mix of CRLF, LF and CR, a BOM and quoted line breaks. A file that is
   not UTF-8 is read as Windows-1252 (noted on the file); a file with records of the wrong number of fields
   (or that Arrow cannot read for another reason) is read line by line with Python's CSV reader, and every
   such record is rejected and recorded with file, line and reason.
3. Rows are kept and flagged, never dropped: `no_lsoa` (no location), `unknown_lsoa` (a code not in the
   reference geography), `outside_force` (in another force's area: the force's own area is the one most
   rows in the first megabyte of its largest file fall in), and `crime_type_known = false` (a crime type
   data.police.uk does not publish). A row whose month is not YYYY-MM is rejected. An empty field is null.
4. Each file's Parquet is moved into its force-month partition of a new store generation, which replaces
   the current one atomically (see insight.store). A force-month that is imported again is replaced,
   never duplicated; within one import, a later file for the same kind, force and month wins over an
   earlier one (the earlier file's rows are recorded as superseded). The generation records its coverage
   (insight.store): for each kind and force, its force area and the rows of every month it holds, so a
   month a force never published shows as missing rather than as a month of no crime.
5. The import is recorded as a PoliceDataImport with every file, checksum, count, flag and rejected row.
   From the staff site the same function runs in a background task that reports its progress.
"""

from __future__ import annotations

import concurrent.futures
import csv
import hashlib
import io
import logging
import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import Area, AreaLevel, EventType
from joinedup.insight import store
from joinedup.insight.models import ImportStatus, PoliceDataImport, RejectedRow

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

# The columns a street-crime file and an outcomes file both begin with: the crime, when, who recorded it, where.
_CRIME_COLUMNS: list[tuple[str, str]] = [
    ("Crime ID", "crime_id"),
    ("Month", "month_text"),
    ("Reported by", "reported_by"),
    ("Falls within", "falls_within"),
    ("Longitude", "longitude"),
    ("Latitude", "latitude"),
    ("Location", "location"),
    ("LSOA code", "lsoa_code"),
    ("LSOA name", "lsoa_name"),
]

# Column names as data.police.uk publishes them, and the names used in the store.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "street": [
        *_CRIME_COLUMNS,
        ("Crime type", "crime_type"),
        ("Last outcome category", "last_outcome_category"),
        ("Context", "context"),
    ],
    "outcomes": [
        *_CRIME_COLUMNS,
        ("Outcome type", "outcome_type"),
    ],
    "stop_and_search": [
        ("Type", "type"),
        ("Date", "date"),
        ("Part of a policing operation", "part_of_policing_operation"),
        ("Policing operation", "policing_operation"),
        ("Latitude", "latitude"),
        ("Longitude", "longitude"),
        ("Gender", "gender"),
        ("Age range", "age_range"),
        ("Self-defined ethnicity", "self_defined_ethnicity"),
        ("Officer-defined ethnicity", "officer_defined_ethnicity"),
        ("Legislation", "legislation"),
        ("Object of search", "object_of_search"),
        ("Outcome", "outcome"),
        ("Outcome linked to object of search", "outcome_linked_to_object_of_search"),
        ("Removal of more than just outer clothing", "removal_of_more_than_outer_clothing"),
    ],
}
HEADERS: dict[tuple[str, ...], str] = {
    tuple(name.casefold() for name, _ in columns): kind for kind, columns in COLUMNS.items()
}
FLAG_NAMES = ("no_lsoa", "unknown_lsoa", "outside_force", "unknown_crime_type")
FILE_NAME = re.compile(r"^(\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(street|outcomes|stop-and-search)\.csv$", re.I)
FORCE_WORDS = re.compile(r"-(police(-service)?|constabulary|police-force)$")
MAX_REJECTED_TEXT = 500
INVALID_MONTH = "_invalid"  # staging partition for rows whose month is not YYYY-MM (recorded as rejected)
BOM = b"\xef\xbb\xbf"
CHUNK = 8 << 20  # bytes read at a time for checksums and UTF-8 checks
HEAD_BYTES = 64 << 10  # enough for the header and first row
HASH_THREADS = 2
# Files read at once: three on two cores, because each thread waits now and then for Python's lock.
THREADS = 3
MEMORY_LIMIT = "1GB"  # DuckDB, when it splits a file holding several months
# A ZIP is refused before anything is extracted when its members would expand past these (a data.police.uk
# download compresses about 5 to 16 times; a ZIP bomb, hundreds of times).
MAX_ZIP_UNCOMPRESSED = 16 * 1024**3
MAX_ZIP_RATIO = 100
KNOWN_CRIME_TYPES = frozenset((*store.CRIME_TYPES, *store.HISTORIC_CRIME_TYPES))


class PoliceImportError(Exception):
    """The import failed and wrote nothing to the store (the run is recorded as failed)."""


@dataclass
class SourceFile:
    name: str
    path: Path
    sha256: str
    order: int
    kind: str | None = None
    force: str | None = None
    note: str = ""
    rows: int = 0
    rejected: int = 0
    superseded_rows: int = 0
    months: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "kind": self.kind or "",
            "force": self.force or "",
            "months": self.months,
            "rows": self.rows,
            "rejected": self.rejected,
            "superseded_rows": self.superseded_rows,
            "note": self.note,
        }


@dataclass
class ImportResult:
    record: PoliceDataImport
    seconds: float

    def summary(self) -> str:
        r = self.record
        flags = ", ".join(f"{name.replace('_', ' ')} {r.flags.get(name, 0):,}" for name in FLAG_NAMES)
        rate = r.rows_read / self.seconds if self.seconds else 0
        lines = [
            f"Imported {len(r.files)} file(s) for {', '.join(r.forces) or 'no force'}: "
            f"{len(r.months)} month(s), {len(r.partitions)} partition(s) written.",
            f"Rows read {r.rows_read:,}; accepted {r.rows_accepted:,}; rejected {r.rows_rejected:,}.",
            f"Kept but flagged: {flags}.",
            f"Took {self.seconds:.1f}s ({rate:,.0f} rows/s).",
        ]
        lines += [f"  {f['name']}: {f['note']}" for f in r.files if f.get("note")]
        return "\n".join(lines)


# --- reading the inputs -----------------------------------------------------------------------------


def normalise(data: bytes) -> tuple[bytes, str]:
    """UTF-8 without BOM, LF line endings; returns the bytes and a note of what was changed ('' if nothing)."""
    notes = []
    if data.startswith(BOM):
        data = data[3:]
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data = data.decode("cp1252", errors="replace").encode("utf-8")
        notes.append("not UTF-8: read as Windows-1252")
    return data, "; ".join(notes)


def recognise(header_line: str) -> str | None:
    try:
        names = next(csv.reader([header_line]))
    except (csv.Error, StopIteration):
        return None
    return HEADERS.get(tuple(name.strip().casefold() for name in names))


def force_slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return FORCE_WORDS.sub("", slug)


def _first_lines(head: bytes) -> tuple[str, str]:
    """The header line and the first data line of a file's first bytes, as text."""
    if head.startswith(BOM):
        head = head[3:]
    first, _, rest = head.partition(b"\n")
    second = rest.partition(b"\n")[0]
    return (
        first.rstrip(b"\r").decode("utf-8", errors="replace"),
        second.rstrip(b"\r").decode("utf-8", errors="replace"),
    )


def _sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (hashlib releases the GIL, so checksums are worked out in threads
    while other files are read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Inputs:
    """Collects the CSV files to import. Files are read in place (Arrow reads UTF-8 with or without BOM,
    any mix of LF, CRLF and CR); ZIP members are extracted to a staging folder. Checksums of plain files are
    worked out in a thread pool while the files are read (`finish` waits for them)."""

    def __init__(self, staging: Path, force: str | None, progress: Progress | None) -> None:
        self.staging = staging
        self.force = force
        self.progress = progress
        self.files: list[SourceFile] = []
        self._pending: list[tuple[SourceFile, concurrent.futures.Future[str]]] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=HASH_THREADS)

    def collect(self, paths: Iterable[Path]) -> None:
        self._add_paths(paths)

    def finish(self) -> None:
        """Wait for the checksums (and stop the thread pool)."""
        try:
            for source, future in self._pending:
                source.sha256 = future.result()
        finally:
            self._pool.shutdown(cancel_futures=True)

    def _add_paths(self, paths: Iterable[Path]) -> None:
        for path in paths:
            if path.is_dir():
                found = sorted(
                    p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".zip")
                )
                self._add_paths(found)
            elif path.suffix.lower() == ".zip":
                self._add_zip(path)
            elif path.is_file():
                source = self._new(str(path), path)
                with open(path, "rb") as handle:
                    head = handle.read(HEAD_BYTES)
                self._classify(source, path.name, head)
                self._pending.append((source, self._pool.submit(_sha256, path)))
            else:
                raise PoliceImportError(f"{path}: no such file or folder.")

    def _new(self, name: str, path: Path) -> SourceFile:
        source = SourceFile(name=name, path=path, sha256="", order=len(self.files))
        self.files.append(source)
        return source

    def _add_zip(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                check_zip_sizes(path, archive)
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if info.is_dir() or not info.filename.lower().endswith(".csv"):
                        continue
                    source = self._new(f"{path.name}:{info.filename}", Path())
                    target = self.staging / f"{source.order:05d}.csv"
                    digest = hashlib.sha256()
                    head = b""
                    written = 0
                    with archive.open(info) as member, open(target, "wb") as out:
                        while chunk := member.read(CHUNK):
                            written += len(chunk)
                            if written > info.file_size:  # a member larger than its header says
                                raise PoliceImportError(
                                    f"{path.name}: {info.filename} expands past the size the ZIP "
                                    "records for it; nothing was imported."
                                )
                            if not head:
                                head = chunk[:HEAD_BYTES]
                            digest.update(chunk)
                            out.write(chunk)
                    source.sha256 = digest.hexdigest()
                    self._classify(source, Path(info.filename).name, head)
                    if source.kind:
                        source.path = target
                    else:
                        target.unlink()
        except zipfile.BadZipFile as exc:
            raise PoliceImportError(f"{path}: not a readable ZIP file ({exc}).") from None

    def _classify(self, source: SourceFile, basename: str, head: bytes) -> None:
        header, first_row = _first_lines(head)
        source.kind = recognise(header)
        if source.kind is None:
            source.note = (
                "skipped: the header is not a data.police.uk street, outcomes or stop-and-search header"
            )
            return
        source.force = self._force_for(basename, first_row)
        if source.force is None:
            source.kind = None
            source.note = (
                "skipped: cannot tell which force (name the file as data.police.uk does, or give --force)"
            )

    def _force_for(self, basename: str, first_row: str) -> str | None:
        match = FILE_NAME.match(basename)
        if match:
            return match.group("force").lower()
        if self.force:
            return self.force
        try:
            values = next(csv.reader([first_row]), [])
        except csv.Error:
            values = []
        # "Reported by" is the third column of street and outcomes files.
        return force_slug(values[2]) or None if len(values) > 2 else None


def check_zip_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP, before extracting anything, whose members would expand past `MAX_ZIP_UNCOMPRESSED`
    in all or any member more than `MAX_ZIP_RATIO` times its compressed size."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    total = sum(info.file_size for info in members)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise PoliceImportError(
            f"{path.name}: would expand to {total / 1024**3:.1f} GiB, more than the "
            f"{MAX_ZIP_UNCOMPRESSED // 1024**3} GiB allowed; nothing was imported."
        )
    for info in members:
        if info.file_size > 1024**2 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise PoliceImportError(
                f"{path.name}: {info.filename} would expand {info.file_size // max(info.compress_size, 1):,} "
                f"times (from {info.compress_size:,} to {info.file_size:,} bytes), more than the "
                f"{MAX_ZIP_RATIO} times a data.police.uk file does; nothing was imported."
            )


def rewrite_as_utf8(source: SourceFile, staging: Path) -> None:
    """Rewrite a file that is not UTF-8 (read as Windows-1252) or mixes line endings (all become LF) into
    the staging folder."""
    clean, note = normalise(source.path.read_bytes())
    source.note = "; ".join(filter(None, [source.note, note]))
    source.path = staging / f"{source.order:05d}-utf8.csv"
    source.path.write_bytes(clean)


def repair(source: SourceFile, staging: Path) -> list[tuple[int | None, str, str]]:
    """Rewrite a file Arrow's CSV reader cannot read as a whole (records with the wrong number of fields, a
    stray quote that swallows the rest of the file, ...) with Python's CSV reader into the staging folder.

    Every record with the header's number of fields is kept, written back as plain CSV; blank lines are
    skipped; every other record is returned as (line, reason, text) to be recorded as rejected.
    """
    clean, note = normalise(source.path.read_bytes())
    expected = len(COLUMNS[source.kind or "street"])
    lines = clean.decode("utf-8").split("\n")
    reader = csv.reader(lines)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    rejected: list[tuple[int | None, str, str]] = []
    line = 0
    header = True
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = reader.line_num
            rejected.append((start, f"unreadable: {exc}", "\n".join(lines[start - 1 : line])))
            continue
        line = reader.line_num
        if header:
            writer.writerow(record)
            header = False
        elif not record:
            continue
        elif len(record) != expected:
            rejected.append(
                (start, f"{len(record)} field(s), expected {expected}", "\n".join(lines[start - 1 : line]))
            )
        else:
            writer.writerow(record)
    source.note = "; ".join(
        filter(None, [source.note, note, "read line by line (it could not be read as a whole)"])
    )
    source.path = staging / f"{source.order:05d}-repaired.csv"
    source.path.write_text(buffer.getvalue(), encoding="utf-8")
    return rejected


# --- the Arrow pipeline -----------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


Attribution = tuple[str, str | None, str | None, str | None]  # LSOA (2011 code), LAD, CSP, PFA


def _lookup() -> dict[str, Attribution]:
    """LSOA code → (2011 LSOA, LAD, CSP, PFA) from the Area table: 2011 codes directly, and each 2021 code
    that is not also a 2011 code through the lowest 2011 code with that best-fit `lsoa21_code`."""
    rows = list(
        Area.objects.filter(level=AreaLevel.LSOA)
        .order_by("code")
        .values_list("code", "lsoa21_code", "lad__code", "csp__code", "pfa__code")
    )
    lookup: dict[str, Attribution] = {code: (code, lad, csp, pfa) for code, _l21, lad, csp, pfa in rows}
    later: dict[str, Attribution] = {}
    for code, lsoa21, lad, csp, pfa in rows:
        if lsoa21 and lsoa21 not in lookup:
            later.setdefault(lsoa21, (code, lad, csp, pfa))
    lookup.update(later)
    return lookup


# Text columns are read dictionary-encoded: attribution, flags and month checks are then worked out once per
# distinct value (a few thousand a file) instead of once per row, and the Parquet writer keeps the
# dictionaries. Columns whose values are nearly all distinct are read as plain text.
DICTIONARY_TEXT = pa.dictionary(pa.int32(), pa.string())
PLAIN_TEXT = frozenset({"crime_id", "date"})
COORDINATES = ("longitude", "latitude")
# Nor are these dictionary-encoded in Parquet: trying costs time and, for these, makes larger files.
NOT_DICTIONARY_ENCODED = PLAIN_TEXT | set(COORDINATES)
BLOCK_SIZE = 16 << 20  # bytes of CSV per batch (a typical force-month file is one batch)
SAMPLE_BYTES = 1 << 20  # of one file per force, to tell the force's own area
FLAG_CODES = ("ok", "no_lsoa", "unknown_lsoa", "outside_force")
NOT_ATTRIBUTED = "not_attributed"
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
ATTRIBUTED = ("lsoa", "lad", "csp", "pfa")


def _csv_reader(
    path: Path, kind: str, *, columns: Sequence[str] | None = None, coordinates_as_text: bool = False
) -> pa.RecordBatchReader:
    """A streaming Arrow CSV reader of one file: the header line skipped (the kind was recognised from it),
    every column text except the coordinates. Arrow reads CRLF, LF and CR line endings in any mix, a BOM
    and quoted fields with line breaks, and skips blank lines. A record with the wrong number of fields
    stops the reading (ArrowInvalid): the file is then read line by line (`repair`), which records every
    such record with its line."""
    names = [alias for _name, alias in COLUMNS[kind]]
    types = {
        alias: (
            (pa.string() if coordinates_as_text else pa.float64())
            if alias in COORDINATES
            else pa.string()
            if alias in PLAIN_TEXT
            else DICTIONARY_TEXT
        )
        for alias in names
    }
    return pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=False, block_size=BLOCK_SIZE, skip_rows=1, column_names=names
        ),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            include_columns=list(columns) if columns else None,
            null_values=[""],  # an empty field is null, quoted or not (as before, in the store's format)
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _recode(indices: np.ndarray, values: Sequence[str | None]) -> pa.DictionaryArray:
    """A dictionary column from a per-entry value of the input dictionary (None: null)."""
    positions: dict[str, int] = {}
    table = np.empty(len(values), dtype=np.int32)
    for entry, value in enumerate(values):
        table[entry] = -1 if value is None else positions.setdefault(value, len(positions))
    recoded = table[indices] if len(values) else np.empty(0, dtype=np.int32)
    missing = recoded < 0
    return pa.DictionaryArray.from_arrays(
        pa.array(recoded, mask=missing if missing.any() else None), pa.array(list(positions), pa.string())
    )


def _constant(value: str, rows: int) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array([value]))


def _entries(column: pa.DictionaryArray) -> tuple[np.ndarray, list[str | None]]:
    """A dictionary column's indices and values, a null (empty field) being one more value, None."""
    values: list[str | None] = column.dictionary.to_pylist()
    indices = column.indices.fill_null(len(values)).to_numpy(zero_copy_only=False)
    return indices, [*values, None]


def _numbers(column: pa.Array) -> pa.Array:
    """Coordinates read as text (a file holding something that is not a number): numbers or null."""
    if pa.types.is_floating(column.type):
        return column

    def number(text: str | None) -> float | None:
        try:
            value = float(text or "")
        except ValueError:
            return None
        return value if np.isfinite(value) else None

    return pa.array([number(text) for text in column.to_pylist()], pa.float64())


def _month_of(text: str | None) -> str | None:
    """The YYYY-MM month a Month field (or the start of a stop-and-search Date) holds, else None."""
    month = (text or "").strip()
    return month if MONTH.fullmatch(month) else None


def _date_months(dates: pa.Array) -> pa.DictionaryArray:
    """The first seven characters of each stop-and-search Date, dictionary-encoded (a few distinct values
    a file, so they are checked once each rather than once a row)."""
    return pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(dates), 0, 7).dictionary_encode()


def _stop_search_month(path: Path) -> str | None:
    """A stop-and-search file for month M also holds a few searches dated just outside M (time zones, late
    entries): each row goes to its file's month (the month most of its rows carry), so one file never
    supersedes another's month. The row keeps its own `date`."""
    months: dict[str, int] = {}
    for batch in _csv_reader(path, "stop_and_search", columns=["date"]):
        indices, texts = _entries(_date_months(batch.column(0)))
        for text, rows in zip(texts, np.bincount(indices, minlength=len(texts)).tolist(), strict=True):
            if rows and (month := _month_of(text)):
                months[month] = months.get(month, 0) + rows
    return max(sorted(months), key=lambda m: months[m]) if months else None


class _Converter:
    """One source file's rows, batch by batch: attributed, flagged, month-checked and counted."""

    def __init__(
        self,
        source: SourceFile,
        lookup: dict[str, Attribution],
        force_pfa: str | None,
        file_month: str | None,
    ) -> None:
        self.kind = source.kind or ""
        self.lookup = lookup
        self.force_pfa = force_pfa
        self.file_month = file_month
        self.source_file = Path(source.name.rsplit(":", 1)[-1]).name
        self.counts: dict[tuple[str, str, bool], int] = {}

    def batch(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The batch in the store's columns: the source columns (coordinates as numbers), the attribution,
        `geo_flag`, `crime_type_known` (street), `source_file` and `month` (`INVALID_MONTH` for a month
        that is not YYYY-MM; such rows are recorded as rejected when the file is published)."""
        rows = batch.num_rows
        columns = dict(zip(batch.schema.names, batch.columns, strict=True))
        names = [alias for _name, alias in COLUMNS[self.kind] if alias not in COORDINATES]
        arrays: list[pa.Array] = [columns[name] for name in names]
        names += [*COORDINATES, *ATTRIBUTED, "geo_flag"]
        arrays += [_numbers(columns[name]) for name in COORDINATES]

        flag_names: Sequence[str]
        if self.kind == "stop_and_search":
            arrays += [pa.nulls(rows, pa.string()) for _ in ATTRIBUTED]
            arrays.append(_constant(NOT_ATTRIBUTED, rows))
            flag_names, flags = (NOT_ATTRIBUTED,), np.zeros(rows, dtype=np.int64)
            indices, texts = _entries(_date_months(columns["date"]))
            month = _recode(
                indices, [INVALID_MONTH if _month_of(t) is None else self.file_month or t for t in texts]
            )
        else:
            indices, codes = _entries(columns["lsoa_code"])
            keys = [(code or "").strip() for code in codes]
            found = [self.lookup.get(key) for key in keys]
            code_flags = np.array(
                [
                    1 if not key else 2 if hit is None else 3 if self.outside(hit) else 0
                    for key, hit in zip(keys, found, strict=True)
                ],
                dtype=np.int64,
            )
            arrays += [_recode(indices, [hit[i] if hit else None for hit in found]) for i in range(4)]
            flag_names, flags = FLAG_CODES, code_flags[indices]
            arrays.append(
                pa.DictionaryArray.from_arrays(pa.array(flags.astype(np.int32)), pa.array(flag_names))
            )
            indices, texts = _entries(columns["month_text"])
            month = _recode(indices, [_month_of(t) or INVALID_MONTH for t in texts])

        known = np.ones(rows, dtype=bool)
        if self.kind == "street":
            indices, types = _entries(columns["crime_type"])
            known = np.array([t in KNOWN_CRIME_TYPES for t in types], dtype=bool)[indices]
            arrays.append(pa.array(known))
            names.append("crime_type_known")
        arrays += [_constant(self.source_file, rows), month]
        names += ["source_file", "month"]
        self._count(month, flag_names, flags, known)
        return pa.RecordBatch.from_arrays(arrays, names=names)

    def outside(self, hit: Attribution) -> bool:
        return self.force_pfa is not None and hit[3] != self.force_pfa

    def _count(
        self, month: pa.DictionaryArray, flag_names: Sequence[str], flags: np.ndarray, known: np.ndarray
    ) -> None:
        """Rows by (month, flag, known crime type), for the import's record."""
        months = month.dictionary.to_pylist()
        key = (
            month.indices.to_numpy(zero_copy_only=False).astype(np.int64) * len(flag_names) + flags
        ) * 2 + known
        tally = np.bincount(key) if len(key) else np.zeros(0, dtype=np.int64)
        for value in np.flatnonzero(tally).tolist():
            month_code, rest = divmod(value, 2 * len(flag_names))
            flag_code, is_known = divmod(rest, 2)
            counted = (months[month_code], flag_names[flag_code], bool(is_known))
            self.counts[counted] = self.counts.get(counted, 0) + int(tally[value])


@dataclass
class _FileResult:
    """What one source file's pass produced: its staged Parquet file and rows by (month, flag, known type)."""

    source: SourceFile
    staged: Path
    counts: list[tuple[str, str, bool, int]] = field(default_factory=list)
    error: str = ""


class _Pipeline:
    """A streaming pass per source file, several files at a time: Arrow's CSV reader reads the file in
    batches with the text columns dictionary-encoded, each distinct LSOA code, month and crime type is
    looked up once (attribution LSOA → LAD → CSP → PFA, flags), and the batch is written to one Parquet
    file in a staging folder. Afterwards each staged file is moved into its force-month partition (a
    rename), or split by month (with DuckDB) in the rare file holding several."""

    def __init__(self, files: list[SourceFile], work: Path, progress: Progress | None) -> None:
        self.files = files
        self.work = work
        self.progress = progress
        self.rejected: list[RejectedRow] = []
        self.flags: dict[str, int] = dict.fromkeys(FLAG_NAMES, 0)
        self.partitions: list[dict[str, Any]] = []
        self.force_areas: dict[str, str] = {}
        self.lookup: dict[str, Attribution] = {}
        self.staged = work / "staged"
        self.staged.mkdir(exist_ok=True)
        self.con = duckdb.connect(
            config={
                "temp_directory": str(work / "duckdb.tmp"),
                "threads": 2,
                "memory_limit": MEMORY_LIMIT,
                "preserve_insertion_order": False,
            }
        )

    def close(self) -> None:
        self.con.close()

    # Reading ------------------------------------------------------------------------------------------

    def reject(self, source: SourceFile, line: int | None, reason: str, text: str) -> None:
        source.rejected += 1
        self.rejected.append(
            RejectedRow(
                file=source.name[:500], line=line, reason=reason[:500], text=(text or "")[:MAX_REJECTED_TEXT]
            )
        )

    def _repair(self, source: SourceFile) -> None:
        for line, reason, text in repair(source, self.work / "csv"):
            self.reject(source, line, reason, text)

    def prepare(self) -> None:
        self.lookup = _lookup()
        self._force_areas()

    def _force_areas(self) -> None:
        """Each force's own area: the PFA most rows fall in among the first rows (up to SAMPLE_BYTES) of the
        force's largest street or outcomes file. Rows outside a force's own area are a few in a hundred
        (crimes just over the border), so a sample of thousands of rows names the same area as the whole
        file, and the import does not read every force's file twice."""
        largest: dict[str, SourceFile] = {}
        for source in self.files:
            if source.kind in ("street", "outcomes") and source.force:
                best = largest.get(source.force)
                if best is None or source.path.stat().st_size > best.path.stat().st_size:
                    largest[source.force] = source
        for force, source in sorted(largest.items()):
            areas: dict[str, int] = {}
            position = [alias for _name, alias in COLUMNS[source.kind or ""]].index("lsoa_code")
            with open(source.path, "rb") as handle:
                sample = handle.read(SAMPLE_BYTES).decode("utf-8", errors="replace")
            lines = sample.splitlines()[1:-1]  # not the header, nor a last line that may be cut short
            try:
                for values in csv.reader(lines):
                    hit = self.lookup.get(values[position].strip()) if len(values) > position else None
                    if hit and hit[3]:
                        areas[hit[3]] = areas.get(hit[3], 0) + 1
            except csv.Error:
                pass  # a sample cut inside a quoted field: the rows counted so far decide
            if areas:
                self.force_areas[force] = max(sorted(areas), key=lambda pfa: areas[pfa])

    def _convert_file(self, source: SourceFile, target: Path, *, coordinates_as_text: bool) -> _FileResult:
        result = _FileResult(source=source, staged=target)
        kind = source.kind or ""
        file_month = _stop_search_month(source.path) if kind == "stop_and_search" else None
        converter = _Converter(source, self.lookup, self.force_areas.get(source.force or ""), file_month)
        reader = _csv_reader(source.path, kind, coordinates_as_text=coordinates_as_text)
        writer: pq.ParquetWriter | None = None
        try:
            for batch in reader:
                converted = converter.batch(batch)
                if writer is None:
                    writer = pq.ParquetWriter(
                        target,
                        converted.schema,
                        compression="snappy",
                        use_dictionary=[n for n in converted.schema.names if n not in NOT_DICTIONARY_ENCODED],
                    )
                writer.write_batch(converted)
        finally:
            if writer is not None:
                writer.close()
        result.counts = [(*key, rows) for key, rows in converter.counts.items()]
        return result

    def _one(self, source: SourceFile) -> _FileResult:
        """Read one CSV into one staged Parquet file (runs in a worker thread). A file with no rows after its
        header gives none; one whose coordinates are not all numbers is read again with coordinates as
        text; one Arrow cannot read otherwise is rewritten as UTF-8 (read as Windows-1252 if it is not
        UTF-8) and, failing that, read line by line with Python's CSV reader."""
        target = self.staged / f"{source.order:05d}.parquet"
        coordinates_as_text = recoded = repaired = False
        while True:
            try:
                return self._convert_file(source, target, coordinates_as_text=coordinates_as_text)
            except pa.ArrowInvalid as exc:
                target.unlink(missing_ok=True)
                message = str(exc)
                if "Empty CSV file" in message or "Could not skip initial" in message:
                    return _FileResult(source=source, staged=target)  # the header and nothing else
                if "conversion error to double" in message and not coordinates_as_text:
                    coordinates_as_text = True
                elif not recoded:
                    rewrite_as_utf8(source, self.work / "csv")
                    recoded = True
                elif not repaired:
                    self._repair(source)
                    repaired = True
                else:
                    return _FileResult(source=source, staged=target, error=message)

    def run(self) -> list[_FileResult]:
        """Every file through `_one`, THREADS at a time."""
        todo = [f for f in self.files if f.kind]
        results: list[_FileResult] = []
        total = len(todo)
        with concurrent.futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
            futures = [pool.submit(self._one, source) for source in todo]
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                result = future.result()
                if result.error:
                    raise PoliceImportError(f"{result.source.name}: cannot be read ({result.error}).")
                results.append(result)
                if self.progress:
                    self.progress("Reading and writing", done, total)
        return sorted(results, key=lambda r: r.source.order)

    # Publishing ---------------------------------------------------------------------------------------

    def publish(self, results: list[_FileResult], building: Path) -> dict[str, set[tuple[str, str]]]:
        """Move each force-month's winning file (the latest source file holding that month) into
        `building`/kind/force=F/month=M/, count rows per file, partition and flag, and record rows whose
        month is not YYYY-MM as rejected. Returns the partitions written per kind."""
        months: dict[int, dict[str, int]] = {}
        winners: dict[tuple[str, str, str], int] = {}
        for result in results:
            source = result.source
            per_month = months.setdefault(source.order, {})
            for month, _flag, _known, rows in result.counts:
                per_month[month] = per_month.get(month, 0) + rows
                if month != INVALID_MONTH:
                    key = (source.kind or "", source.force or "", month)
                    winners[key] = max(winners.get(key, -1), source.order)
        written: dict[str, set[tuple[str, str]]] = {kind: set() for kind in store.KINDS}
        for result in results:
            source, staged = result.source, result.staged
            kind, force = source.kind or "", source.force or ""
            per_month = months[source.order]
            won = sorted(m for m in per_month if winners.get((kind, force, m)) == source.order)
            for month, rows in per_month.items():
                if month != INVALID_MONTH and month not in won:
                    source.superseded_rows += rows
            if per_month.get(INVALID_MONTH):
                column = "date" if kind == "stop_and_search" else "month_text"
                for (text,) in self.con.execute(
                    f"SELECT {column} FROM read_parquet(?) WHERE month = ?",  # noqa: S608
                    [str(staged), INVALID_MONTH],
                ).fetchall():
                    shown = (text or "").strip()[:7] if kind == "stop_and_search" else text
                    self.reject(source, None, f"month {shown!r} is not YYYY-MM", "")
            for month in won:
                destination = building / kind / f"force={force}" / f"month={month}"
                destination.mkdir(parents=True)
                target = destination / f"data_{source.order}.parquet"
                if len(per_month) == 1:
                    os.rename(staged, target)  # the usual case: one file, one month
                else:
                    self.con.execute(
                        f"COPY (SELECT * FROM read_parquet({_sql_string(str(staged))}) "  # noqa: S608
                        f"WHERE month = {_sql_string(month)}) TO {_sql_string(str(target))} "
                        "(FORMAT parquet, COMPRESSION snappy)"
                    )
                source.rows += per_month[month]
                self.partitions.append(
                    {"kind": kind, "force": force, "month": month, "rows": per_month[month]}
                )
                written[kind].add((force, month))
            source.months = won
            if source.superseded_rows:
                source.note = "; ".join(
                    filter(
                        None,
                        [
                            source.note,
                            f"{source.superseded_rows:,} row(s) replaced by a later file for the same month",
                        ],
                    )
                )
            for month, flag, known, rows in result.counts:
                if month not in won or kind == "stop_and_search":
                    continue
                if flag != "ok":
                    self.flags[flag] += rows
                if not known:
                    self.flags["unknown_crime_type"] += rows
        return written


# --- the import -------------------------------------------------------------------------------------


def import_police_data(
    paths: Sequence[Path],
    *,
    actor: Any = None,
    actor_label: str = "",
    force: str | None = None,
    progress: Progress | None = None,
    record: PoliceDataImport | None = None,
) -> ImportResult:
    """Import the given ZIPs, folders and CSV files (see the module docstring). Raises PoliceImportError.

    `record` is an import already recorded as queued (the staff site's background task); otherwise one is
    created."""
    started = time.monotonic()
    if record is None:
        record = PoliceDataImport.objects.create(
            source="; ".join(str(p) for p in paths)[:1000],
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            imported_by_label=actor_label or getattr(actor, "email", "") or "",
        )
    else:
        record.status = ImportStatus.RUNNING
        record.started_at = timezone.now()
        record.save(update_fields=["status", "started_at"])
    with store.import_lock():
        work = store.tmp_dir() / f"import-{record.pk}-{store.new_generation_name()}"
        work.mkdir(parents=True)
        try:
            _run(record, [Path(p) for p in paths], work, actor=actor, force=force, progress=progress)
        except Exception as exc:
            record.status = ImportStatus.FAILED
            record.stage = "Failed: nothing was changed"
            record.generation, record.partitions = "", []
            record.error = str(exc) or exc.__class__.__name__
            record.finished_at = timezone.now()
            record.save()
            logger.warning(
                "police data import failed", extra={"import_id": record.pk, "error": exc.__class__.__name__}
            )
            if isinstance(exc, PoliceImportError):
                raise
            raise PoliceImportError(f"The import failed and nothing was changed: {exc}") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return ImportResult(record=record, seconds=time.monotonic() - started)


def _run(
    record: PoliceDataImport,
    paths: list[Path],
    work: Path,
    *,
    actor: Any,
    force: str | None,
    progress: Progress | None,
) -> None:
    staging = work / "csv"
    staging.mkdir()
    inputs = _Inputs(staging, force, progress)
    if progress:
        progress("Reading and writing", 0, 1)
    try:
        inputs.collect(paths)
        files = inputs.files
        if not any(f.kind for f in files):
            raise PoliceImportError(
                "No data.police.uk street, outcomes or stop-and-search CSV files were found."
            )
        generation = store.new_generation_name()
        building = work / generation
        pipeline = _convert(files, inputs, work, building, progress)
    finally:
        inputs.finish()
    _record(record, files, pipeline, building, actor=actor, progress=progress)


def _convert(
    files: list[SourceFile], inputs: _Inputs, work: Path, building: Path, progress: Progress | None
) -> _Pipeline:
    """Read every file into the new generation `building`, beside the current one's unchanged partitions."""
    building.mkdir()
    pipeline = _Pipeline(files, work, progress)
    try:
        pipeline.prepare()
        results = pipeline.run()
        inputs.finish()  # the checksums, worked out in threads while the files were read
        written = pipeline.publish(results, building)
        current = store.current_path()
        coverage: store.Coverage = {kind: {} for kind in store.KINDS}
        if current is not None:
            # What the current generation covers, less the force-months this import replaces.
            for kind, forces in store.read_coverage(current).items():
                for force, entry in forces.items():
                    months = {m: n for m, n in entry["months"].items() if (force, m) not in written[kind]}
                    if months:
                        coverage[kind][force] = {"pfa": entry.get("pfa"), "months": months}
            legacy = not store.has_month_column(current)
            for kind in store.KINDS:
                for (force_slug_, month), directory in store.partitions(current, kind).items():
                    if (force_slug_, month) in written[kind]:
                        continue
                    destination = building / kind / f"force={force_slug_}" / f"month={month}"
                    if legacy:
                        store.copy_adding_month(pipeline.con, directory, destination, month)
                    else:
                        store.link_tree(directory, destination)
        for partition in pipeline.partitions:
            kind, force = partition["kind"], partition["force"]
            entry = coverage[kind].setdefault(force, {"pfa": None, "months": {}})
            entry["months"][partition["month"]] = partition["rows"]
            entry["pfa"] = pipeline.force_areas.get(force) or entry["pfa"]
        store.write_coverage(building, coverage)
        store.mark_format(building)
    finally:
        pipeline.close()
    return pipeline


def _record(
    record: PoliceDataImport,
    files: list[SourceFile],
    pipeline: _Pipeline,
    building: Path,
    *,
    actor: Any,
    progress: Progress | None,
) -> None:
    """Record the import and switch the store to the new generation, in one transaction."""
    if progress:
        progress("Recording", 0, 1)
    generation = building.name
    rows_accepted = sum(f.rows for f in files)
    rows_rejected = sum(f.rejected for f in files)
    record.files = [f.as_record() for f in files]
    record.forces = sorted({f.force for f in files if f.kind and f.force})
    record.force_areas = pipeline.force_areas
    record.months = sorted({p["month"] for p in pipeline.partitions})
    record.partitions = pipeline.partitions
    record.rows_accepted = rows_accepted
    record.rows_rejected = rows_rejected
    record.rows_read = rows_accepted + rows_rejected + sum(f.superseded_rows for f in files)
    record.flags = pipeline.flags
    record.generation = generation
    record.status = ImportStatus.SUCCEEDED
    record.stage, record.progress = "Finished", 100
    record.finished_at = timezone.now()

    generations = store.generations_dir()
    generations.mkdir(parents=True, exist_ok=True)
    building.rename(generations / generation)
    try:
        # On object storage the files go up first, outside the transaction; the pointer is written last.
        store.upload_generation(generation)
    except BaseException:
        shutil.rmtree(generations / generation, ignore_errors=True)
        raise
    with transaction.atomic():
        record.save()
        for row in pipeline.rejected:
            row.data_import = record
        RejectedRow.objects.bulk_create(pipeline.rejected, batch_size=2000)
        record_event(
            EventType.DATA_IMPORTED,
            actor=actor,
            obj=record,
            detail={
                "kind": "police_data",
                "files": len(files),
                "rows_accepted": rows_accepted,
                "rows_rejected": rows_rejected,
                "forces": record.forces,
                "months": record.months,
            },
        )
        # The switch is the last step inside the transaction: if it fails, the record rolls back too.
        try:
            previous = store.publish(generation)
        except BaseException:
            shutil.rmtree(generations / generation, ignore_errors=True)
            raise
    store.prune(keep={generation, previous} if previous else {generation})
    logger.info(
        "police data import finished",
        extra={
            "import_id": record.pk,
            "files": len(files),
            "rows_accepted": rows_accepted,
            "rows_rejected": rows_rejected,
            "generation": generation,
        },
    )
    if progress:
        progress("Recording", 1, 1)


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Helper for tests and fixtures: rows as CSV text with LF endings."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
