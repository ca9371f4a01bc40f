"""Every write to a CSP's strategic assessments (each also evidences that year's strategic-assessment duty)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.models import Area, User
from joinedup.core.services.validation import Errors, add_error, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned
from joinedup.core.services.writes import require as _require
from joinedup.core.services.writes import save_record as _save
from joinedup.core.uploads import BINARY_TYPES, content_matches, extension_of
from joinedup.insight.models import AssessmentStatus
from joinedup.insight.models import SavedAssessment as InsightAssessment

from ..duties import Duty
from ..models import (
    DutyRecord,
    DutyStatus,
    StrategicAssessment,
)
from ..services import BLANK_MESSAGES

ASSESSMENT_FIELDS = (
    "title",
    "year",
    "published_on",
    "approved_by",
    "link",
    "crime_trend_headline",
    "key_findings",
    "insight_assessment_id",
)
# Checked by extension and by content (core/uploads.py); the stored type is ours, never the browser's.
DOCUMENT_TYPES: dict[str, str] = {
    extension: BINARY_TYPES[extension] for extension in (".pdf", ".docx", ".odt")
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _check_document(upload: Any, errors: Errors) -> str | None:
    extension = extension_of(str(getattr(upload, "name", "") or ""))
    if extension not in DOCUMENT_TYPES:
        add_error(errors, "document", "Upload the assessment as a PDF, DOCX or ODT file.")
        return None
    if upload.size > MAX_DOCUMENT_BYTES:
        add_error(errors, "document", "The file must be smaller than 20 MB.")
        return None
    if not content_matches(upload, extension):
        add_error(errors, "document", f"The file is not a real {extension.lstrip('.').upper()} file.")
        return None
    return DOCUMENT_TYPES[extension]


def _check_assessment(item: StrategicAssessment, errors: Errors) -> None:
    if item.published_on and item.published_on > datetime.date.today():
        add_error(errors, "published_on", "The date published cannot be in the future.")
    # Only a published saved assessment of this CSP's area may be cited.
    cited = item.insight_assessment_id
    published = InsightAssessment.objects.filter(area=item.csp, status=AssessmentStatus.PUBLISHED)
    if cited is not None and not published.filter(pk=cited).exists():
        add_error(errors, "insight_assessment_id", "Choose a published saved assessment of this CSP's area.")


@transaction.atomic
def save_assessment(
    *,
    actor: User,
    csp: Area,
    data: dict[str, Any],
    document: Any = None,
    assessment: StrategicAssessment | None = None,
    expected_version: int | None = None,
    evidence_url: Callable[[StrategicAssessment], str] | None = None,
) -> StrategicAssessment:
    """Publish a strategic assessment (an uploaded document or a link), or change one. A new assessment is
    also recorded as the evidence of that year's strategic-assessment duty, if the duty is not yet met."""
    _require(actor, "csp.change", csp)
    errors: Errors = {}
    item = assessment or StrategicAssessment(csp=csp)
    apply_fields(item, data, ASSESSMENT_FIELDS, errors)
    # The cited saved assessment is checked by `_check_assessment`, in words about the form's own field.
    collect_model_errors(
        item,
        errors,
        exclude=("csp", "document", "insight_assessment"),
        validate_unique=True,
        blank_messages=BLANK_MESSAGES,
    )
    _check_assessment(item, errors)
    content_type = _check_document(document, errors) if document else None
    if not document and not item.document and not item.link and not item.insight_assessment_id:
        add_error(errors, "document", "Upload the assessment or give a link to it.")
    if errors:
        raise ValidationError(errors)
    if document:
        item.document_name = str(document.name)[:200]
        item.document_type = content_type or ""
        item.document.save("upload", document, save=False)
    _save(item, actor, new=assessment is None, expected_version=expected_version)
    if assessment is None:
        _evidence_duty(actor, item, evidence_url)
    return item


@transaction.atomic
def adopt_insight_assessment(
    *,
    actor: User,
    csp: Area,
    saved: InsightAssessment,
    evidence_url: Callable[[StrategicAssessment], str] | None = None,
) -> StrategicAssessment:
    """Record the analyst's published assessment of the CSP's area as the CSP's strategic assessment: its
    title, date, publisher and crime trend headline come from it, and nothing is uploaded again. It is
    also the evidence of that year's strategic-assessment duty, if the duty is not yet met."""
    from ..duties import current_year
    from .selectors import headline_from_results

    _require(actor, "csp.change", csp)
    if saved.area_id != csp.pk or saved.status != AssessmentStatus.PUBLISHED:
        raise ValidationError({"__all__": ["Choose a published saved assessment of this CSP's area."]})
    if StrategicAssessment.objects.filter(csp=csp, insight_assessment=saved).exists():
        raise ValidationError(
            {"__all__": ["This assessment is already recorded as the CSP's strategic assessment."]}
        )
    published_on = (
        timezone.localtime(saved.published_at).date() if saved.published_at else timezone.localdate()
    )
    publisher = saved.published_by
    item = StrategicAssessment(
        csp=csp,
        title=saved.title[:200],
        year=current_year(published_on),
        published_on=published_on,
        approved_by=(publisher.get_full_name() or publisher.email)[:200] if publisher else "The analyst",
        crime_trend_headline=(headline_from_results(saved.results or {}) or "")[:300],
        key_findings=saved.narrative,
        insight_assessment=saved,
    )
    _save(item, actor, new=True, expected_version=None)
    _evidence_duty(actor, item, evidence_url)
    return item


def _evidence_duty(
    actor: User, item: StrategicAssessment, evidence_url: Callable[[StrategicAssessment], str] | None
) -> None:
    record = DutyRecord.objects.filter(csp=item.csp, year=item.year, duty=Duty.STRATEGIC_ASSESSMENT).first()
    if record is None or record.status in (DutyStatus.COMPLETE, DutyStatus.NOT_REQUIRED):
        return
    record.status = DutyStatus.COMPLETE
    record.evidence_link = item.link or (evidence_url(item) if evidence_url else "")
    record.evidence_text = f"Strategic assessment “{item.title}” published."
    record.evidence_date = item.published_on
    record.approved_by = item.approved_by
    save_versioned(
        record, expected_version=record.version, actor=actor, reason="Strategic assessment published"
    )
