"""What falls due in funding, for "Your work" (joinedup.core.due): monitoring returns not yet
received, for the officers who manage grants in the force area."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.due import Due, DueItem, due_from, register
from joinedup.core.permissions import has_permission

from .models import MonitoringReturn
from .selectors import list_awards

KIND, LABEL = "funding.monitoring_return", "Grant monitoring returns"


@register(KIND, LABEL, same_for_group=True)
def monitoring_returns(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta, limit: int | None
) -> Due:
    returns = None
    if has_permission(user, "funding.manage"):
        returns = MonitoringReturn.objects.filter(
            award__in=list_awards(user=user), submitted_on__isnull=True, due_on__lte=today + horizon
        ).select_related("award")
    return due_from(
        returns,
        kind=KIND,
        label=LABEL,
        due_field="due_on",
        overdue_before=today,
        limit=limit,
        item=lambda row: DueItem(
            title=f"Monitoring return from {row.award.recipient_name} ({row.award.title})",
            why="A grant your office manages",
            due=row.due_on,
            url=reverse("funding:award-detail", args=[row.award_id]),
            uid=f"monitoring-return-{row.pk}",
        ),
    )


SCORING_KIND, SCORING_LABEL = "funding.scoring", "Grant rounds to score"


def _scorers(
    user_ids: list[int], *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> set[int]:
    """Of `user_ids`, those assigned to score an application in a round open or closed by the window's end
    (scored or not, conflicted or not): nobody else has a round to score."""
    from .models import PanelAssignment, RoundStatus

    assigned = PanelAssignment.objects.filter(
        member_id__in=user_ids,
        application__round__status__in=[RoundStatus.OPEN, RoundStatus.CLOSED],
        application__round__closes_on__lte=today + horizon,
    )
    return set(assigned.values_list("member_id", flat=True).distinct())


@register(SCORING_KIND, SCORING_LABEL, people_with_own=_scorers)
def rounds_to_score(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta, limit: int | None
) -> Due:
    """The grant rounds in which the person is on the scoring panel and has applications still to score
    (due when the round closes to applicants, since scoring starts then)."""
    from django.db.models import Count, Q

    from .models import GrantRound, RoundStatus
    from .selectors import assigned_applications

    rounds = None
    if has_permission(user, "funding.score"):
        to_score = assigned_applications(user=user).exclude(scores__member=user).values("pk")
        rounds = (
            GrantRound.objects.filter(
                status__in=[RoundStatus.OPEN, RoundStatus.CLOSED], closes_on__lte=today + horizon
            )
            .filter(applications__in=to_score)
            .annotate(to_score=Count("applications", filter=Q(applications__in=to_score), distinct=True))
        )
    return due_from(
        rounds,
        kind=SCORING_KIND,
        label=SCORING_LABEL,
        due_field="closes_on",
        overdue_before=datetime.date.min,  # scoring has no deadline recorded, so nothing is overdue
        limit=limit,
        item=lambda grant_round: DueItem(
            title=f"Score {grant_round.to_score} application{'s' if grant_round.to_score != 1 else ''} in "
            f"{grant_round.name}",
            why="You are on this round's scoring panel",
            due=grant_round.closes_on,
            url=reverse("funding:panel-list"),
            uid=f"round-{grant_round.pk}-scoring",
        ),
    )
