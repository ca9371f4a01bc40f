"""Importing data.police.uk downloads (street crime, outcomes, stop and search) into the Parquet store.

`import_police_data(paths)` takes ZIP files, folders and CSV files, in any mix:

1. Every CSV is read as bytes, checksummed (SHA-256 of the file as given), and normalised: a UTF-8
   byte-order mark is removed, CRLF and lone CR line endings become LF, and text that is not UTF-8 is read
   as Windows-1252 (noted on the file). The kind of file is recognised by its header, never by its name.
   The force comes from the data.police.uk file name (`YYYY-MM-<force>-<kind>.csv`), else from the
   `force` argument, else from the first row's "Reported by".
2. DuckDB parses all files of one kind in one pass (explicit columns, all text). A row with the wrong number
   of fields, or a month that is not YYYY-MM, is rejected and recorded with its file, line and reason.
3. Street and outcome rows are attributed LSOA → LAD → CSP → PFA through the Area table (2011 LSOA codes
   directly, 2021 codes through the best-fit `lsoa21_code`). Rows are kept and flagged, never dropped:
   `no_lsoa` (no location), `unknown_lsoa` (a code not in the reference geography), `outside_force` (in
   another force's area: the force's own area is the one most of its rows fall in), and
   `crime_type_known = false` (a crime type data.police.uk does not publish).
4. Rows are written as Parquet partitioned by kind, force and month into a new store generation, which
   replaces the current one atomically (see insight.store). A force-month that is imported again is
   replaced, never duplicated; within one import, a later file for the same kind, force and month wins
   over an earlier one (the earlier file is recorded as superseded).
5. The import is recorded as a PoliceDataImport with every file, checksum, count, flag and rejected row.
"""

from __future__ import annotations

import codecs
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
THREADS = 2
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


