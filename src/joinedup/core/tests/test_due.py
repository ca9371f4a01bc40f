"""The shared bodies of the "Your work" providers (core/due.py): `due_from` and `due_from_items` give each
item its provider's kind and label, and `due_from` marks an item overdue exactly as it counts it."""

from __future__ import annotations

import datetime

import pytest

from joinedup.core.due import DueItem, due_from, due_from_items
from joinedup.core.models import User
from joinedup.core.tests.factories import UserFactory

TODAY = datetime.date(2026, 12, 6)


def _item(uid: str, due: datetime.date, *, overdue: bool = False) -> DueItem:
    return DueItem(title=uid, why="because", due=due, url="/", overdue=overdue, uid=uid)


def test_due_from_items_fills_kind_sorts_counts_and_keeps_the_first():
    items = [
        _item("b", TODAY),
        _item("a", TODAY),
        _item("c", TODAY - datetime.timedelta(days=3), overdue=True),
    ]
    due = due_from_items("test.kind", "Tests", items, 2)
    assert (due.kind, due.label, due.count, due.overdue) == ("test.kind", "Tests", 3, 1)
    assert [i.uid for i in due.items] == ["c", "a"]
    assert {(i.kind, i.kind_label) for i in due.items} == {("test.kind", "Tests")}
    assert len(due_from_items("test.kind", "Tests", items, None).items) == 3
    by_title = due_from_items("test.kind", "Tests", items, None, key=lambda i: i.title)
    assert [i.uid for i in by_title.items] == ["a", "b", "c"]


@pytest.mark.django_db
def test_due_from_fills_kind_and_marks_overdue_as_it_counts():
    now = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
    for hours in (-1, 0, 1):
        UserFactory(full_name="Due test", date_joined=now + datetime.timedelta(hours=hours))
    people = User.objects.filter(full_name="Due test")
    due = due_from(
        people,
        kind="test.person",
        label="People",
        due_field="date_joined",
        overdue_before=now,
        limit=2,
        item=lambda p: DueItem(title=p.email, why="", due=p.date_joined.date(), url="/", uid=str(p.pk)),
    )
    assert (due.count, due.overdue) == (3, 1)
    assert [(i.kind, i.kind_label, i.overdue) for i in due.items] == [
        ("test.person", "People", True),
        ("test.person", "People", False),
    ]
    assert due_from(
        None, kind="test.person", label="People", due_field="x", overdue_before=now, limit=None, item=_item
    ) == due_from_items("test.person", "People", [], None)
