"""Importing data.police.uk downloads (street crime, outcomes, stop and search) into the Parquet store.

`import_police_data(paths)` takes ZIP files, folders and CSV files, in any mix (ADR 0005):

1. The kind of each CSV is recognised by its header, never by its name. The force comes from the
   data.police.uk file name (`YYYY-MM-<force>-<kind>.csv`), else from the `force` argument, else from the
   first row's "Reported by". Plain files are read where they are; ZIP members are extracted to a staging
   folder. Every file's SHA-256 is worked out in a thread pool while DuckDB reads the files.
2. Each file goes through one streaming DuckDB statement (two files at a time): explicit columns, all
   text, rows with the wrong number of fields (or bytes that are not UTF-8) rejected and recorded with
   file, line and reason, and the rows attributed LSOA → LAD → CSP → PFA by a join against a small lookup
   of the Area table (2011 LSOA codes directly, 2021 codes through the best-fit `lsoa21_code`), written
   as one Parquet file. A file that is not UTF-8 is read as Windows-1252 (noted on the file); a file that
   mixes CRLF and LF lines is read from an LF copy; a file DuckDB cannot read at all is read line by line
   with Python's CSV reader, rejecting records with the wrong number of fields.
3. Rows are kept and flagged, never dropped: `no_lsoa` (no location), `unknown_lsoa` (a code not in the
   reference geography), `outside_force` (in another force's area: the force's own area is the one most
   rows of its largest file fall in), and `crime_type_known = false` (a crime type data.police.uk does
   not publish). A row whose month is not YYYY-MM is rejected.
4. Each file's Parquet is moved into its force-month partition of a new store generation, which replaces
   the current one atomically (see insight.store). A force-month that is imported again is replaced,
   never duplicated; within one import, a later file for the same kind, force and month wins over an
   earlier one (the earlier file's rows are recorded as superseded).
5. The import is recorded as a PoliceDataImport with every file, checksum, count, flag and rejected row.
   From the staff site the same function runs in a background task that reports its progress.
"""

from __future__ import annotations

import concurrent.futures
import csv
import hashlib
import io
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
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import Area, AreaLevel, EventType
from joinedup.insight import store
from joinedup.insight.models import ImportStatus, PoliceDataImport, RejectedRow

Progress = Callable[[str, int, int], None]

