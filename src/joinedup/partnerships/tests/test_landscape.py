"""The landscape view: a picture of partnerships and the organisations they join, and a table of the same."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.partnerships import selectors
from joinedup.partnerships.landscape import MAX_PARTNERSHIPS, layout
from joinedup.partnerships.models import Level, Membership, Status
from joinedup.partnerships.tests.factories import PartnershipFactory, make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def _table_names(content: bytes) -> list[str]:
    table = content.decode().split('class="govuk-table ju-landscape-table"', 1)[1]
    return re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', table)


def test_landscape_draws_picture_and_table_and_filters_by_level_and_area(client_for, areas):
    police = make_organisation(name="West Mercia Police")
    council = make_organisation(name="Worcester City Council")
    alliance = make_partnership(name="Strategic alliance", level=Level.STRATEGIC, status=Status.ACTIVE)
    alliance.areas.set([areas["pfa"]])
    Membership.objects.create(partnership=alliance, organisation=police, role="lead")
    Membership.objects.create(partnership=alliance, organisation=council, role="funder")
    local = make_partnership(name="Youth panel", level=Level.LOCAL)
    Membership.objects.create(partnership=local, organisation=council, role="lead")
    make_partnership(name="Declined idea", level=Level.LOCAL, status=Status.DECLINED)
    client = client_for(Role.OPCC_OFFICER)
    url = reverse("partnerships:landscape")

    page = client.get(url)
    assert page.status_code == 200
    assert _table_names(page.content) == ["Strategic alliance", "Youth panel"]  # declined left out
    body = page.content.decode()
    assert 'role="img"' in body and 'aria-labelledby="landscape-title landscape-desc"' in body
    assert '<title id="landscape-title">' in body and '<desc id="landscape-desc">' in body
    # Two partnerships as squares, two organisations as circles, three memberships as lines.
    picture = page.context["picture"]
    assert (len(picture.partnerships), len(picture.organisations), len(picture.lines)) == (2, 2, 3)
    svg = body.split('role="img"', 1)[1].split("</svg>", 1)[0]
    assert svg.count("<rect ") == 2 and svg.count("<circle ") == 2 and svg.count("<line ") == 3
    assert ">Strategic alliance</text>" in svg and ">West Mercia Police</text>" in svg
    assert "Worcester City Council (funder)" in body and "West Mercia Police (lead)" in body

    # Filtering by level narrows the table and the picture.
    page = client.get(url, {"level": "local"})
    assert _table_names(page.content) == ["Youth panel"]
    assert len(page.context["picture"].organisations) == 1
    assert b"<strong>1</strong> partnership<" in page.content

    # An area covers what lies inside it; an unknown code matches nothing.
    page = client.get(url, {"area": "E01900001"})
    assert _table_names(page.content) == ["Strategic alliance"]
    page = client.get(url, {"area": "E99999999"})
    assert (
        page.context["count"] == 0
        and page.context["picture"] is None
        and b"No partnerships match" in page.content
    )


def test_landscape_caps_the_picture_but_lists_every_partnership(client_for, django_assert_max_num_queries):
    organisation = make_organisation(name="Shared host")
    for n in range(MAX_PARTNERSHIPS + 1):
        Membership.objects.create(
            partnership=PartnershipFactory(name=f"Cap {n:02d}"), organisation=organisation, role="host"
        )
    client = client_for(Role.OPCC_OFFICER)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("partnerships:landscape"))
    assert page.context["picture"] is None and page.context["too_many"]
    assert b"too many to draw clearly" in page.content and b"Filter by area or level" in page.content
    assert b'role="img"' not in page.content
    assert len(_table_names(page.content)) == MAX_PARTNERSHIPS + 1


def test_layout_is_deterministic_and_sorted_by_name(users):
    for name in ("Beta", "alpha", "Gamma"):
        p = make_partnership(name=name)
        Membership.objects.create(partnership=p, organisation=make_organisation(name=f"{name} org"))
    first = layout(selectors.list_landscape(user=users[Role.OPCC_OFFICER]))
    again = layout(list(reversed(selectors.list_landscape(user=users[Role.OPCC_OFFICER]))))
    assert first == again
    assert [n.name for n in first.partnerships] == ["alpha", "Beta", "Gamma"]
    top = first.partnerships[0]
    assert (top.x, top.anchor) == (first.width / 2, "middle") and top.y < first.height / 2
