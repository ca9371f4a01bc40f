"""Background tasks for funding (django-tasks; `joinedup worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_applicant_password_reset(email: str, site_url: str, language: str = "") -> str:
    """Email a grant applicant's password reset link, if `email` has an account, in `language` (the page's
    that asked). Run by the worker, so the page that asked answers in the same time whether or not it
    does."""
    from .applicants.services import send_password_reset_email

    sent = send_password_reset_email(email=email, site_url=site_url, language=language)
    return "sent" if sent else "no such account"
