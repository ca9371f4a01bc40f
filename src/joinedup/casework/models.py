"""ASB casework records: information-sharing agreements, people, incidents, cases, actions and feedback.

Who may see a case (and so the personal data in it) is decided in one place: `casework/rules.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from joinedup.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel

from .categories import category_choices
from .names import fold_name


class LawfulBasis(models.TextChoices):
    CDA_S115 = "cda_s115", "Section 115 Crime and Disorder Act 1998"
    UK_GDPR_PUBLIC_TASK = (
        "uk_gdpr_6_1_e",
        "UK GDPR Article 6(1)(e) public task, with the Data Protection Act 2018",
    )
    DPA_PART3 = "dpa_part3", "Data Protection Act 2018 Part 3 (law enforcement processing)"
    ASB_CPA_2014 = "asbcpa_2014", "Anti-social Behaviour, Crime and Policing Act 2014"
    CONSENT = "consent", "Consent of the data subject"


class DataCategory(models.TextChoices):
    IDENTITY = "identity", "Names and dates of birth"
    CONTACT = "contact", "Contact details and addresses"
    INCIDENTS = "incidents", "Incident reports"
    VULNERABILITY = "vulnerability", "Vulnerability and health indicators"
    OFFENDING = "offending", "Alleged offending and perpetrators"


class AgreementStatus(models.TextChoices):
    """An agreement's lifecycle (ADR 0012): only an agreement in force shares anything."""

    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed: waiting for every party to sign"
    IN_FORCE = "in_force", "In force"
    ENDED = "ended", "Ended"


# The data category an agreement must list for it to share a case's personal data (ADR 0012): an ASB case
# is a set of incident reports naming informants, victims and alleged perpetrators.
CASEWORK_DATA_CATEGORY = "incidents"


class AgreementQuerySet(RestrictedQuerySet):
    def active(self, on: date | None = None) -> AgreementQuerySet:
        """Agreements in force on `on` (today by default): every party signed, the start date (never before
        the last signature) reached, not ended and not past the end date."""
        on = on or timezone.localdate()
        return self.filter(
            Q(status=AgreementStatus.IN_FORCE),
            Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )


class InformationSharingAgreement(TimeStampedModel, VersionedModel):
    """An information-sharing agreement: which organisations may share which personal data, where, and why."""

    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(
        "core.Organisation", through="AgreementParty", related_name="sharing_agreements"
    )
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    lawful_basis_detail = models.TextField(blank=True)
    areas = models.ManyToManyField("core.Area", related_name="sharing_agreements")
    data_categories = models.JSONField(default=list, blank=True, help_text="DataCategory values.")
    covers_asb_casework = models.BooleanField("Covers ASB casework", default=True)
    start_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT, db_index=True
    )
    in_force_from = models.DateTimeField(
        null=True, blank=True, help_text="When the last party signed (it shares nothing before)."
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == AgreementStatus.IN_FORCE
            and self.start_date <= today
            and (self.end_date is None or self.end_date >= today)
        )

    @property
    def review_overdue(self) -> bool:
        """Still in force but its review date has passed."""
        today = timezone.localdate()
        return bool(
            self.review_date
            and self.review_date < today
            and (self.end_date is None or self.end_date >= today)
        )


class AgreementParty(models.Model):
    """One organisation's part in an agreement, with its designated liaison officer."""

    agreement = models.ForeignKey(
        InformationSharingAgreement, on_delete=models.CASCADE, related_name="party_rows"
    )
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    liaison_officer_name = models.CharField(max_length=150, blank=True)
    liaison_officer_email = models.EmailField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.agreement}"


