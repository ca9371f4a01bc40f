"""Funds, formula allocations, grant rounds with panels, decisions, awards and monitoring returns.

Money is Decimal in pounds with two decimal places, never float.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from joinedup.core.models import (
    AreaLevel,
    RestrictedQuerySet,
    TimeStampedModel,
    VersionedModel,
    area_of_level,
)

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
    priorities = models.ManyToManyField(
        "partnerships.PlanPriority",
        blank=True,
        related_name="funds",
        help_text="The Police and Crime Plan priorities the fund serves (the reports count spend against them).",
    )
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

    history = HistoricalRecords(m2m_fields=[priorities])
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

    # Lazy: the password validators name it ("too similar to the email address") on the public pages.
    email = models.EmailField(gettext_lazy("email address"), unique=True)
    contact_name = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=200)
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    password = models.CharField(max_length=256)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # The language of the public pages the applicant last registered, signed in or reset their password
    # on (a code of settings.LANGUAGES): the emails sent to them later, such as the decision, are in it.
    language = models.CharField(max_length=10, default="en-gb")

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


class Award(TimeStampedModel, VersionedModel):
    """A grant awarded. `amount` is what is awarded now (after any variation); clawbacks are recorded
    separately and the net amount is `amount` less what was reclaimed."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="awards")
    recipient_name = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The recipient in the organisation directory (its sector is used in the reports).",
    )
    csp = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="CSP area",
        help_text="The Community Safety Partnership area the grant mainly serves.",
    )
    # A grant serving one neighbourhood names its ward too (inside `csp`, which the services check): the
    # ward's public page lists it and its outcome view reads the ward's counts (docs/adr/0046).
    ward = area_of_level(
        AreaLevel.WARD,
        optional=True,
        verbose_name="Ward served",
        help_text="The electoral ward the grant mainly serves, if one: a ward in its CSP area.",
    )
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    awarded_on = models.DateField()
    ends_on = models.DateField("End of the grant term", null=True, blank=True)
    conditions = models.TextField(blank=True)
    clawed_back = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        editable=False,
        help_text="The total reclaimed, kept equal to the sum of the award's clawbacks by the services.",
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.title} £{self.amount}"

    @property
    def identifier(self) -> str:
        return f"{grant_id_prefix()}-{self.pk}"

    @property
    def net_amount(self) -> Decimal:
        return self.amount - self.clawed_back


class AwardVariation(TimeStampedModel):
    """A change to an award's amount, term or conditions, agreed by someone, with the reason. Each keeps
    what the award said before and after, numbered in order."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField()
    amount_before = models.DecimalField(max_digits=14, decimal_places=2)
    amount_after = models.DecimalField(max_digits=14, decimal_places=2)
    ends_on_before = models.DateField(null=True, blank=True)
    ends_on_after = models.DateField(null=True, blank=True)
    conditions_before = models.TextField(blank=True)
    conditions_after = models.TextField(blank=True)
    reason = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="award_variation_number_unique")
        ]

    def __str__(self) -> str:
        return f"Variation {self.number} to {self.award}"

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        found = []
        if self.amount_before != self.amount_after:
            found.append(("Amount", f"£{self.amount_before:,.2f}", f"£{self.amount_after:,.2f}"))
        if self.ends_on_before != self.ends_on_after:
            found.append(("End of term", _date_text(self.ends_on_before), _date_text(self.ends_on_after)))
        if self.conditions_before != self.conditions_after:
            found.append(("Conditions", self.conditions_before or "None", self.conditions_after or "None"))
        return found


def _date_text(day: Any) -> str:
    return f"{day:%-d %B %Y}" if day else "Not set"


class Clawback(TimeStampedModel):
    """Money reclaimed from a grant holder (unspent, misused or not delivered)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="clawbacks")
    amount = models.DecimalField(validators=[positive], max_digits=14, decimal_places=2)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"£{self.amount} reclaimed from {self.award}"


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


class MeasureUnit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    CURRENCY = "currency", "Amount in pounds"
    # A mean, a rate or a length of time ("Average days to first contact", "Mean wellbeing score"): a
    # figure that is averaged over a period, never added up (docs/adr/0045).
    AVERAGE = "average", "Average, rate or length of time"


# Units whose figures are averaged over a period rather than added up (docs/adr/0044, 0045).
AVERAGED_UNITS = frozenset({MeasureUnit.PERCENTAGE, MeasureUnit.AVERAGE})


