"""Bad input: every error at once, nothing half-saved; cost shares, 1 to 5 scales, money in pounds and pence."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from joinedup.core.models import Sector
from joinedup.core.roles import Role
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.partnerships.models import Membership, Partnership, Risk, Status
from joinedup.partnerships.services import (
    add_declaration,
    create_partnership,
    create_plan,
    save_benefit,
    save_membership,
    save_risk,
    update_partnership,
)
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def test_proposal_reports_every_error_at_once_and_saves_nothing(users):
    with pytest.raises(ValidationError) as caught:
        create_partnership(
            actor=users[Role.OPCC_OFFICER],
            data={
                "name": "",
                "purpose": "",
                "legal_basis": "handshake",
                "level": "",
                "exit_cost": "-5",
                "review_cadence_months": "0",
                "next_review_date": "31/02/2027",
                "areas": ["E99999999"],
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "name", "purpose", "legal_basis", "level", "exit_cost", "review_cadence_months", "next_review_date", "areas",
    }  # fmt: skip
    assert errors["name"] == ["Enter the name."]
    assert Partnership.objects.count() == 0


def test_only_opcc_staff_may_propose(users):
    with pytest.raises(NotAllowed):
        create_partnership(actor=users[Role.CSP_MANAGER], data={"name": "X"})


def test_money_is_pounds_and_pence_and_not_negative(users):
    p = make_partnership()
    with pytest.raises(ValidationError) as caught:
        save_membership(
            actor=users[Role.OPCC_OFFICER],
            partnership=p,
            data={
                "organisation": None,
                "money_per_year": "12.345",
                "staff_fte": "-1",
                "cost_share_percent": "101",
            },
        )
    assert set(caught.value.message_dict) == {
        "organisation",
        "money_per_year",
        "staff_fte",
        "cost_share_percent",
    }
    assert Membership.objects.count() == 0


def test_cost_shares_cannot_pass_100(users):
    officer = users[Role.OPCC_OFFICER]
    p = make_partnership()
    save_membership(
        actor=officer, partnership=p, data={"organisation": make_organisation(), "cost_share_percent": "69"}
    )
    with pytest.raises(ValidationError) as caught:
        save_membership(
            actor=officer,
            partnership=p,
            data={"organisation": make_organisation(), "cost_share_percent": "40"},
        )
    assert caught.value.message_dict["cost_share_percent"] == [
        "Cost shares would add up to 109%: all members' shares must add up to 100%."
    ]


def test_an_organisation_joins_once(users):
    officer, org = users[Role.OPCC_OFFICER], make_organisation()
    p = make_partnership()
    save_membership(actor=officer, partnership=p, data={"organisation": org})
    with pytest.raises(ValidationError) as caught:
        save_membership(actor=officer, partnership=p, data={"organisation": org})
    assert caught.value.message_dict["organisation"] == ["This organisation is already a member."]


def test_risk_likelihood_and_impact_are_1_to_5(users):
    p = make_partnership()
    with pytest.raises(ValidationError) as caught:
        save_risk(
            actor=users[Role.OPCC_OFFICER],
            partnership=p,
            data={"description": "", "likelihood": "6", "impact": "0"},
        )
    assert set(caught.value.message_dict) == {"description", "likelihood", "impact"}
    risk = save_risk(
        actor=users[Role.OPCC_OFFICER],
        partnership=p,
        data={"description": "Partner withdraws", "likelihood": "2", "impact": "5"},
    )
    assert risk.score == 10


def test_database_refuses_out_of_range_values_too():
    p = make_partnership()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.create(partnership=p, description="x", likelihood=9, impact=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(partnership=p, organisation=make_organisation(), money_per_year=-1)


def test_declarations_are_for_non_public_bodies(users):
    p = make_partnership()
    council = make_organisation(sector=Sector.LA_DISTRICT)
    with pytest.raises(ValidationError) as caught:
        add_declaration(
            actor=users[Role.OPCC_OFFICER],
            partnership=p,
            data={"kind": "interest", "organisation": council, "description": "", "declared_on": ""},
        )
    assert set(caught.value.message_dict) == {"organisation", "person", "description", "declared_on"}
    business = make_organisation(sector=Sector.BUSINESS)
    declaration = add_declaration(
        actor=users[Role.OPCC_OFFICER],
        partnership=p,
        data={
            "kind": "transaction",
            "organisation": business,
            "description": "Vehicle servicing contract",
            "amount": "200000.00",
            "declared_on": "2026-04-01",
        },
    )
    assert declaration.pk


def test_plan_period_must_be_in_order(users, areas):
    with pytest.raises(ValidationError) as caught:
        create_plan(
            actor=users[Role.OPCC_OFFICER],
            priorities=[],
            data={
                "title": "Plan",
                "pcc_name": "A PCC",
                "force_area": areas["north"],
                "period_start": "2026-04-01",
                "period_end": "2025-03-31",
            },
        )
    assert set(caught.value.message_dict) == {"period_end", "force_area", "priorities"}


def test_stale_edit_is_refused(users):
    officer = users[Role.OPCC_OFFICER]
    p = make_partnership()
    first = Partnership.objects.get(pk=p.pk)
    second = Partnership.objects.get(pk=p.pk)
    update_partnership(actor=officer, partnership=first, expected_version=1, data={"name": "First edit"})
    with pytest.raises(ConflictError):
        update_partnership(
            actor=officer, partnership=second, expected_version=1, data={"name": "Second edit"}
        )
    p.refresh_from_db()
    assert p.name == "First edit" and p.version == 2


def test_closed_partnerships_cannot_be_edited(users):
    p = make_partnership(status=Status.TERMINATED)
    with pytest.raises(ValidationError):
        update_partnership(
            actor=users[Role.OPCC_ADMIN], partnership=p, expected_version=1, data={"name": "New"}
        )


def test_benefits_per_year_in_pounds_and_pence(users):
    officer = users[Role.OPCC_OFFICER]
    p = make_partnership()
    with pytest.raises(ValidationError) as caught:
        save_benefit(
            actor=officer,
            partnership=p,
            data={"financial_year": "1990", "savings_projected": "-1", "savings_realised": "1.005"},
        )
    assert set(caught.value.message_dict) == {"financial_year", "savings_projected", "savings_realised"}
    save_benefit(
        actor=officer, partnership=p, data={"financial_year": "2026", "savings_projected": "34200000"}
    )
    benefit = save_benefit(
        actor=officer,
        partnership=p,
        data={"financial_year": "2026", "savings_projected": "34200000", "savings_realised": "1000000.00"},
    )
    assert p.benefits.count() == 1 and benefit.version == 2 and benefit.year_label == "2026/27"
