"""Rows for the shared list test (core/tests/test_lists.py) of the notifications app's declared lists."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse
from django.utils import timezone

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.notifications.models import Notification

FORMULA = '=HYPERLINK("x","y")'
_keys = itertools.count(1)


@sample("notifications")
def notifications(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    someone_else = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    start = timezone.now() - datetime.timedelta(days=30)

    def make(title: str, read: bool, recipient: object = user) -> None:
        number = next(_keys)
        Notification.objects.create(
            recipient=recipient,
            kind="test",
            title=title,
            url="/staff/" if number % 2 else "",
            key=f"k{number}",
            created_at=start + datetime.timedelta(hours=number),
            read_at=None if not read else start + datetime.timedelta(hours=number + 1),
        )

    def add(n: int) -> None:
        for i in range(n):
            make(f"Something happened {i}", read=True)

    make("Urgent: a new case", read=False)
    make(FORMULA, read=True)
    make("Not yours", read=False, recipient=someone_else)
    add(rows - 2)
    return ListSample(reverse("notifications:list"), user, rows, {"unread": "true"}, 1, FORMULA, add)
