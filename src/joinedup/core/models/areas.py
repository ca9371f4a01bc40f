"""Reference geography: police force areas, community safety partnerships, districts and LSOAs (ONS codes)."""

from __future__ import annotations

from typing import Any, Literal, overload

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import RestrictedQuerySet


class AreaLevel(models.TextChoices):
    # Shown on the public site too, so in the reader's language there (staff pages are English).
    PFA = "pfa", _("Police force area")
    CSP = "csp", _("Community safety partnership")
    LAD = "lad", _("Local authority district")
    WARD = "ward", _("Electoral ward")
    LSOA = "lsoa", _("Lower layer super output area")


@overload
def area_of_level(
    level: AreaLevel, *, related_name: str = ..., optional: Literal[False] = ..., **options: Any
) -> models.ForeignKey[Area, Area]: ...
@overload
def area_of_level(
    level: AreaLevel, *, related_name: str = ..., optional: Literal[True], **options: Any
) -> models.ForeignKey[Area | None, Area | None]: ...
def area_of_level(
    level: AreaLevel, *, related_name: str = "+", optional: bool = False, **options: Any
) -> models.ForeignKey[Any, Any]:
    """A link to an area of one level (a police force area, a CSP, ...), which keeps the area from being
    deleted while anything points at it; `optional` lets it be empty."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"level": level.value},
        **options,
    )


class Area(models.Model):
    """One ONS area. Reference data loaded by `joinedup areas import`; joined on codes, never names.

    The hierarchy is LSOA → LAD → CSP → PFA. A LAD that the ONS lookup places in more than one CSP is
    marked `is_split`, has no CSP parent and lists its CSPs in `split_csps`, so it is never attributed
    to one CSP silently.

    Electoral wards sit beside that hierarchy, not in it (docs/adr/0036): a ward's parent is its LAD (with
    the LAD's CSP and force area), and each LSOA names its best-fit ward in `ward` while its parent stays
    the LAD, so every LSOA → LAD → CSP → PFA rollup is the same with or without wards.
    """

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    name_welsh = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=4, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Denormalised ancestors, so any area can be rolled up in one query.
    lad = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    csp = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pfa = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # An LSOA's electoral ward (the ONS best-fit LSOA → ward lookup); empty on every other level.
    ward = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="ward_lsoas"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    population_partial = models.BooleanField(
        default=False,
        help_text="The population leaves out part of a split district that cannot be attributed.",
    )
    is_split = models.BooleanField(
        default=False, help_text="A district the ONS lookup places in several CSPs."
    )
    split_csps = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="split_lads")
    lsoa21_code = models.CharField(max_length=9, blank=True, db_index=True, help_text="Best-fit 2021 LSOA.")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ReferenceImport(models.Model):
    """One run of a reference-data import: what was read, with checksums, and what it produced."""

    kind = models.CharField(max_length=40)
    source = models.CharField(max_length=500)
    files = models.JSONField(default=list, help_text="[{name, sha256, rows}]")
    counts = models.JSONField(default=dict)
    imported_by = models.CharField(max_length=254, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.started_at:%Y-%m-%d %H:%M}"


class BoundaryVintage(models.IntegerChoices):
    LSOA2011 = 2011, "2011 LSOAs"
    LSOA2021 = 2021, "2021 LSOAs"


class LsoaBoundary(models.Model):
    """One LSOA's generalised boundary (WGS84 GeoJSON geometry), loaded by `joinedup areas boundaries`.

    Kept apart from Area because 2021 LSOAs are not areas here (areas use 2011 codes, with a best-fit 2021
    code). The bounding box is stored so a point lookup reads only the few candidates it could be in.
    """

    vintage = models.PositiveSmallIntegerField(choices=BoundaryVintage.choices)
    code = models.CharField(max_length=9)
    name = models.CharField(max_length=200, blank=True)
    lad_code = models.CharField(max_length=9, db_index=True)
    geometry = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon, longitude/latitude (CRS84).")
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vintage", "code"], name="unique_boundary_per_vintage")
        ]
        indexes = [models.Index(fields=["vintage", "min_lon", "max_lon"], name="boundary_bbox_lon")]

    def __str__(self) -> str:
        return f"{self.code} ({self.vintage})"


class Postcode(models.Model):
    """One postcode from the ONS Postcode Directory (`joinedup areas postcodes FILE`): where it is and its
    LSOA, so an incident is located from its postcode. Replaced whole by each import."""

    postcode = models.CharField(max_length=8, unique=True, help_text="As written, e.g. NE1 4ST (pcds).")
    lsoa = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    def __str__(self) -> str:
        return self.postcode
