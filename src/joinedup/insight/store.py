"""The analytical store: police open data as Parquet under `<DATA_DIR>/insight/`, queried with DuckDB.

Layout (one directory per *generation*; the file CURRENT names the generation readers use):

    insight/CURRENT                                  e.g. "g20261122T131500-1a2b3c"
    insight/generations/<gen>/street/force=<slug>/month=YYYY-MM/*.parquet
    insight/generations/<gen>/outcomes/force=<slug>/month=YYYY-MM/*.parquet
    insight/generations/<gen>/stop_and_search/force=<slug>/month=YYYY-MM/*.parquet
    insight/tmp/                                     staging for imports and downloads in progress
    insight/tmp/fetch-<gen>.lock                     one download of a generation at a time (per server)
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

On object storage (JOINEDUP_STORAGE_URL, docs/adr/0027) the same layout lives in `STORAGES["insight"]`:
publishing uploads the generation's files first and writes the `CURRENT` object last, so a reader that
resolves the pointer always finds a whole generation. Each server keeps a local copy of the generations it
reads under `insight/generations/` (downloaded once per generation, then read by DuckDB from local disk), so
every query below works on local paths either way. Imports are serialised by a PostgreSQL advisory lock
when the database is PostgreSQL (every server shares it), by a file lock on SQLite (one server).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connections

from joinedup.core import crime_types

KINDS = ("street", "outcomes", "stop_and_search")

# The crime types are core's (engagement names them too); re-exported for insight's modules.
CRIME_TYPES = crime_types.CRIME_TYPES
HISTORIC_CRIME_TYPES = crime_types.HISTORIC_CRIME_TYPES
ASB = crime_types.ASB


def root() -> Path:
    return Path(settings.DATA_DIR) / "insight"


def generations_dir() -> Path:
    return root() / "generations"


def tmp_dir() -> Path:
    path = root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def remote() -> Storage | None:
    """The object storage holding the published store, or None when the store is the local directory."""
    if "insight" not in settings.STORAGES:
        return None
    from django.core.files.storage import storages

    return storages["insight"]


# A reader asks object storage for CURRENT at most this often (seconds) per process; a publish in this
# process updates it at once.
POINTER_TTL = 2.0
_POINTER: dict[str, tuple[str | None, float]] = {}
_POINTER_LOCK = threading.Lock()


def _read_remote_pointer(storage: Storage) -> str | None:
    try:
        with storage.open("CURRENT", "rb") as handle:
            name = handle.read().decode("ascii").strip()
    except FileNotFoundError:
        return None
    return name or None


def current_generation(*, fresh: bool = False) -> str | None:
    """The generation readers should use, or None when nothing has been imported yet."""
    storage = remote()
    if storage is not None:
        key = str(settings.STORAGES["insight"].get("OPTIONS", {}))
        cached = _POINTER.get(key)
        if not fresh and cached is not None and time.monotonic() - cached[1] < POINTER_TTL:
            return cached[0]
        name = _read_remote_pointer(storage)
        with _POINTER_LOCK:
            _POINTER[key] = (name, time.monotonic())
        return name
    try:
        name = (root() / "CURRENT").read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return name or None


def current_path() -> Path | None:
    """The current generation's directory on this server (downloaded first from object storage)."""
    name = current_generation()
    if not name:
        return None
    path = generations_dir() / name
    if remote() is not None and not path.is_dir():
        fetch_generation(name)
    return path