class MeasureDirection(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class OutcomeMeasure(TimeStampedModel):
    """A figure the grant holder reports in every monitoring return (docs/adr/0037): set by OPCC staff when
    awarding or on the award's page. A measure with values recorded keeps its unit and cannot be removed."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="outcome_measures")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=MeasureUnit.choices)
    direction = models.CharField(max_length=4, choices=MeasureDirection.choices)
    target = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    required = models.BooleanField(default=True, help_text="Every return must give a value.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["award", "name"], name="outcome_measure_name_unique")]

    def __str__(self) -> str:
        return self.name

    def format(self, value: Decimal | None) -> str:
        """A value as people read it: 12, 45.5%, £1,250.00, 4.5 (an average)."""
        if value is None:
            return ""
        if self.unit == MeasureUnit.CURRENCY:
            return f"£{value:,.2f}"
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{text}%" if self.unit == MeasureUnit.PERCENTAGE else text


class ReturnStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted, to review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"


class MonitoringReturn(TimeStampedModel, VersionedModel):
    """What a grant holder reports for one period: submitted once through their applicant account (or
    recorded by staff from a return received another way), then accepted, or sent back for changes, which
    reopens it. The period runs from the previous return's due date (or the award date) to this one's."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="monitoring_returns")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DUE)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        Applicant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The applicant account that submitted it (empty when staff recorded it).",
    )
    spend = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)
    outputs = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    changes_requested = models.TextField(
        blank=True, help_text="What the grant holder is asked to change (the latest request)."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award", "due_on"]

    def __str__(self) -> str:
        return f"Monitoring return due {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.submitted_on is None and self.due_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        """The grant holder may submit it."""
        return self.status in (ReturnStatus.DUE, ReturnStatus.CHANGES_REQUESTED)


class MeasureValue(models.Model):
    """One outcome measure's value in one monitoring return."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="measure_values"
    )
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["monitoring_return", "measure__position", "measure__pk"]
        constraints = [
            models.UniqueConstraint(fields=["monitoring_return", "measure"], name="measure_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.name}: {self.value}"

    @property
    def shown(self) -> str:
        return self.measure.format(self.value)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due within 7 days"
    OVERDUE = "overdue", "Overdue"


class ReturnReminder(models.Model):
    """One reminder emailed to the grant holder about one monitoring return: the unique pair of return and
    kind is what keeps a reminder of a kind from going twice, whatever happens to the return later."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey(
        "notifications.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "kind"], name="one_return_reminder_of_a_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for return {self.monitoring_return_id}"


# --- commissioning ----------------------------------------------------------------------------------


class Contract(TimeStampedModel, VersionedModel):
    """A commissioned service: who provides it, for how much, over what term, to what targets."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    provider = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    commissioner = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who let the contract (the OPCC, or a board for a jointly commissioned service).",
    )
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    board = models.ForeignKey(
        "CommissioningBoard", null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    csp = models.ForeignKey(
        "core.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="CSP area",
        help_text="The Community Safety Partnership area the service mainly serves, if one.",
    )
    ward = area_of_level(
        AreaLevel.WARD,
        optional=True,
        verbose_name="Ward served",
        help_text="The electoral ward the service mainly serves, if one: a ward in its CSP area.",
    )
    value = models.DecimalField(validators=[positive], max_digits=14, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    priorities = models.ManyToManyField("partnerships.PlanPriority", blank=True, related_name="contracts")
    description = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[priorities])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_term_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class CommissioningBoard(TimeStampedModel, VersionedModel):
    """A joint commissioning board: partners pooling money to commission services together."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField("core.Organisation", blank=True, related_name="+")

    history = HistoricalRecords(m2m_fields=[members])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PooledContribution(TimeStampedModel):
    board = models.ForeignKey(CommissioningBoard, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The financial year's starting year: 2025 is 2025-26.")
    amount = models.DecimalField(validators=[positive], max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "organisation", "year"], name="pooled_contribution_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {financial_year_label(self.year)} £{self.amount}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class Framework(TimeStampedModel, VersionedModel):
    """A procurement framework let by one or more OPCCs that others may call off without their own tender."""

    reference = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    lead = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", help_text="The lead OPCC."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.name}"


class FrameworkLot(TimeStampedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    supplier = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="framework_lot_unique")]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class CallOff(TimeStampedModel):
    """Another OPCC (or partner) buying from a framework lot."""

    lot = models.ForeignKey(FrameworkLot, on_delete=models.PROTECT, related_name="call_offs")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, unique=True)
    value = models.DecimalField(validators=[positive], max_digits=14, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["lot", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="call_off_term_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.organisation})"


class Kpi(TimeStampedModel):
    """A key performance indicator of a contract or a call-off, with its target. KPIs of the same name
    are compared across every contract and call-off with the same supplier."""

    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis"
    )
    call_off = models.ForeignKey(
        CallOff, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis"
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True, help_text="For example %, people, days.")
    target = models.DecimalField(max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "KPI"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract__isnull=False, call_off__isnull=True)
                | models.Q(contract__isnull=True, call_off__isnull=False),
                name="kpi_belongs_to_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (target {self.target}{self.unit})"


class PerformanceReturn(TimeStampedModel):
    """What a supplier achieved against one KPI in one period (a quarter, usually)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="returns")
    period_start = models.DateField()
    period_end = models.DateField()
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_start"], name="performance_return_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="performance_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.name} {self.period_start}: {self.actual}"
