"""What falls due in funding, for "Your work" (joinedup.core.due): monitoring returns not yet
received and returns submitted by their grant holders for the office to review, for the officers who manage
grants in the force area; and grant rounds to score, for the panel."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from joinedup.core.due import Due, DueItem, Rows, Window, due_from_items, register, register_rows
from joinedup.core.models import User
from joinedup.core.permissions import has_permission

from .models import GrantRound, MonitoringReturn, RoundStatus
from .monitoring.selectors import returns_to_review
from .selectors import assigned_applications, list_awards


@register_rows(
    "funding.monitoring_return",
    "Grant monitoring returns",
    due_field="due_on",
    permission="funding.manage",
    same_for_group=True,
)
def monitoring_returns(user: User, when: Window) -> Rows | None:
    """Returns the grant holder has still to send: due, or sent back for changes (which clears the date it
    was received, so it is due again); a submitted return waiting for the office is the next kind's."""
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


# The office answers a submitted return within two weeks of receiving it (ten working days in a week
# without a bank holiday): long enough to read it, short enough that the grant holder is not left waiting.
REVIEW_WITHIN = datetime.timedelta(days=14)


@register("funding.monitoring_return_review", "Grant monitoring returns to review", same_for_group=True)
def monitoring_returns_to_review(
    user: User,
    *,
    today: datetime.date,
    now: datetime.datetime,
    horizon: datetime.timedelta,
    limit: int | None,
) -> Due:
    """Returns a grant holder has submitted, waiting for the office to accept them or ask for changes:
    due `REVIEW_WITHIN` after the day they were submitted, for the officers who manage the grant (those who
    may review it). Dated by submission, so the oldest comes first and one left too long is overdue.
    Waiting returns are few (a force's grants report a few times a year), so those falling due in the window
    are read in one query and their due dates worked out here."""
    kind, label = "funding.monitoring_return_review", "Grant monitoring returns to review"
    if not has_permission(user, "funding.manage"):
        return Due(kind, label)
    items = []
    for row in returns_to_review(user=user).filter(submitted_on__lte=today + horizon - REVIEW_WITHIN):
        submitted = row.submitted_on or today  # always set on a submitted return
        due = submitted + REVIEW_WITHIN
        items.append(
            DueItem(
                title=f"Monitoring return from {row.award.recipient_name} to review ({row.award.title})",
                why=f"Submitted on {submitted:%-d %B %Y}, for a grant your office manages",
                due=due,
                url=reverse("funding:monitoring-return-review", args=[row.pk]),
                overdue=due < today,
                uid=f"monitoring-return-{row.pk}-review",
            )
        )
    return due_from_items(kind, label, items, limit)


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
def rounds_to_score(user: User, when: Window) -> Rows | None:
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
