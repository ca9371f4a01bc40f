"""Logs: one JSON object a line in production (time, level, logger, message, request id, user id).

Never log names, email addresses or the query strings of searches (a search for a person's name
travels in one): log record ids and counts. The request log (`joinedup.request`, written by
core.middleware.RequestContextMiddleware) records the method, the path without its query string, the
status and the time taken. `JOINEDUP_LOG_FORMAT` chooses json or text; `JOINEDUP_LOG_LEVEL` the level (joinedup.config.logconfig).
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.functional import empty


def request_user_id(request: Any) -> int | None:
    """The signed-in user's id, without ever loading the user just to log it."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or wrapped is None:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


# URL parts that are secrets (private links, calendar feeds, set-password and verification links): logs
# show where they sit, never what they are.
SECRET_URL_KWARGS = frozenset({"token", "key", "uidb64"})
REDACTED = "[secret]"


def logged_path(request: Any) -> str:
    """The request's path for a log line, with any secret URL part replaced."""
    path = str(request.path)
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match is not None else ():
        if name in SECRET_URL_KWARGS and value:
            path = path.replace(str(value), REDACTED)
    return path


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` (None outside a request: the worker, commands) to every record, and
    takes the secrets out of the path Django's own request log names ("Not Found: /calendar/…")."""

    def filter(self, record: logging.LogRecord) -> bool:
        from joinedup.core.audit import current_request

        logged_request = getattr(record, "request", None)
        if logged_request is not None and hasattr(logged_request, "path"):
            safe = logged_path(logged_request)
            if safe != logged_request.path:
                record.msg = record.getMessage().replace(logged_request.path, safe)
                record.args = ()
            record.request = safe

        request = current_request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) if request is not None else None
        if not hasattr(record, "user_id"):
            record.user_id = request_user_id(request) if request is not None else None
        return True
