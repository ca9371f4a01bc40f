"""Django's LOGGING for a format and level (no Django imports: the settings module calls it).

The filter (joinedup.core.logging.RequestContextFilter) adds the request id and user id to every record.
"""

from __future__ import annotations

from typing import Any

JSON_FORMAT = "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING for the chosen format ("json" or "text") and level."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "joinedup.core.logging.RequestContextFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FORMAT,
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            },
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "text",
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            # axes' own messages name the account (an email address): Joined Up logs sign-in by user id.
            "axes": {"level": "ERROR"},
            "django.db.backends": {"level": "INFO"},
        },
    }
