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


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` (None outside a request: the worker, commands) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        from joinedup.core.audit import current_request

        request = current_request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) if request is not None else None
        if not hasattr(record, "user_id"):
            record.user_id = request_user_id(request) if request is not None else None
        return True
