"""A partnership's action plan: its services (every problem at once, owners from the partnership, stale
edits refused), who may see and change it, the page, and "Your work" for the owning organisation."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.core.due import due_by_kind
from joinedup.core.models import ActionStatus, Rag
from joinedup.core.roles import Role
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.partnerships import services
from joinedup.partnerships.models import PartnershipAction, Status
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(areas):
    lead, member = make_organisation(name="Testshire Council"), make_organisation(name="Testshire Housing")
    partnership = make_partnership(name="Reducing Reoffending", status=Status.ACTIVE, lead_organisation=lead)
    partnership.areas.set([areas["north"]])
    partnership.memberships.create(organisation=member)
    return partnership, lead, member


def _data(owner, **extra):
    return {
        "description": "Agree the referral pathway",
        "owner": owner,
        "lead_officer": "A. Officer",
        "due_date": "2026-09-30",
        "status": ActionStatus.NOT_STARTED,
        "rag": "",
        **extra,
    }


def test_an_action_is_owned_by_a_member_or_the_lead_and_every_problem_is_listed(plan, users):
    partnership, lead, member = plan
    officer = users[Role.OPCC_OFFICER]
    stranger = make_organisation(name="Elsewhere Trust")
    with pytest.raises(ValidationError) as refused:
        services.save_action(
            actor=officer,
            partnership=partnership,
            data=_data(stranger, description=" ", due_date="31/31/2026", status="finished"),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"owner", "description", "due_date", "status"}
    assert "Elsewhere Trust is not a member of Reducing Reoffending" in errors["owner"][0]
    assert not PartnershipAction.objects.exists()

    by_lead = services.save_action(actor=officer, partnership=partnership, data=_data(lead))
    by_member = services.save_action(actor=officer, partnership=partnership, data=_data(member))
    assert [a.owner for a in partnership.actions.order_by("pk")] == [lead, member]
    assert by_lead.version == by_member.version == 1
    assert [o.name for o in services.action_owners(partnership)] == ["Testshire Council", "Testshire Housing"]


def test_a_stale_edit_is_refused_and_updates_are_kept(plan, users):
    partnership, lead, _ = plan
    officer = users[Role.OPCC_OFFICER]
    action = services.save_action(actor=officer, partnership=partnership, data=_data(lead))
    services.save_action(
        actor=officer, partnership=partnership, action=action, expected_version=1, data={"lead_officer": "B"}
    )
    stale = PartnershipAction.objects.get(pk=action.pk)
    stale.version = 1
    with pytest.raises(ConflictError, match="Someone else changed this record"):
        services.save_action(
            actor=officer,
            partnership=partnership,
            action=stale,
            expected_version=1,
            data={"lead_officer": "C"},
        )
    action.refresh_from_db()
    assert action.lead_officer == "B" and action.version == 2

    with pytest.raises(ValidationError) as refused:
        services.add_action_update(
            actor=officer,
            partnership=partnership,
            action=action,
            data={"recorded_on": timezone.localdate() + datetime.timedelta(days=1), "text": "", "rag": ""},
        )
    assert set(refused.value.message_dict) == {"recorded_on", "text", "rag"}
    for day, text, rag in (("2026-05-01", "Draft agreed", Rag.AMBER), ("2026-06-01", "Signed", Rag.GREEN)):
        services.add_action_update(
            actor=officer,
            partnership=partnership,
            action=action,
            data={"recorded_on": day, "text": text, "rag": rag},
        )
    action.refresh_from_db()
    assert [u.text for u in action.updates.all()] == ["Signed", "Draft agreed"]  # newest first, both kept
    assert (action.rag, action.status) == (Rag.GREEN, ActionStatus.IN_PROGRESS)

    with pytest.raises(ConflictError):
        services.complete_action(actor=officer, partnership=partnership, action=action, expected_version=1)
    services.complete_action(
        actor=officer, partnership=partnership, action=action, expected_version=action.version
    )
    assert PartnershipAction.objects.get(pk=action.pk).status == ActionStatus.COMPLETE
    with pytest.raises(ValidationError, match="already complete"):
        services.complete_action(
            actor=officer, partnership=partnership, action=action, expected_version=action.version
        )


def test_only_who_may_change_the_partnership_manages_its_actions(plan, users):
    partnership, lead, _ = plan
    with pytest.raises(NotAllowed):
        services.save_action(actor=users[Role.PRACTITIONER], partnership=partnership, data=_data(lead))
    other = make_partnership(name="Another", lead_organisation=lead)
    action = services.save_action(actor=users[Role.OPCC_OFFICER], partnership=partnership, data=_data(lead))
    with pytest.raises(NotAllowed):
        services.complete_action(
            actor=users[Role.OPCC_OFFICER], partnership=other, action=action, expected_version=1
        )


def test_page_shows_the_plan_to_viewers_and_lets_changers_manage_it(plan, users, client_for):
    partnership, _lead, member = plan
    detail = reverse("partnerships:detail", args=[partnership.pk])
    officer = client_for(Role.OPCC_OFFICER)
    add = reverse("partnerships:action-add", args=[partnership.pk])
    stranger = make_organisation(name="Elsewhere Trust")
    refused = officer.post(add, {"description": "", "owner": stranger.pk, "status": "not_started"})
    assert refused.status_code == 200
    assert b"Elsewhere Trust is not a member" in refused.content and b"Enter the action." in refused.content
    response = officer.post(
        add,
        {
            "description": "Open the hub",
            "owner": member.pk,
            "due_date": "2026-10-01",
            "status": "not_started",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#actions")
    action = partnership.actions.get()
    progress = reverse("partnerships:action-update", args=[partnership.pk, action.pk])
    officer.post(progress, {"recorded_on": "2026-05-02", "text": "Premises found", "rag": "amber"})
    edit = reverse("partnerships:action-edit", args=[partnership.pk, action.pk])
    stale = officer.post(
        edit,
        {
            "description": "Open the hub",
            "owner": member.pk,
            "due_date": "2026-10-01",
            "status": "in_progress",
            "version": 1,
        },
    )
    assert stale.status_code == 409 and b"Someone else changed this record" in stale.content

    page = client_for(Role.PANEL_MEMBER).get(detail)
    assert b"Open the hub" in page.content and b"Testshire Housing" in page.content
    assert b"Premises found" in page.content and b"Add an action" not in page.content
    assert b"Add an action" in officer.get(detail).content
    assert client_for(Role.PANEL_MEMBER).get(edit).status_code in (403, 404)
    assert (
        officer.post(
            reverse("partnerships:action-complete", args=[partnership.pk, action.pk]), {"version": 2}
        ).status_code
        == 302
    )
    assert PartnershipAction.objects.get(pk=action.pk).status == ActionStatus.COMPLETE


def test_another_force_gets_404(plan):
    partnership, lead, _ = plan
    action = PartnershipAction.objects.create(
        partnership=partnership, description="X", owner=lead, due_date=datetime.date(2026, 6, 1)
    )
    far = area_tree(force=8, name="Farshire")
    client = Client()
    client.force_login(UserFactory(role=Role.OPCC_ADMIN, areas=[far["pfa"]]))
    assert client.get(reverse("partnerships:detail", args=[partnership.pk])).status_code == 404
    assert (
        client.get(reverse("partnerships:action-edit", args=[partnership.pk, action.pk])).status_code == 404
    )
    assert client.get(reverse("partnerships:action-add", args=[partnership.pk])).status_code == 404


def test_your_work_lists_open_actions_for_the_owning_organisation(plan, areas):
    partnership, lead, member = plan
    today = datetime.date(2026, 6, 1)
    for description, owner, due, status in (
        ("Overdue pathway", member, today - datetime.timedelta(days=3), ActionStatus.IN_PROGRESS),
        ("Soon hub", member, today + datetime.timedelta(days=5), ActionStatus.NOT_STARTED),
        ("Done already", member, today, ActionStatus.COMPLETE),
        ("Far off", member, today + datetime.timedelta(days=200), ActionStatus.NOT_STARTED),
        ("The lead's", lead, today, ActionStatus.NOT_STARTED),
    ):
        PartnershipAction.objects.create(
            partnership=partnership, description=description, owner=owner, due_date=due, status=status
        )

    def items(user):
        (due,) = [d for d in due_by_kind(user, today=today) if d.kind == "partnerships.action"]
        return [(i.title, i.overdue) for i in due.items]

    housing = UserFactory(role=Role.PRACTITIONER, organisation=member, areas=[areas["north"]])
    assert items(housing) == [
        ("Overdue pathway (Reducing Reoffending)", True),
        ("Soon hub (Reducing Reoffending)", False),
    ]
    far = area_tree(force=8, name="Farshire")
    assert items(UserFactory(role=Role.PRACTITIONER, organisation=member, areas=[far["pfa"]])) == []
    partnership.status = Status.TERMINATED
    partnership.save()
    assert items(housing) == []
