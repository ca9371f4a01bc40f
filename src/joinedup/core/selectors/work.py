"""Whether background work is being done: the task workers' heartbeats and work waiting for them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from joinedup.core.models import WorkerHeartbeat

# Staff pages warn when no worker has been seen for this long.
WORKER_MISSING_AFTER = timedelta(minutes=3)
# ... or when work has waited this long for one.
WAITING_TOO_LONG = timedelta(minutes=2)


def worker_last_seen() -> datetime | None:
    """When a task worker last recorded its heartbeat (any worker still running), or None if none ever
    has. `/readyz` and the staff pages read this."""
    seen: datetime | None = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).aggregate(
        seen=Max("last_seen")
    )["seen"]
    return seen


def worker_missing(*, now: datetime | None = None) -> bool:
    """True when no running worker has been heard from for `WORKER_MISSING_AFTER`."""
    seen = worker_last_seen()
    return seen is None or seen < (now or timezone.now()) - WORKER_MISSING_AFTER


def work_waiting_since() -> datetime | None:
    """When the oldest task still waiting for a worker was queued (None if nothing waits)."""
    from django_tasks_db.models import DBTaskResult

    first: datetime | None = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    return first


def worker_warning(*, now: datetime | None = None, import_page: bool = False) -> str:
    """The warning the staff pages show about background work ("" when all is well): work is waiting and
    no worker has been seen for some minutes; on an import page, no worker has been seen at all."""
    now = now or timezone.now()
    waiting = work_waiting_since()
    if not worker_missing(now=now):
        if waiting is not None and waiting < now - timedelta(minutes=15):
            return (
                "Some queued work has waited more than 15 minutes for the task worker, which is busy. "
                "It will run in turn."
            )
        return ""
    seen = worker_last_seen()
    when = f"since {timezone.localtime(seen):%d %b %Y %H:%M}" if seen is not None else "yet"
    if waiting is not None and waiting < now - WAITING_TOO_LONG:
        return (
            f"No task worker has been seen {when}, so queued imports and other background work are "
            "waiting and will not start. Start it with `joinedup worker`, or tell your administrator."
        )
    if import_page:
        return (
            f"No task worker has been seen {when}: a large import will wait as queued until one starts. "
            "Start it with `joinedup worker`, or tell your administrator."
        )
    return ""
