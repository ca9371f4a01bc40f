"""CSP duty records, domestic homicide reviews, plans, strategic assessments and briefing notes to the Panel
(the Panel's own records are joinedup.scrutiny's)."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from joinedup.core.models import (
    AreaLevel,
    PlanAction,
    PlanActionUpdate,
    RestrictedQuerySet,
    TimeStampedModel,
    VersionedModel,
    area_of_level,
)

from .duties import Duty, year_label

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class DutyStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    NOT_REQUIRED = "not_required", "Not required this year"


class DutyRecord(TimeStampedModel, VersionedModel):
    """One statutory duty of one CSP in one financial year, with its evidence and sign-offs."""

    csp = area_of_level(AreaLevel.CSP, related_name="csp_duty_records")
    year = models.PositiveSmallIntegerField("Financial year starting", validators=YEAR_VALIDATORS)
    duty = models.CharField(max_length=30, choices=Duty.choices)
    due_date = models.DateField("Due date")
    status = models.CharField(max_length=20, choices=DutyStatus.choices, default=DutyStatus.NOT_STARTED)
    evidence_link = models.URLField("Evidence link", max_length=500, blank=True)
    evidence_text = models.TextField("Evidence", blank=True)
    evidence_date = models.DateField("Date of the evidence", null=True, blank=True)
    approved_by = models.CharField("Approved by", max_length=200, blank=True)
    signed_off_by = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="csp_duty_sign_offs",
        verbose_name="Signed off by (responsible authorities)",
    )

    history = HistoricalRecords(m2m_fields=[signed_off_by])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["csp__name", "year", "due_date", "duty"]
        constraints = [
            models.UniqueConstraint(fields=["csp", "year", "duty"], name="csp_duty_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()}, {year_label(self.year)}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)


case_reference_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9/-]{2,29}$",
    "Enter a case reference of capital letters, digits, / and - only, for example DHR-2025-03. "
    "Never use a name or other personal identifier.",
)


class CommissionDecision(models.TextChoices):
    COMMISSION = "commission", "Commission a review"
    NOT_COMMISSION = "not_commission", "Do not commission a review"


class DomesticHomicideReview(TimeStampedModel, VersionedModel):
    """A domestic homicide review, identified only by a case reference (no personal identifiers)."""

    csp = area_of_level(AreaLevel.CSP, related_name="csp_dhrs")
    case_reference = models.CharField(
        "Case reference", max_length=30, unique=True, validators=[case_reference_validator]
    )
    notified_on = models.DateField("Date the CSP was notified")
    decision = models.CharField("Decision", max_length=20, choices=CommissionDecision.choices, blank=True)
    decision_on = models.DateField("Date of the decision", null=True, blank=True)
    independent_chair = models.CharField("Independent chair", max_length=200, blank=True)
    chair_appointed_on = models.DateField("Date the chair was appointed", null=True, blank=True)
    first_panel_on = models.DateField("Date of the first review panel", null=True, blank=True)
    report_completed_on = models.DateField("Date the report was completed", null=True, blank=True)
    submitted_to_qa_on = models.DateField(
        "Date submitted to the Home Office quality assurance panel", null=True, blank=True
    )
    qa_outcome_on = models.DateField("Date of the quality assurance panel's outcome", null=True, blank=True)
    published_on = models.DateField("Date published", null=True, blank=True)
    published_title = models.CharField(
        "Published title", max_length=200, blank=True, help_text="Shown on the public list once published."
    )
    report_url = models.URLField("Published report link", max_length=500, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-notified_on", "case_reference"]
        verbose_name = "domestic homicide review"

    def __str__(self) -> str:
        return self.case_reference


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class DhrRecommendation(TimeStampedModel, VersionedModel):
    """One recommendation of a review to one agency, tracked to completion."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    agency = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="dhr_recommendations"
    )
    text = models.TextField("Recommendation")
    due_date = models.DateField("Due date", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    completed_on = models.DateField("Date completed", null=True, blank=True)
    progress = models.TextField("Progress", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# --- partnership plans (community safety agreements) ----------------------------------------------------


class CspPlan(TimeStampedModel, VersionedModel):
    """A CSP's partnership plan (community safety agreement) for a period."""

    csp = area_of_level(AreaLevel.CSP, related_name="csp_plans")
    title = models.CharField(max_length=200)
    period_start = models.DateField("Period starts")
    period_end = models.DateField("Period ends")
    police_and_crime_plan = models.ForeignKey(
        "partnerships.Plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="csp_plans",
        verbose_name="Police and Crime Plan it has regard to",
    )
    summary = models.TextField("Summary", blank=True)
    joint_introduction = models.TextField(
        "Shared introduction",
        blank=True,
        help_text="Opens the aligned document that combines this plan with the Police and Crime Plan.",
    )
    is_public = models.BooleanField("Show on the public pages", default=False)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["csp__name", "-period_start"]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start:%Y} to {self.period_end:%Y})"


