"""What falls due in funding, for "Your work" (joinedup.core.due): monitoring returns not yet
received, for the officers who manage grants in the force area."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from joinedup.core.due import DueItem, Rows, Window, register_rows

from .models import GrantRound, MonitoringReturn, RoundStatus
from .selectors import assigned_applications, list_awards


@register_rows(
    "funding.monitoring_return",
    "Grant monitoring returns",
    due_field="due_on",
    permission="funding.manage",
    same_for_group=True,
)
def monitoring_returns(user: Any, when: Window) -> Rows | None:
    returns = MonitoringReturn.objects.filter(
        award__in=list_awards(user=user), submitted_on__isnull=True, due_on__lte=when.until
    ).select_related("award")
    return returns, lambda row: DueItem(
        title=f"Monitoring return from {row.award.recipient_name} ({row.award.title})",
        why="A grant your office manages",
        due=row.due_on,
        url=reverse("funding:award-detail", args=[row.award_id]),
        uid=f"monitoring-return-{row.pk}",
    )


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


# Scoring has no deadline recorded, so nothing is overdue.
@register_rows(
    "funding.scoring",
    "Grant rounds to score",
    due_field="closes_on",
    overdue_from="never",
    permission="funding.score",
    people_with_own=_scorers,
)
def rounds_to_score(user: Any, when: Window) -> Rows | None:
    """The grant rounds in which the person is on the scoring panel and has applications still to score
    (due when the round closes to applicants, since scoring starts then)."""
    to_score = assigned_applications(user=user).exclude(scores__member=user).values("pk")
    rounds = (
        GrantRound.objects.filter(
            status__in=[RoundStatus.OPEN, RoundStatus.CLOSED], closes_on__lte=when.until
        )
        .filter(applications__in=to_score)
        .annotate(to_score=Count("applications", filter=Q(applications__in=to_score), distinct=True))
    )
    return rounds, lambda grant_round: DueItem(
        title=f"Score {grant_round.to_score} application{'s' if grant_round.to_score != 1 else ''} in "
        f"{grant_round.name}",
        why="You are on this round's scoring panel",
        due=grant_round.closes_on,
        url=reverse("funding:panel-list"),
        uid=f"round-{grant_round.pk}-scoring",
    )