class Person(TimeStampedModel):
    """A data subject: an informant, victim or alleged perpetrator. Personal data."""

    full_name = models.CharField(max_length=150)
    # The name as the name search compares it (`names.fold_name`), set on every save: stored so that
    # PostgreSQL's trigram index answers "contains this word" without folding every name of the table.
    # Text, not 150 characters: folding can lengthen a name ("ß" becomes "ss"). Derived from the name,
    # so left out of the history (the name's own changes are there).
    folded_name = models.TextField(blank=True, default="", editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["folded_name"])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["full_name", "date_of_birth"]),
            # PostgreSQL only (the migration creates it there alone): LIKE '%word%' on the folded name.
            GinIndex(fields=["folded_name"], opclasses=["gin_trgm_ops"], name="casework_person_folded_trgm"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved with its folded name, also when only the name is saved (`update_fields`). A bulk_create
        or update() bypasses this: give `folded_name=fold_name(full_name)` there yourself."""
        self.folded_name = fold_name(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "folded_name"}
        super().save(*args, **kwargs)


@receiver(pre_save, sender=Person)
def _fold_loaded_name(sender: Any, instance: Person, raw: bool = False, **kwargs: Any) -> None:
    """loaddata (restoring a backup, perhaps one made before names were stored folded) saves rows raw,
    without `Person.save()`: the name is folded here for those."""
    if raw:
        instance.folded_name = fold_name(instance.full_name)


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Case(TimeStampedModel, VersionedModel):
    """A problem being worked by the partnership: one or more incidents, actions and informant updates."""

    area = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The LSOA (or district) of the case.",
    )
    status = models.CharField(
        max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    risk_level = models.CharField(max_length=15, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED)
    restricted = models.BooleanField(
        default=False, help_text="Only the named organisations may see it (for example domestic abuse)."
    )
    restricted_to = models.ManyToManyField("core.Organisation", blank=True, related_name="+")
    lead_organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repeat_victim = models.BooleanField(default=False)
    repeat_location = models.BooleanField(default=False)
    vulnerable = models.BooleanField(default=False)
    risk_assessment_due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[restricted_to])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "area"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"ASB-{self.pk or 0:06d}"

    @property
    def needs_risk_assessment(self) -> bool:
        return self.vulnerable or self.repeat_victim

    def plan_status(self) -> str:
        """The Joint Problem Solving plan's RAG: "none" without actions, "green" only when every action is
        complete and the informant (unless every informant is anonymous) has been updated since."""
        actions = list(self.actions.all())
        if not actions:
            return "none"
        if any(action.status != ActionStatus.COMPLETE for action in actions):
            return "red"
        if not self.informant_to_update():
            return "green"
        last_done = max((a.completed_at for a in actions if a.completed_at), default=None)
        updates = self.informant_updates.all()
        if last_done is not None:
            updates = updates.filter(given_at__gte=last_done)
        return "green" if updates.exists() else "red"

    def informant_to_update(self) -> bool:
        """Whether any incident on the case has an informant who is not anonymous."""
        return self.incidents.filter(informant__isnull=False, informant_anonymous=False).exists()


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    TEXT = "text", "Text message"


class VulnerabilityIndicator(models.TextChoices):
    DISABILITY = "disability", "Disability or long-term illness"
    MENTAL_HEALTH = "mental_health", "Mental health"
    AGE = "age", "Older or young person"
    ISOLATION = "isolation", "Lives alone or isolated"
    HATE = "hate", "Targeted for who they are (hate)"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    REPEAT = "repeat", "Reports repeat victimisation"


class Incident(TimeStampedModel):
    """One report of ASB or crime to any partner agency. Personal data when it names an informant."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="incidents")
    reporting_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(db_index=True)
    occurred_at = models.DateTimeField(
        null=True, blank=True, help_text="When it happened, if known (the ASB case review threshold uses it)."
    )
    category = models.CharField(max_length=60, choices=category_choices())
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    informant = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents_reported"
    )
    informant_anonymous = models.BooleanField(default=False)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    vulnerability_indicators = models.JSONField(default=list, blank=True)
    perpetrators = models.ManyToManyField(Person, blank=True, related_name="incidents_accused")
    repeat_victim = models.BooleanField(default=False)
    repeat_location = models.BooleanField(default=False)

    history = HistoricalRecords(m2m_fields=[perpetrators])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"INC-{self.pk or 0:07d}"


class ActionType(models.TextChoices):
    EVA = "eva", "Environmental visual audit"
    REASSURANCE = "reassurance", "Reassurance visit"
    ARREST = "arrest", "Arrest"
    ASB_TASK_GROUP = "asb_task_group", "Referral to ASB task group"
    TROUBLED_FAMILIES = "troubled_families", "Referral to troubled families"
    SUPPORT_SERVICE = "support_service", "Referral to a support service"
    LICENSING = "licensing", "Licensing visit"
    CCTV = "cctv", "CCTV request"
    WARNING_LETTER = "warning_letter", "Warning letter"
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    INJUNCTION = "injunction", "Injunction"
    CLOSURE = "closure", "Closure order"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class CaseAction(TimeStampedModel, VersionedModel):
    """One agency's action on a case (daily tasking or a Joint Problem Solving plan)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    owner_organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_type = models.CharField(max_length=20, choices=ActionType.choices)
    description = models.TextField(blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} ({self.owner_organisation})"

    @property
    def overdue(self) -> bool:
        return self.status != ActionStatus.COMPLETE and self.due_date < timezone.localdate()


class CaseDisclosure(TimeStampedModel):
    """An explicit disclosure of one case to one organisation outside any agreement (ADR 0012): who
    disclosed it, to whom, why and under which lawful basis. It opens the case to that organisation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disclosures")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="case_disclosure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} disclosed to {self.organisation}"


class InformantUpdate(TimeStampedModel):
    """Feedback given to the informant: when, how and by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="informant_updates")
    given_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.given_at:%d %b %Y}"


# --- daily tasking meetings (casework-b) --------------------------------------------------------------


class TaskingMeeting(TimeStampedModel, VersionedModel):
    """The record of a daily tasking meeting: when, for which CSP, who attended and what was decided."""

    held_on = models.DateField()
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="+", help_text="The CSP the meeting covers."
    )
    chair = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["area", "held_on"])]

    def __str__(self) -> str:
        return f"Tasking meeting {self.held_on:%d %b %Y}"


class TaskingAttendee(models.Model):
    """Someone at a tasking meeting, with the organisation they spoke for."""

    meeting = models.ForeignKey(TaskingMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=150)
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class TaskingDecision(TimeStampedModel):
    """What a tasking meeting decided about one case."""

    meeting = models.ForeignKey(TaskingMeeting, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasking_decisions")
    decision = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Decision on {self.case}"


# --- retention (casework-b) ---------------------------------------------------------------------------


class CaseAnonymisation(models.Model):
    """A closed case whose personal data has been removed under the retention rule (see ADR 0009)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="anonymisation")
    anonymised_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    incidents = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"{self.case} anonymised {self.anonymised_at:%d %b %Y}"