# Column names as data.police.uk publishes them, and the names used in the store.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "street": [
        ("Crime ID", "crime_id"),
        ("Month", "month_text"),
        ("Reported by", "reported_by"),
        ("Falls within", "falls_within"),
        ("Longitude", "longitude"),
        ("Latitude", "latitude"),
        ("Location", "location"),
        ("LSOA code", "lsoa_code"),
        ("LSOA name", "lsoa_name"),
        ("Crime type", "crime_type"),
        ("Last outcome category", "last_outcome_category"),
        ("Context", "context"),
    ],
    "outcomes": [
        ("Crime ID", "crime_id"),
        ("Month", "month_text"),
        ("Reported by", "reported_by"),
        ("Falls within", "falls_within"),
        ("Longitude", "longitude"),
        ("Latitude", "latitude"),
        ("Location", "location"),
        ("LSOA code", "lsoa_code"),
        ("LSOA name", "lsoa_name"),
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
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
MAX_REJECTED_TEXT = 500
INVALID_MONTH = "_invalid"  # staging partition for rows whose month is not YYYY-MM (recorded as rejected)
BOM = b"\xef\xbb\xbf"
CHUNK = 8 << 20  # bytes read at a time for checksums and UTF-8 checks
HEAD_BYTES = 64 << 10  # enough for the header and first row
HASH_THREADS = 2
# DuckDB: both cores, and a memory cap well under the 2 GiB budget (it spills to disk beyond it).
THREADS = 2  # files read at once
DUCKDB_THREADS = 1  # threads per DuckDB statement (one file each)
MEMORY_LIMIT = "1GB"


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
    mixed_endings: bool = False

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


class _Inspection:
    """SHA-256 of a file and whether it mixes line endings, fed chunk by chunk (hashlib and numpy release
    the GIL, so two files are inspected at once while DuckDB reads others)."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.cr = self.lf = 0

    def feed(self, chunk: bytes) -> None:
        self.sha.update(chunk)
        data = np.frombuffer(chunk, dtype=np.uint8)
        self.cr += int(np.count_nonzero(data == 13))
        self.lf += int(np.count_nonzero(data == 10))

    @property
    def mixed_endings(self) -> bool:
        """Some lines end CRLF and others LF (or CR): DuckDB cannot read such a file as it is."""
        return self.cr != 0 and self.cr != self.lf


def _inspect(path: Path) -> _Inspection:
    inspection = _Inspection()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            inspection.feed(chunk)
    return inspection


class _Inputs:
    """Collects the CSV files to import. Files are read in place (DuckDB reads UTF-8 with or without BOM,
    LF or CRLF); ZIP members are extracted to a staging folder. Checksums of plain files are worked out in
    a thread pool while DuckDB reads the files (`finish` waits for them)."""

    def __init__(self, staging: Path, force: str | None, progress: Progress | None) -> None:
        self.staging = staging
        self.force = force
        self.progress = progress
        self.files: list[SourceFile] = []
        self._pending: list[tuple[SourceFile, concurrent.futures.Future[_Inspection]]] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=HASH_THREADS)

    def collect(self, paths: Iterable[Path]) -> None:
        self._add_paths(paths)

    def finish(self) -> None:
        """Wait for the checksums (and stop the thread pool)."""
        try:
            for source, future in self._pending:
                inspection = future.result()
                source.sha256 = inspection.sha.hexdigest()
                source.mixed_endings = inspection.mixed_endings
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
                self._pending.append((source, self._pool.submit(_inspect, path)))
            else:
                raise PoliceImportError(f"{path}: no such file or folder.")

    def _new(self, name: str, path: Path) -> SourceFile:
        source = SourceFile(name=name, path=path, sha256="", order=len(self.files))
        self.files.append(source)
        return source

    def _add_zip(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if info.is_dir() or not info.filename.lower().endswith(".csv"):
                        continue
                    source = self._new(f"{path.name}:{info.filename}", Path())
                    target = self.staging / f"{source.order:05d}.csv"
                    inspection = _Inspection()
                    head = b""
                    with archive.open(info) as member, open(target, "wb") as out:
                        while chunk := member.read(CHUNK):
                            if not head:
                                head = chunk[:HEAD_BYTES]
                            inspection.feed(chunk)
                            out.write(chunk)
                    source.sha256 = inspection.sha.hexdigest()
                    source.mixed_endings = inspection.mixed_endings
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


def rewrite_as_utf8(source: SourceFile, staging: Path) -> None:
    """Rewrite a file that is not UTF-8 (read as Windows-1252) or mixes line endings (all become LF) into
    the staging folder."""
    clean, note = normalise(source.path.read_bytes())
    source.note = "; ".join(filter(None, [source.note, note]))
    source.path = staging / f"{source.order:05d}-utf8.csv"
    source.path.write_bytes(clean)


def repair(source: SourceFile, staging: Path) -> list[tuple[int | None, str, str]]:
    """Rewrite a file DuckDB's CSV reader cannot read as a whole (a mix of CRLF and LF lines, a stray
    quote that swallows the rest of the file, ...) with Python's CSV reader into the staging folder.

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
        filter(None, [source.note, note, "read line by line (DuckDB could not read it as a whole)"])
    )
    source.path = staging / f"{source.order:05d}-repaired.csv"
    source.path.write_text(buffer.getvalue(), encoding="utf-8")
    return rejected


# --- the DuckDB pipeline ----------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _write_area_table(path: Path) -> None:
    """The LSOA → LAD → CSP → PFA lookup as a small CSV for DuckDB (faster than going through Arrow)."""
    rows = Area.objects.filter(level=AreaLevel.LSOA).values_list(
        "code", "lsoa21_code", "lad__code", "csp__code", "pfa__code"
    )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows.iterator(chunk_size=5000))


