"""Reads: the outbox for administrators, the scheduler's runs and heartbeat."""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet

from .models import JobRun, OutboundEmail, SchedulerHeartbeat


def outbox(*, status: str = "") -> QuerySet[OutboundEmail]:
    queryset = OutboundEmail.objects.defer("body")
    return queryset.filter(status=status) if status else queryset


def scheduler_last_seen() -> datetime.datetime | None:
    """When any scheduler last showed it was alive (None if none ever ran): for health checks."""
    value: datetime.datetime | None = SchedulerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    return value


def latest_runs() -> list[JobRun]:
    """Each job's last run, by job name, for the administrators' page."""
    last_ids = JobRun.objects.values("job").annotate(last=Max("id")).values_list("last", flat=True)
    return list(JobRun.objects.filter(id__in=list(last_ids)).order_by("job"))