def fetch_generation(name: str) -> Path:
    """Download a published generation from object storage into this server's copy, all or nothing:
    into a staging folder first, then renamed into place. One process downloads a generation at a time:
    the others wanting it wait on a lock file for that generation (in `tmp/`) and then find it in place,
    so the first requests after a publish download it once rather than once each. (Should two downloads
    still overlap, the second simply loses the rename.) Older local copies are removed, keeping the two
    newest."""
    target = generations_dir() / name
    with _fetch_lock(name):
        if target.is_dir():
            return target
        _download_generation(name, target)
    local = sorted(
        (p for p in generations_dir().iterdir() if p.is_dir() and p.name != name),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in local[2:]:
        shutil.rmtree(old, ignore_errors=True)
        # Its lock file goes too (a process still wanting a generation this old downloads it unlocked).
        (tmp_dir() / f"fetch-{old.name}.lock").unlink(missing_ok=True)
    return target


@contextmanager
def _fetch_lock(name: str) -> Iterator[None]:
    """This server's lock on downloading generation `name` (flock: held across processes and threads)."""
    with open(tmp_dir() / f"fetch-{name}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _download_generation(name: str, target: Path) -> None:
    from joinedup.core.files import download, walk

    storage = remote()
    assert storage is not None
    staging = tmp_dir() / f"download-{name}-{uuid.uuid4().hex[:8]}"
    prefix = f"generations/{name}"
    try:
        count = 0
        for key in walk(storage, prefix):
            download(storage, key, staging / key[len(prefix) + 1 :])
            count += 1
        if not count:
            raise FileNotFoundError(
                f"The store's CURRENT names generation {name}, which object storage lacks."
            )
        generations_dir().mkdir(parents=True, exist_ok=True)
        try:
            staging.rename(target)
        except OSError:
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


_UPLOADED: set[str] = set()


def upload_generation(generation_name: str) -> None:
    """Copy a built generation (in `generations/`) to object storage; nothing on the local store.

    Files hard-linked from the previous generation (partitions an import left unchanged) are copied
    inside the object store rather than uploaded again, where the backend is S3."""
    from joinedup.core.files import walk

    storage = remote()
    if storage is None or generation_name in _UPLOADED:
        return
    source = generations_dir() / generation_name
    previous = current_generation(fresh=True)
    previous_dir = generations_dir() / previous if previous else None
    already = set(walk(storage, f"generations/{generation_name}"))
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        key = f"generations/{generation_name}/{relative}"
        if key in already:
            continue
        old = previous_dir / relative if previous_dir is not None else None
        if (
            old is not None
            and old.is_file()
            and os.path.samefile(old, path)
            and _copy_inside(storage, f"generations/{previous}/{relative}", key)
        ):
            continue
        with open(path, "rb") as handle:
            storage.save(key, File(handle, name=key))
    _UPLOADED.add(generation_name)


def _copy_inside(storage: Storage, source: str, target: str) -> bool:
    """Server-side copy on S3 (no bytes through this server); False where the backend cannot."""
    bucket = getattr(storage, "bucket", None)
    normalise = getattr(storage, "_normalize_name", None)
    if bucket is None or normalise is None:
        return False
    from storages.utils import clean_name

    bucket.Object(normalise(clean_name(target))).copy_from(
        CopySource={"Bucket": bucket.name, "Key": normalise(clean_name(source))}
    )
    return True


def publish(generation_name: str) -> str | None:
    """Make `generation_name` current: on the local store with one atomic rename of CURRENT; on object
    storage by uploading its files (if not already) and then writing the CURRENT object, last. Returns the
    generation it replaced."""
    storage = remote()
    if storage is not None:
        previous = current_generation(fresh=True)
        upload_generation(generation_name)
        storage.save("CURRENT", ContentFile((generation_name + "\n").encode("ascii")))
        with _POINTER_LOCK:
            _POINTER[str(settings.STORAGES["insight"].get("OPTIONS", {}))] = (
                generation_name,
                time.monotonic(),
            )
        return previous
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
    storage = remote()
    if storage is not None:
        from joinedup.core.files import delete_tree

        try:
            published, _files = storage.listdir("generations")
        except FileNotFoundError:
            published = []
        for name in published:
            if name not in keep:
                delete_tree(storage, f"generations/{name}")
    base = generations_dir()
    if not base.is_dir():
        return
    for path in base.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# pg_advisory_lock's key for "one police data import at a time": any fixed number no other lock uses.
ADVISORY_KEY = 4_217_001


@contextmanager
def import_lock() -> Iterator[None]:
    """Only one import writes at a time (other imports wait): a PostgreSQL advisory lock, held on a
    connection of its own, when the database is PostgreSQL (so it holds across servers, and a holder that
    dies releases it with its connection); otherwise a file lock in the store's directory."""
    database = connections["default"]
    if database.vendor == "postgresql":
        own = database.get_new_connection(database.get_connection_params())
        try:
            own.autocommit = True
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
            try:
                yield
            finally:
                with own.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        finally:
            own.close()
        return
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
