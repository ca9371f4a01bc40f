"""Every write to saved strategic assessments (`models.SavedAssessment`), their priorities, and the scoring
scheme. The figures a saved assessment keeps are worked out by `insight.calculation`; the writes of the
police data and reference data imports are `insight.imports.services`.

A draft is saved with a version (a stale save raises ConflictError); publishing is an explicit step after
which the assessment is frozen; a new edition starts a draft from a published one. Each service checks
permission, raises every problem at once as a ValidationError, and saves in one transaction with history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.core.models import Area
from joinedup.core.months import months_label
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.insight import store
from joinedup.insight.calculation import assess
from joinedup.insight.models import (
    AssessmentPriority,
    AssessmentStatus,
    ImportStatus,
    PoliceDataImport,
    PriorityScheme,
    SavedAssessment,
)
from joinedup.insight.priorities import ENTERED, FACTOR_LABELS, scheme_problems
from joinedup.insight.selectors import current_scheme, engagement_concern

CHANGE = "insight.assessments.change"
FROZEN = "This assessment is published and cannot be changed: start a new edition from it instead."
SCORE_FIELDS = ("harm", *ENTERED)
SCORE_LABELS = {"harm": "harm", **{name: FACTOR_LABELS[name].lower() for name in ENTERED}}


class AlreadySaved(ConflictError):
    """The area and period already have a saved assessment: open it (a draft) or start a new edition from it
    (published), rather than saving another edition 1. `existing` is its latest edition."""

    def __init__(self, existing: SavedAssessment) -> None:
        self.existing = existing
        where = (
            f"{existing.area.name} for {months_label(existing.from_month, existing.to_month, english=True)}"
        )
        if existing.is_published:
            message = (
                f"An assessment of {where} is already published (“{existing.title}”, edition "
                f"{existing.edition}, assessment {existing.pk}). Nothing new was saved: start a new edition "
                "from it to update it."
            )
        else:
            message = (
                f"An assessment of {where} is already saved as a draft (“{existing.title}”, edition "
                f"{existing.edition}, assessment {existing.pk}). Nothing new was saved: carry on with that draft."
            )
        super().__init__(message, current_version=existing.version)


def latest_edition(area: Area, from_month: str, to_month: str) -> SavedAssessment | None:
    """The latest saved edition of an area and period, if any (draft or published)."""
    return (
        SavedAssessment.objects.select_related("area")
        .filter(area=area, from_month=from_month, to_month=to_month)
        .order_by("-edition", "-pk")
        .first()
    )


def _save_new(assessment: SavedAssessment) -> None:
    """Insert a new edition; a concurrent save of the same edition (unique per area and period) is refused."""
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        existing = latest_edition(assessment.area, assessment.from_month, assessment.to_month)
        if existing is None:
            raise
        raise AlreadySaved(existing) from None


def _require(user: Any, action: str, obj: Any = None) -> None:
    if not has_permission(user, action, obj):
        raise NotAllowed(action)


def _require_draft(assessment: SavedAssessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError({"__all__": [FROZEN]})


def _snapshot(area: Area, from_month: str | None, to_month: str | None) -> dict[str, Any]:
    results = assess(area.code, from_month, to_month)
    return {
        "results": results,
        "from_month": results["from"],
        "to_month": results["to"],
        "generation": store.current_generation() or "",
        "import_ids": list(
            PoliceDataImport.objects.filter(status=ImportStatus.SUCCEEDED)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }


def _crime_type_priorities(assessment: SavedAssessment) -> list[AssessmentPriority]:
    return [
        AssessmentPriority(
            assessment=assessment,
            key=row["crime_type"],
            label=row["crime_type"],
            crime_types=[row["crime_type"]],
        )
        for row in assessment.results.get("by_crime_type", [])
        if row["crime_type"]
    ]


@transaction.atomic
def create_assessment(
    *, actor: Any, area: Area, from_month: str | None = None, to_month: str | None = None, title: str = ""
) -> SavedAssessment:
    """Save the assessment of `area` for the period (default: the latest 12 months) as a draft, with one
    candidate priority per crime type (and ASB) scored with the current scheme. An area and period that
    already have a saved assessment are refused with AlreadySaved (open it, or start a new edition)."""
    _require(actor, CHANGE)
    if not has_permission(actor, "insight.assess", area):
        raise NotAllowed(CHANGE)
    if from_month and to_month and (existing := latest_edition(area, from_month, to_month)):
        raise AlreadySaved(existing)
    snapshot = _snapshot(area, from_month, to_month)
    if existing := latest_edition(area, snapshot["from_month"], snapshot["to_month"]):
        raise AlreadySaved(existing)
    assessment = SavedAssessment(
        area=area,
        title=title.strip()
        or f"{area.name} strategic assessment, "
        f"{months_label(snapshot['from_month'], snapshot['to_month'], english=True)}",
        scheme=current_scheme().as_dict(),
        **snapshot,
    )
    if len(assessment.title) > 200:
        raise ValidationError({"title": ["Keep the title to 200 characters or fewer."]})
    stamp(assessment, actor=actor, reason="Assessment saved")
    _save_new(assessment)
    for priority in _crime_type_priorities(assessment):
        stamp(priority, actor=actor)
        priority.save()
    return assessment


@transaction.atomic
def update_assessment(
    *, actor: Any, assessment: SavedAssessment, expected_version: int, data: dict[str, Any]
) -> SavedAssessment:
    """Change a draft's title and narrative."""
    _require(actor, CHANGE, assessment)
    _require_draft(assessment)
    errors: Errors = {}
    unexpected = sorted(set(data) - {"title", "narrative"})
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    title = str(data.get("title", assessment.title) or "").strip()
    if not title:
        add_error(errors, "title", "Enter a title.")
    elif len(title) > 200:
        add_error(errors, "title", "Keep the title to 200 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    assessment.title = title
    assessment.narrative = str(data.get("narrative", assessment.narrative) or "").strip()
    save_versioned(assessment, expected_version=expected_version, actor=actor, reason="Narrative changed")
    return assessment


def _score(value: Any, scale: int, field: str, label: str, errors: Errors) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= scale:
        add_error(errors, field, f"{label}: choose a score from 1 to {scale}.")
        return None
    return number


def _chosen(value: Any) -> bool:
    return value is True or str(value).lower() in ("yes", "on", "true", "1")


def _concern_from_engagement(priority: AssessmentPriority, derived: dict[str, Any], errors: Errors) -> None:
    """Take the candidate's community concern from engagement, as it stands now, with what it came from;
    too little engagement is a problem to fix (type a score instead), never a score."""
    if derived["score"] is None:
        add_error(
            errors,
            f"{priority.key}-concern",
            f"{priority.label}: too little engagement to take community concern from it "
            f"({derived['responses']} response{'s' if derived['responses'] != 1 else ''} in the area and "
            f"period; at least {derived['minimum']} are needed). Enter a score instead.",
        )
        return
    priority.concern = derived["score"]
    priority.concern_source = {**derived, "derived_on": timezone.localdate().isoformat()}


@transaction.atomic
def save_priorities(
    *,
    actor: Any,
    assessment: SavedAssessment,
    expected_version: int,
    entries: dict[str, dict[str, Any]],
) -> SavedAssessment:
    """Record the analyst's scores, and any rank they set with its reason, for the candidates named in
    `entries` ({key: {vulnerability, concern, capacity, capability, harm, override_rank, override_reason,
    concern_from_engagement}}). With `concern_from_engagement` true the community concern is derived from
    engagement in the assessment's area and period (selectors.engagement_concern) and its source kept;
    a typed `concern` without it is the analyst's own, and the source is cleared.
    Every problem is reported at once; nothing is saved unless all are fixed."""
    _require(actor, CHANGE, assessment)
    _require_draft(assessment)
    scale = assessment.scheme["scale_max"]
    priorities = {p.key: p for p in assessment.priorities.all()}
    errors: Errors = {}
    unknown = sorted(set(entries) - set(priorities))
    if unknown:
        add_error(errors, "__all__", f"Unknown candidate: {', '.join(unknown)}.")
    changed: list[tuple[AssessmentPriority, str]] = []
    derived = (
        engagement_concern(assessment)
        if any(_chosen(entry.get("concern_from_engagement")) for entry in entries.values())
        else {}
    )
    for key, entry in entries.items():
        priority = priorities.get(key)
        if priority is None:
            continue
        before = {
            f: getattr(priority, f)
            for f in (*SCORE_FIELDS, "concern_source", "override_rank", "override_reason")
        }
        for name in SCORE_FIELDS:
            if name in entry:
                label = f"{priority.label}, {SCORE_LABELS[name]}"
                setattr(priority, name, _score(entry[name], scale, f"{key}-{name}", label, errors))
        if _chosen(entry.get("concern_from_engagement")):
            _concern_from_engagement(priority, derived[key], errors)
        elif "concern" in entry:
            priority.concern_source = {}
        if "override_rank" in entry:
            rank = entry["override_rank"]
            if rank in (None, ""):
                priority.override_rank = None
            else:
                try:
                    priority.override_rank = int(rank)
                except (TypeError, ValueError):
                    priority.override_rank = 0
                if not 1 <= priority.override_rank <= len(priorities):
                    add_error(
                        errors,
                        f"{key}-override_rank",
                        f"{priority.label}: choose a rank from 1 to {len(priorities)}, or leave it empty.",
                    )
        if "override_reason" in entry:
            priority.override_reason = str(entry["override_reason"] or "").strip()
        if priority.override_rank and not priority.override_reason:
            add_error(
                errors, f"{key}-override_reason", f"{priority.label}: give the reason for setting its rank."
            )
        if not priority.override_rank and priority.override_reason:
            priority.override_reason = ""
        after = {f: getattr(priority, f) for f in before}
        if after != before:
            reason = (
                f"Rank set to {priority.override_rank}: {priority.override_reason}"
                if priority.override_rank and before["override_rank"] != priority.override_rank
                else f"Community concern {priority.concern} taken from engagement"
                if priority.concern_source and priority.concern_source != before["concern_source"]
                else "Scores changed"
            )
            changed.append((priority, reason))
    ranks = [p.override_rank for p in priorities.values() if p.override_rank]
    duplicates = sorted({r for r in ranks if ranks.count(r) > 1})
    if duplicates:
        add_error(
            errors, "__all__", f"Two candidates cannot both be set to rank {', '.join(map(str, duplicates))}."
        )
    if errors:
        raise ValidationError(errors)
    save_versioned(assessment, expected_version=expected_version, actor=actor, reason="Priorities scored")
    for priority, reason in changed:
        stamp(priority, actor=actor, reason=reason)
        priority.save()
    return assessment


@transaction.atomic
def add_theme(
    *,
    actor: Any,
    assessment: SavedAssessment,
    expected_version: int,
    name: str,
    crime_types: list[str],
) -> AssessmentPriority:
    """Add a theme grouping several crime types (e.g. 'Acquisitive crime') as a candidate."""
    _require(actor, CHANGE, assessment)
    _require_draft(assessment)
    errors: Errors = {}
    name = (name or "").strip()
    known = [row["crime_type"] for row in assessment.results.get("by_crime_type", [])]
    chosen = [t for t in known if t in set(crime_types)]
    if not name:
        add_error(errors, "name", "Enter the theme's name.")
    elif len(name) > 100:
        add_error(errors, "name", "Keep the theme's name to 100 characters or fewer.")
    elif assessment.priorities.filter(key=f"theme:{name}").exists():
        add_error(errors, "name", f"There is already a theme called {name}.")
    if len(chosen) < 2:
        add_error(errors, "crime_types", "Choose at least two crime types for a theme.")
    if set(crime_types) - set(known):
        add_error(errors, "crime_types", "Choose crime types from this assessment.")
    if errors:
        raise ValidationError(errors)
    save_versioned(assessment, expected_version=expected_version, actor=actor, reason=f"Theme {name} added")
    priority = AssessmentPriority(
        assessment=assessment, key=f"theme:{name}", label=name, crime_types=chosen, is_theme=True
    )
    stamp(priority, actor=actor, reason="Theme added")
    priority.save()
    return priority


@transaction.atomic
def publish_assessment(*, actor: Any, assessment: SavedAssessment, expected_version: int) -> SavedAssessment:
    """Publish a draft: from now on it is frozen and can be cited by a CSP plan."""
    _require(actor, CHANGE, assessment)
    _require_draft(assessment)
    errors: Errors = {}
    if not assessment.narrative.strip():
        add_error(errors, "narrative", "Write the narrative (the executive summary) before publishing.")
    if errors:
        raise ValidationError(errors)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.published_by = actor if getattr(actor, "is_authenticated", False) else None
    save_versioned(assessment, expected_version=expected_version, actor=actor, reason="Published")
    # The published document is what partners and the Panel download: render it now, in the worker.
    from joinedup.insight.tasks import prepare_assessment_document

    pk, version = assessment.pk, assessment.version
    transaction.on_commit(lambda: prepare_assessment_document.enqueue(pk, version))
    return assessment


@transaction.atomic
def start_new_edition(*, actor: Any, assessment: SavedAssessment) -> SavedAssessment:
    """A new draft from a published assessment: the same area and period with results from the current
    store and the current scheme, carrying over the narrative, themes, scores and ranks set."""
    _require(actor, CHANGE, assessment)
    if assessment.status != AssessmentStatus.PUBLISHED:
        raise ValidationError({"__all__": ["Only a published assessment can start a new edition."]})
    latest_saved = latest_edition(assessment.area, assessment.from_month, assessment.to_month)
    if latest_saved is not None and not latest_saved.is_published:
        raise AlreadySaved(latest_saved)
    snapshot = _snapshot(assessment.area, assessment.from_month, assessment.to_month)
    latest = (
        SavedAssessment.objects.filter(area=assessment.area, from_month=assessment.from_month)
        .order_by("-edition")
        .values_list("edition", flat=True)
        .first()
    ) or assessment.edition
    edition = SavedAssessment(
        area=assessment.area,
        title=assessment.title,
        edition=latest + 1,
        based_on=assessment,
        narrative=assessment.narrative,
        scheme=current_scheme().as_dict(),
        **snapshot,
    )
    stamp(edition, actor=actor, reason=f"New edition started from edition {assessment.edition}")
    _save_new(edition)
    scale = edition.scheme["scale_max"]
    carried = {p.key: p for p in assessment.priorities.all()}
    fresh = {p.key: p for p in _crime_type_priorities(edition)}
    for key, old in carried.items():
        if old.is_theme:
            fresh[key] = AssessmentPriority(
                assessment=edition, key=key, label=old.label, crime_types=old.crime_types, is_theme=True
            )
    for key, priority in fresh.items():
        previous = carried.get(key)
        if previous is not None:
            for name in SCORE_FIELDS:
                value = getattr(previous, name)
                setattr(priority, name, value if value is None or value <= scale else scale)
            priority.concern_source = dict(previous.concern_source or {})
            if previous.override_rank and previous.override_rank <= len(fresh):
                priority.override_rank = previous.override_rank
                priority.override_reason = previous.override_reason
        stamp(priority, actor=actor, reason="Carried over from the previous edition" if previous else "")
        priority.save()
    return edition


@transaction.atomic
def update_scheme(
    *, actor: Any, scheme: PriorityScheme, expected_version: int, data: dict[str, Any]
) -> PriorityScheme:
    """Change the current scoring scheme (used by assessments saved from now on). Every problem at once."""
    _require(actor, "insight.scheme.change")
    proposed = scheme.as_dict()
    for key in ("name", "scale_max", "harm_bands", "volume_bands", "trend_bands", "position_weight"):
        if key in data:
            proposed[key] = data[key]
    for factor in proposed["weights"]:
        if f"{factor}_weight" in data:
            proposed["weights"][factor] = data[f"{factor}_weight"]
    problems = scheme_problems(proposed)
    if not str(proposed.get("name") or "").strip():
        problems.setdefault("name", []).append("Enter a name for the scheme.")
    if problems:
        raise ValidationError(problems)
    scheme.name = str(proposed["name"]).strip()[:100]
    scheme.scale_max = proposed["scale_max"]
    scheme.harm_bands = [float(b) for b in proposed["harm_bands"]]
    scheme.volume_bands = [float(b) for b in proposed["volume_bands"]]
    scheme.trend_bands = [float(b) for b in proposed["trend_bands"]]
    scheme.position_weight = float(proposed["position_weight"])
    for factor, weight in proposed["weights"].items():
        setattr(scheme, f"{factor}_weight", float(weight))
    save_versioned(scheme, expected_version=expected_version, actor=actor, reason="Scheme changed")
    return scheme
