"""Leases on named work: one holder at a time, a dead holder's lease runs out, a lost lease is noticed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from joinedup.core.locks import acquire, holder_of, job_lock
from joinedup.core.models import JobLock


@pytest.mark.django_db
def test_a_second_taker_is_refused_until_the_first_releases() -> None:
    with job_lock("retention") as first:
        assert first is not None and first.held
        with job_lock("retention") as second:
            assert second is None
        assert holder_of("retention") is not None
        with job_lock("digest") as other:
            assert other is not None, "a different name is a different lease"
    assert holder_of("retention") is None
    with job_lock("retention") as again:
        assert again is not None


def _age(name: str, by: timedelta) -> None:
    """Move a lease's times into the past, as if `by` had gone by since it was taken or renewed."""
    row = JobLock.objects.get(name=name)
    JobLock.objects.filter(name=name).update(acquired_at=row.acquired_at - by, expires_at=row.expires_at - by)


@pytest.mark.django_db
def test_a_holder_that_died_blocks_only_until_its_lease_runs_out() -> None:
    dead = acquire("retention", lease=timedelta(minutes=5))  # never released, as if its process was killed
    assert dead is not None
    _age("retention", timedelta(minutes=4))
    assert acquire("retention") is None, "a minute of the lease is left"
    _age("retention", timedelta(minutes=2))
    taken = acquire("retention")
    assert taken is not None
    assert not dead.renew(), "the dead holder's renewal must fail once another has taken the lease"
    assert not dead.held and taken.held
    dead.release()
    assert taken.held, "a late release by the old holder must not free the new holder's lease"
    assert JobLock.objects.count() == 1


@pytest.mark.django_db
def test_renewing_keeps_a_long_run_from_being_taken() -> None:
    lease = acquire("import", lease=timedelta(minutes=5))
    assert lease is not None
    _age("import", timedelta(minutes=4))
    assert lease.renew()
    _age("import", timedelta(minutes=4))
    assert acquire("import") is None, "renewed at minute 4, the lease lasts until minute 9"
    _age("import", timedelta(minutes=2))
    assert acquire("import") is not None


def test_a_lease_must_last_some_time() -> None:
    with pytest.raises(ValueError):
        acquire("x", lease=timedelta(0))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite runs one writer")
@pytest.mark.parametrize("expired_row", [False, True], ids=["no row", "expired row"])
def test_sixteen_processes_at_once_get_one_lease(expired_row: bool) -> None:
    if expired_row:
        stale = timezone.now() - timedelta(minutes=1)
        JobLock.objects.create(name="digest", holder="dead", acquired_at=stale, expires_at=stale)
    barrier = threading.Barrier(16)
    won: list[bool] = [False] * 16

    def take(index: int) -> None:
        try:
            barrier.wait()
            won[index] = acquire("digest") is not None
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(won) == 1
