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


def test_found_rows_plus_keeps_the_first_of_both_in_due_order():
    """A group's rows and a person's own rows outside them: counts added, the first `limit` of the two in
    the order the database gives (due date, then id)."""
    from types import SimpleNamespace

    from joinedup.core.due import FoundRows

    def row(pk: int, day: int) -> SimpleNamespace:
        return SimpleNamespace(pk=pk, due_date=TODAY + datetime.timedelta(days=day))

    group = FoundRows(count=5, overdue=1, rows=(row(1, -1), row(4, 0), row(2, 2)))
    own = FoundRows(count=2, overdue=1, rows=(row(9, -3), row(3, 0)))
    merged = group.plus(own, due_field="due_date", limit=3)
    assert (merged.count, merged.overdue) == (7, 2)
    assert [r.pk for r in merged.rows] == [9, 1, 3]
    assert [r.pk for r in group.plus(own, due_field="due_date", limit=None).rows] == [9, 1, 3, 4, 2]
    assert group.plus(FoundRows(), due_field="due_date", limit=3) == group


def test_window_theirs_splits_a_persons_rows_into_their_groups_and_their_own():
    from django.db.models import Q

    from joinedup.core.due import Window

    now = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
    group, own = Q(owner=1), Q(officer=2)
    assert Window(TODAY, now, datetime.timedelta(days=1)).theirs(group, own) == group | own
    assert Window(TODAY, now, datetime.timedelta(days=1), part="group").theirs(group, own) == group
    assert Window(TODAY, now, datetime.timedelta(days=1), part="own").theirs(group, own) == own & ~group