class _Checks:
    """SHA-256 and a UTF-8 check of a byte stream, fed chunk by chunk (hashlib releases the GIL)."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.utf8 = True
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.sha.update(chunk)
        if not self.utf8 or (chunk.isascii() and not final and not self._decoder.getstate()[0]):
            return
        try:
            self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self.utf8 = False


def _check_file(path: Path) -> tuple[str, bool]:
    """(SHA-256, is UTF-8) of a file, read in chunks."""
    checks = _Checks()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            checks.feed(chunk)
    checks.feed(b"", final=True)
    return checks.sha.hexdigest(), checks.utf8


class _Inputs:
    """Collects the CSV files to import. Files are read in place where DuckDB can read them as they are
    (UTF-8, with or without BOM, LF or CRLF); ZIP members are extracted to a staging folder, and files that
    are not UTF-8 are rewritten there as UTF-8. Checksums and UTF-8 checks of plain files run in a thread
    pool (hashlib releases the GIL, so two files are hashed at once)."""

    def __init__(self, staging: Path, force: str | None, progress: Progress | None) -> None:
        self.staging = staging
        self.force = force
        self.progress = progress
        self.files: list[SourceFile] = []
        self._pending: list[tuple[SourceFile, concurrent.futures.Future[tuple[str, bool]]]] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=HASH_THREADS)

    def collect(self, paths: Iterable[Path]) -> None:
        try:
            self._add_paths(paths)
            total = len(self._pending)
            for done, (source, future) in enumerate(self._pending, 1):
                source.sha256, utf8 = future.result()
                if source.kind and not utf8:
                    self._rewrite(source, source.path)
                if self.progress and (done % 50 == 0 or done == total):
                    self.progress("Checking files", done, total)
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
                self._pending.append((source, self._pool.submit(_check_file, path)))
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
                    checks = _Checks()
                    head = b""
                    with archive.open(info) as member, open(target, "wb") as out:
                        while chunk := member.read(CHUNK):
                            if not head:
                                head = chunk[:HEAD_BYTES]
                            checks.feed(chunk)
                            out.write(chunk)
                    checks.feed(b"", final=True)
                    source.sha256 = checks.sha.hexdigest()
                    self._classify(source, Path(info.filename).name, head)
                    if not source.kind:
                        target.unlink()
                    elif checks.utf8:
                        source.path = target
                    else:
                        self._rewrite(source, target)
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

    def _rewrite(self, source: SourceFile, path: Path) -> None:
        """Rewrite a file that is not UTF-8 (read as Windows-1252) into the staging folder."""
        clean, note = normalise(path.read_bytes())
        source.note = "; ".join(filter(None, [source.note, note]))
        source.path = self.staging / f"{source.order:05d}.csv"
        source.path.write_bytes(clean)

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


class _Pipeline:
    """One streaming DuckDB pass per kind: read every CSV of that kind in parallel, attribute each row
    with a hash join against the small LSOA lookup, and write Parquet partitioned by force, month and
    source file straight to a staging folder (`COPY ... PARTITION_BY`). Nothing is held in memory but
    DuckDB's buffers (bounded by MEMORY_LIMIT)."""

    def __init__(self, files: list[SourceFile], work: Path, progress: Progress | None) -> None:
        self.files = files
        self.work = work
        self.progress = progress
        self.by_path = {str(f.path): f for f in files if f.kind}
        self.by_order = {f.order: f for f in files if f.kind}
        self.rejected: list[RejectedRow] = []
        self.flags: dict[str, int] = dict.fromkeys(FLAG_NAMES, 0)
        self.partitions: list[dict[str, Any]] = []
        self.kinds: list[str] = [k for k in store.KINDS if any(f.kind == k for f in files)]
        self.force_areas: dict[str, str] = {}
        self.con = self._connect()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(
            config={
                "temp_directory": str(self.work / "duckdb.tmp"),
                "threads": THREADS,
                "memory_limit": MEMORY_LIMIT,
                "preserve_insertion_order": False,
            }
        )
        con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
        return con

    def close(self) -> None:
        self.con.close()

    # Reading ------------------------------------------------------------------------------------------

    def _csv(self, paths: Sequence[str], kind: str, rejects: str | None = None) -> str:
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

    def _execute(self, sql: str, label: str) -> None:
        """Run one long statement in a worker thread, reporting DuckDB's own progress meanwhile."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
            future = runner.submit(lambda: self.con.execute(sql).fetchall())
            while True:
                try:
                    future.result(timeout=0.5)
                    break
                except concurrent.futures.TimeoutError:
                    if self.progress:
                        percent = self.con.query_progress()
                        if percent >= 0:
                            self.progress(label, int(percent), 100)
        if self.progress:
            self.progress(label, 100, 100)

    def check_readable(self) -> list[SourceFile]:
        """The files DuckDB cannot read as a whole (it reports them by failing the query)."""
        failing = []
        for source in self.files:
            if not source.kind:
                continue
            try:
                probe = self._csv([str(source.path)], source.kind, f"probe_{source.order}")
                self.con.execute(f"SELECT count(*) FROM {probe}")  # noqa: S608
            except duckdb.Error:
                failing.append(source)
        return failing

    def prepare(self) -> None:
        con = self.con
        lookup_csv = self.work / "areas.csv"
        _write_area_table(lookup_csv)
        con.execute(
            f"""CREATE TEMP TABLE areas AS SELECT * FROM read_csv({_sql_string(str(lookup_csv))},
                columns={{'code': 'VARCHAR', 'lsoa21_code': 'VARCHAR', 'lad': 'VARCHAR', 'csp': 'VARCHAR',
                          'pfa': 'VARCHAR'}}, header=false, auto_detect=false)"""  # noqa: S608
        )
        con.execute(
            """
            CREATE TEMP TABLE lookup AS
            SELECT code AS key, code AS lsoa, lad, csp, pfa FROM areas
            UNION ALL
            SELECT b.lsoa21_code, a.code, a.lad, a.csp, a.pfa
            FROM (SELECT lsoa21_code, min(code) AS code FROM areas
                  WHERE coalesce(lsoa21_code, '') <> '' AND lsoa21_code NOT IN (SELECT code FROM areas)
                  GROUP BY lsoa21_code) b JOIN areas a ON a.code = b.code
            """
        )
        con.execute(
            "CREATE TEMP TABLE files (path VARCHAR, force VARCHAR, ord INTEGER, source_file VARCHAR, "
            "file_month VARCHAR)"
        )
        values = ", ".join(
            f"({_sql_string(str(f.path))}, {_sql_string(f.force or '')}, {f.order}, "
            f"{_sql_string(Path(f.name.rsplit(':', 1)[-1]).name)}, NULL)"
            for f in self.files
            if f.kind
        )
        con.execute(f"INSERT INTO files VALUES {values}")  # noqa: S608  (values are quoted)
        self._force_areas()
        if "stop_and_search" in self.kinds:
            self._stop_search_months()

    def _force_areas(self) -> None:
        """Each force's own area: the PFA most rows of its largest street or outcomes file fall in (one file
        per force is read for this, so it costs a small fraction of the import)."""
        largest: dict[str, SourceFile] = {}
        for source in self.files:
            if source.kind in ("street", "outcomes") and source.force:
                size = source.path.stat().st_size
                best = largest.get(source.force)
                if best is None or size > best.path.stat().st_size:
                    largest[source.force] = source
        self.con.execute("CREATE TEMP TABLE force_areas (force VARCHAR, pfa VARCHAR)")
        for kind in ("street", "outcomes"):
            paths = [str(s.path) for s in largest.values() if s.kind == kind]
            if paths:
                self.con.execute(
                    f"""INSERT INTO force_areas
                        SELECT f.force, l.pfa FROM {self._csv(paths, kind)} r
                        JOIN files f ON f.path = r.filename JOIN lookup l ON l.key = trim(r."LSOA code")"""  # noqa: S608
                )
        self.con.execute(
            "CREATE TEMP TABLE force_area AS SELECT force, mode(pfa) AS pfa FROM force_areas GROUP BY force"
        )
        self.force_areas = dict(
            self.con.execute("SELECT force, pfa FROM force_area WHERE pfa IS NOT NULL").fetchall()
        )

    def _stop_search_months(self) -> None:
        """A stop-and-search file for month M also holds a few searches dated just outside M (time zones,
        late entries): each row goes to its file's month (the month most of its rows carry), so one file
        never supersedes another's month. The row keeps its own `date`."""
        paths = [str(f.path) for f in self.files if f.kind == "stop_and_search"]
        dated = 'substr(trim("Date"), 1, 7)'
        self.con.execute(
            f"""UPDATE files SET file_month = m.month FROM (
                    SELECT filename, mode({dated}) AS month FROM {self._csv(paths, "stop_and_search")}
                    WHERE regexp_full_match({dated}, {_sql_string(MONTH_PATTERN)}) GROUP BY filename
                ) m WHERE files.path = m.filename"""  # noqa: S608
        )

    def copy(self, kind: str, target: Path) -> None:
        """Write every row of one kind to `target`/force=F/month=M/src=N/ (N = the source file's order);
        rows with a month that is not YYYY-MM go to month=_invalid (recorded as rejected, never published)."""
        paths = [str(f.path) for f in self.files if f.kind == kind]
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
            month = f"CASE WHEN regexp_full_match({dated}, {pattern}) THEN coalesce(f.file_month, {dated}) ELSE {invalid} END"
        else:
            geo = """l.lsoa, l.lad, l.csp, l.pfa,
                CASE WHEN nullif(trim(r."LSOA code"), '') IS NULL THEN 'no_lsoa'
                     WHEN l.lsoa IS NULL THEN 'unknown_lsoa'
                     WHEN fa.pfa IS NOT NULL AND l.pfa IS DISTINCT FROM fa.pfa THEN 'outside_force'
                     ELSE 'ok' END AS geo_flag"""
            joins = 'LEFT JOIN lookup l ON l.key = trim(r."LSOA code") LEFT JOIN force_area fa ON fa.force = f.force'
            month = f'CASE WHEN regexp_full_match(trim(r."Month"), {pattern}) THEN trim(r."Month") ELSE {invalid} END'
        known = ""
        if kind == "street":
            types = ", ".join(_sql_string(t) for t in (*store.CRIME_TYPES, *store.HISTORIC_CRIME_TYPES))
            known = f', coalesce(r."Crime type" IN ({types}), false) AS crime_type_known'
        self._execute(
            f"""
            COPY (
                SELECT {select}, {coords}, {geo}{known}, f.source_file, f.force, {month} AS month, f.ord AS src
                FROM {self._csv(paths, kind, f"rejects_{kind}")} r
                JOIN files f ON f.path = r.filename
                {joins}
            ) TO {_sql_string(str(target))}
            (FORMAT parquet, PARTITION_BY (force, month, src), COMPRESSION snappy)
            """,  # noqa: S608  (paths are quoted; column names are constants)
            f"Reading and writing {kind.replace('_', ' ')}",
        )
        # Rows DuckDB could not parse: one reason per line.
        for path, line, reason, text in self.con.execute(
            f"""
            SELECT s.file_path, e.line,
                   arg_min(e.error_type || ': ' || e.error_message, e.column_idx), any_value(e.csv_line)
            FROM rejects_{kind} e JOIN rejects_{kind}_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id
            GROUP BY s.file_path, e.line ORDER BY s.file_path, e.line
            """  # noqa: S608
        ).fetchall():
            self.reject(self.by_path[path], line, reason, text)

    def reject(self, source: SourceFile, line: int | None, reason: str, text: str) -> None:
        source.rejected += 1
        self.rejected.append(
            RejectedRow(
                file=source.name[:500], line=line, reason=reason[:500], text=(text or "")[:MAX_REJECTED_TEXT]
            )
        )

    def publish_partitions(self, kind: str, staged: Path, target: Path) -> set[tuple[str, str]]:
        """Move each force-month's winning files (the latest source file) from `staged` into `target`,
        count rows per file, partition and flag, and record rows with a bad month as rejected."""
        found: dict[tuple[str, str], dict[int, list[Path]]] = {}
        for parquet in staged.glob("force=*/month=*/src=*/*.parquet"):
            src_dir = parquet.parent
            key = (src_dir.parent.parent.name[6:], src_dir.parent.name[6:])
            found.setdefault(key, {}).setdefault(int(src_dir.name[4:]), []).append(parquet)
        every = [str(p) for groups in found.values() for paths in groups.values() for p in paths]
        rows_in: dict[str, int] = {}
        if every:
            rows_in = dict(
                self.con.execute(
                    "SELECT file_name, sum(num_rows)::BIGINT FROM parquet_file_metadata(?) GROUP BY 1",
                    [every],
                ).fetchall()
            )
        written: set[tuple[str, str]] = set()
        published: list[str] = []
        month_column = "date" if kind == "stop_and_search" else "month_text"
        for (force, month), groups in sorted(found.items()):
            if month == INVALID_MONTH:
                for order, paths in groups.items():
                    for (text,) in self.con.execute(
                        f"SELECT {month_column} FROM read_parquet(?)",  # noqa: S608
                        [[str(p) for p in paths]],
                    ).fetchall():
                        shown = (text or "").strip()[:7] if kind == "stop_and_search" else text
                        self.reject(self.by_order[order], None, f"month {shown!r} is not YYYY-MM", "")
                continue
            winner = max(groups)
            for order, paths in groups.items():
                rows = sum(rows_in[str(p)] for p in paths)
                source = self.by_order[order]
                if order != winner:
                    source.superseded_rows += rows
                    continue
                source.rows += rows
                source.months = sorted({*source.months, month})
                destination = target / f"force={force}" / f"month={month}"
                destination.mkdir(parents=True)
                for index, path in enumerate(sorted(paths)):
                    moved = destination / f"data_{index}.parquet"
                    os.rename(path, moved)
                    published.append(str(moved))
                self.partitions.append({"kind": kind, "force": force, "month": month, "rows": rows})
                written.add((force, month))
        for source in self.files:
            if source.kind == kind and source.superseded_rows:
                source.note = "; ".join(
                    filter(
                        None,
                        [
                            source.note,
                            f"{source.superseded_rows:,} row(s) replaced by a later file for the same month",
                        ],
                    )
                )
        if published and kind != "stop_and_search":
            unknown = "count(*) FILTER (NOT crime_type_known)" if kind == "street" else "0"
            for flag, rows, unknown_types in self.con.execute(
                f"SELECT geo_flag, count(*), {unknown} FROM read_parquet(?) GROUP BY 1",  # noqa: S608
                [published],
            ).fetchall():
                if flag != "ok":
                    self.flags[flag] += rows
                self.flags["unknown_crime_type"] += unknown_types
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
        progress("Checking files", 0, 1)
    inputs.collect(paths)
    files = inputs.files
    if not any(f.kind for f in files):
        raise PoliceImportError("No data.police.uk street, outcomes or stop-and-search CSV files were found.")

    generation = store.new_generation_name()
    building = work / generation
    building.mkdir()
    (work / "staged").mkdir()
    pipeline = _Pipeline(files, work, progress)
    try:
        failing = []
        try:
            pipeline.prepare()
            for kind in pipeline.kinds:
                pipeline.copy(kind, work / "staged" / kind)
        except duckdb.Error:
            # Some file cannot be read by DuckDB as a whole: find which, read those line by line with
            # Python's CSV reader, and run the pass again from the start.
            pipeline.close()
            shutil.rmtree(work / "staged", ignore_errors=True)
            (work / "staged").mkdir()
            pipeline = _Pipeline(files, work, progress)
            failing = pipeline.check_readable()
            if not failing:
                raise
            pipeline.close()
            for source in files:
                source.rejected = 0
            repairs = [(source, repair(source, staging)) for source in failing]
            pipeline = _Pipeline(files, work, progress)
            for source, rejected in repairs:
                for line, reason, text in rejected:
                    pipeline.reject(source, line, reason, text)
            pipeline.prepare()
            for kind in pipeline.kinds:
                pipeline.copy(kind, work / "staged" / kind)
        current = store.current_path()
        for kind in store.KINDS:
            written = set()
            if kind in pipeline.kinds:
                written = pipeline.publish_partitions(kind, work / "staged" / kind, building / kind)
            if current is not None:
                for (force_slug_, month), directory in store.partitions(current, kind).items():
                    if (force_slug_, month) not in written:
                        store.link_tree(
                            directory, building / kind / f"force={force_slug_}" / f"month={month}"
                        )
    finally:
        pipeline.close()
    if progress:
        progress("Recording", 0, 1)

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
