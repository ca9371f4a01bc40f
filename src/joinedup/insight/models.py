"""The record of police open-data imports. The data itself lives in the Parquet store (insight.store)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from joinedup.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class PoliceDataImport(models.Model):
    """One run of `joinedup insight import` or of an upload in the staff site: what was read, with
    checksums, and what it produced.

    An upload is recorded as queued, then runs as a background task that updates `stage` and `progress`.
    A failed run is kept (status failed, with the error) but wrote nothing to the store.
    """

    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    source = models.CharField(max_length=1000, help_text="The paths given to the import.")
    files = models.JSONField(
        default=list, help_text="[{name, sha256, kind, force, months, rows, rejected, superseded, note}]"
    )
    forces = models.JSONField(default=list, help_text="Force slugs, as data.police.uk names them.")
    force_areas = models.JSONField(default=dict, help_text="{force slug: PFA code the force's rows fall in}")
    months = models.JSONField(default=list, help_text="YYYY-MM months written (any kind).")
    partitions = models.JSONField(default=list, help_text="[{kind, force, month, rows}] replaced or added.")
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    flags = models.JSONField(
        default=dict,
        help_text="Rows kept but flagged: {no_lsoa, unknown_lsoa, outside_force, unknown_crime_type}",
    )
    generation = models.CharField(
        max_length=64, blank=True, help_text="Store generation this import created."
    )
    error = models.TextField(blank=True)
    stage = models.CharField(max_length=100, blank=True, help_text="What a running import is doing now.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task running an upload.")
    upload_dir = models.CharField(
        max_length=255,
        blank=True,
        help_text="An upload's folder under the data directory, kept until it is imported or cancelled.",
    )
    upload_force = models.CharField(max_length=60, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done (0-100).")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by_label = models.CharField(max_length=254, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Police data import {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def flagged_rows(self) -> int:
        """Rows kept but flagged, counted once per flag (a row can carry two)."""
        return sum((self.flags or {}).values())

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def can_retry(self) -> bool:
        """A failed upload whose file is still kept can be imported again."""
        return self.status == ImportStatus.FAILED and bool(self.upload_dir)

    @property
    def can_cancel(self) -> bool:
        """A queued upload, or a failed one whose file is kept, can be cancelled (its file removed)."""
        return bool(self.upload_dir) and self.status in (ImportStatus.QUEUED, ImportStatus.FAILED)


class RejectedRow(models.Model):
    """A row the import could not read (wrong number of fields, bad month, ...), with the reason."""

    data_import = models.ForeignKey(PoliceDataImport, on_delete=models.CASCADE, related_name="rejected_rows")
    file = models.CharField(max_length=500)
    line = models.PositiveIntegerField(null=True, blank=True, help_text="1-based; the header is line 1.")
    reason = models.CharField(max_length=500)
    text = models.TextField(blank=True, help_text="The raw line, truncated.")

    objects: ClassVar[models.Manager[RejectedRow]] = models.Manager()

    class Meta:
        ordering = ["data_import", "file", "line", "id"]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class DeprivationIndex(models.Model):
    """English Index of Multiple Deprivation 2019 for one 2011 LSOA (`joinedup insight deprivation import`).

    Rank 1 is the most deprived of England's 32,844 LSOAs; decile 1 is the most deprived tenth. Welsh LSOAs
    are not in the English index (the ONS file gives them 0, which means missing) and are not stored.
    """

    lsoa_code = models.CharField(max_length=9, unique=True)
    rank = models.PositiveIntegerField()
    decile = models.PositiveSmallIntegerField()

    objects: ClassVar[models.Manager[DeprivationIndex]] = models.Manager()

    class Meta:
        ordering = ["lsoa_code"]

    def __str__(self) -> str:
        return f"{self.lsoa_code}: IMD rank {self.rank}, decile {self.decile}"


class SeverityWeight(models.Model):
    """A Crime Severity Score weight per data.police.uk crime type (`joinedup insight severity import`).

    The ONS weights are per Home Office offence; the street data has only 14 broad categories, so each
    category's weight is derived from the weights of the offences mapped to it (see insight.severity).
    """

    crime_type = models.CharField(max_length=100, unique=True, help_text="data.police.uk crime type.")
    weight = models.FloatField(help_text="The weight used: the median of the offences' ONS weights.")
    mean_weight = models.FloatField()
    min_weight = models.FloatField()
    max_weight = models.FloatField()
    offences = models.PositiveIntegerField(help_text="Distinct ONS offences mapped to this crime type.")

    objects: ClassVar[models.Manager[SeverityWeight]] = models.Manager()

    class Meta:
        ordering = ["crime_type"]

    def __str__(self) -> str:
        return f"{self.crime_type}: {self.weight:.1f}"


# --- priorities and saved assessments -------------------------------------------------------------------


class PriorityScheme(TimeStampedModel, VersionedModel):
    """How the prioritisation matrix scores (insight.priorities): the scale, the data bands and the weights.

    There is one current scheme (`selectors.current_scheme`); a saved assessment keeps a copy of the scheme
    it was scored with, so changing the scheme later never changes a saved or published ranking.
    """

    name = models.CharField(max_length=100, default="Default scheme")
    scale_max = models.PositiveSmallIntegerField(
        "Top of the scale", default=5, help_text="Every factor is scored from 1 to this number (3 to 10)."
    )
    harm_bands = models.JSONField(
        "Harm thresholds", default=list, help_text="Share of the area's harm-weighted total (%), rising."
    )
    volume_bands = models.JSONField(
        "Volume thresholds", default=list, help_text="Count per 1,000 residents in the period, rising."
    )
    trend_bands = models.JSONField(
        "Trend thresholds", default=list, help_text="Change against the previous period (%), rising."
    )
    harm_weight = models.FloatField(default=2.0)
    volume_weight = models.FloatField(default=1.0)
    trend_weight = models.FloatField(default=1.0)
    vulnerability_weight = models.FloatField("Victim vulnerability weight", default=1.5)
    concern_weight = models.FloatField("Community concern weight", default=1.0)
    capacity_weight = models.FloatField("Capacity weight", default=1.0)
    capability_weight = models.FloatField("Capability weight", default=1.0)
    position_weight = models.FloatField(
        "Organisational position weight",
        default=0.5,
        help_text="How much a gap in capacity and capability can raise the risk (0.5 = by up to 50%).",
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scale_max": self.scale_max,
            "harm_bands": list(self.harm_bands),
            "volume_bands": list(self.volume_bands),
            "trend_bands": list(self.trend_bands),
            "weights": {
                factor: getattr(self, f"{factor}_weight")
                for factor in (
                    "harm",
                    "volume",
                    "trend",
                    "vulnerability",
                    "concern",
                    "capacity",
                    "capability",
                )
            },
            "position_weight": self.position_weight,
        }


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SavedAssessment(TimeStampedModel, VersionedModel):
    """An analyst's saved strategic assessment: the parameters, the data it was made from, the results (as
    insight.calculation computes them), the narrative and priorities. A draft is edited; publishing freezes
    it, and a later edition starts from it.

    Not the CSP's published annual document (`csp.StrategicAssessment`), which may cite one of these. Named
    `StrategicAssessment` until docs/adr/0042; the verbose name is kept so messages read as before, and audit
    events recorded before the rename carry `insight.strategicassessment` (core.selectors.audit finds both).

    `pk` is the stable identifier a CSP plan cites (selectors.published_assessments_for_area).
    """

    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="saved_assessments")
    from_month = models.CharField("First month", max_length=7)
    to_month = models.CharField("Last month", max_length=7)
    title = models.CharField(max_length=200)
    edition = models.PositiveSmallIntegerField(
        default=1, help_text="1 for a first assessment, then 2, 3, ..."
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_editions",
        help_text="The published assessment this edition was started from.",
    )
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    narrative = models.TextField(
        "Narrative",
        blank=True,
        help_text="The executive summary and the analyst's reading of the figures, in plain English.",
    )
    generation = models.CharField(
        max_length=64, blank=True, help_text="Store generation the results came from."
    )
    import_ids = models.JSONField(
        default=list, help_text="The police data imports in the store when the results were made."
    )
    results = models.JSONField(default=dict, help_text="The assessment as documented in insight.calculation.")
    scheme = models.JSONField(default=dict, help_text="The scoring scheme the priorities were scored with.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["results", "import_ids"])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "strategic assessment"
        ordering = ["area__name", "-to_month", "-edition", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "from_month", "to_month", "edition"], name="insight_assessment_edition_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED


class AssessmentPriority(TimeStampedModel):
    """One candidate issue in a saved assessment's prioritisation matrix, with what the analyst entered.

    Harm, volume and trend come from the assessment's results (insight.priorities); a change here is kept
    in history with the reason, so every rank can be traced back.
    """

    assessment = models.ForeignKey(SavedAssessment, on_delete=models.CASCADE, related_name="priorities")
    key = models.CharField(max_length=120, help_text="The crime type, or 'theme:' and the theme's name.")
    label = models.CharField(max_length=120)
    crime_types = models.JSONField(default=list)
    is_theme = models.BooleanField(default=False)
    harm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only where the data gives no harm (ASB)."
    )
    vulnerability = models.PositiveSmallIntegerField("Victim vulnerability", null=True, blank=True)
    concern = models.PositiveSmallIntegerField("Community concern", null=True, blank=True)
    concern_source = models.JSONField(
        "Where the community concern came from",
        default=dict,
        blank=True,
        help_text="Empty when the analyst typed the score; when it was derived from engagement, what it was "
        "derived from as it stood then (insight.priorities.concern_from_engagement).",
    )
    capacity = models.PositiveSmallIntegerField("Capacity gap", null=True, blank=True)
    capability = models.PositiveSmallIntegerField("Capability gap", null=True, blank=True)
    override_rank = models.PositiveSmallIntegerField("Rank set by the analyst", null=True, blank=True)
    override_reason = models.TextField("Reason for the rank", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "is_theme", "label"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="insight_priority_key_once"),
        ]

    def __str__(self) -> str:
        return self.label