@dataclass
class _FileResult:
    """What one source file's pass produced: its staged Parquet file, rows by (month, flag, known type),
    and the lines DuckDB rejected."""

    source: SourceFile
    staged: Path
    counts: list[tuple[str, str, bool, int]] = field(default_factory=list)
    rejects: list[tuple[int | None, str, str]] = field(default_factory=list)
    error: str = ""
    not_utf8: bool = False


class _Pipeline:
    """A streaming DuckDB pass per source file, two files at a time: read the CSV, attribute each row with
    a hash join against the small LSOA lookup table, and write it as one Parquet file (`COPY ... TO`) in a
    staging folder. Afterwards each staged file is moved into its force-month partition (a rename), or
    split by month in the rare file holding several. Partitioned writes (`PARTITION_BY`) were measured at
    half the speed of plain ones, and one statement per file runs on both cores without a shared sort."""

    def __init__(self, files: list[SourceFile], work: Path, progress: Progress | None) -> None:
        self.files = files
        self.work = work
        self.progress = progress
        self.rejected: list[RejectedRow] = []
        self.flags: dict[str, int] = dict.fromkeys(FLAG_NAMES, 0)
        self.partitions: list[dict[str, Any]] = []
        self.kinds: list[str] = [k for k in store.KINDS if any(f.kind == k for f in files)]
        self.force_areas: dict[str, str] = {}
        self.staged = work / "staged"
        self.staged.mkdir(exist_ok=True)
        self.con = duckdb.connect(
            config={
                "temp_directory": str(work / "duckdb.tmp"),
                "threads": DUCKDB_THREADS,
                "memory_limit": MEMORY_LIMIT,
                "preserve_insertion_order": False,
            }
        )

    def close(self) -> None:
        self.con.close()

    # Reading ------------------------------------------------------------------------------------------

    @staticmethod
    def _csv(paths: Sequence[str], kind: str, rejects: str | None = None) -> str:
        columns = "{" + ", ".join(f"{_sql_string(name)}: 'VARCHAR'" for name, _ in COLUMNS[kind]) + "}"
        options = (
            f"columns={columns}, header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
            "filename=true"
        )
        if rejects is None:
            options += ", ignore_errors=true"  # a look at the data only: the full pass records every error
        else:
            options += f", store_rejects=true, rejects_table='{rejects}', rejects_scan='{rejects}_scans'"
        return f"read_csv([{', '.join(_sql_string(p) for p in paths)}], {options})"

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
        con = self.con
        lookup_csv = self.work / "areas.csv"
        _write_area_table(lookup_csv)
        con.execute(
            f"""CREATE TABLE areas AS SELECT * FROM read_csv({_sql_string(str(lookup_csv))},
                columns={{'code': 'VARCHAR', 'lsoa21_code': 'VARCHAR', 'lad': 'VARCHAR', 'csp': 'VARCHAR',
                          'pfa': 'VARCHAR'}}, header=false, auto_detect=false)"""  # noqa: S608
        )
        con.execute(
            """
            CREATE TABLE lookup AS
            SELECT code AS key, code AS lsoa, lad, csp, pfa FROM areas
            UNION ALL
            SELECT b.lsoa21_code, a.code, a.lad, a.csp, a.pfa
            FROM (SELECT lsoa21_code, min(code) AS code FROM areas
                  WHERE coalesce(lsoa21_code, '') <> '' AND lsoa21_code NOT IN (SELECT code FROM areas)
                  GROUP BY lsoa21_code) b JOIN areas a ON a.code = b.code
            """
        )
        self._force_areas()

    def _force_areas(self) -> None:
        """Each force's own area: the PFA most rows of its largest street or outcomes file fall in (one file
        per force is read for this, a small fraction of the import)."""
        largest: dict[str, SourceFile] = {}
        for source in self.files:
            if source.kind in ("street", "outcomes") and source.force:
                best = largest.get(source.force)
                if best is None or source.path.stat().st_size > best.path.stat().st_size:
                    largest[source.force] = source
        for force, source in sorted(largest.items()):
            query = """SELECT mode(l.pfa) FROM {} r JOIN lookup l ON l.key = trim(r."LSOA code")"""
            try:
                row = self.con.execute(
                    query.format(self._csv([str(source.path)], source.kind or ""))
                ).fetchone()
            except duckdb.Error:
                self._repair(source)
                row = self.con.execute(
                    query.format(self._csv([str(source.path)], source.kind or ""))
                ).fetchone()
            if row and row[0]:
                self.force_areas[force] = row[0]

    def _stop_search_month(self, cursor: duckdb.DuckDBPyConnection, source: SourceFile) -> str | None:
        """A stop-and-search file for month M also holds a few searches dated just outside M (time zones,
        late entries): each row goes to its file's month (the month most of its rows carry), so one file
        never supersedes another's month. The row keeps its own `date`."""
        dated = 'substr(trim("Date"), 1, 7)'
        row = cursor.execute(
            f"SELECT mode({dated}) FROM {self._csv([str(source.path)], 'stop_and_search')} "  # noqa: S608
            f"WHERE regexp_full_match({dated}, {_sql_string(MONTH_PATTERN)})"
        ).fetchone()
        return row[0] if row else None

    def _statement(self, source: SourceFile, target: Path, rejects: str, file_month: str | None) -> str:
        kind = source.kind or ""
        names = [(name, alias) for name, alias in COLUMNS[kind] if alias not in ("longitude", "latitude")]
        select = ", ".join(f'r."{name}" AS {alias}' for name, alias in names)
        coords = (
            'TRY_CAST(r."Longitude" AS DOUBLE) AS longitude, TRY_CAST(r."Latitude" AS DOUBLE) AS latitude'
        )
        invalid = _sql_string(INVALID_MONTH)
        pattern = _sql_string(MONTH_PATTERN)
        if kind == "stop_and_search":
            geo = (
                "CAST(NULL AS VARCHAR) AS lsoa, CAST(NULL AS VARCHAR) AS lad, CAST(NULL AS VARCHAR) AS csp, "
                "CAST(NULL AS VARCHAR) AS pfa, 'not_attributed' AS geo_flag"
            )
            joins = ""
            dated = 'substr(trim(r."Date"), 1, 7)'
            own = _sql_string(file_month) if file_month else dated
            month = f"CASE WHEN regexp_full_match({dated}, {pattern}) THEN {own} ELSE {invalid} END"
        else:
            force_pfa = self.force_areas.get(source.force or "")
            outside = (
                f"WHEN l.pfa IS DISTINCT FROM {_sql_string(force_pfa)} THEN 'outside_force'"
                if force_pfa
                else ""
            )
            geo = f"""l.lsoa, l.lad, l.csp, l.pfa,
                CASE WHEN nullif(trim(r."LSOA code"), '') IS NULL THEN 'no_lsoa'
                     WHEN l.lsoa IS NULL THEN 'unknown_lsoa' {outside}
                     ELSE 'ok' END AS geo_flag"""
            joins = 'LEFT JOIN lookup l ON l.key = trim(r."LSOA code")'
            month = f'CASE WHEN regexp_full_match(trim(r."Month"), {pattern}) THEN trim(r."Month") ELSE {invalid} END'
        known = ""
        if kind == "street":
            types = ", ".join(_sql_string(t) for t in (*store.CRIME_TYPES, *store.HISTORIC_CRIME_TYPES))
            known = f', coalesce(r."Crime type" IN ({types}), false) AS crime_type_known'
        source_file = _sql_string(Path(source.name.rsplit(":", 1)[-1]).name)
        return f"""
            COPY (
                SELECT {select}, {coords}, {geo}{known}, {source_file} AS source_file, {month} AS month
                FROM {self._csv([str(source.path)], kind, rejects)} r {joins}
            ) TO {_sql_string(str(target))} (FORMAT parquet, COMPRESSION snappy)
            """  # noqa: S608  (paths and names are quoted; column names are constants)

    def _one(self, source: SourceFile) -> _FileResult:
        """Read one CSV into one staged Parquet file (runs in a worker thread, on its own cursor)."""
        target = self.staged / f"{source.order:05d}.parquet"
        result = _FileResult(source=source, staged=target)
        rejects = f"rejects_{source.order}"
        cursor = self.con.cursor()
        try:
            file_month = self._stop_search_month(cursor, source) if source.kind == "stop_and_search" else None
            cursor.execute(self._statement(source, target, rejects, file_month))
            result.rejects = cursor.execute(
                f"""SELECT e.line, arg_min(e.error_type || ': ' || e.error_message, e.column_idx),
                           any_value(e.csv_line)
                    FROM {rejects} e GROUP BY e.line ORDER BY e.line"""  # noqa: S608
            ).fetchall()
            result.not_utf8 = any(reason.startswith("INVALID ENCODING") for _l, reason, _t in result.rejects)
            known = "crime_type_known" if source.kind == "street" else "true"
            result.counts = cursor.execute(
                f"SELECT month, geo_flag, {known}, count(*) FROM read_parquet(?) GROUP BY ALL",  # noqa: S608
                [str(target)],
            ).fetchall()
        except duckdb.Error as exc:
            result.error = str(exc)
            target.unlink(missing_ok=True)
        finally:
            cursor.close()
        return result

    def run(self) -> list[_FileResult]:
        """Every file through `_one`, THREADS at a time; a file DuckDB cannot read as a whole is repaired
        (read line by line with Python's CSV reader) and passed through again."""
        todo = [f for f in self.files if f.kind]
        results: list[_FileResult] = []
        total = len(todo)
        with concurrent.futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
            futures = [pool.submit(self._one, source) for source in todo]
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                result = future.result()
                if result.not_utf8:
                    rewrite_as_utf8(result.source, self.work / "csv")
                    result = self._one(result.source)
                if result.error:
                    self._repair(result.source)
                    result = self._one(result.source)
                    if result.error:
                        raise PoliceImportError(f"{result.source.name}: cannot be read ({result.error}).")
                results.append(result)
                if self.progress:
                    self.progress("Reading and writing", done, total)
        return sorted(results, key=lambda r: r.source.order)

    def redo(self, result: _FileResult) -> _FileResult:
        """Read a file again after rewriting it with LF line endings (its first reading is discarded)."""
        result.staged.unlink(missing_ok=True)
        rewrite_as_utf8(result.source, self.work / "csv")
        again = self._one(result.source)
        if again.error:
            self._repair(again.source)
            again = self._one(again.source)
            if again.error:
                raise PoliceImportError(f"{again.source.name}: cannot be read ({again.error}).")
        return again

    # Publishing ---------------------------------------------------------------------------------------

    def publish(self, results: list[_FileResult], building: Path) -> dict[str, set[tuple[str, str]]]:
        """Move each force-month's winning file (the latest source file holding that month) into
        `building`/kind/force=F/month=M/, count rows per file, partition and flag, and record rows whose
        month is not YYYY-MM as rejected. Returns the partitions written per kind."""
        for result in results:
            for line, reason, text in result.rejects:
                self.reject(result.source, line, reason, text)
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
        # The checksums and line-ending checks ran in threads while DuckDB read the files. DuckDB guesses
        # one line ending per file, so a file mixing CRLF and LF lines is read again from an LF copy.
        inputs.finish()
        results = [pipeline.redo(r) if r.source.mixed_endings else r for r in results]
        written = pipeline.publish(results, building)
        current = store.current_path()
        if current is not None:
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
        building.rename(generations / generation)
        try:
            previous = store.publish(generation)
        except BaseException:
            shutil.rmtree(generations / generation, ignore_errors=True)
            raise
    store.prune(keep={generation, previous} if previous else {generation})
    if progress:
        progress("Recording", 1, 1)


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Helper for tests and fixtures: rows as CSV text with LF endings."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
