"""Background tasks (django-tasks; `joinedup worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_email(message_id: int) -> str:
    """Send one message from the outbox (retries are scheduled by the service, with back-off)."""
    from .services import deliver

    return deliver(message_id)
