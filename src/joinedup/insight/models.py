"""The record of police open-data imports. The data itself lives in the Parquet store (insight.store)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.core.models import RestrictedQuerySet


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


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
