"""Errors a service raises that pages, the API and the CLI each turn into their own answer."""

from __future__ import annotations


class ConflictError(Exception):
    """Someone else saved the record after this person loaded it (HTTP 409)."""

    def __init__(self, message: str = "", *, current_version: int | None = None) -> None:
        self.current_version = current_version
        super().__init__(
            message
            or "Someone else changed this record while you were editing it. "
            "Your changes have not been saved: reload the page to see their changes, then make yours again."
        )


class NotAllowed(Exception):
    """The user may not do this. Shown as 'not found' outside, so existence does not leak."""
