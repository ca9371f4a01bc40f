"""Recovering work whose task worker died (ADR 0015).

Each `joinedup worker` records a heartbeat (core.models.WorkerHeartbeat) every few seconds. A task the
database backend shows as running belongs to the last worker that claimed it; when that worker's heartbeat
is older than `WORKER_LEASE`, or it ran on this machine and its process is gone, the task is abandoned:
`recover_abandoned_work` marks it failed with that reason and calls what its app registered for it
(`on_abandoned`), which fails the import the task was running and removes its staging folder. Apps also
register `cleaners`, run on the same round, that remove staging left behind by work no longer running.
Workers run the round when they start and every `RECOVERY_SECONDS`; one round at a time (a database lock).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.core.models import ImportJob, ImportJobStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
RECOVERY_SECONDS = 60
# A worker not heard from for this long has died (six missed heartbeats: a loaded machine may miss a few).
WORKER_LEASE = timedelta(seconds=60)

AbandonedHandler = Callable[[list[Any], dict[str, Any], str], None]
_ON_ABANDONED: dict[str, AbandonedHandler] = {}
_CLEANERS: list[Callable[[], None]] = []


class WorkerStopped(Exception):
    """Recorded as a task's failure when the worker running it died."""


def on_abandoned(task_path: str) -> Callable[[AbandonedHandler], AbandonedHandler]:
    """Register what to do when a task of `task_path` (module.function) is found abandoned: the handler
    gets the task's args, kwargs and the reason, and records the failure on its own records."""

    def register(handler: AbandonedHandler) -> AbandonedHandler:
        _ON_ABANDONED[task_path] = handler
        return handler

    return register


def cleaner(function: Callable[[], None]) -> Callable[[], None]:
    """Register a clean-up run on every recovery round (staging left by work that is no longer running)."""
    if function not in _CLEANERS:
        _CLEANERS.append(function)
    return function


# --- heartbeats ------------------------------------------------------------------------------------------


def beat(*, worker_id: str) -> None:
    """Record that the worker `worker_id` (this process) is alive."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now, stopped_at=None)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid(), last_seen=now
        )


def stopped(*, worker_id: str) -> None:
    """Record that the worker stopped cleanly."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_gone(heartbeat: WorkerHeartbeat, *, now: Any = None) -> str:
    """Why the worker of `heartbeat` is no longer running ("" if it may be)."""
    now = now or timezone.now()
    seen = timezone.localtime(heartbeat.last_seen).strftime("%d %b %Y %H:%M:%S")
    if heartbeat.stopped_at is not None:
        return f"its task worker stopped (last seen {seen})"
    if heartbeat.hostname == socket.gethostname() and not _process_alive(heartbeat.pid):
        return f"its task worker's process ({heartbeat.pid}) ended (last seen {seen})"
    if heartbeat.last_seen < now - WORKER_LEASE:
        return f"its task worker has not been heard from since {seen}"
    return ""


# --- recovery --------------------------------------------------------------------------------------------


def recover_abandoned_work(*, current_worker: str = "") -> list[str]:
    """Fail every running task whose worker has died, with the reason, and let its app fail the import it
    ran and remove its staging; then run the registered clean-ups. Returns a line per task recovered.
    `current_worker` is the calling worker (its own task is never abandoned). Does nothing when another
    process is already doing this."""
    from django.utils.module_loading import autodiscover_modules
    from django_tasks_db.models import DBTaskResult

    from joinedup.core.locks import job_lock

    autodiscover_modules("tasks")  # each app's tasks module registers its handlers
    recovered: list[str] = []
    with job_lock("tasks.recover-abandoned", lease=timedelta(minutes=5)) as lease:
        if lease is None:
            return recovered
        now = timezone.now()
        heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.all()}
        for task in DBTaskResult.objects.filter(status="RUNNING"):
            worker = (task.worker_ids or [""])[-1]
            if worker and worker == current_worker:
                continue
            heartbeat = heartbeats.get(worker)
            if heartbeat is None:
                continue  # not a `joinedup worker` (e.g. `manage db_worker`): it cannot be told dead
            gone = worker_gone(heartbeat, now=now)
            if not gone:
                continue
            reason = f"Stopped before it finished: {gone}. Nothing it had started was kept."
            # Conditional, so a task that finished meanwhile is left as it finished.
            failed = DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
                traceback=f"{WorkerStopped.__qualname__}: {reason}\n",
                return_value=None,
            )
            if not failed:
                continue
            handler = _ON_ABANDONED.get(task.task_path)
            args = (task.args_kwargs or {}).get("args", [])
            kwargs = (task.args_kwargs or {}).get("kwargs", {})
            if handler is not None:
                try:
                    handler(list(args), dict(kwargs), reason)
                except Exception:  # one app's failure must not stop the others' recovery
                    logger.exception("Recovering task %s failed", task.pk)
            recovered.append(f"{task.task_path} ({task.pk}): {reason}")
            logger.warning("Recovered task %s %s: %s", task.task_path, task.pk, reason)
        _fail_orphaned_import_jobs()
        for clean in list(_CLEANERS):
            try:
                clean()
            except Exception:
                logger.exception("Clean-up %s failed", getattr(clean, "__name__", clean))
    return recovered


def _fail_orphaned_import_jobs() -> None:
    """Import jobs still shown as queued or running whose task has failed (or vanished)."""
    from django_tasks_db.models import DBTaskResult

    for job in ImportJob.objects.filter(status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]):
        if not job.task_id:
            continue
        task = DBTaskResult.objects.filter(pk=job.task_id).first()
        if task is None or task.status == "FAILED":
            fail_import_job(job.pk, "Stopped before it finished: its task was lost. Nothing was imported.")


def fail_import_job(job_id: int, reason: str) -> None:
    """Record an import job as failed with `reason`, and drop the file it held."""
    ImportJob.objects.filter(pk=job_id, status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]).update(
        status=ImportJobStatus.FAILED,
        error=reason,
        stage="Failed: nothing was imported",
        data="",
        finished_at=timezone.now(),
    )
