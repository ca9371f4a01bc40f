"""What an uploaded document really is, from its content (the `filetype` package), never from its name or
the browser's word: a PDF must be a PDF, and a Word, Excel or OpenDocument file must be that kind of
archive — a plain ZIP renamed `.docx` is refused."""

from __future__ import annotations

from typing import Any

import filetype

# Enough of the start of a file for every matcher (the Office formats look at the first archive entries).
HEAD_BYTES = 8192

# The type `filetype` must find for each extension; text files have no signature and are checked apart.
BINARY_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
TEXT_EXTENSIONS = frozenset({".csv", ".txt"})


def extension_of(name: str) -> str:
    """`.pdf` for `Plan.PDF`; empty when the name has no extension."""
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def head_of(upload: Any) -> bytes:
    """The file's first bytes, leaving it ready to be read again from the start."""
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return bytes(head)


def content_matches(upload: Any, extension: str) -> bool:
    """Whether the file's content is what its extension says: the detected type for binary formats, no NUL
    byte at the start for text. An extension this module does not know never matches."""
    head = head_of(upload)
    if extension in TEXT_EXTENSIONS:
        return b"\x00" not in head
    expected = BINARY_TYPES.get(extension)
    if expected is None:
        return False
    kind = filetype.guess(head)
    return kind is not None and kind.mime == expected
