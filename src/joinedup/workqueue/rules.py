"""Permission rules for "Your work": everyone signed in has their own list."""

from __future__ import annotations

from joinedup.core.permissions import ALL_ROLES, register

WORK_VIEW = register(
    "workqueue.view",
    roles=ALL_ROLES,
    description="See your own work: what is due and overdue that you are responsible for, with links.",
)
