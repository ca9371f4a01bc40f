"""Expected access to the partnership register's pages, role by role (see core/testing.py).

The permission-matrix fixture only makes core records, so `_partnership` makes one partnership per test
the first time a URL needs it and keeps it in `objects`.
"""

from __future__ import annotations

import itertools
from typing import Any

from joinedup.core.roles import Role
from joinedup.core.testing import EVERY_ROLE, PUBLIC, Access, roles

ADMIN, OFFICER = Role.OPCC_ADMIN, Role.OPCC_OFFICER


def _partnership(objects: dict[str, Any]) -> Any:
    if "partnership" not in objects:
        from joinedup.partnerships.models import Status, Visibility
        from joinedup.partnerships.tests.factories import PartnershipFactory

        objects["partnership"] = PartnershipFactory(
            name="Matrix partnership", status=Status.ACTIVE, visibility=Visibility.PUBLIC
        )
    return objects["partnership"]


_PROPOSALS = itertools.count(1)


def _proposed(objects: dict[str, Any]) -> Any:
    # A fresh proposal for each call, so every allowed role's submission is a legal move.
    from joinedup.partnerships.tests.factories import PartnershipFactory

    return PartnershipFactory(name=f"Matrix proposal {next(_PROPOSALS)}")  # names are unique


def pk(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _partnership(objects).pk}


def api_id(objects: dict[str, Any]) -> dict[str, Any]:
    return {"id": _partnership(objects).pk}


def proposed_id(objects: dict[str, Any]) -> dict[str, Any]:
    return {"id": _proposed(objects).pk}


def under_review_id(objects: dict[str, Any]) -> dict[str, Any]:
    # A fresh partnership under review for each call, so an allowed role's review is a legal move.
    from joinedup.partnerships.models import Status
    from joinedup.partnerships.tests.factories import PartnershipFactory

    return {"id": PartnershipFactory(name=f"Matrix review {next(_PROPOSALS)}", status=Status.UNDER_REVIEW).pk}


def _plan(objects: dict[str, Any]) -> Any:
    if "plan" not in objects:
        import datetime

        from joinedup.partnerships.models import Plan, PlanPriority

        plan = Plan.objects.create(
            title="Matrix plan",
            pcc_name="A Commissioner",
            force_area=objects["pfa"],
            period_start=datetime.date(2025, 4, 1),
            period_end=datetime.date(2029, 3, 31),
        )
        PlanPriority.objects.create(plan=plan, title="Safer streets", order=1)
        objects["plan"] = plan
    return objects["plan"]


def plan_pk(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _plan(objects).pk}


def member_to_remove(objects: dict[str, Any]) -> dict[str, Any]:
    # A fresh member for each call, so every allowed role removes one that is still there.
    from joinedup.partnerships.models import Membership
    from joinedup.partnerships.tests.factories import make_organisation

    partnership = _partnership(objects)
    member = Membership.objects.create(partnership=partnership, organisation=make_organisation())
    return {"pk": partnership.pk, "member_pk": member.pk}


def risk_to_remove(objects: dict[str, Any]) -> dict[str, Any]:
    from joinedup.partnerships.models import Risk

    partnership = _partnership(objects)
    risk = Risk.objects.create(partnership=partnership, description="Matrix risk", likelihood=2, impact=2)
    return {"pk": partnership.pk, "risk_pk": risk.pk}


def declaration_to_remove(objects: dict[str, Any]) -> dict[str, Any]:
    import datetime

    from joinedup.core.models import Sector
    from joinedup.partnerships.models import Declaration
    from joinedup.partnerships.tests.factories import make_organisation

    partnership = _partnership(objects)
    declaration = Declaration.objects.create(
        partnership=partnership,
        kind="transaction",
        organisation=make_organisation(sector=Sector.BUSINESS),
        description="Matrix contract",
        declared_on=datetime.date(2026, 1, 1),
    )
    return {"pk": partnership.pk, "declaration_pk": declaration.pk}


def action_to_mark_done(objects: dict[str, Any]) -> dict[str, Any]:
    # A fresh, open follow-up action for each call.
    import datetime

    from joinedup.partnerships.models import PartnershipReview, ReviewAction

    partnership = _partnership(objects)
    review = PartnershipReview.objects.create(
        partnership=partnership,
        reviewed_on=datetime.date(2026, 1, 15),
        added_value="Fewer repeat victims.",
        decision="continue",
        decision_reason="It works.",
    )
    action = ReviewAction.objects.create(
        review=review, action="Refresh the agreement", owner="OPCC", due_on=datetime.date(2026, 6, 1)
    )
    return {"pk": partnership.pk, "action_pk": action.pk}


