"""Audit signal handlers: sign-in events go to the event log."""
