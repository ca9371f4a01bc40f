"""Permission rules: everyone has their own notifications; administrators see the scheduler and outbox."""

from __future__ import annotations

from joinedup.core.permissions import ALL_ROLES, register
from joinedup.core.roles import Role

NOTIFICATIONS_VIEW = register(
    "notifications.view",
    roles=ALL_ROLES,
    description="See your own notifications, mark them read and choose which emails you get.",
)
SCHEDULER_VIEW = register(
    "notifications.scheduler",
    roles=(Role.OPCC_ADMIN,),
    description="See the scheduler's runs (with failures) and the email outbox's status (never message bodies).",
)
