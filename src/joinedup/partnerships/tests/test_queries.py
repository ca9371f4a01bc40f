"""Pages run a bounded number of queries however many partnerships, members and risks there are."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.partnerships.models import Membership, Risk, Status, Visibility
from joinedup.partnerships.services import add_objective, create_plan
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def _populate(n: int, users, areas) -> list:
    plan = create_plan(
        actor=users[Role.OPCC_OFFICER],
        data={
            "title": "Police and Crime Plan",
            "pcc_name": "A Commissioner",
            "force_area": areas["pfa"],
            "period_start": "2024-05-01",
            "period_end": "2028-03-31",
        },
        priorities=["Victims first", "Safer roads"],
    )
    made = []
    for i in range(n):
        p = make_partnership(
            name=f"P{i}",
            status=Status.ACTIVE,
            visibility=Visibility.PUBLIC,
            next_review_date=datetime.date(2020, 1, 1),
        )
        p.areas.set([areas["pfa"], areas["north"]])
        for j in range(3):
            Membership.objects.create(partnership=p, organisation=make_organisation(), role="member")
            Risk.objects.create(partnership=p, description=f"Risk {j}", likelihood=j + 1, impact=5 - j)
        add_objective(
            actor=users[Role.OPCC_OFFICER],
            partnership=p,
            text="Fewer repeat victims",
            priorities=list(plan.priorities.all()),
        )
        made.append(p)
    return made


def test_register_list_and_exports_have_bounded_queries(
    client_for, client, users, areas, django_assert_max_num_queries
):
    _populate(12, users, areas)
    staff = client_for(Role.OPCC_OFFICER)
    with django_assert_max_num_queries(15):
        assert staff.get(reverse("partnerships:list"), {"overdue_review": "on"}).status_code == 200
    with django_assert_max_num_queries(12):
        response = staff.get(reverse("partnerships:export"))
        assert len(b"".join(response.streaming_content).splitlines()) == 13
    with django_assert_max_num_queries(10):
        assert client.get(reverse("public-partnerships:list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("public-partnerships:export-json")).status_code == 200


def test_partnership_page_has_bounded_queries(client_for, users, areas, django_assert_max_num_queries):
    p = _populate(1, users, areas)[0]
    staff = client_for(Role.OPCC_ADMIN)
    with django_assert_max_num_queries(30):
        page = staff.get(reverse("partnerships:detail", args=[p.pk]))
    html = page.content.decode()
    assert "Victims first (Police and Crime Plan)" in html
    assert "Start a review" in html
