"""Indicators for the priorities of the Police and Crime Plan and of CSP plans, their computed values (one
row per computation, so every earlier figure is kept), partners' manual returns and owners' commentary."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from joinedup.core.disclosure import FEWER_THAN, WITHHELD, is_small
from joinedup.core.models import (
    AreaLevel,
    RestrictedQuerySet,
    TimeStampedModel,
    VersionedModel,
    area_of_level,
)


class Direction(models.TextChoices):
    DOWN = "down", "Down is good"
    UP = "up", "Up is good"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    RATE = "rate", "Rate per 1,000 residents"
    PERCENT = "percent", "Percentage"


class TargetKind(models.TextChoices):
    AMOUNT = "amount", "Reach an amount"
    CHANGE = "change", "Percentage change from the baseline"
    THRESHOLD = "threshold", "Stay on the right side of a threshold"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual (financial year)"


MONTHS_IN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}


class Source(models.TextChoices):
    POLICE = "police", "Police data (analytical store)"
    CASEWORK = "casework", "Casework KPIs"
    MANUAL = "manual", "Manual return from a partner"
    CONTRACT = "contract", "Contract KPI (the supplier's performance returns)"
    GRANT = "grant", "Grant outcome measure (accepted monitoring returns)"


# The sources whose values are read from funding's returns (docs/adr/0038).
FUNDING_SOURCES = (Source.CONTRACT, Source.GRANT)


class PoliceMeasure(models.TextChoices):
    ALL_CRIME = "all_crime", gettext_noop("All crime excluding ASB")
    ASB = "asb", gettext_noop("Anti-social behaviour")
    CRIME_TYPE = "crime_type", "One crime type"
    HARM = "harm", gettext_noop("Crime harm (counts weighted by the Crime Severity Score)")
    REPEAT_LOCATIONS = "repeat_locations", "Repeat locations (places with several crimes)"
    CHARGE_RATE = "charge_rate", "Charge/summons rate (published last outcomes)"


# What each police measure is given as (ADR 0029, 0034): counts and rates add up over months and areas;
# a count of repeat locations does not, and the charge/summons rate is a share.
POLICE_UNITS = {
    PoliceMeasure.REPEAT_LOCATIONS: (Unit.COUNT,),
    PoliceMeasure.CHARGE_RATE: (Unit.PERCENT,),
}


class CaseworkMeasure(models.TextChoices):
    ACTIONED_48H = "actioned_48h", gettext_noop("Reports actioned within 48 hours (%)")
    FEEDBACK = "feedback", gettext_noop("Cases with informant feedback (%)")
    REPEAT_VICTIMS = "repeat_victims", gettext_noop("Reports from repeat victims")


class Status(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    NO_DATA = "no_data", "No data"


class Indicator(TimeStampedModel, VersionedModel):
    """A measure of one priority: either of the Police and Crime Plan or of a CSP plan (exactly one)."""

    plan_priority = models.ForeignKey(
        "partnerships.PlanPriority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name="Police and Crime Plan priority",
    )
    csp_priority = models.ForeignKey(
        "csp.CspPriority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name="CSP plan priority",
    )
    force_area = area_of_level(AreaLevel.PFA)
    name = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=10, choices=Unit.choices)
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="indicators", verbose_name="Area measured"
    )
    direction = models.CharField(max_length=4, choices=Direction.choices)
    baseline_from = models.DateField("Baseline period starts")
    baseline_to = models.DateField("Baseline period ends")
    baseline_value = models.DecimalField(
        "Baseline value (manual returns only)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_kind = models.CharField("Kind of target", max_length=10, choices=TargetKind.choices)
    target_value = models.DecimalField("Target", max_digits=14, decimal_places=2)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    owner = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="indicators", verbose_name="Owner"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    police_measure = models.CharField(max_length=20, choices=PoliceMeasure.choices, blank=True)
    crime_type = models.CharField("Crime type (data.police.uk name)", max_length=100, blank=True)
    repeat_minimum = models.PositiveSmallIntegerField(
        "Crimes at one location that make it a repeat location", null=True, blank=True
    )
    casework_measure = models.CharField(max_length=20, choices=CaseworkMeasure.choices, blank=True)
    # Read through funding's selectors only (docs/adr/0038). Removing the KPI or measure from its contract
    # or grant leaves the indicator without one: its values are then "no data", saying why.
    contract_kpi = models.ForeignKey(
        "funding.Kpi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Contract KPI",
    )
    outcome_measure = models.ForeignKey(
        "funding.OutcomeMeasure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Grant outcome measure",
    )
    return_due_days = models.PositiveSmallIntegerField(
        "Days after the period ends that a manual return is due", default=20
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["force_area", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(plan_priority__isnull=False) & Q(csp_priority__isnull=True))
                | (Q(plan_priority__isnull=True) & Q(csp_priority__isnull=False)),
                name="indicator_one_priority",
            ),
            models.CheckConstraint(
                condition=Q(baseline_to__gte=models.F("baseline_from")), name="indicator_baseline_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def priority(self) -> models.Model:
        return self.plan_priority or self.csp_priority  # type: ignore[return-value]

    @property
    def months(self) -> int:
        return MONTHS_IN[Frequency(self.frequency)]

    def measure_label(self) -> str:
        if self.source == Source.POLICE:
            chosen = self.crime_type or "all crime excluding ASB"
            if self.police_measure == PoliceMeasure.REPEAT_LOCATIONS:
                return (
                    f"Repeat locations: places with {self.repeat_minimum} or more crimes "
                    f"({chosen}) in the period, count"
                )
            if self.police_measure == PoliceMeasure.CHARGE_RATE:
                return (
                    f"Charge/summons rate ({chosen}), percentage, from data.police.uk's published last "
                    "outcomes, not the Home Office outcomes data"
                )
            what = (
                self.crime_type
                if self.police_measure == PoliceMeasure.CRIME_TYPE
                else self.get_police_measure_display()
            )
            return f"{what}, {self.get_unit_display().lower()}"
        if self.source == Source.CASEWORK:
            return self.get_casework_measure_display()
        if self.source in FUNDING_SOURCES:
            # The KPI or measure in words comes from funding (selectors.source_descriptions).
            return str(Source(self.source).label)
        return f"Manual return from {self.owner.name}"


class IndicatorValue(models.Model):
    """One computation of one period's value. A recompute adds rows and marks the earlier ones superseded,
    so the history of every figure (and why it changed) is kept."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)  # None: no data
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField()
    trend = models.CharField(max_length=40, blank=True)  # from the assessment: "significant rise" ...
    coverage_warning = models.TextField(blank=True)
    detail = models.JSONField(default=dict)
    source_version = models.CharField(max_length=120, blank=True)  # the store generation, or a return's pk
    computed_at = models.DateTimeField()
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["indicator", "period_start", "-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], condition=Q(current=True), name="one_current_value"
            )
        ]
        indexes = [models.Index(fields=["indicator", "current", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}: {self.value}"

    @property
    def has_data(self) -> bool:
        return self.value is not None


class ManualReturn(TimeStampedModel, VersionedModel):
    """A partner's figure for one period of an indicator it owns."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="returns")
    period_start = models.DateField()
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField("Notes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="one_return_per_period")
        ]


class Commentary(TimeStampedModel, VersionedModel):
    """The owner's words on one period of an indicator, shown in the quarterly report."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="commentaries")
    period_start = models.DateField()
    text = models.TextField("Commentary")

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="one_commentary_per_period")
        ]


def small_casework_figure(source: str, unit: str, value: Decimal | None, detail: dict[str, Any]) -> str:
    """What a casework figure is shown as outside casework when it could single someone out (ADR 0013),
    or "" when it may be shown: a count of 1 or 2 is "fewer than 3"; a percentage worked out from a part or
    a whole of 1 or 2 is "withheld" (as the Panel's casework KPIs are, csp/views.py KPI_DERIVED). The
    percentage's counts are in `detail` ("part" of "of"); rows computed before "part" was kept give it
    back from the percentage. Figures from other sources are never small in this sense."""
    if source != Source.CASEWORK or value is None:
        return ""
    if unit == Unit.COUNT:
        return FEWER_THAN if is_small(int(value)) else ""
    whole = detail.get("of")
    if whole is None:
        return WITHHELD  # no count to judge it by: not shown
    part = detail.get("part")
    if part is None:
        part = int((value * int(whole) / 100).to_integral_value(rounding=ROUND_HALF_UP))
    return WITHHELD if is_small(int(part)) or is_small(int(whole)) else ""
