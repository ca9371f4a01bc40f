"""Leases on named work, held in the database so they hold across processes and servers.

    with job_lock("retention", lease=timedelta(minutes=10)) as lease:
        if lease is None:
            return  # another process holds it
        for batch in batches:
            ...
            lease.renew()  # long work keeps its lease; False means it was lost

Acquiring takes the row only if it is free (absent, or its lease has expired), by one conditional UPDATE or
one INSERT, so two processes cannot both succeed on SQLite or PostgreSQL. A holder that dies blocks others
only until its lease runs out. Call these outside a transaction (`transaction.atomic`), so that the
lease is visible to other processes at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.core.models import JobLock

DEFAULT_LEASE = timedelta(minutes=10)


@dataclass
class Lease:
    name: str
    holder: str
    lease: timedelta
    expires_at: datetime

    def renew(self) -> bool:
        """Extend the lease from now. False if it has been lost (it expired and another took it)."""
        expires = timezone.now() + self.lease
        renewed = JobLock.objects.filter(name=self.name, holder=self.holder).update(expires_at=expires)
        if renewed:
            self.expires_at = expires
        return bool(renewed)

    def release(self) -> None:
        JobLock.objects.filter(name=self.name, holder=self.holder).delete()

    @property
    def held(self) -> bool:
        return JobLock.objects.filter(
            name=self.name, holder=self.holder, expires_at__gt=timezone.now()
        ).exists()


def acquire(name: str, *, lease: timedelta = DEFAULT_LEASE) -> Lease | None:
    """Take the lease on `name`, or None if another holder's lease has not expired."""
    if lease <= timedelta(0):
        raise ValueError("A lease must last some time.")
    now = timezone.now()
    holder = secrets.token_hex(16)
    expires = now + lease
    taken = JobLock.objects.filter(name=name, expires_at__lte=now).update(
        holder=holder, acquired_at=now, expires_at=expires
    )
    if not taken:
        try:
            with transaction.atomic():
                JobLock.objects.create(name=name, holder=holder, acquired_at=now, expires_at=expires)
        except IntegrityError:
            return None
    return Lease(name=name, holder=holder, lease=lease, expires_at=expires)


@contextmanager
def job_lock(name: str, *, lease: timedelta = DEFAULT_LEASE) -> Iterator[Lease | None]:
    """Hold the lease on `name` for the block (None when another holds it); released on leaving."""
    taken = acquire(name, lease=lease)
    try:
        yield taken
    finally:
        if taken is not None:
            taken.release()


def holder_of(name: str) -> JobLock | None:
    """The current, unexpired lease on `name`, for status pages."""
    return JobLock.objects.filter(name=name, expires_at__gt=timezone.now()).first()
