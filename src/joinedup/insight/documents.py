"""The assessment as a document: its charts and map, and what the print-ready PDF is rendered from.

Shared by the staff pages and `joinedup insight assess --format pdf`, so the download and the command
produce the same document.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from joinedup.insight import selectors
from joinedup.insight.charts import assessment_charts
from joinedup.insight.maps import area_map
from joinedup.insight.models import StrategicAssessment
from joinedup.insight.priorities import method_text

PRINT_TEMPLATE = "insight/assessment_print.html"


def outputs(result: dict[str, Any]) -> dict[str, Any]:
    """The charts and the LSOA map of an assessment, as inline SVG."""
    return {"charts": assessment_charts(result), "area_map": area_map(result)}


def person_name(user: Any) -> str:
    """How a person is named in a document: their name (never their email address)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return (getattr(user, "full_name", "") or "").strip()


def print_context(
    result: dict[str, Any], *, record: StrategicAssessment | None, user: Any = None
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
        else f"{result['area']['name']} strategic assessment, {result['from']} to {result['to']}",
        "generated_at": timezone.now(),
        **outputs(result),
    }
    if record is not None:
        context["matrix"] = selectors.priority_matrix(record)
        context["method"] = method_text(record.scheme) if record.scheme else None
        context["paragraphs"] = [p.strip() for p in record.narrative.split("\n\n") if p.strip()]
    return context
