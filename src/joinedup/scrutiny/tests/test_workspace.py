"""The Panel's workspace: its members and link members, work programme and meetings, kept by the Panel and
read by the force area's CSPs and the OPCC; the API lists them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.core.tests.factories import AreaFactory
from joinedup.scrutiny import services
from joinedup.scrutiny.models import PanelMember

pytestmark = pytest.mark.django_db


def test_panel_members_keep_their_members_work_programme_and_meetings(areas, users, client_for):
    panel = users[Role.PANEL_MEMBER]
    member = services.save_panel_member(
        actor=panel,
        force_area=areas["pfa"],
        data={
            "name": "Cllr Link",
            "role": "member",
            "linked_csps": [areas["north"].pk],
            "link_theme": "Victims",
        },
    )
    services.save_work_item(
        actor=panel,
        force_area=areas["pfa"],
        data={
            "title": "Review CSP briefing notes",
            "planned_for": datetime.date(2026, 1, 15),
            "status": "planned",
            "csp": areas["north"],
            "lead_member": member,
        },
    )
    planned = datetime.date.today() + datetime.timedelta(days=40)
    before = client_for(Role.CSP_MANAGER).get("/staff/csp/panel/workspace/").content.decode()
    assert "No annual meeting with CSP chairs has been held in the last 12 months or is planned." in before
    services.save_meeting(
        actor=panel,
        force_area=areas["pfa"],
        data={
            "kind": "annual_csp_chairs",
            "held_on": planned,
            "title": "Annual meeting with CSP chairs",
            "agenda": "Welcome\nCSP priorities for the year",
        },
    )
    page = client_for(Role.CSP_MANAGER).get("/staff/csp/panel/workspace/").content.decode()
    assert f"Annual meeting with CSP chairs: {planned.day} {planned:%B %Y}." in page
    assert "Cllr Link" in page and "Victims" in page
    assert "CSPs without a link member:</strong> South Testshire." in page
    assert "Review CSP briefing notes" in page
    assert "Annual meeting with CSP chairs" in page and "CSP priorities for the year" in page
    assert "Add a member" not in page  # the CSP manager reads, the Panel writes
    with pytest.raises(NotAllowed):
        services.save_meeting(actor=users[Role.CSP_MANAGER], force_area=areas["pfa"], data={"title": "x"})
    with pytest.raises(NotAllowed):
        services.save_panel_member(actor=users[Role.OPCC_ADMIN], force_area=areas["pfa"], data={"name": "x"})


def test_panel_records_refuse_another_force_areas_csp_and_future_minutes_at_once(areas, users):
    elsewhere = AreaFactory(code="E23000098", name="Elsewhere", level="pfa")
    far = AreaFactory(code="E22000998", name="Far CSP", level="csp", pfa=elsewhere)
    with pytest.raises(ValidationError) as caught:
        services.save_panel_member(
            actor=users[Role.PANEL_MEMBER],
            force_area=areas["pfa"],
            data={"name": "", "linked_csps": [far.pk]},
        )
    assert set(caught.value.message_dict) == {"name", "linked_csps"}
    with pytest.raises(ValidationError) as caught:
        services.save_meeting(
            actor=users[Role.PANEL_MEMBER],
            force_area=areas["pfa"],
            data={
                "title": "Next",
                "held_on": datetime.date.today() + datetime.timedelta(days=9),
                "minutes_link": "https://example.org/m",
            },
        )
    assert set(caught.value.message_dict) == {"minutes_link"}
    assert not PanelMember.objects.exists()


def test_the_api_lists_only_the_force_areas_panel_members_with_their_link_csps(areas, users):
    from django.test import Client

    from joinedup.core.services.tokens import create_token

    elsewhere = AreaFactory(code="E23000098", name="Elsewhere", level="pfa")
    PanelMember.objects.create(force_area=elsewhere, name="Cllr Elsewhere")
    member = PanelMember.objects.create(force_area=areas["pfa"], name="Cllr Link")
    member.linked_csps.set([areas["north"]])
    _token, raw = create_token(user=users[Role.CSP_MANAGER], name="test", actor=None)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/csp/panel/members")
    assert [(m["name"], m["linked_csps"]) for m in response.json()["items"]] == [
        ("Cllr Link", [areas["north"].code])
    ]
