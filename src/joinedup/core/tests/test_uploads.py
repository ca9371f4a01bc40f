"""Uploaded documents are what their content says, not their name (core/uploads.py, the filetype package)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.core.uploads import content_matches, extension_of

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Project budget</w:t></w:r></w:p></w:body></w:document>"
)


def _zip(entries: list[tuple[str, str]], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, text) in enumerate(entries):
            compress = zipfile.ZIP_STORED if first_stored and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, text, compress_type=compress)
    return buffer.getvalue()


def real_docx() -> bytes:
    """A minimal Word document as Word writes one: content types, relationships, then the document."""
    return _zip(
        [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", DOCUMENT)]
    )


def plain_zip() -> bytes:
    return _zip([("budget.csv", "item,amount\nstaff,1000\n"), ("notes.txt", "Nothing to see.\n")])


def real_odt() -> bytes:
    return _zip(
        [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document/>")],
        first_stored=True,
    )


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_real_word_document_is_accepted_and_a_plain_zip_renamed_docx_is_not():
    assert content_matches(_upload("plan.docx", real_docx()), ".docx")
    # One archive, compared with itself: two built a second apart differ in their entries' times.
    archive = plain_zip()
    renamed = _upload("plan.docx", archive)
    assert zipfile.is_zipfile(io.BytesIO(archive))  # a valid archive, just not a Word document
    assert not content_matches(renamed, ".docx")
    assert not content_matches(_upload("plan.xlsx", real_docx()), ".xlsx")  # Word is not Excel
    assert renamed.read() == archive  # the check leaves the file readable from the start


def test_opendocument_pdf_and_text_are_told_apart():
    assert content_matches(_upload("plan.odt", real_odt()), ".odt")
    assert not content_matches(_upload("plan.odt", plain_zip()), ".odt")
    assert content_matches(_upload("plan.pdf", b"%PDF-1.7\n%a plan\n"), ".pdf")
    assert not content_matches(_upload("plan.pdf", b"<html>not a pdf</html>"), ".pdf")
    assert content_matches(_upload("notes.txt", b"plain words\n"), ".txt")
    assert not content_matches(_upload("notes.txt", b"MZ\x90\x00\x03"), ".txt")
    assert not content_matches(_upload("run.exe", b"MZ\x90\x00\x03"), ".exe")
    assert extension_of("Plan.PDF") == ".pdf" and extension_of("README") == ""
