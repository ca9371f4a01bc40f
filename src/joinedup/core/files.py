"""Files through Django's storage layer (`STORAGES`), so uploads, documents and the analytical store work
the same on the local data directory and on S3-compatible object storage (docs/adr/0027).

Django's Storage API lists one level at a time and has no "remove a folder"; these helpers add the few
operations Joined Up needs on top of it, for any backend.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage, default_storage

CHUNK = 8 * 1024 * 1024


def files() -> Storage:
    """Django's default storage: uploaded police data files, documents, cached PDFs."""
    return default_storage


def walk(storage: Storage, prefix: str) -> Iterator[str]:
    """Every file name under `prefix` (a folder name without a trailing slash; "" for everything)."""
    try:
        directories, names = storage.listdir(prefix)
    except FileNotFoundError:
        return
    base = f"{prefix}/" if prefix else ""
    for name in sorted(names):
        yield base + name
    for directory in sorted(directories):
        yield from walk(storage, base + directory)


def delete_tree(storage: Storage, prefix: str) -> int:
    """Remove every file under `prefix` (and, on a local directory, the folders); returns files removed."""
    removed = 0
    for name in list(walk(storage, prefix)):
        storage.delete(name)
        removed += 1
    folder = local_path(storage, prefix) if prefix else None
    if folder is not None and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def local_path(storage: Storage, name: str) -> Path | None:
    """The file's path on this server's disk, or None on object storage."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def save_exactly(storage: Storage, name: str, content: IO[bytes]) -> str:
    """Save under exactly `name` (which must be free); raises if the storage chose another name."""
    saved = storage.save(name, File(content, name=name))
    if saved != name:
        storage.delete(saved)
        raise FileExistsError(f"{name} is already stored")
    return saved


def download(storage: Storage, name: str, target: Path) -> Path:
    """Copy a stored file to `target` on this server's disk, in chunks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
    return target
