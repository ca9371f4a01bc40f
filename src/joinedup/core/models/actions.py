"""What every action plan shares (a CSP plan's actions, a partnership's actions): one set of statuses and
ratings and the same fields for an action and its progress updates, so "Your work", the exports and the
pages speak of them alike. Each app's concrete models add what the action belongs to and their history."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .base import TimeStampedModel, VersionedModel


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


#: An action in one of these statuses is finished: it is no longer due.
CLOSED_ACTION_STATUSES = (ActionStatus.COMPLETE, ActionStatus.CANCELLED)


class PlanAction(TimeStampedModel, VersionedModel):
    """Something promised in an action plan: who owns it, by when, how far it has got, how it is rated."""

    description = models.TextField("Action")
    owner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_actions",
        verbose_name="Owner organisation",
    )
    lead_officer = models.CharField("Lead officer", max_length=200, blank=True)
    due_date = models.DateField("Due date", db_index=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    rag = models.CharField("Rating", max_length=5, choices=Rag.choices, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_ACTION_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Still open after its due date."""
        return self.is_open and self.due_date < timezone.localdate()


class PlanActionUpdate(TimeStampedModel):
    """A dated progress update on an action, never changed once recorded; its rating becomes the action's."""

    recorded_on = models.DateField("Date")
    text = models.TextField("Progress")
    rag = models.CharField("Rating", max_length=5, choices=Rag.choices)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.recorded_on}: {self.text[:60]}"
