"""What falls due in engagement, for "Your work" (joinedup.core.due): the annual partner survey of the
person's force area while it is open and they have not answered it, due the day it closes."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.due import DueItem, Rows, Window, register_rows
from joinedup.core.permissions import restrict

from .models import Audience, Consultation, Participation


def _answered(
    user_ids: list[int], *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> set[int]:
    """Of `user_ids`, those who have answered a partner survey still open: only their list can differ from
    their colleagues' (everyone else has answered none of the open ones)."""
    answered = Participation.objects.filter(
        user_id__in=user_ids, consultation__audience=Audience.PARTNERS, consultation__closes_on__gte=today
    )
    return set(answered.values_list("user_id", flat=True).distinct())


# A survey that has closed can no longer be answered, so nothing here is ever overdue.
@register_rows(
    "engagement.partner_survey",
    "Partner surveys to answer",
    due_field="closes_on",
    overdue_from="never",
    permission="engagement.survey.respond",
    people_with_own=_answered,
)
def partner_surveys(user: Any, when: Window) -> Rows | None:
    surveys = (
        restrict(Consultation.objects.all(), user, "engagement.survey.respond")
        .filter(
            published=True, opens_on__lte=when.today, closes_on__gte=when.today, closes_on__lte=when.until
        )
        .exclude(pk__in=Participation.objects.filter(user=user).values("consultation"))
    )
    return surveys, lambda survey: DueItem(
        title=f"Answer the partner survey: {survey.title}",
        why="Your force area's annual survey of partnership working, answered anonymously",
        due=survey.closes_on,
        url=reverse("engagement:partner-respond", args=[survey.pk]),
        uid=f"partner-survey-{survey.pk}",
    )
