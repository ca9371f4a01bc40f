"""The language of an email to a grant applicant or grant holder, shared by the applicant journey and the
monitoring returns' reminders and decisions (docs/adr/0033).

The outbox keeps a message's text as written, so it is written in the applicant's language when queued.
One that answers something done on a page (registering, asking for a reset link, submitting) is in that
page's language; one sent later (a decision, a reminder) in the language the applicant last used, kept on
their account.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def email_language(language: str = "") -> str:
    """`language` if the site offers it, else the active one (the page's), else the site's default."""
    offered = dict(settings.LANGUAGES)
    for candidate in (language, translation.get_language() or ""):
        if candidate in offered:
            return candidate
    return str(settings.LANGUAGE_CODE)
