"""The daily digest: each person's due and overdue work in one email, at most once a day.

A digest is recorded (`DigestSent`, unique per person and day) in the same transaction that queues its
email, a batch of people at a time, so a second scheduler, or a rerun after a crash half-way through, skips
everyone already done.
The email carries titles, references and links only: no victim's personal data (docs/adr/0020).
"""

from __future__ import annotations

import datetime
import itertools
import logging
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from joinedup.core.models import User
from joinedup.core.site import site_url

from .models import DigestSent
from .services import queue_emails

log = logging.getLogger("joinedup.digest")


def digest_recipients() -> Any:
    return User.objects.filter(is_active=True).exclude(email="").exclude(role="").order_by("pk")


DIGEST_LIMIT = 10  # items of each kind in a digest, as on the staff home page; the rest are counted


def digest_content(user: User, *, day: datetime.date) -> dict[str, Any] | None:
    """What goes in `user`'s digest for `day`, or None when there is nothing to tell them: how many items
    of each kind are due and overdue (counted in the database), and the first ten of each kind, most urgent
    first, so a force-wide practitioner's digest stays readable and takes a fixed number of queries."""
    from joinedup.core.due import due_by_kind

    return _content(due_by_kind(user, today=day, limit=DIGEST_LIMIT), day=day)


def _content(answers: list[Any], *, day: datetime.date) -> dict[str, Any] | None:
    from joinedup.core.due import counts_by_kind, sort_items

    total = sum(answer.count for answer in answers)
    if not total:
        return None
    items = sort_items([item for answer in answers for item in answer.items])
    return {
        "items": items,
        "counts": [row for row in counts_by_kind(answers) if row["count"]],
        "total": total,
        "more": total - len(items),
        "overdue": sum(answer.overdue for answer in answers),
        "day": day,
    }


BATCH = 500  # people read at a time: their areas, preferences and own records in one query each


def digest_contents(
    users: Iterable[User], *, day: datetime.date, now: datetime.datetime | None = None
) -> Iterator[tuple[User, dict[str, Any] | None]]:
    """`digest_content` for many people, each answer exactly the same as theirs alone, but each kind read
    once per group of people who see the same items (`joinedup.core.due.DueForPeople`), so the reads grow
    with the number of groups, not people. People are read in batches of `BATCH`."""
    from joinedup.core.due import DueForPeople

    due = DueForPeople(today=day, now=now or timezone.now(), limit=DIGEST_LIMIT)
    people = iter(users)
    while batch := list(itertools.islice(people, BATCH)):
        for user, answers in zip(batch, due.for_people(batch), strict=True):
            yield user, _content(answers, day=day)


def send_daily_digests(*, day: datetime.date) -> dict[str, int]:
    site = site_url()
    done = set(DigestSent.objects.filter(day=day).values_list("recipient_id", flat=True))
    counts = {"sent": 0, "already": len(done), "empty": 0}
    contents = digest_contents(_wanting_digest(digest_recipients().exclude(pk__in=done)), day=day)
    while batch := list(itertools.islice(contents, BATCH)):
        wanted = [(user, content) for user, content in batch if content is not None]
        counts["empty"] += len(batch) - len(wanted)
        queued = queue_digests(wanted, day=day, site=site)
        counts["sent"] += queued
        counts["already"] += len(wanted) - queued
    return counts


def queue_digests(digests: list[tuple[User, dict[str, Any]]], *, day: datetime.date, site: str) -> int:
    """Record the digests of a batch of people for `day` and queue their emails, in one transaction and a
    few statements whatever the batch's size; returns how many were queued. Anyone whose digest another
    scheduler recorded a moment ago is skipped: the records are inserted ignoring the one-a-day conflict
    and marked with this call's `claim`, and only the records carrying it get an email."""
    if not digests:
        return 0
    bodies = {
        user.pk: render_to_string("notifications/digest_email.txt", {**content, "user": user, "site": site})
        for user, content in digests
    }
    subject = f"Joined Up: your work for {day:%A %-d %B %Y}"
    claim = uuid.uuid4()
    with transaction.atomic():
        DigestSent.objects.bulk_create(
            [DigestSent(recipient=user, day=day, claim=claim) for user, _ in digests], ignore_conflicts=True
        )
        records = {record.recipient_id: record for record in DigestSent.objects.filter(day=day, claim=claim)}
        mine = [user for user, _ in digests if user.pk in records]
        emails = queue_emails(
            [
                {"to": user.email, "subject": subject, "body": bodies[user.pk], "kind": "digest"}
                for user in mine
            ]
        )
        for user, email in zip(mine, emails, strict=True):
            records[user.pk].email = email
        DigestSent.objects.bulk_update(records.values(), ["email"], batch_size=BATCH)
    return len(records)


def _wanting_digest(recipients: Any) -> Iterator[User]:
    """The recipients who have not turned the digest off (`wants_digest`), their preferences read a batch at
    a time."""
    from .models import NotificationPreference

    people = recipients.iterator(chunk_size=BATCH)
    while batch := list(itertools.islice(people, BATCH)):
        off = set(
            NotificationPreference.objects.filter(
                user_id__in=[user.pk for user in batch], daily_digest=False
            ).values_list("user_id", flat=True)
        )
        yield from (user for user in batch if user.pk not in off)


def wants_digest(user: User) -> bool:
    from .preferences import preference_for

    return preference_for(user).daily_digest


def send_due_reminders(*, now: datetime.datetime) -> int:
    """Tell each person once about every item of theirs falling due within 24 hours (in the service, and
    by email unless they turned urgent email off)."""
    from joinedup.core.due import due_items

    from .notify import notify

    told = 0
    for user in digest_recipients().iterator(chunk_size=500):
        for item in due_items(user, now=now, horizon=datetime.timedelta(days=1)):
            if not item.urgent or item.overdue or not item.uid:
                continue
            if notify(
                user,
                kind="due_soon",
                title=f"Due within 24 hours: {item.title}",
                url=item.url,
                key=f"due-{item.uid}",
                urgent=True,
            ):
                told += 1
    return told
