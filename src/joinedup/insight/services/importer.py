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

import csv
import hashlib
import io
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
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
    if data.startswith(b"\xef\xbb\xbf"):
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


class _Inputs:
    """Collects the CSV files to import, normalised into a staging folder where needed."""

    def __init__(self, staging: Path, force: str | None) -> None:
        self.staging = staging
        self.force = force
        self.files: list[SourceFile] = []

    def add_paths(self, paths: Iterable[Path]) -> None:
        for path in paths:
            if path.is_dir():
                found = sorted(
                    p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".zip")
                )
                self.add_paths(found)
            elif path.suffix.lower() == ".zip":
                self._add_zip(path)
            elif path.is_file():
                self._add(str(path), path.name, path.read_bytes(), original=path)
            else:
                raise PoliceImportError(f"{path}: no such file or folder.")

    def _add_zip(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                for member in sorted(archive.namelist()):
                    if member.lower().endswith(".csv") and not member.endswith("/"):
                        self._add(f"{path.name}:{member}", Path(member).name, archive.read(member))
        except zipfile.BadZipFile as exc:
            raise PoliceImportError(f"{path}: not a readable ZIP file ({exc}).") from None

    def _add(self, name: str, basename: str, data: bytes, original: Path | None = None) -> None:
        order = len(self.files)
        digest = hashlib.sha256(data).hexdigest()
        clean, note = normalise(data)
        source = SourceFile(name=name, path=Path(), sha256=digest, order=order, note=note)
        self.files.append(source)
        first_line, _, rest = clean.partition(b"\n")
        source.kind = recognise(first_line.decode("utf-8"))
        if source.kind is None:
            source.note = (
                "skipped: the header is not a data.police.uk street, outcomes or stop-and-search header"
            )
            return
        source.force = self._force_for(basename, rest)
        if source.force is None:
            source.kind = None
            source.note = (
                "skipped: cannot tell which force (name the file as data.police.uk does, or give --force)"
            )
            return
        if original is not None and clean is data:
            source.path = original
        else:
            source.path = self.staging / f"{order:05d}.csv"
            source.path.write_bytes(clean)

    def _force_for(self, basename: str, body: bytes) -> str | None:
        match = FILE_NAME.match(basename)
        if match:
            return match.group("force").lower()
        if self.force:
            return self.force
        first_row = body.partition(b"\n")[0].decode("utf-8")
        try:
            values = next(csv.reader([first_row]), [])
        except csv.Error:
            values = []
        # "Reported by" is the third column of street and outcomes files.
        return force_slug(values[2]) or None if len(values) > 2 else None


# --- the DuckDB pipeline ----------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _area_table() -> pa.Table:
    rows = list(
        Area.objects.filter(level=AreaLevel.LSOA).values_list(
            "code", "lsoa21_code", "lad__code", "csp__code", "pfa__code"
        )
    )
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
    return pa.table(
        {
            name: pa.array(list(values), pa.string())
            for name, values in zip(("code", "lsoa21_code", "lad", "csp", "pfa"), columns, strict=True)
        }
    )


class _Pipeline:
    def __init__(self, files: list[SourceFile], work: Path) -> None:
        self.files = files
        self.by_path = {str(f.path): f for f in files if f.kind}
        self.con = duckdb.connect(config={"temp_directory": str(work / "duckdb.tmp")})
        self.rejected: list[RejectedRow] = []
        self.flags: dict[str, int] = dict.fromkeys(FLAG_NAMES, 0)
        self.partitions: list[dict[str, Any]] = []
        self.kinds: list[str] = [k for k in store.KINDS if any(f.kind == k for f in files)]

    def close(self) -> None:
        self.con.close()

    def load(self) -> None:
        con = self.con
        con.register("areas_arrow", _area_table())
        con.execute("CREATE TEMP TABLE areas AS SELECT * FROM areas_arrow")
        con.execute(
            """
            CREATE TEMP TABLE lookup AS
            SELECT code AS key, code AS lsoa, lad, csp, pfa FROM areas
            UNION ALL
            SELECT b.lsoa21_code, a.code, a.lad, a.csp, a.pfa
            FROM (SELECT lsoa21_code, min(code) AS code FROM areas
                  WHERE lsoa21_code <> '' AND lsoa21_code NOT IN (SELECT code FROM areas)
                  GROUP BY lsoa21_code) b JOIN areas a ON a.code = b.code
            """
        )
        file_rows = [(str(f.path), f.force, f.order) for f in self.files if f.kind]
        con.register(
            "files_arrow",
            pa.table(
                {
                    "path": pa.array([r[0] for r in file_rows], pa.string()),
                    "force": pa.array([r[1] for r in file_rows], pa.string()),
                    "ord": pa.array([r[2] for r in file_rows], pa.int64()),
                }
            ),
        )
        con.execute("CREATE TEMP TABLE files AS SELECT * FROM files_arrow")
        for kind in self.kinds:
            self._read(kind)
        self._force_areas()

    def _read(self, kind: str) -> None:
        paths = [str(f.path) for f in self.files if f.kind == kind]
        columns = "{" + ", ".join(f"{_sql_string(name)}: 'VARCHAR'" for name, _ in COLUMNS[kind]) + "}"
        renamed = ", ".join(f'"{name}" AS {alias}' for name, alias in COLUMNS[kind])
        if kind == "stop_and_search":
            # A stop-and-search file for month M also holds a few searches dated just outside M (time
            # zones, late entries): each row goes to its file's month (the month most of its rows carry),
            # so one file never supersedes another's month. The row keeps its own `date`.
            dated = 'substr(trim("Date"), 1, 7)'
            valid = f"CASE WHEN regexp_full_match({dated}, {_sql_string(MONTH_PATTERN)}) THEN {dated} END"
            month = f"CASE WHEN {valid} IS NULL THEN {dated} ELSE mode({valid}) OVER (PARTITION BY r.filename) END"
        else:
            month = 'trim("Month")'
        self.con.execute(
            f"""
            CREATE TEMP TABLE raw_{kind} AS
            SELECT {renamed}, {month} AS month, f.force, f.ord, r.filename AS path
            FROM read_csv([{", ".join(_sql_string(p) for p in paths)}], columns={columns}, header=true,
                          auto_detect=false, delim=',', quote='"', escape='"', new_line='\\n',
                          filename=true, store_rejects=true,
                          rejects_table='rejects_{kind}', rejects_scan='scans_{kind}') r
            JOIN files f ON f.path = r.filename
            """  # noqa: S608  (paths are quoted; column names are constants)
        )
        # Rows DuckDB could not parse: one reason per line.
        for path, line, reason, text in self.con.execute(
            f"""
            SELECT s.file_path, e.line,
                   arg_min(e.error_type || ': ' || e.error_message, e.column_idx), any_value(e.csv_line)
            FROM rejects_{kind} e JOIN scans_{kind} s ON s.scan_id = e.scan_id AND s.file_id = e.file_id
            GROUP BY s.file_path, e.line ORDER BY s.file_path, e.line
            """  # noqa: S608
        ).fetchall():
            self._reject(path, line, reason, text)
        # Rows with no usable month.
        bad = self.con.execute(
            f"SELECT path, month FROM raw_{kind} WHERE month IS NULL OR NOT regexp_full_match(month, ?)",  # noqa: S608
            [MONTH_PATTERN],
        ).fetchall()
        for path, month in bad:
            self._reject(path, None, f"month {month!r} is not YYYY-MM", "")
        if bad:
            self.con.execute(
                f"DELETE FROM raw_{kind} WHERE month IS NULL OR NOT regexp_full_match(month, ?)",  # noqa: S608
                [MONTH_PATTERN],
            )

    def _reject(self, path: str, line: int | None, reason: str, text: str) -> None:
        source = self.by_path[path]
        source.rejected += 1
        self.rejected.append(
            RejectedRow(
                file=source.name[:500], line=line, reason=reason[:500], text=(text or "")[:MAX_REJECTED_TEXT]
            )
        )

    def _force_areas(self) -> None:
        attributed = [k for k in self.kinds if k != "stop_and_search"]
        if not attributed:
            self.con.execute("CREATE TEMP TABLE force_areas (force VARCHAR, pfa VARCHAR)")
            return
        union = " UNION ALL ".join(
            f"SELECT r.force, l.pfa FROM raw_{k} r JOIN lookup l ON l.key = trim(r.lsoa_code)"  # noqa: S608
            for k in attributed
        )
        self.con.execute(
            f"CREATE TEMP TABLE force_areas AS SELECT force, mode(pfa) AS pfa FROM ({union}) GROUP BY force"  # noqa: S608
        )

    def force_areas(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT force, pfa FROM force_areas WHERE pfa IS NOT NULL").fetchall())

    def write(self, kind: str, target: Path) -> set[tuple[str, str]]:
        """Write one kind's winning rows to `target` partitioned by force and month; returns the partitions."""
        con = self.con
        winners = f"(SELECT force, month, max(ord) AS ord FROM raw_{kind} GROUP BY force, month)"  # noqa: S608
        for path, rows in con.execute(
            f"""SELECT r.path, count(*) FROM raw_{kind} r JOIN {winners} w USING (force, month)
                WHERE r.ord <> w.ord GROUP BY r.path"""  # noqa: S608
        ).fetchall():
            source = self.by_path[path]
            source.superseded_rows = rows
            source.note = "; ".join(
                filter(None, [source.note, f"{rows:,} row(s) replaced by a later file for the same month"])
            )
        names = [alias for _name, alias in COLUMNS[kind] if alias not in ("longitude", "latitude")]
        select = ", ".join(f"r.{n}" for n in names)
        coords = "TRY_CAST(r.longitude AS DOUBLE) AS longitude, TRY_CAST(r.latitude AS DOUBLE) AS latitude"
        if kind == "stop_and_search":
            geo = (
                "CAST(NULL AS VARCHAR) AS lsoa, CAST(NULL AS VARCHAR) AS lad, CAST(NULL AS VARCHAR) AS csp, "
            )
            geo += "CAST(NULL AS VARCHAR) AS pfa, 'not_attributed' AS geo_flag"
            joins = ""
        else:
            geo = """l.lsoa, l.lad, l.csp, l.pfa,
                CASE WHEN nullif(trim(r.lsoa_code), '') IS NULL THEN 'no_lsoa'
                     WHEN l.lsoa IS NULL THEN 'unknown_lsoa'
                     WHEN fa.pfa IS NOT NULL AND l.pfa IS DISTINCT FROM fa.pfa THEN 'outside_force'
                     ELSE 'ok' END AS geo_flag"""
            joins = "LEFT JOIN lookup l ON l.key = trim(r.lsoa_code) LEFT JOIN force_areas fa ON fa.force = r.force"
        known = ""
        if kind == "street":
            types = ", ".join(_sql_string(t) for t in (*store.CRIME_TYPES, *store.HISTORIC_CRIME_TYPES))
            known = f", coalesce(r.crime_type IN ({types}), false) AS crime_type_known"
        con.execute(
            f"""
            CREATE TEMP TABLE out_{kind} AS
            SELECT {select}, {coords}, {geo}{known}, r.path AS source_path, r.force, r.month
            FROM raw_{kind} r JOIN {winners} w ON w.force = r.force AND w.month = r.month AND w.ord = r.ord
            {joins}
            """  # noqa: S608
        )
        con.execute(f"DROP TABLE raw_{kind}")
        # Counts per file, per partition and per flag, before writing.
        for path, months, rows in con.execute(
            f"SELECT source_path, list(DISTINCT month ORDER BY month), count(*) FROM out_{kind} GROUP BY 1"  # noqa: S608
        ).fetchall():
            source = self.by_path[path]
            source.rows, source.months = rows, list(months)
        written = set()
        for force, month, rows in con.execute(
            f"SELECT force, month, count(*) FROM out_{kind} GROUP BY 1, 2 ORDER BY 1, 2"  # noqa: S608
        ).fetchall():
            self.partitions.append({"kind": kind, "force": force, "month": month, "rows": rows})
            written.add((force, month))
        if kind != "stop_and_search":
            for flag, rows in con.execute(
                f"SELECT geo_flag, count(*) FROM out_{kind} WHERE geo_flag <> 'ok' GROUP BY 1"  # noqa: S608
            ).fetchall():
                self.flags[flag] += rows
        if kind == "street":
            (unknown,) = con.execute(
                f"SELECT count(*) FROM out_{kind} WHERE NOT crime_type_known"  # noqa: S608
            ).fetchone() or (0,)
            self.flags["unknown_crime_type"] += unknown
        if written:
            con.execute(
                f"""COPY (SELECT * EXCLUDE (source_path), regexp_extract(source_path, '[^/]+$') AS source_file
                          FROM out_{kind})
                    TO {_sql_string(str(target))}
                    (FORMAT parquet, PARTITION_BY (force, month), COMPRESSION snappy)"""  # noqa: S608
            )
        con.execute(f"DROP TABLE out_{kind}")
        return written


# --- the import -------------------------------------------------------------------------------------


def import_police_data(
    paths: Sequence[Path],
    *,
    actor: Any = None,
    actor_label: str = "",
    force: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the given ZIPs, folders and CSV files (see the module docstring). Raises PoliceImportError."""
    started = time.monotonic()
    record = PoliceDataImport.objects.create(
        source="; ".join(str(p) for p in paths)[:1000],
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        imported_by_label=actor_label or getattr(actor, "email", "") or "",
    )
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
    inputs = _Inputs(staging, force)
    if progress:
        progress("Reading files", 0, 1)
    inputs.add_paths(paths)
    files = inputs.files
    if not any(f.kind for f in files):
        raise PoliceImportError("No data.police.uk street, outcomes or stop-and-search CSV files were found.")
    steps = 2 + 2 * len(store.KINDS)
    step = 1
    if progress:
        progress("Importing", step, steps)

    pipeline = _Pipeline(files, work)
    try:
        pipeline.load()
        step += 1
        if progress:
            progress("Importing", step, steps)
        generation = store.new_generation_name()
        building = work / generation
        building.mkdir()
        current = store.current_path()
        for kind in store.KINDS:
            written = pipeline.write(kind, building / kind) if kind in pipeline.kinds else set()
            step += 1
            if progress:
                progress("Importing", step, steps)
            if current is not None:
                for (force_slug_, month), directory in store.partitions(current, kind).items():
                    if (force_slug_, month) not in written:
                        store.link_tree(
                            directory, building / kind / f"force={force_slug_}" / f"month={month}"
                        )
            step += 1
            if progress:
                progress("Importing", step, steps)
        force_areas = pipeline.force_areas()
    finally:
        pipeline.close()

    rows_accepted = sum(f.rows for f in files)
    rows_rejected = sum(f.rejected for f in files)
    record.files = [f.as_record() for f in files]
    record.forces = sorted({f.force for f in files if f.kind and f.force})
    record.force_areas = force_areas
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
        (building).rename(generations / generation)
        try:
            previous = store.publish(generation)
        except BaseException:
            shutil.rmtree(generations / generation, ignore_errors=True)
            raise
    store.prune(keep={generation, previous} if previous else {generation})
    if progress:
        progress("Importing", steps, steps)


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Helper for tests and fixtures: rows as CSV text with LF endings."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
