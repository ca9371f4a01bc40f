"""Funds, formula allocations, grant rounds with panels, decisions, awards and monitoring returns.

Money is Decimal in pounds with two decimal places, never float.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from joinedup.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel

PENNY = Decimal("0.01")

positive = MinValueValidator(PENNY, "Enter an amount of at least £0.01.")


def grant_id_prefix() -> str:
    """The publisher's 360Giving identifier prefix (assigned by 360Giving; a placeholder until then)."""
    return str(getattr(settings, "JOINEDUP_360GIVING_PREFIX", "360G-joinedup"))


def financial_year_label(year: int) -> str:
    """2025 → '2025-26' (April to March)."""
    return f"{year}-{(year + 1) % 100:02d}"


class FundSource(models.TextChoices):
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    PROCEEDS_OF_CRIME = "proceeds_of_crime", "Proceeds of crime / Police Property Act"
    VICTIMS_GRANT = "victims_grant", "Victims' grant"
    PRECEPT = "precept", "Precept"
    EXTERNAL = "external", "External or match funding"


class DistributionModel(models.TextChoices):
    FORMULA = "formula", "Formula allocation"
    OPEN_ROUNDS = "open_rounds", "Open grant rounds"
    DIRECT = "direct", "Direct commissioning"
    CO_COMMISSIONING = "co_commissioning", "Co-commissioning"
    CSP_FORUM = "csp_forum", "CSP forum"


class Fund(TimeStampedModel, VersionedModel):
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=30, choices=FundSource.choices)
    distribution_model = models.CharField(max_length=30, choices=DistributionModel.choices)
    force_area = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The police force area whose CSPs a formula allocation is split across.",
    )
    # Free text until the Police and Crime Plan register can be linked.
    plan_priorities = models.TextField("Plan priorities served", blank=True)
    eligibility_rules = models.TextField(blank=True)
    max_award = models.DecimalField(
        "Maximum award", null=True, blank=True, validators=[positive], max_digits=14, decimal_places=2
    )
    decision_body = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundBudget(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(help_text="The financial year's starting year: 2025 is 2025-26.")
    amount = models.DecimalField(validators=[positive], max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="fund_budget_year_unique")]

    def __str__(self) -> str:
        return f"{self.fund}: {self.year_label} £{self.amount}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class FormulaAllocation(TimeStampedModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="allocations")
    year = models.PositiveSmallIntegerField()
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField()
    share = models.DecimalField(max_digits=9, decimal_places=6, help_text="Fraction of the budget, 0 to 1.")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    per_head = models.DecimalField(max_digits=10, decimal_places=2)
    conditions = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "year", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "area"], name="allocation_fund_year_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fund} {financial_year_label(self.year)}: {self.area.name} £{self.amount}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed for applications"
    DECIDED = "decided", "Decided"


class GrantRound(TimeStampedModel, VersionedModel):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField()
    budget = models.DecimalField(validators=[positive], max_digits=14, decimal_places=2)
    max_award = models.DecimalField(
        "Maximum award", null=True, blank=True, validators=[positive], max_digits=14, decimal_places=2
    )
    max_score = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Scores run 0 to this.",
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]

    def __str__(self) -> str:
        return f"{self.fund}: {self.name}"


class Criterion(models.Model):
    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} (weight {self.weight})"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Ineligible"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Applicant(TimeStampedModel):
    """Someone applying for a grant for their organisation, with no staff account.

    Signs in to the public application pages only (never the staff pages), after verifying their
    email address. The password is stored hashed, as for staff.
    """

    email = models.EmailField("Email address", unique=True)
    contact_name = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=200)
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    password = models.CharField(max_length=256)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(excluded_fields=["password"])

    class Meta:
        ordering = ["organisation_name", "email"]

    def __str__(self) -> str:
        return f"{self.contact_name} ({self.organisation_name})"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class Application(TimeStampedModel, VersionedModel):
    round = models.ForeignKey(GrantRound, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        Applicant, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    organisation_name = models.CharField("Applicant organisation", max_length=200)
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    contact_email = models.EmailField(blank=True)
    project_title = models.CharField(max_length=200)
    project_description = models.TextField()
    # Empty only while a draft.
    amount_requested = models.DecimalField(
        null=True, blank=True, validators=[positive], max_digits=14, decimal_places=2
    )
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    eligibility_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return f"{self.project_title} ({self.organisation_name})"

    @property
    def reference(self) -> str:
        return f"APP-{self.pk:05d}"


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    # A random name: what the applicant called the file is kept, but never used as a path.
    return f"funding/applications/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    """A supporting document. Stored in the private file store (outside the web root) and served only by
    a view that checks who is asking."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class PanelAssignment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="panel_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.application}"


class ConflictDeclaration(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="conflict_declaration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} declared a conflict on {self.application}"


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion", "member"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.value}"


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    DECLINE = "decline", "Decline"


class Decision(TimeStampedModel):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    amount = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text="Why an application was declined.")
    budget_override = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"


class Award(TimeStampedModel):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="awards")
    recipient_name = models.CharField(max_length=200)
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    awarded_on = models.DateField()
    conditions = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.title} £{self.amount}"

    @property
    def identifier(self) -> str:
        return f"{grant_id_prefix()}-{self.pk}"


class PaymentInstalment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    paid_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "due_on"]

    def __str__(self) -> str:
        return f"£{self.amount} due {self.due_on}"


class MonitoringReturn(TimeStampedModel):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="monitoring_returns")
    due_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    spend = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    outputs = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    narrative = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "due_on"]

    def __str__(self) -> str:
        return f"Monitoring return due {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.submitted_on is None and self.due_on < timezone.localdate()