# --- Risk Assessment Matrix, Joint Problem Solving plans and ASB case reviews (casework-a) -------------


class RiskMatrixSettings(models.Model):
    """The thresholds and review cadence of the Risk Assessment Matrix: one row, made on first use."""

    medium_threshold = models.PositiveIntegerField(
        default=10, help_text="A total score of at least this is medium risk."
    )
    high_threshold = models.PositiveIntegerField(
        default=20, help_text="A total score of at least this is high risk."
    )
    high_review_days = models.PositiveIntegerField(
        default=14, help_text="Review a high-risk case every so many days."
    )
    medium_review_days = models.PositiveIntegerField(
        default=28, help_text="Review a medium-risk case every so many days."
    )
    standard_review_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Review a standard-risk case every so many days (empty: no review)."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Risk Assessment Matrix settings"
        verbose_name_plural = "Risk Assessment Matrix settings"

    def __str__(self) -> str:
        return f"Medium from {self.medium_threshold}, high from {self.high_threshold}"


class RiskQuestion(TimeStampedModel):
    """One question of the Risk Assessment Matrix."""

    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class RiskAnswerOption(models.Model):
    """One possible answer to a question, with the score it adds."""

    question = models.ForeignKey(RiskQuestion, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=200)
    score = models.PositiveIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.text} ({self.score})"


class RiskAssessment(TimeStampedModel):
    """A completed Risk Assessment Matrix for the victim on a case. Personal data (health, fears)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    # Each answer as given: {"question": id, "question_text", "option": id, "option_text", "score"}, so a
    # later change to the questionnaire does not rewrite an old assessment.
    answers = models.JSONField(default=list)
    score = models.PositiveIntegerField()
    risk_level = models.CharField(max_length=15, choices=RiskLevel.choices)
    notes = models.TextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"Risk assessment {self.assessed_at:%d %b %Y}: {self.get_risk_level_display()}"


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ProblemSolvingPlan(TimeStampedModel, VersionedModel):
    """The Joint Problem Solving plan raised for a high-risk case. Its actions are the case's actions."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    objective = models.TextField(help_text="What the partners are trying to achieve for the victim.")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    next_review_due = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Joint problem solving plan for {self.case}"

    @property
    def review_overdue(self) -> bool:
        return self.status == PlanStatus.OPEN and self.next_review_due < timezone.localdate()


class PlanReview(TimeStampedModel):
    """A (monthly) review meeting of a Joint Problem Solving plan."""

    plan = models.ForeignKey(ProblemSolvingPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line or separated by commas.")
    notes = models.TextField()
    next_review = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Plan review {self.held_on:%d %b %Y}"


class CaseReviewStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    THRESHOLD_MET = "threshold_met", "Threshold met: review to be held"
    REVIEW_HELD = "review_held", "Review held"
    CLOSED = "closed", "Closed"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the review is to be reconsidered"
    NOT_UPHELD = "not_upheld", "Not upheld"


class CaseReviewRequest(TimeStampedModel, VersionedModel):
    """An ASB Case Review ("community trigger") request. Personal data: the applicant."""

    received_on = models.DateField()
    receiving_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="+", help_text="The LSOA or district."
    )
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_reviews")
    on_behalf_of_victim = models.BooleanField(
        default=False,
        help_text="Made by someone else (a relative, MP or councillor) with the victim's consent.",
    )
    summary = models.TextField(
        help_text="The anti-social behaviour the applicant says has not been dealt with."
    )
    cases = models.ManyToManyField(Case, blank=True, related_name="case_reviews")
    status = models.CharField(
        max_length=20, choices=CaseReviewStatus.choices, default=CaseReviewStatus.RECEIVED, db_index=True
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    threshold_met = models.BooleanField(null=True, blank=True)
    threshold_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    meeting_attendees = models.TextField(blank=True)
    meeting_notes = models.TextField(blank=True)
    outcome_sent_on = models.DateField(null=True, blank=True)
    appeal_received_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    received_online = models.BooleanField(
        "Applied online", default=False, help_text="Made by the applicant on the public site."
    )
    # SHA-256 of the secret in the link the applicant follows to see the progress (never the secret itself).
    status_key_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    history = HistoricalRecords(m2m_fields=[cases], excluded_fields=["status_key_hash"])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"ACR-{self.pk or 0:05d}"


class CaseReviewRecommendation(TimeStampedModel):
    """A recommendation of an ASB case review panel, for one agency."""

    review = models.ForeignKey(CaseReviewRequest, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]
