"""Choices shared by every action plan (a CSP plan's actions, a partnership's actions): one set of
statuses and ratings, so "Your work", the exports and the pages speak of them alike."""

from __future__ import annotations

from django.db import models


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
