"""Consultations and surveys run by the OPCC or a CSP: questions, the public's responses and moderation.

A response is anonymous unless the respondent agrees to be contacted, when it carries a name and an email
address (personal data: read only by the people who run the consultation, and every read is audited).
Free-text answers are published only after a moderator approves them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from joinedup.core.models import TimeStampedModel, VersionedModel


class Audience(models.TextChoices):
    PUBLIC = "public", "The public (on the public site)"
    PARTNERS = "partners", "Partner organisations' staff (the annual partner survey, signed in)"


class Consultation(TimeStampedModel, VersionedModel):
    title = models.CharField(max_length=200)
    audience = models.CharField(
        "Who answers it",
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text="A partner survey is answered by signed-in staff of the force area's partners and never "
        "shown on the public site.",
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Last year's survey",
        help_text="The partner survey this one repeats, for the year-on-year comparison.",
    )
    summary = models.TextField("What it is about", help_text="Shown to the public above the questions.")
    area = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The force area (the Commissioner's consultations) or CSP it is for.",
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Run by"
    )
    opens_on = models.DateField("Opens on")
    closes_on = models.DateField("Closes on", help_text="The last day responses are accepted.")
    published = models.BooleanField(
        "Show on the public site", default=False, help_text="From the opening date, once published."
    )
    results_published = models.BooleanField("Publish the results", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.published and self.opens_on <= day <= self.closes_on  # type: ignore[operator]

    def state(self) -> str:
        day = timezone.localdate()
        if not self.published:
            return "Draft"
        if day < self.opens_on:
            return "Not yet open"
        if day > self.closes_on:
            return "Closed"
        return "Open"


class Participation(models.Model):
    """That a staff account has answered a partner survey, so it answers once. Deliberately not linked to
    the response: the answers stay anonymous."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="engagement_answer_survey_once")
        ]

    def __str__(self) -> str:
        return f"Participation in {self.consultation_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Choose one"
    MULTIPLE = "multiple", "Choose any"
    SCALE = "scale", "A scale from 1 to 5"
    TEXT = "text", "Free text"


# Lazy: the public response form shows them in the reader's language.
SCALE_LABELS: dict[int, Any] = {
    1: gettext_lazy("1 (strongly disagree)"),
    2: "2",
    3: "3",
    4: "4",
    5: gettext_lazy("5 (strongly agree)"),
}


class Question(TimeStampedModel):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField("Question", max_length=300)
    help_text = models.CharField("Hint", max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField("Must be answered", default=False)
    options = models.JSONField(
        default=list, blank=True, help_text="The choices, for choose-one and choose-any."
    )
    option_crime_types = models.JSONField(
        "Crime types of the choices",
        default=dict,
        blank=True,
        help_text="{choice: data.police.uk crime type}: what a choice is about, so the share of respondents "
        "choosing it can feed the strategic assessment's community concern (insight).",
    )

    class Meta:
        ordering = ["consultation", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    contact_consent = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(max_length=254, blank=True)

    class Meta:
        ordering = ["consultation", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.consultation_id}"


class Moderation(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved for publication"
    REJECTED = "rejected", "Not published"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # the option(s) chosen, by their text
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, blank=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["response", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="engagement_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


# --- neighbourhood priority setting (PACT-style meetings) ---------------------------------------------


class NeighbourhoodMeeting(TimeStampedModel, VersionedModel):
    """A public meeting where residents set the neighbourhood's priorities, online and on paper."""

    title = models.CharField(max_length=200)
    area = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The neighbourhood, district or CSP.",
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="Run by"
    )
    held_on = models.DateField("Meeting date")
    place = models.CharField("Where", max_length=300)
    minutes = models.TextField("Minutes", blank=True)
    voting_closes_on = models.DateField("Online voting closes on")
    published = models.BooleanField("Show on the public site", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def voting_open(self) -> bool:
        return self.published and timezone.localdate() <= self.voting_closes_on


class MeetingPriority(TimeStampedModel):
    """One priority residents can vote for; once chosen, what the partners will do and have done."""

    meeting = models.ForeignKey(NeighbourhoodMeeting, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    paper_votes = models.PositiveIntegerField("Votes on paper at the meeting", default=0)
    crime_type = models.CharField(
        "Crime type it is about",
        max_length=100,
        blank=True,
        help_text="A data.police.uk crime type, so its votes can feed the strategic assessment's community "
        "concern (insight); empty when it is about none (speeding, say).",
    )
    chosen = models.BooleanField("Chosen as a priority", default=False)
    action = models.TextField("What the partners will do", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class PriorityVote(models.Model):
    """An online vote: counted once its email address confirms it, once per address per meeting.

    Neither the address nor the confirmation key is stored: only a keyed hash of the address (to count
    one vote per person) and a hash of the key."""

    meeting = models.ForeignKey(NeighbourhoodMeeting, on_delete=models.CASCADE, related_name="votes")
    priority = models.ForeignKey(MeetingPriority, on_delete=models.CASCADE, related_name="votes")
    voter_hash = models.CharField(max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "voter_hash"],
                condition=models.Q(confirmed_at__isnull=False),
                name="engagement_one_confirmed_vote_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Vote {self.pk} in meeting {self.meeting_id}"


class PriorityUpdate(TimeStampedModel):
    """ "You said, we did": what the partners did about a chosen priority, published on the meeting page."""

    priority = models.ForeignKey(MeetingPriority, on_delete=models.CASCADE, related_name="updates")
    published_on = models.DateField(default=timezone.localdate)
    text = models.TextField("We did")

    class Meta:
        ordering = ["priority", "-published_on", "-pk"]

    def __str__(self) -> str:
        return f"Update on {self.priority_id}"
