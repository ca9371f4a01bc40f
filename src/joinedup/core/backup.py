"""Backup and restore of a whole instance, and how long uploaded police data files are kept.

`create_backup(path)` writes one tar archive (docs/adr/0023):

    manifest.json                      format, engine, migrations, generation, every member's sha256 and size
    database/joinedup.sqlite3          SQLite: a consistent copy made with SQLite's online backup API
    database/data.json                 PostgreSQL: Django's dumpdata (every model, base managers) read in
                                       one REPEATABLE READ transaction, so every table is from one moment
    insight/CURRENT                    the analytical store's current generation ...
    insight/generations/<gen>/...      ... and its files (the generation is immutable once published)
    files/...                          Django's default storage (the data directory or object storage):
                                       uploaded documents and police data files not yet removed
                                       (files/insight/uploads/...)

`restore_backup(path)` checks every member against the manifest before touching anything, refuses an
instance that is not empty (any account, audit event, store generation or stored file), then restores the
database and puts the files back (into the default storage and the store, wherever they are configured).
An archive made before uploads went through the storage layer holds them as insight/uploads/...: they are
restored into the storage as well. An archive from an older version is migrated forward afterwards
(`joinedup manage migrate`); one from a newer version (migrations this code does not know) is refused.

Cached PDF documents (insight/documents in the storage) are not carried: they are made again on the next
download.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from joinedup.core.files import delete_tree, download, files, local_path, save_exactly, walk

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/joinedup.sqlite3"
JSON_MEMBER = "database/data.json"
CHUNK = 1024 * 1024
UPLOADS = "insight/uploads"  # uploaded police data files, in the default storage
DOCUMENTS = "insight/documents"  # cached PDFs, made again on demand


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


# --- where things are ----------------------------------------------------------------------------------


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def insight_dir() -> Path:
    return data_dir() / "insight"


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- backup --------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree(base: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield f"{prefix}/{path.relative_to(base).as_posix()}", path


def _stored_files(target: Path) -> Iterator[tuple[str, Path]]:
    """Every file in the default storage but cached PDFs, as (member name, path on this disk): read in place
    from the data directory, downloaded into `target` from object storage."""
    storage = files()
    for name in walk(storage, ""):
        if name.startswith(f"{DOCUMENTS}/"):
            continue
        path = local_path(storage, name)
        yield f"files/{name}", path if path is not None else download(storage, name, target / name)


def _dump_database(work: Path) -> tuple[str, Path]:
    if engine() == "sqlite":
        target = work / "joinedup.sqlite3"
        connection.ensure_connection()
        if connection.is_in_memory_db():  # type: ignore[attr-defined]
            # The test suite's shared in-memory database: the backup API would wait for ever on the test's
            # own open transaction, so its pages are serialised through the same connection instead.
            target.write_bytes(connection.connection.serialize())
            return SQLITE_MEMBER, target
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # consistent even while others write
        finally:
            destination.close()
        return SQLITE_MEMBER, target
    target = work / "data.json"
    # Called inside a transaction that has already read (a test's), the dump reads in that transaction:
    # the isolation level can only be set before a transaction's first query.
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", format="json", use_base_manager=True, output=str(target), verbosity=0)
    return JSON_MEMBER, target


def create_backup(out: Path) -> dict[str, Any]:
    """Write the archive to `out` (via a temporary file beside it, renamed when complete)."""
    from joinedup.insight import store

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    members: list[tuple[str, Path]] = []
    with tempfile.TemporaryDirectory(prefix="joinedup-backup-", dir=out.parent) as scratch:
        work = Path(scratch)
        # The store lock holds imports back, so the generation read here is not pruned part-way.
        with store.import_lock():
            member, dump = _dump_database(work)
            members.append((member, dump))
            generation = store.current_generation(fresh=True)
            if generation:
                pointer = work / "CURRENT"
                pointer.write_text(generation + "\n", encoding="ascii")
                members.append(("insight/CURRENT", pointer))
                local = store.current_path()  # downloaded first from object storage
                assert local is not None
                members.extend(_tree(local, f"insight/generations/{generation}"))
            members.extend(_stored_files(work / "files"))
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(timespec="seconds"),
                "engine": engine(),
                "database": member,
                "migrations": applied_migrations(),
                "generation": generation,
                "members": {},
            }
            partial = out.with_name(f".{out.name}.{uuid.uuid4().hex}.partial")
            try:
                with tarfile.open(partial, "w") as archive:
                    for name, path in members:
                        manifest["members"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
                        archive.add(path, arcname=name, recursive=False)
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(data)
                    info.mtime = int(time.time())
                    archive.addfile(info, _bytes(data))
                os.replace(partial, out)
            finally:
                partial.unlink(missing_ok=True)
    logger.info(
        "backup written",
        extra={
            "members": len(members),
            "bytes": out.stat().st_size,
            "generation": generation,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    return manifest


def _bytes(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


# --- restore -------------------------------------------------------------------------------------------


def instance_problems() -> list[str]:
    """Why this instance is not empty (a restore would overwrite someone's data); [] when it is."""
    from django.contrib.auth import get_user_model

    from joinedup.core.models import AuditEvent
    from joinedup.insight import store

    problems = []
    tables = set(connection.introspection.table_names())
    user_model = get_user_model()
    if user_model._meta.db_table in tables and user_model.objects.exists():
        problems.append("the database has user accounts")
    if AuditEvent._meta.db_table in tables and AuditEvent.objects.exists():
        problems.append("the database has audit events")
    if store.current_generation() or any(store.generations_dir().glob("*")):
        problems.append(f"the analytical store in {insight_dir()} has data")
    stored = [name for name in walk(files(), "") if not name.startswith(f"{DOCUMENTS}/")]
    if any(name.startswith("insight/uploads/") for name in stored):
        problems.append("there are uploaded police data files")
    if any(not name.startswith("insight/uploads/") for name in stored):
        problems.append("there are stored files in the default storage")
    return problems


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def read_archive(archive_path: Path, into: Path) -> dict[str, Any]:
    """Extract the archive into `into` and check it against its manifest; raises BackupError if damaged."""
    try:
        with tarfile.open(archive_path, "r") as archive:
            names = archive.getnames()
            if MANIFEST not in names:
                raise BackupError("The archive has no manifest.json: it is not a Joined Up backup.")
            extracted = archive.extractfile(MANIFEST)
            assert extracted is not None
            manifest = json.loads(extracted.read())
            if manifest.get("format") != FORMAT:
                raise BackupError(f"The archive's format {manifest.get('format')!r} is not {FORMAT}.")
            expected = manifest.get("members", {})
            problems = [
                f"{name} is not in the manifest" for name in names if name not in (MANIFEST, *expected)
            ]
            problems += [f"{name} is missing" for name in expected if name not in names]
            problems += [f"{name} is not a safe path" for name in names if not _safe_name(name)]
            if problems:
                raise BackupError("The archive is damaged: " + "; ".join(problems) + ".")
            for member in archive.getmembers():
                if member.name == MANIFEST:
                    continue
                if not member.isfile():
                    raise BackupError(f"The archive is damaged: {member.name} is not a file.")
                archive.extract(member, into, filter="data")
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BackupError(f"The archive cannot be read ({exc}): it is damaged or not a backup.") from exc
    damaged = []
    for name, facts in expected.items():
        path = into / name
        if path.stat().st_size != facts["size"] or _sha256(path) != facts["sha256"]:
            damaged.append(name)
    if damaged:
        raise BackupError("The archive is damaged: checksums differ for " + ", ".join(damaged) + ".")
    return dict(manifest)


def _check_migrations(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of Joined Up (unknown migrations: "
            + ", ".join(unknown[:5])
            + (" …" if len(unknown) > 5 else "")
            + "): install that version to restore it."
        )


def _restore_database(manifest: dict[str, Any], work: Path) -> None:
    if manifest["engine"] != engine():
        raise BackupError(f"The backup holds a {manifest['engine']} database; this instance uses {engine()}.")
    if engine() == "sqlite":
        source = sqlite3.connect(work / SQLITE_MEMBER)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        # Rows made by migrate (content types, permissions, seeded rows) come back from the backup itself.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        # The history tables come back from the backup; loading rows must not write history of its own
        # (loaddata's saves are raw, but setting many-to-many links, a user's areas say, would add a row).
        recording = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            call_command("loaddata", str(work / JSON_MEMBER), verbosity=0)
        finally:
            settings.SIMPLE_HISTORY_ENABLED = recording


def restore_backup(archive_path: Path) -> dict[str, Any]:
    """Rebuild this (empty) instance from the archive; returns its manifest."""
    problems = instance_problems()
    if problems:
        raise BackupError(
            "Refusing to restore into an instance that is not empty: " + "; ".join(problems) + "."
        )
    data_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir()) as scratch:
        work = Path(scratch)
        manifest = read_archive(Path(archive_path), work)
        _check_migrations(manifest)
        _restore_database(manifest, work)
        # The files, moved into place on the same filesystem (the scratch directory is in DATA_DIR).
        generation = manifest.get("generation")
        if generation:
            target = insight_dir() / "generations" / generation
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(work / "insight" / "generations" / generation, target)
        # Stored files go back through the storage layer (an older archive's insight/uploads too).
        for folder, prefix in ((work / "files", ""), (work / "insight" / "uploads", "insight/uploads/")):
            for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
                with open(path, "rb") as handle:
                    save_exactly(files(), prefix + path.relative_to(folder).as_posix(), handle)
        if generation:
            from joinedup.insight import store

            store.publish(generation)  # last: readers see the store only once its files are in place
    logger.info(
        "backup restored",
        extra={"members": len(manifest["members"]), "generation": manifest.get("generation")},
    )
    return manifest


# --- retention of uploaded police data files -----------------------------------------------------------


def remove_expired_uploads(*, now: Any = None, days: int | None = None) -> list[str]:
    """Remove uploaded police data files once they are no longer needed; the scheduler runs this daily.

    The rule (README, docs/adr/0023): an upload's folder under `insight/uploads/` is removed when it was
    last written more than `JOINEDUP_UPLOAD_RETENTION_DAYS` (30) days ago. While any import is still
    queued or running, folders written up to a day before the oldest of them started are kept as well,
    so a worker that was down for weeks still finds its file. The import's record (files, checksums,
    rows) is kept for ever; only the uploaded bytes go. Returns the folder names removed."""
    from joinedup.insight.models import ImportStatus, PoliceDataImport

    now = now or timezone.now()
    keep_days = int(days if days is not None else getattr(settings, "JOINEDUP_UPLOAD_RETENTION_DAYS", 30))
    cutoff = now - timedelta(days=keep_days)
    unfinished = (
        PoliceDataImport.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    if unfinished is not None:
        cutoff = min(cutoff, unfinished - timedelta(days=1))
    storage = files()
    removed: list[str] = []
    try:
        folders, loose = storage.listdir(UPLOADS)
    except FileNotFoundError:
        return removed
    for folder in sorted(folders):
        stored = list(walk(storage, f"{UPLOADS}/{folder}"))
        written = max((storage.get_modified_time(name) for name in stored), default=None)
        if written is None or written < cutoff:
            delete_tree(storage, f"{UPLOADS}/{folder}")
            removed.append(folder)
    for name in sorted(loose):
        if storage.get_modified_time(f"{UPLOADS}/{name}") < cutoff:
            storage.delete(f"{UPLOADS}/{name}")
            removed.append(name)
    if removed:
        logger.info("expired uploads removed", extra={"count": len(removed), "days": keep_days})
    return removed
