"""Print-ready PDF documents from the same HTML templates as the pages, through WeasyPrint.

Templates extend ``layouts/print.html`` (A4, page numbers, running title). No network is used: the
document carries its own styles, and images are inlined (SVG charts and maps are drawn in the page).

Every document is a tagged PDF/UA-1 (ISO 14289-1) file: WeasyPrint's ``pdf/ua-1`` variant writes the
structure tree (headings, paragraphs, lists, tables with their header cells, figures with the SVG's
``<title>`` as alternative text), the document language from ``<html lang>``, the title from ``<title>``
shown as the window title, and the PDF/UA identification in the XMP metadata, so screen readers can read
the documents in order.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from joinedup.core.audit import record_event
from joinedup.core.models import EventType


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDF documents do not fetch resources ({url})")


PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The tagged (PDF/UA-1) PDF bytes of ``template`` rendered with ``context``."""
    from weasyprint import HTML  # imported here: loading Pango costs time on every process start

    html = render_to_string(template, context, request=request)
    return bytes(HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(pdf_variant=PDF_VARIANT))


def pdf_response(
    request: HttpRequest,
    *,
    template: str = "",
    context: dict[str, Any] | None = None,
    filename: str,
    object_type: str,
    object_id: Any = None,
    content: bytes | None = None,
) -> HttpResponse:
    """A PDF download, recorded in the event log as an export: ``template`` rendered with ``context``, or
    ``content`` already rendered (a document kept from an earlier download)."""
    if content is None:
        content = render_pdf(template, context or {}, request=request)
    record_event(
        EventType.EXPORT,
        request=request,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        detail={"format": "pdf"},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "document"}.pdf"'
    return response
