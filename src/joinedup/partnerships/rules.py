"""Permission rules for the partnership register, including one rule per lifecycle transition."""

from __future__ import annotations

from joinedup.core.permissions import ALL_ROLES, register
from joinedup.core.roles import Role

from .lifecycle import TRANSITIONS

OPCC = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)

PARTNERSHIPS_VIEW = register(
    "partnerships.view",
    roles=ALL_ROLES,
    description="Read the partnership register: members, risks, assessments and history.",
)
PARTNERSHIPS_EXPORT = register(
    "partnerships.export", roles=ALL_ROLES, description="Download the partnership register as CSV."
)
PARTNERSHIPS_PROPOSE = register(
    "partnerships.propose", roles=OPCC, description="Propose a new partnership for the register."
)
PARTNERSHIPS_CHANGE = register(
    "partnerships.change",
    roles=OPCC,
    description="Edit a partnership: its details, objectives, members and contributions, risks and declarations.",
)
PARTNERSHIPS_ASSESS = register(
    "partnerships.assess",
    roles=OPCC,
    description="Complete the business-case assessment of a proposed partnership.",
)
PARTNERSHIPS_REVIEW = register(
    "partnerships.review",
    roles=(Role.OPCC_ADMIN,),
    description="Complete a review: evidence of added value, costs, benefits, the decision and follow-up actions.",
)
PARTNERSHIPS_IMPORT = register(
    "partnerships.import",
    roles=(Role.OPCC_ADMIN,),
    description="Import an existing partnership register from a CSV spreadsheet (all rows or none).",
)
PARTNERSHIPS_TRANSITION = register(
    "partnerships.transition",
    roles=OPCC,
    description="Move a partnership through its lifecycle (each step has its own rule below).",
)
for _transition in TRANSITIONS.values():
    register(_transition.action, roles=_transition.roles, description=_transition.description)


def _force_scope() -> None:
    """A partnership belongs to the force area of each area it covers; a Police and Crime Plan to its force."""
    from joinedup.core.permissions import force_scoped

    from .models import Partnership, Plan, PlanPriority

    force_scoped(Partnership, "areas")
    force_scoped(Plan, "force_area")
    force_scoped(PlanPriority, "plan__force_area")


_force_scope()
