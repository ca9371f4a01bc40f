"""The record of police open-data imports. The data itself lives in the Parquet store (insight.store)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.core.models import RestrictedQuerySet


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class PoliceDataImport(models.Model):
    """One run of `joinedup insight import`: what was read, with checksums, and what it produced.

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
