"""The partnership register: Police and Crime Plans, partnerships, members, risks, declarations, assessments."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from joinedup.core.models import (
    AreaLevel,
    PlanAction,
    PlanActionUpdate,
    Rag,
    RestrictedQuerySet,
    TimeStampedModel,
    VersionedModel,
    area_of_level,
)

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def _empty_or_not_negative(field: str, name: str) -> models.CheckConstraint:
    """The database's own check that an optional amount, when given, is not negative."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=name
    )


class Plan(TimeStampedModel, VersionedModel):
    """A Police and Crime Plan: the Commissioner's priorities for a force area over a period."""

    title = models.CharField(max_length=200)
    pcc_name = models.CharField("Police and Crime Commissioner", max_length=200)
    force_area = area_of_level(AreaLevel.PFA, related_name="police_and_crime_plans")
    period_start = models.DateField()
    period_end = models.DateField()

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start:%Y} to {self.period_end:%Y})"


class PlanPriority(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "title"]
        verbose_name_plural = "plan priorities"

    def __str__(self) -> str:
        return self.title


# The register's names (status, level, legal basis, a member's role, a declaration's kind) are shown on the
# public register too, so in the reader's language there (staff pages are English). A status has a
# context of its own: in Welsh it agrees with "partneriaeth", as a grant's "Approved" does not.
class Status(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("partnership status", "Proposed")
    UNDER_ASSESSMENT = "under_assessment", pgettext_lazy("partnership status", "Under assessment")
    APPROVED = "approved", pgettext_lazy("partnership status", "Approved")
    DECLINED = "declined", pgettext_lazy("partnership status", "Declined")
    ACTIVE = "active", pgettext_lazy("partnership status", "Active")
    UNDER_REVIEW = "under_review", pgettext_lazy("partnership status", "Under review")
    REVISED = "revised", pgettext_lazy("partnership status", "Revised")
    TERMINATED = "terminated", pgettext_lazy("partnership status", "Terminated")


class LegalBasis(models.TextChoices):
    STATUTORY = "statutory", _("Statutory")
    CONTRACTUAL = "contractual", _("Contractual")
    AGREEMENT = "agreement", _("Agreement (service level agreement or memorandum of understanding)")
    INFORMAL = "informal", _("Informal")


class Level(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")
    OPERATIONAL = "operational", _("Operational")


# "A regional partnership" as one phrase a level, not "%(level)s partnership": Welsh mutates the adjective
# after "partneriaeth" ("partneriaeth ranbarthol").
LEVEL_PARTNERSHIP = {
    Level.STRATEGIC: _("Strategic partnership"),
    Level.REGIONAL: _("Regional partnership"),
    Level.LOCAL: _("Local partnership"),
    Level.OPERATIONAL: _("Operational partnership"),
}


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: shown on the public register"
    INTERNAL = "internal", "Internal: staff only"


PARTNERSHIP_NAME_TAKEN = "A partnership with this name is already on the register."


class Partnership(TimeStampedModel, VersionedModel):
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    scope_in = models.TextField("In scope", blank=True)
    scope_out = models.TextField("Explicitly out of scope", blank=True)
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices, db_index=True)
    level = models.CharField(max_length=20, choices=Level.choices, db_index=True)
    areas = models.ManyToManyField("core.Area", blank=True, related_name="partnerships")
    lead_organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
    )
    governance_body = models.CharField("Governance body", max_length=200, blank=True)
    governance_chair = models.CharField("Chair", max_length=200, blank=True)
    meeting_frequency = models.CharField("Meeting frequency", max_length=100, blank=True)
    decision_rights = models.TextField("Decision rights", blank=True)
    accountable_to = models.TextField(
        "Accountable to",
        blank=True,
        help_text="For example the partner organisations, the Police and Crime Panel, scrutiny committees.",
    )
    exit_triggers = models.TextField("Exit triggers", blank=True)
    exit_steps = models.TextField("Exit steps", blank=True)
    exit_cost = models.DecimalField(
        "Cost of exit (£)", max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    review_cadence_months = models.PositiveSmallIntegerField(
        "Review every (months)", default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    next_review_date = models.DateField("Next review due", null=True, blank=True, db_index=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL, db_index=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    illustrative = models.BooleanField(
        default=False, help_text="Any detail not in the seed material is illustrative, not a real fact."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the facts come from.")

    history = HistoricalRecords(m2m_fields=[areas])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            _empty_or_not_negative("exit_cost", "partnership_exit_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(review_cadence_months__gte=1) & Q(review_cadence_months__lte=60),
                name="partnership_review_cadence_1_60",
            ),
            # One partnership per name whatever its case, as the register import has always required.
            models.UniqueConstraint(
                Lower("name"),
                name="partnership_name_ci_unique",
                violation_error_message=PARTNERSHIP_NAME_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level_partnership(self) -> str:
        """ "Regional partnership", in the reader's language."""
        return str(LEVEL_PARTNERSHIP[Level(self.level)])

    @property
    def has_exit_strategy(self) -> bool:
        return bool(self.exit_triggers.strip() and self.exit_steps.strip())

    @property
    def is_review_overdue(self) -> bool:
        """Matches selectors.overdue_q(): only running partnerships fall due for review."""
        return (
            self.status in (Status.ACTIVE, Status.UNDER_REVIEW)
            and self.next_review_date is not None
            and self.next_review_date < timezone.localdate()
        )


class PartnershipObjective(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField("Objective")
    priorities = models.ManyToManyField(
        PlanPriority, blank=True, related_name="objectives", verbose_name="Police and Crime Plan priorities"
    )
    csp_priorities = models.TextField(
        "Community safety partnership priorities", blank=True, help_text="One per line."
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        ordering = ["partnership", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    FUNDER = "funder", _("Funder")
    PROVIDER = "provider", _("Provider")
    HOST = "host", _("Host")
    OBSERVER = "observer", _("Observer")


class Membership(TimeStampedModel, VersionedModel):
    """One organisation's part in a partnership and what it puts in each year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    money_per_year = models.DecimalField(
        "Money per year (£)", max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    staff_fte = models.DecimalField(
        "Staff (full-time equivalent)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    premises = models.TextField(blank=True)
    other_contribution = models.TextField("Other contribution", blank=True)
    cost_share_percent = models.DecimalField(
        "Cost share (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    responsibilities = models.TextField(blank=True)
    accountable_contact = models.CharField("Accountable contact", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="membership_once_per_org"),
            _empty_or_not_negative("money_per_year", "membership_money_gte_0"),
            _empty_or_not_negative("staff_fte", "membership_fte_gte_0"),
            models.CheckConstraint(
                condition=Q(cost_share_percent__isnull=True)
                | (Q(cost_share_percent__gte=0) & Q(cost_share_percent__lte=100)),
                name="membership_cost_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Risk(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(
        validators=ONE_TO_FIVE, help_text="1 (rare) to 5 (almost certain)"
    )
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE, help_text="1 (minimal) to 5 (severe)")
    owner = models.CharField(max_length=200, blank=True)
    mitigation = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-likelihood", "-impact", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1) & Q(likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(condition=Q(impact__gte=1) & Q(impact__lte=5), name="risk_impact_1_5"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class DeclarationKind(models.TextChoices):
    TRANSACTION = "transaction", _("Transaction between partners")
    INTEREST = "interest", _("Interest of key personnel")


class Declaration(TimeStampedModel):
    """What must be declared publicly when a partnership involves a body outside the public sector."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(max_length=20, choices=DeclarationKind.choices)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="partnership_declarations"
    )
    person = models.CharField("Person (for an interest)", max_length=200, blank=True)
    description = models.TextField()
    amount = models.DecimalField(
        "Amount (£)", max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    declared_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-declared_on", "pk"]
        constraints = [
            _empty_or_not_negative("amount", "declaration_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class Question(models.TextChoices):
    """The questions to answer before partnering (seed 004 section 2), then a PCC's political questions."""

    LEGAL_POWERS = "legal_powers", "Do we have the legal powers to partner (or not to do so)?"
    BENEFITS = "benefits", "What will be the benefits and dis-benefits?"
    PARTNERS = "partners", "Who could we partner with and what would be in it for them and for us?"
    PARTNER_STRENGTHS = (
        "partner_strengths",
        "How will we judge the strengths, ethos and values of potential partners?",
    )
    RESOURCES = (
        "resources",
        "What resources and time will be required to establish the partnership and sustain it?",
    )
    CLARITY = (
        "clarity",
        (
            "Is there clarity of the roles, contributions, responsibilities and accountabilities for the partners "
            "and the interface between them?"
        ),
    )
    RISK = "risk", "What is the risk assessment?"
    GOVERNANCE = (
        "governance",
        "What would the governance arrangements be; how would there be accountability and to whom?",
    )
    EXIT = "exit", "What would the exit strategy be?"
    ABORT = "abort", "Could we abort the partnership development process and if so at what cost?"
    POLITICAL_ACCOUNTABILITY = "political_accountability", "Political accountability"
    POLITICAL_CREDIBILITY = "political_credibility", "Political credibility"
    MANIFESTO = "manifesto", "Manifesto commitments"
    PARTY_POLITICAL = "party_political", "Party political issues"
    ELECTED_RELATIONSHIPS = "elected_relationships", "Relationships with other elected politicians"


PCC_QUESTIONS: tuple[str, ...] = (
    Question.POLITICAL_ACCOUNTABILITY,
    Question.POLITICAL_CREDIBILITY,
    Question.MANIFESTO,
    Question.PARTY_POLITICAL,
    Question.ELECTED_RELATIONSHIPS,
)


#: A business-case question is rated red, amber or green like an action (one set of ratings everywhere).
Rating = Rag


class Recommendation(models.TextChoices):
    PARTNER = "partner", "Partner"
    CONTRACT = "contract", "Contract instead"
    DO_IT_OURSELVES = "ourselves", "Do it ourselves"
    ANOTHER_BODY = "another_body", "Let another body do it"
    DO_NOT_PROCEED = "do_not_proceed", "Do not proceed"


class BusinessCaseAssessment(TimeStampedModel, VersionedModel):
    """The business-case assessment that must be complete before a partnership can be approved."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="assessment")
    includes_pcc_questions = models.BooleanField(
        "Include the Police and Crime Commissioner's political questions", default=True
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommendation_reason = models.TextField("Reasons for the recommendation", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership"]

    def __str__(self) -> str:
        return f"Assessment of {self.partnership}"

    @property
    def questions(self) -> tuple[str, ...]:
        if self.includes_pcc_questions:
            return tuple(Question.values)
        return tuple(q for q in Question.values if q not in PCC_QUESTIONS)


class AssessmentAnswer(TimeStampedModel):
    assessment = models.ForeignKey(BusinessCaseAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=40, choices=Question.choices)
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    evidence = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="assessment_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_question_display()}: {self.get_rating_display() or 'not rated'}"


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    REVISE = "revise", "Revise"
    TERMINATE = "terminate", "Terminate"


class PartnershipReview(TimeStampedModel):
    """A completed review of the public benefit a partnership brings: "revise or terminate" (seed 004 s.4)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("Date of review")
    added_value = models.TextField("Evidence of added value")
    financial_costs = models.DecimalField(
        "Financial costs (£ a year)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    opportunity_costs = models.TextField("Opportunity costs", blank=True)
    benefits_realised = models.TextField("Benefits realised", blank=True)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    decision_reason = models.TextField("Reasons for the decision")

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-reviewed_on", "-pk"]
        constraints = [
            _empty_or_not_negative("financial_costs", "review_financial_costs_gte_0"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.partnership} on {self.reviewed_on}"


class ReviewAction(TimeStampedModel):
    review = models.ForeignKey(PartnershipReview, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField("Follow-up action")
    owner = models.CharField(max_length=200)
    due_on = models.DateField("Due by")
    done = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_on", "pk"]

    def __str__(self) -> str:
        return self.action[:80]


class ExpectedBenefit(TimeStampedModel, VersionedModel):
    """Cashable savings projected and realised in one financial year, and the other outcomes expected."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="benefits")
    financial_year = models.PositiveSmallIntegerField(
        "Financial year starting", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    savings_projected = models.DecimalField(
        "Cashable savings projected (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    savings_realised = models.DecimalField(
        "Cashable savings realised (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    other_outcomes = models.TextField("Other outcomes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "financial_year"], name="benefit_once_per_year"),
            _empty_or_not_negative("savings_projected", "benefit_projected_gte_0"),
            _empty_or_not_negative("savings_realised", "benefit_realised_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} benefits {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"


class PartnershipAction(PlanAction):
    """Something a partnership promised to do (core.models.PlanAction): its owner is one of the
    partnership's members or its lead organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "due_date", "pk"]


class PartnershipActionUpdate(PlanActionUpdate):
    """A dated progress update on a partnership's action, never changed once recorded; its rating becomes
    the action's."""

    action = models.ForeignKey(PartnershipAction, on_delete=models.CASCADE, related_name="updates")

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-recorded_on", "-pk"]