def plan_action(objects: dict[str, Any]) -> dict[str, Any]:
    # A fresh, open action of the partnership's plan for each call, owned by its lead organisation.
    import datetime

    from joinedup.partnerships.models import PartnershipAction
    from joinedup.partnerships.tests.factories import make_organisation

    partnership = _partnership(objects)
    if partnership.lead_organisation_id is None:
        partnership.lead_organisation = make_organisation()
        partnership.save()
    action = PartnershipAction.objects.create(
        partnership=partnership,
        description="Matrix action",
        owner=partnership.lead_organisation,
        due_date=datetime.date(2026, 9, 1),
    )
    return {"pk": partnership.pk, "action_pk": action.pk}


URLS: dict[str, Access] = {
    "partnerships:list": Access(EVERY_ROLE),
    "partnerships:action-list": Access(EVERY_ROLE),
    "partnerships:export": Access(EVERY_ROLE),
    "partnerships:overview": Access(EVERY_ROLE),
    "partnerships:landscape": Access(EVERY_ROLE),
    # Importing puts partnerships straight into any status, so it is the administrator's alone.
    "partnerships:import": Access(roles(ADMIN)),
    "partnerships:import-template": Access(roles(ADMIN)),
    "partnerships:create": Access(roles(ADMIN, OFFICER)),
    "partnerships:plan-list": Access(EVERY_ROLE),
    "partnerships:plan-create": Access(roles(ADMIN, OFFICER)),
    "partnerships:plan-detail": Access(EVERY_ROLE, kwargs=plan_pk),
    "partnerships:detail": Access(EVERY_ROLE, kwargs=pk),
    "partnerships:edit": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:assessment": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:membership-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:risk-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:declaration-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:objective-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:benefit-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:action-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:action-edit": Access(roles(ADMIN, OFFICER), kwargs=plan_action),
    "partnerships:action-update": Access(roles(ADMIN, OFFICER), kwargs=plan_action),
    "partnerships:action-complete": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=plan_action,
        data=lambda objects: {"version": 1},
    ),
    # Concluding a review (continue, revise, terminate) is the administrator's decision.
    "partnerships:review": Access(roles(ADMIN), kwargs=pk),
    "partnerships:member-remove": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=member_to_remove,
        data=lambda objects: {"reason": "Left the partnership"},
    ),
    "partnerships:risk-remove": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=risk_to_remove,
        data=lambda objects: {"reason": "Risk closed"},
    ),
    "partnerships:declaration-remove": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=declaration_to_remove,
        data=lambda objects: {"reason": "Declared in error"},
    ),
    "partnerships:review-action-done": Access(
        roles(ADMIN, OFFICER), method="POST", kwargs=action_to_mark_done
    ),
    # Submitting for assessment is an officer's step (administrators may do it too); approving,
    # declining and concluding reviews are the administrator's alone (tests/test_lifecycle.py).
    "partnerships:transition": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=lambda objects: {"pk": _proposed(objects).pk, "transition": "submit"},
        data=lambda objects: {"reason": "Ready for assessment"},
    ),
    "public-partnerships:list": Access(PUBLIC),
    "public-partnerships:export-csv": Access(PUBLIC),
    "public-partnerships:export-json": Access(PUBLIC),
    "public-partnerships:detail": Access(PUBLIC, kwargs=pk),
}

API: dict[str, Access] = {
    "partnerships_list_partnerships": Access(EVERY_ROLE, query="?status=active"),
    "partnerships_get_partnership": Access(EVERY_ROLE, kwargs=api_id),
    # Proposing is an OPCC job; other roles get 403 (a collection they may not add to).
    "partnerships_create_partnership": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        data=lambda o: {
            "name": "Matrix API partnership",
            "purpose": "Join up services.",
            "legal_basis": "agreement",
            "level": "local",
            "areas": [o["north"].code],
        },
    ),
    "partnerships_update_partnership": Access(
        roles(ADMIN, OFFICER),
        method="PUT",
        kwargs=api_id,
        data=lambda o: {
            "name": "Matrix partnership",
            "purpose": "Reduce reoffending by joining up services.",
            "legal_basis": "agreement",
            "level": "local",
            "visibility": "public",
            "version": 1,
        },
    ),
    "partnerships_transition_partnership": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=proposed_id,
        data=lambda o: {"transition": "submit", "reason": "Ready for assessment", "version": 1},
    ),
    "partnerships_get_assessment": Access(roles(ADMIN, OFFICER), kwargs=proposed_id),
    "partnerships_save_assessment": Access(
        roles(ADMIN, OFFICER),
        method="PUT",
        kwargs=proposed_id,
        data=lambda o: {
            "answers": {"legal_powers": {"rating": "green", "evidence": "Section 22A."}},
            "version": 0,
        },
    ),
    # Concluding a review is the administrator's decision.
    "partnerships_complete_review": Access(
        roles(ADMIN),
        method="POST",
        kwargs=under_review_id,
        data=lambda o: {
            "reviewed_on": "2026-01-15",
            "added_value": "Fewer repeat victims.",
            "decision": "continue",
            "decision_reason": "It works.",
        },
    ),
}
