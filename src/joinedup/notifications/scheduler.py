"""The scheduler: periodic jobs on a declared timetable, one acting instance per job at a time.

`joinedup scheduler` calls `tick()` every few seconds. A job that is due is run under a database lease
(`joinedup.core.locks.job_lock`), so two schedulers never run it at once; each run is a `JobRun` row
(started, finished, outcome, summary or error) and each tick updates the instance's `SchedulerHeartbeat`
(`selectors.scheduler_last_seen()` for health checks). See docs/adr/0021.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from joinedup.core.locks import job_lock

from .models import JobRun, RunOutcome, SchedulerHeartbeat

log = logging.getLogger("joinedup.scheduler")

# After a failed run, wait this long before trying the job again.
RETRY_FAILED_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: Callable[[datetime.datetime], str]  # does the work, returns a one-line summary
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None  # local time (settings.TIME_ZONE)
    lease: datetime.timedelta = datetime.timedelta(minutes=15)

    def period_start(self, now: datetime.datetime) -> datetime.datetime | None:
        """The start of the period `now` is in (a run since then means the job is done for it); None for a
        daily job before today's time (a day missed while no scheduler ran is not caught up early)."""
        if self.daily_at is not None:
            local = timezone.localtime(now)
            today = local.replace(
                hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
            )
            return today if local >= today else None
        assert self.every is not None
        return now - self.every

    def is_due(self, now: datetime.datetime) -> bool:
        start = self.period_start(now)
        if start is None:
            return False
        runs = JobRun.objects.filter(job=self.name)
        if runs.filter(outcome=RunOutcome.SUCCEEDED, started_at__gte=start).exists():
            return False
        return not runs.filter(
            started_at__gt=now - min(RETRY_FAILED_AFTER, self.every or RETRY_FAILED_AFTER)
        ).exists()


# The timetable: each job is declared on the function that does its work (`@_job`), in the order a tick
# runs them; the job's name is the function's without its leading underscore.
TIMETABLE: list[Job] = []


def _minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def _job(
    description: str,
    *,
    every: datetime.timedelta | None = None,
    daily_at: datetime.time | None = None,
    lease: datetime.timedelta = Job.lease,
) -> Callable[[Callable[[datetime.datetime], str]], Callable[[datetime.datetime], str]]:
    def declare(run: Callable[[datetime.datetime], str]) -> Callable[[datetime.datetime], str]:
        TIMETABLE.append(
            Job(run.__name__.lstrip("_"), description, run, every=every, daily_at=daily_at, lease=lease)
        )
        return run

    return declare


@_job("Hand queued email to the worker; retry stalled sends", every=_minutes(1), lease=_minutes(5))
def _send_due_email(now: datetime.datetime) -> str:
    from .services import send_due_email

    result = send_due_email(now=now)
    return f"{result['handed_to_worker']} message(s) handed to the worker, {result['stalled']} stalled"


@_job("Remind people of their items due within 24 hours (once each)", every=_minutes(60))
def _due_reminders(now: datetime.datetime) -> str:
    from .digest import send_due_reminders

    return f"{send_due_reminders(now=now)} reminder(s) of items due within 24 hours"


@_job("Email each person their daily digest (once a day)", daily_at=datetime.time(7, 0), lease=_minutes(30))
def _daily_digest(now: datetime.datetime) -> str:
    from .digest import send_daily_digests

    result = send_daily_digests(day=timezone.localdate(now))
    return f"{result['sent']} digest(s) queued, {result['already']} already sent today, {result['empty']} with nothing due"


@_job(
    "Email grant holders about monitoring returns due within 7 days or overdue (once each)",
    daily_at=datetime.time(7, 30),
    lease=_minutes(30),
)
def _monitoring_return_reminders(now: datetime.datetime) -> str:
    from joinedup.funding.monitoring.services import send_return_reminders

    sent = send_return_reminders(today=timezone.localdate(now))
    return (
        f"{sent['due_soon']} reminder(s) of monitoring returns due within 7 days, "
        f"{sent['overdue']} of overdue ones, emailed to grant holders"
    )


@_job("Anonymise closed cases past the retention period", daily_at=datetime.time(2, 30), lease=_minutes(60))
def _casework_retention(now: datetime.datetime) -> str:
    from joinedup.casework.retention.services import anonymise_closed_cases

    result = anonymise_closed_cases(now=now)
    return f"{result.cases} closed case(s) anonymised"


@_job(
    "Remove uploaded police data files past the retention period (docs/adr/0023)",
    daily_at=datetime.time(3, 0),
    lease=_minutes(60),
)
def _upload_retention(now: datetime.datetime) -> str:
    from joinedup.core.backup import remove_expired_uploads

    removed = remove_expired_uploads(now=now)
    return f"{len(removed)} uploaded police data folder(s) past the retention period removed"


@_job(
    "Recompute performance indicators when a period ends or new police data has been imported (docs/adr/0029)",
    every=_minutes(15),
    lease=_minutes(30),
)
def _performance_recompute(now: datetime.datetime) -> str:
    from joinedup.performance.services import recompute_stale

    result = recompute_stale(today=timezone.localdate(now))
    if result is None:
        return "no period ended and police data unchanged: no indicator to recompute"
    return (
        f"{result.indicators} indicator(s) recomputed after a period ended or new police data, "
        f"{result.written} value(s) changed"
    )


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat(instance: str, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    SchedulerHeartbeat.objects.update_or_create(instance=instance, defaults={"last_seen": now})


def run_job(job: Job, *, instance: str, now: datetime.datetime | None = None) -> JobRun | None:
    """Run `job` if it is due and no other scheduler holds it; None when it was not run."""
    now = now or timezone.now()
    if not job.is_due(now):
        return None
    with job_lock(f"scheduler:{job.name}", lease=job.lease) as lease:
        if lease is None:
            log.info("%s: another scheduler is running it", job.name)
            return None
        if not job.is_due(now):  # finished by another instance between our check and the lease
            return None
        run = JobRun.objects.create(job=job.name, started_at=now, instance=instance)
        try:
            summary = job.run(now)
        except Exception as exc:
            run.outcome = RunOutcome.FAILED
            run.summary = f"{type(exc).__name__}: {exc}"[:500]
            run.error = traceback.format_exc()[-4000:]
            log.exception("%s failed", job.name)
        else:
            run.outcome = RunOutcome.SUCCEEDED
            run.summary = summary[:500]
            log.info("%s: %s", job.name, summary)
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "summary", "error", "finished_at"])
        return run


def tick(
    *, instance: str, now: datetime.datetime | None = None, jobs: list[Job] | None = None
) -> list[JobRun]:
    """One pass over the timetable: record a heartbeat and run whatever is due."""
    now = now or timezone.now()
    beat(instance, now)
    runs = []
    for job in jobs if jobs is not None else TIMETABLE:
        run = run_job(job, instance=instance, now=now)
        if run is not None:
            runs.append(run)
    return runs