class CspPriority(TimeStampedModel, VersionedModel):
    plan = models.ForeignKey(CspPlan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    strategic_assessment = models.ForeignKey(
        "StrategicAssessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="priorities",
        verbose_name="Strategic assessment it came from",
    )
    pcc_priorities = models.ManyToManyField(
        "partnerships.PlanPriority",
        blank=True,
        related_name="csp_priorities",
        verbose_name="Police and Crime Plan priorities it serves",
    )

    history = HistoricalRecords(m2m_fields=[pcc_priorities])

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name_plural = "CSP priorities"

    def __str__(self) -> str:
        return self.title


class CspAction(PlanAction):
    """An action under a CSP plan's priority (core.models.PlanAction)."""

    priority = models.ForeignKey(CspPriority, on_delete=models.CASCADE, related_name="actions")

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "due_date", "pk"]


class ActionUpdate(PlanActionUpdate):
    """A progress update on a CSP action; its rating becomes the action's."""

    action = models.ForeignKey(CspAction, on_delete=models.CASCADE, related_name="updates")

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-recorded_on", "-pk"]


class ReportRequirement(TimeStampedModel, VersionedModel):
    """The PCC requires a report from a CSP not carrying out its duties effectively and efficiently."""

    csp = area_of_level(AreaLevel.CSP, related_name="csp_report_requirements")
    subject = models.CharField(max_length=200)
    reason = models.TextField("Why the PCC requires the report")
    required_on = models.DateField("Date required")
    due_date = models.DateField("Report due")
    response = models.TextField("The CSP's report or response", blank=True)
    response_link = models.URLField("Link to the report", max_length=500, blank=True)
    responded_on = models.DateField("Date of the response", null=True, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-required_on", "subject"]

    def __str__(self) -> str:
        return self.subject


# --- strategic assessments ------------------------------------------------------------------------------


def _assessment_path(instance: StrategicAssessment, filename: str) -> str:
    # A random name: the uploaded file's own name is kept for the download, never used as a path.
    return f"csp/assessments/{instance.csp_id}/{uuid.uuid4().hex}"


class StrategicAssessment(TimeStampedModel, VersionedModel):
    """A CSP's published annual strategic assessment: an uploaded document or a link, with its headline.

    `insight_assessment` is the published saved assessment in the insight store that the document was
    published from, when there is one (the service checks it is a published one of the CSP's area).
    """

    csp = area_of_level(AreaLevel.CSP, related_name="csp_strategic_assessments")
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField("Financial year starting", validators=YEAR_VALIDATORS)
    published_on = models.DateField("Date published")
    approved_by = models.CharField("Approved by", max_length=200)
    link = models.URLField("Link to the assessment", max_length=500, blank=True)
    document = models.FileField(upload_to=_assessment_path, max_length=300, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    crime_trend_headline = models.CharField(
        "Crime trend headline",
        max_length=300,
        blank=True,
        help_text="One sentence, for example: Recorded crime fell 4% on the year before; violence rose 6%.",
    )
    key_findings = models.TextField("Key findings", blank=True)
    insight_assessment = models.ForeignKey(
        "insight.SavedAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="csp_publications",
        verbose_name="Saved insight assessment",
        help_text="The saved assessment in the insight store this was published from, when there is one.",
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["csp__name", "-year", "-published_on"]

    def __str__(self) -> str:
        return f"{self.title} ({year_label(self.year)})"


# --- quarterly briefing notes to the Police and Crime Panel ---------------------------------------------


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted to the Panel"


class BriefingNote(TimeStampedModel, VersionedModel):
    """A CSP's quarterly briefing note to the Panel: drafted from the CSP's own data, edited and submitted
    by its manager."""

    csp = area_of_level(AreaLevel.CSP, related_name="csp_briefing_notes")
    year = models.PositiveSmallIntegerField("Financial year starting", validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(max_length=20, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT)
    plan_progress = models.TextField("Partnership plan progress", blank=True)
    duty_compliance = models.TextField("Statutory duties", blank=True)
    crime_trend = models.TextField("Crime trend", blank=True)
    funded_projects = models.TextField("Funded projects", blank=True)
    manager_commentary = models.TextField("The CSP manager's commentary", blank=True)
    submitted_on = models.DateField("Date submitted", null=True, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["csp__name", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["csp", "year", "quarter"], name="csp_briefing_once_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"Briefing note Q{self.quarter} {year_label(self.year)}"
