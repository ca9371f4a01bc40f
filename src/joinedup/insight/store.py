"""The analytical store: police open data as Parquet under `<DATA_DIR>/insight/`, queried with DuckDB.

Layout (one directory per *generation*; the file CURRENT names the generation readers use):

    insight/CURRENT                                  e.g. "g20261122T131500-1a2b3c"
    insight/generations/<gen>/street/force=<slug>/month=YYYY-MM/*.parquet
    insight/generations/<gen>/outcomes/force=<slug>/month=YYYY-MM/*.parquet
    insight/generations/<gen>/stop_and_search/force=<slug>/month=YYYY-MM/*.parquet
    insight/tmp/                                     staging for imports in progress
    insight/.lock                                    one import at a time
    insight/generations/<gen>/FORMAT                 "2": every Parquet file also holds its `month`
    insight/generations/<gen>/COVERAGE.json          which months each force has, per kind (below)

Each partition holds one Parquet file per source file that won it (`data_<n>.parquet`). Since format 2 the
files carry a `month` column (equal to the partition's month) as well as the hive partition; generations
written before that (no FORMAT file) are converted partition by partition when the next import links them.

An import builds a complete new generation beside the current one (new partitions written by the importer,
unchanged partitions hard-linked from the current generation, so this costs no copying), then switches
CURRENT with one `os.replace`.

Coverage: the importer writes `COVERAGE.json` into each generation it builds, naming for every kind and force
the force area (PFA code) the force's rows fall in and the rows stored for each month it has. Police data has
gaps (a force's file for a month may never have been published), so an assessment reads from it which months
the forces serving an area actually have, rather than assuming every month of the store is there for every
force. A generation written before coverage was recorded gets it worked out from its partitions (the Parquet
footers give the rows; the force area is then unknown here and comes from the street summary). Readers therefore see either the old store or the new one, never half an
import, and a failure before the switch leaves the store exactly as it was. The previous generation is kept
(a reader may still be using it); older ones are removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

KINDS = ("street", "outcomes", "stop_and_search")

# The 14 categories data.police.uk publishes today, and the older names still found in archived files.
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
HISTORIC_CRIME_TYPES = ("Violent crime", "Public disorder and weapons")
ASB = "Anti-social behaviour"


def root() -> Path:
    return Path(settings.DATA_DIR) / "insight"


def generations_dir() -> Path:
    return root() / "generations"


def tmp_dir() -> Path:
    path = root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def current_generation() -> str | None:
    """The generation readers should use, or None when nothing has been imported yet."""
    try:
        name = (root() / "CURRENT").read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return name or None


def current_path() -> Path | None:
    name = current_generation()
    return generations_dir() / name if name else None


def new_generation_name() -> str:
    return f"g{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}"


def partitions(generation: Path, kind: str) -> dict[tuple[str, str], Path]:
    """{(force, month): partition directory} for one kind in a generation."""
    found: dict[tuple[str, str], Path] = {}
    base = generation / kind
    if not base.is_dir():
        return found
    for force_dir in base.glob("force=*"):
        for month_dir in force_dir.glob("month=*"):
            if any(month_dir.glob("*.parquet")):
                found[(force_dir.name[6:], month_dir.name[6:])] = month_dir
    return found


def dataset_glob(kind: str, generation: Path | None = None) -> str | None:
    """A glob DuckDB can read for one kind in the current (or given) generation; None if there is none."""
    generation = generation or current_path()
    if generation is None or not partitions(generation, kind):
        return None
    return str(generation / kind / "force=*" / "month=*" / "*.parquet")


def months_available(kind: str = "street") -> list[str]:
    """Every month that has data of this kind for at least one force, sorted."""
    generation = current_path()
    if generation is None:
        return []
    return sorted({month for _force, month in partitions(generation, kind)})


def link_tree(source: Path, target: Path) -> None:
    """Recreate `source` at `target` by hard-linking its files (copying where links are not possible)."""
    for directory, _dirs, files in os.walk(source):
        rel = Path(directory).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            src = Path(directory) / name
            dst = target / rel / name
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


FORMAT = "2"
COVERAGE_FILE = "COVERAGE.json"
COVERAGE_FORMAT = 1

# {kind: {force: {"pfa": PFA code or None, "months": {YYYY-MM: rows}}}}
Coverage = dict[str, dict[str, dict[str, Any]]]


def write_coverage(generation: Path, coverage: Coverage) -> None:
    """Record the generation's coverage (called by the importer before the generation is published)."""
    document = {
        "format": COVERAGE_FORMAT,
        "kinds": {
            kind: {
                force: {"pfa": entry.get("pfa"), "months": dict(sorted(entry["months"].items()))}
                for force, entry in sorted(forces.items())
            }
            for kind, forces in coverage.items()
        },
    }
    (generation / COVERAGE_FILE).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def read_coverage(generation: Path) -> Coverage:
    """The coverage recorded in a generation, or worked out from its partitions if none was recorded."""
    try:
        document = json.loads((generation / COVERAGE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return derive_coverage(generation)
    kinds: Coverage = document.get("kinds", {})
    return {kind: kinds.get(kind, {}) for kind in KINDS}


def derive_coverage(generation: Path) -> Coverage:
    """Coverage from the partitions themselves: rows from the Parquet footers, force areas unknown."""
    import pyarrow.parquet as pq

    coverage: Coverage = {kind: {} for kind in KINDS}
    for kind in KINDS:
        for (force, month), directory in partitions(generation, kind).items():
            rows = sum(pq.ParquetFile(path).metadata.num_rows for path in directory.glob("*.parquet"))
            entry = coverage[kind].setdefault(force, {"pfa": None, "months": {}})
            entry["months"][month] = rows
    return coverage


def has_month_column(generation: Path) -> bool:
    """Whether a generation's files hold a `month` column (format 2), as new partitions do."""
    try:
        return (generation / "FORMAT").read_text(encoding="ascii").strip() >= FORMAT
    except FileNotFoundError:
        return False


def mark_format(generation: Path) -> None:
    (generation / "FORMAT").write_text(FORMAT + "\n", encoding="ascii")


def copy_adding_month(con: Any, source: Path, target: Path, month: str) -> None:
    """Rewrite a format-1 partition (no `month` column in its files) into `target` with the column."""
    target.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(sorted(source.glob("*.parquet"))):
        con.execute(
            "COPY (SELECT *, $month AS month FROM read_parquet($path)) TO $target (FORMAT parquet, COMPRESSION snappy)".replace(
                "$month", "'" + month.replace("'", "''") + "'"
            )
            .replace("$path", "'" + str(path).replace("'", "''") + "'")
            .replace("$target", "'" + str(target / f"data_{index}.parquet").replace("'", "''") + "'")
        )


def publish(generation_name: str) -> str | None:
    """Make `generation_name` current with one atomic rename; returns the generation it replaced."""
    previous = current_generation()
    pointer = root() / "CURRENT"
    staged = root() / f"CURRENT.{uuid.uuid4().hex}"
    staged.write_text(generation_name + "\n", encoding="ascii")
    with open(staged, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staged, pointer)
    return previous


def prune(keep: set[str]) -> None:
    """Remove generations other than those named in `keep` (the current one and the one it replaced)."""
    base = generations_dir()
    if not base.is_dir():
        return
    for path in base.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def import_lock() -> Iterator[None]:
    """Only one import writes at a time (other imports wait)."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
