"""The scheduler runs each job once per period under a database lease; a digest never goes twice a day."""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from joinedup.casework.models import Case
from joinedup.core.locks import job_lock
from joinedup.notifications.models import DigestSent, JobRun, OutboundEmail, RunOutcome
from joinedup.notifications.scheduler import TIMETABLE, Job, run_job, tick
from joinedup.notifications.selectors import scheduler_last_seen

DIGEST = next(job for job in TIMETABLE if job.name == "daily_digest")


def at(hour: int, minute: int = 0, days: int = 0) -> datetime.datetime:
    local = timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local + datetime.timedelta(days=days)


def _due_soon(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(
        risk_assessment_due_at=timezone.now() + datetime.timedelta(hours=6)
    )


def test_the_digest_runs_once_a_day_after_its_time_and_records_each_run(
    world: dict[str, Any], case: Case
) -> None:
    _due_soon(case)
    assert run_job(DIGEST, instance="a", now=at(6, 59)) is None  # not yet: it runs from 07:00
    run = run_job(DIGEST, instance="a", now=at(7, 1))
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED and "1 digest(s) queued" in run.summary
    digest = OutboundEmail.objects.get(kind="digest")
    assert digest.to == world["users"]["police"].email
    assert f"Risk assessment for case {case.reference}" in digest.body and "Pat Resident" not in digest.body

    assert run_job(DIGEST, instance="b", now=at(9)) is None  # done for today, whoever asks
    assert run_job(DIGEST, instance="b", now=at(7, 5, days=1)) is not None  # tomorrow's
    assert JobRun.objects.filter(job="daily_digest").count() == 2


def test_a_job_another_scheduler_holds_is_skipped(db: Any) -> None:
    calls = []
    job = Job(
        "test_job", "A test", lambda now: calls.append(now) or "done", every=datetime.timedelta(minutes=5)
    )
    with job_lock("scheduler:test_job", lease=datetime.timedelta(minutes=5)) as lease:
        assert lease is not None
        assert run_job(job, instance="second") is None
    assert calls == []
    assert run_job(job, instance="second") is not None and len(calls) == 1


def test_a_failing_job_is_recorded_with_its_error_and_retried_later(db: Any) -> None:
    def boom(now: datetime.datetime) -> str:
        raise RuntimeError("the mail server is away")

    job = Job("failing", "Fails", boom, every=datetime.timedelta(hours=1))
    now = timezone.now()
    run = run_job(job, instance="a", now=now)
    assert run is not None and run.outcome == RunOutcome.FAILED
    assert "the mail server is away" in run.summary and "RuntimeError" in run.error
    assert run_job(job, instance="a", now=now + datetime.timedelta(minutes=1)) is None  # not in a hot loop
    assert run_job(job, instance="a", now=now + datetime.timedelta(minutes=6)) is not None


def test_each_pass_records_a_heartbeat(db: Any) -> None:
    assert scheduler_last_seen() is None
    now = timezone.now()
    tick(instance="host:1", now=now, jobs=[])
    assert scheduler_last_seen() == now


def test_a_digest_interrupted_half_way_sends_the_rest_and_nobody_twice(
    world: dict[str, Any], case: Case
) -> None:
    from joinedup.notifications.digest import send_daily_digests

    _due_soon(case)
    day = timezone.localdate()
    first = send_daily_digests(day=day)
    again = send_daily_digests(day=day)  # a second scheduler, or a rerun after a crash
    assert first["sent"] == 1 and again["sent"] == 0 and again["already"] == 1
    assert OutboundEmail.objects.filter(kind="digest").count() == 1


def test_a_batch_skips_whoever_another_scheduler_recorded_meanwhile(
    world: dict[str, Any], case: Case
) -> None:
    """Digests are recorded a batch at a time: someone whose digest another scheduler recorded between this
    run's reading of who is done and its insert gets no second email, and the rest of the batch still do."""
    from joinedup.notifications.digest import digest_content, queue_digests
    from joinedup.notifications.services import queue_email

    _due_soon(case)
    day = timezone.localdate()
    police, council = world["users"]["police"], world["users"]["council"]
    content = digest_content(police, day=day)
    assert content is not None
    theirs = queue_email(
        to=police.email, subject="Joined Up: your work", body="sent by the other", kind="digest"
    )
    DigestSent.objects.create(recipient=police, day=day, email=theirs)

    assert queue_digests([(police, content), (council, content)], day=day, site="https://example.org") == 1
    assert list(OutboundEmail.objects.filter(to=police.email).values_list("body", flat=True)) == [
        "sent by the other"
    ]
    mine = OutboundEmail.objects.get(to=council.email, kind="digest")
    assert f"Risk assessment for case {case.reference}" in mine.body
    assert DigestSent.objects.get(recipient=council, day=day).email == mine
    assert DigestSent.objects.get(recipient=police, day=day).email == theirs


def test_someone_who_turned_the_digest_off_gets_none(world: dict[str, Any], case: Case) -> None:
    from joinedup.notifications.digest import send_daily_digests
    from joinedup.notifications.notify import save_preferences

    _due_soon(case)
    save_preferences(user=world["users"]["police"], immediate_email=True, daily_digest=False)
    assert send_daily_digests(day=timezone.localdate())["sent"] == 0
    assert not DigestSent.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite runs one writer")
def test_two_schedulers_at_once_send_one_digest(world: dict[str, Any], case: Case) -> None:
    _due_soon(case)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = tick(instance=f"scheduler-{index}", now=at(7, 1), jobs=[DIGEST])
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Counter(len(r) for r in results) == Counter({1: 1, 0: 1})  # one ran it, one found it held or done
    assert OutboundEmail.objects.filter(kind="digest").count() == 1


def test_an_item_due_within_24_hours_is_reminded_once(world: dict[str, Any], case: Case) -> None:
    from joinedup.notifications.digest import send_due_reminders
    from joinedup.notifications.models import Notification

    _due_soon(case)
    assert send_due_reminders(now=timezone.now()) == 1
    assert send_due_reminders(now=timezone.now()) == 0  # once
    reminder = Notification.objects.get(kind="due_soon")
    assert reminder.recipient == world["users"]["police"] and case.reference in reminder.title


def test_a_long_digest_lists_ten_of_a_kind_and_counts_the_rest(world: dict[str, Any], case: Case) -> None:
    """A force-wide practitioner with many cases gets a readable digest: how many of each kind are due
    and overdue, the ten most urgent of each kind, and how many more are on their work page."""
    from joinedup.casework.services import record_incident
    from joinedup.casework.tests.conftest import incident_data
    from joinedup.notifications.digest import send_daily_digests

    police = world["users"]["police"]
    cases = [case] + [record_incident(actor=police, data=incident_data(world)).case for _ in range(11)]
    assert len({c.pk for c in cases}) == 12
    now = timezone.now()
    for n, each in enumerate(cases):  # three overdue, nine due within hours
        due = now - datetime.timedelta(hours=n + 1) if n < 3 else now + datetime.timedelta(hours=n)
        Case.objects.filter(pk=each.pk).update(risk_assessment_due_at=due)
    assert send_daily_digests(day=timezone.localdate())["sent"] == 1
    body = OutboundEmail.objects.get(kind="digest", to=police.email).body
    assert "Risk assessments: 12 (3 overdue)" in body
    listed = [c.reference for c in cases if f"Risk assessment for case {c.reference}\n" in body]
    assert len(listed) == 10 and {c.reference for c in cases[:3]} <= set(listed)  # the overdue first
    assert "And 2 more, listed on your work page." in body and "/staff/your-work/" in body
