"""The assessment as a document: its charts and map, and what the print-ready PDF is rendered from.

Shared by the staff pages and `joinedup insight assess --format pdf`, so the download and the command
produce the same document.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.utils import timezone

from joinedup.core.files import files, walk
from joinedup.core.months import months_label
from joinedup.insight import selectors
from joinedup.insight.charts import assessment_charts
from joinedup.insight.maps import area_map
from joinedup.insight.models import SavedAssessment
from joinedup.insight.priorities import method_text

PRINT_TEMPLATE = "insight/assessment_print.html"
# Raise when the charts, map or matrix code changes what a saved document shows (template changes are
# noticed by themselves): documents kept from before are then rendered again.
DOCUMENT_FORMAT = "3"
# The print document's LSOA table lists the highest rates only (laying out every LSOA's row was half the
# time of a cold render); the map shows every LSOA and the CSV and JSON downloads list them all.
PRINT_LSOAS = 30
_FINGERPRINT: list[str] = []


def outputs(result: dict[str, Any], *, for_print: bool = False) -> dict[str, Any]:
    """The charts and the LSOA map of an assessment, as inline SVG (the map merged by class for print)."""
    return {"charts": assessment_charts(result), "area_map": area_map(result, merged=for_print)}


def person_name(user: Any) -> str:
    """How a person is named in a document: their name (never their email address)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return (getattr(user, "full_name", "") or "").strip()


def lsoa_rows(result: dict[str, Any], limit: int = PRINT_LSOAS) -> dict[str, Any]:
    """The LSOAs for the print table: the `limit` highest crime rates (LSOAs with no rate last), with the
    area's total so the document can say how many are left out."""
    lsoas = result.get("lsoas") or []
    ranked = sorted(
        lsoas,
        key=lambda row: (
            row.get("rate_per_1000") is None,
            -(row.get("rate_per_1000") or 0),
            -(row.get("crimes_excl_asb") or 0),
        ),
    )
    return {"rows": ranked[:limit], "total": len(lsoas), "left_out": max(0, len(lsoas) - limit)}


def print_context(
    result: dict[str, Any], *, record: SavedAssessment | None, user: Any = None
) -> dict[str, Any]:
    """Everything the print document needs: results, charts, map, and for a saved one its narrative and
    prioritisation matrix with the scheme's method. The cover names the analyst who saved the assessment
    (for one not saved, the person producing it) and whoever published it, by name."""
    context: dict[str, Any] = {
        "result": result,
        "record": record,
        "prepared_by": person_name(record.created_by if record else user),
        "published_by": person_name(record.published_by) if record else "",
        "document_title": record.title
        if record
        else f"{result['area']['name']} strategic assessment, "
        f"{months_label(result['from'], result['to'], english=True)}",
        "generated_at": timezone.now(),
        "lsoa_rows": lsoa_rows(result),
        **outputs(result, for_print=True),
    }
    if record is not None:
        context["matrix"] = selectors.priority_matrix(record)
        context["method"] = method_text(record.scheme) if record.scheme else None
        context["paragraphs"] = [p.strip() for p in record.narrative.split("\n\n") if p.strip()]
    return context


def _fingerprint() -> str:
    """What a kept document depends on besides the record: the print templates and DOCUMENT_FORMAT."""
    if not _FINGERPRINT:
        from joinedup.core.pdf import PDF_VARIANT

        digest = hashlib.sha256(f"{DOCUMENT_FORMAT}|{PDF_VARIANT}".encode())
        for name in (PRINT_TEMPLATE, "layouts/print.html"):
            source = getattr(get_template(name), "template", None)
            digest.update(getattr(source, "source", name).encode())
        _FINGERPRINT.append(digest.hexdigest()[:12])
    return _FINGERPRINT[0]


DOCUMENTS = "insight/documents"  # in Django's default storage (shared by every server on object storage)


def saved_document(record: SavedAssessment) -> bytes:
    """The PDF of a saved assessment. A saved assessment changes only through its services, each of which
    raises its version, so the document is rendered once per version (and per print template) and kept in
    the default storage; later downloads of the same version, from any server, send the kept file. Older
    versions' files are removed when a new one is kept."""
    from joinedup.core.pdf import render_pdf

    storage = files()
    prefix = f"assessment-{record.pk}-"
    # The time of the last change as well as the version: a database restored (or a test database
    # reused) under the same data directory never picks up another record's document.
    stamp = f"{record.updated_at:%Y%m%d%H%M%S%f}" if record.updated_at else "0"
    name = f"{DOCUMENTS}/{prefix}v{record.version}-{stamp}-{_fingerprint()}.pdf"
    try:
        with storage.open(name, "rb") as kept:
            return bytes(kept.read())
    except FileNotFoundError:
        pass
    content = render_pdf(PRINT_TEMPLATE, print_context(record.results, record=record))
    # Two servers rendering the same version at once both save; the second gets a suffixed name, removed.
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        storage.delete(saved)
    for old in walk(storage, DOCUMENTS):
        base = old.rsplit("/", 1)[-1]
        if base.startswith(prefix) and base.endswith(".pdf") and old != name:
            storage.delete(old)
    return content
