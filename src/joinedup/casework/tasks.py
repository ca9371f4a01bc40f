"""Background tasks for casework (django-tasks; `joinedup worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def anonymise_closed_cases() -> str:
    """The retention rule: anonymise closed cases past the retention period (see casework/retention.py).

    Enqueue it daily (`anonymise_closed_cases.enqueue()`), or call `joinedup casework retention` from cron."""
    from .retention import anonymise_closed_cases as run

    return run().summary()
