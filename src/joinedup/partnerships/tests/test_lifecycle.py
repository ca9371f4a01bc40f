"""The partnership lifecycle: legal moves, refused moves with reasons, roles, assessment before approval."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.partnerships.models import Question, Rating, Recommendation, Status
from joinedup.partnerships.services import (
    add_months,
    complete_review,
    save_assessment,
    save_membership,
    suggest,
    transition_partnership,
)
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def _complete_assessment(
    partnership, actor, *, legal_powers=Rating.GREEN, recommendation=Recommendation.PARTNER
):
    answers = {q: {"rating": Rating.GREEN, "evidence": f"Evidence for {q}."} for q in Question.values}
    answers[Question.LEGAL_POWERS] = {"rating": legal_powers, "evidence": "Section 22A Police Act 1996."}
    return save_assessment(
        actor=actor,
        partnership=partnership,
        expected_version=None,
        answers=answers,
        recommendation=recommendation,
        recommendation_reason="" if recommendation == Recommendation.PARTNER else "Not lawful.",
    )


def test_whole_lifecycle_with_reasons_in_history(users):
    officer, admin = users[Role.OPCC_OFFICER], users[Role.OPCC_ADMIN]
    p = make_partnership()
    transition_partnership(actor=officer, partnership=p, transition="submit", reason="Business case ready")
    _complete_assessment(p, officer)
    # No members yet: approving is refused, saying why.
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=admin, partnership=p, transition="approve", reason="Strong case")
    assert caught.value.message_dict["transition"] == [
        "A partnership with no members cannot be approved: add the organisations taking part first."
    ]
    save_membership(actor=officer, partnership=p, data={"organisation": make_organisation(), "role": "lead"})
    transition_partnership(actor=admin, partnership=p, transition="approve", reason="Strong case")
    transition_partnership(actor=officer, partnership=p, transition="activate", reason="Started 1 April")
    assert p.status == Status.ACTIVE and p.next_review_date is not None
    transition_partnership(actor=officer, partnership=p, transition="start_review", reason="Annual review")
    complete_review(
        actor=admin,
        partnership=p,
        data={
            "reviewed_on": "2026-06-01",
            "added_value": "Some.",
            "decision": "revise",
            "decision_reason": "Scope too wide",
        },
        actions=[{"action": "Narrow the scope", "owner": "Head of partnerships", "due_on": "2026-09-01"}],
    )
    p.refresh_from_db()
    assert p.status == Status.REVISED
    reasons = list(p.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[1:] == [  # the first row is the factory's creation
        "Submit for assessment: Business case ready",
        "Approve: Strong case",
        "Make active: Started 1 April",
        "Start a review: Annual review",
        "Revise: Scope too wide",
    ]
    latest = p.history.latest()
    assert latest.history_user == admin


def test_illegal_transition_says_why(users):
    admin = users[Role.OPCC_ADMIN]
    declined = make_partnership(status=Status.DECLINED)
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=admin, partnership=declined, transition="activate", reason="Try anyway")
    assert caught.value.message_dict["transition"][0].startswith(
        "A declined partnership cannot become active."
    )

    active = make_partnership(status=Status.ACTIVE)
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=admin, partnership=active, transition="terminate", reason="Done")
    assert "start a review first" in caught.value.message_dict["transition"][0]
    active.refresh_from_db()
    assert active.status == Status.ACTIVE


def test_reason_is_required_and_reported_with_other_errors(users):
    p = make_partnership(status=Status.DECLINED)
    with pytest.raises(ValidationError) as caught:
        transition_partnership(
            actor=users[Role.OPCC_ADMIN], partnership=p, transition="activate", reason="  "
        )
    assert set(caught.value.message_dict) == {"transition", "reason"}


def test_wrong_role_cannot_approve_or_move(users):
    p = make_partnership(status=Status.UNDER_ASSESSMENT)
    _complete_assessment(p, users[Role.OPCC_OFFICER])
    with pytest.raises(NotAllowed):
        transition_partnership(
            actor=users[Role.OPCC_OFFICER], partnership=p, transition="approve", reason="Yes"
        )
    with pytest.raises(NotAllowed):
        transition_partnership(actor=users[Role.AUDITOR], partnership=p, transition="decline", reason="No")
    p.refresh_from_db()
    assert p.status == Status.UNDER_ASSESSMENT


def test_approval_needs_a_complete_assessment(users):
    admin = users[Role.OPCC_ADMIN]
    p = make_partnership(status=Status.UNDER_ASSESSMENT)
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=admin, partnership=p, transition="approve", reason="Looks good")
    assert "no assessment has been started" in caught.value.message_dict["transition"][0]

    save_assessment(
        actor=admin,
        partnership=p,
        expected_version=None,
        answers={Question.LEGAL_POWERS: {"rating": Rating.GREEN, "evidence": "Statute."}},
    )
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=admin, partnership=p, transition="approve", reason="Looks good")
    assert any("still need a rating and evidence" in m for m in caught.value.message_dict["transition"])


def test_red_on_legal_powers_cannot_be_approved(users):
    admin = users[Role.OPCC_ADMIN]
    p = make_partnership(status=Status.UNDER_ASSESSMENT)
    _complete_assessment(p, admin, legal_powers=Rating.RED)
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=admin, partnership=p, transition="approve", reason="Approve")
    assert any("Red on legal powers" in m for m in caught.value.message_dict["transition"])
    assert suggest({Question.LEGAL_POWERS: Rating.RED}).recommendation == Recommendation.DO_NOT_PROCEED


def test_activation_needs_cost_shares_adding_to_100(users):
    officer = users[Role.OPCC_OFFICER]
    p = make_partnership(status=Status.APPROVED)
    save_membership(
        actor=officer,
        partnership=p,
        data={"organisation": make_organisation(), "role": "lead", "cost_share_percent": "69"},
    )
    with pytest.raises(ValidationError) as caught:
        transition_partnership(actor=officer, partnership=p, transition="activate", reason="Go")
    assert "Cost shares add up to 69%" in caught.value.message_dict["transition"][0]
    save_membership(
        actor=officer,
        partnership=p,
        data={"organisation": make_organisation(), "role": "member", "cost_share_percent": "31"},
    )
    transition_partnership(actor=officer, partnership=p, transition="activate", reason="Go")
    assert p.status == Status.ACTIVE


def test_transition_buttons_post_and_refuse_on_the_page(client_for):
    p = make_partnership(status=Status.PROPOSED)
    officer = client_for(Role.OPCC_OFFICER)
    page = officer.get(reverse("partnerships:detail", args=[p.pk]))
    assert b"Submit for assessment" in page.content and b">Approve<" not in page.content

    response = officer.post(reverse("partnerships:transition", args=[p.pk, "submit"]), {"reason": ""})
    assert response.status_code == 200
    assert "Give a reason for this change" in response.content.decode()

    response = officer.post(reverse("partnerships:transition", args=[p.pk, "submit"]), {"reason": "Ready"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.UNDER_ASSESSMENT

    # Approving is an administrator's step: to an officer the button does not exist.
    response = officer.post(reverse("partnerships:transition", args=[p.pk, "approve"]), {"reason": "Yes"})
    assert response.status_code == 404

    admin = client_for(Role.OPCC_ADMIN)
    response = admin.post(reverse("partnerships:transition", args=[p.pk, "approve"]), {"reason": "Yes"})
    assert response.status_code == 200
    assert "Complete the business-case assessment first" in response.content.decode()


def test_stale_transition_is_refused(users, client_for):
    p = make_partnership(status=Status.PROPOSED)
    stale = p.version
    transition_partnership(actor=users[Role.OPCC_OFFICER], partnership=p, transition="submit", reason="Ready")
    response = client_for(Role.OPCC_ADMIN).post(
        reverse("partnerships:transition", args=[p.pk, "decline"]), {"reason": "No", "version": stale}
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()


def test_review_decisions_need_a_completed_review(users):
    p = make_partnership(status=Status.UNDER_REVIEW)
    with pytest.raises(ValidationError) as caught:
        transition_partnership(
            actor=users[Role.OPCC_ADMIN], partnership=p, transition="terminate", reason="Done"
        )
    assert caught.value.message_dict["transition"][0].startswith("Complete the review to terminate")


def test_review_reports_every_error_and_changes_nothing(users):
    p = make_partnership(status=Status.UNDER_REVIEW)
    with pytest.raises(ValidationError) as caught:
        complete_review(
            actor=users[Role.OPCC_ADMIN],
            partnership=p,
            data={
                "reviewed_on": "2026-06-01",
                "added_value": "",
                "financial_costs": "-3",
                "decision": "",
                "decision_reason": "",
            },
            actions=[
                {"action": "Report back", "owner": "", "due_on": "2026-01-01"},
                {"action": "", "owner": "", "due_on": ""},
            ],
        )
    assert set(caught.value.message_dict) == {
        "added_value",
        "financial_costs",
        "decision",
        "decision_reason",
        "action_1_owner",
    }
    p.refresh_from_db()
    assert p.status == Status.UNDER_REVIEW and not p.reviews.exists()


def test_continue_after_review_sets_the_next_review_by_cadence(users):
    p = make_partnership(
        status=Status.UNDER_REVIEW, review_cadence_months=6, next_review_date=datetime.date(2020, 1, 1)
    )
    review = complete_review(
        actor=users[Role.OPCC_ADMIN],
        partnership=p,
        data={
            "reviewed_on": timezone.localdate().isoformat(),
            "added_value": "Savings on target.",
            "financial_costs": "1200.50",
            "decision": "continue",
            "decision_reason": "Delivering.",
        },
        actions=[],
    )
    p.refresh_from_db()
    assert p.status == Status.ACTIVE and not p.is_review_overdue
    assert p.next_review_date == add_months(timezone.localdate(), 6)
    assert review.financial_costs == Decimal("1200.50")


def test_officers_cannot_conclude_reviews(users):
    p = make_partnership(status=Status.UNDER_REVIEW)
    with pytest.raises(NotAllowed):
        complete_review(
            actor=users[Role.OPCC_OFFICER], partnership=p, data={"decision": "terminate"}, actions=[]
        )
