"""What is due, across apps: each app registers a small provider in its own `due.py` (the registry sits
in core so that apps and the work queue both depend on core, not on each other; docs/adr/0025).

A provider is `provider(user, *, today, now, horizon, limit) -> Due`: how many items `user` may see and
is responsible for are due by `today + horizon` (and how many are overdue), with the first `limit` of them
(all when `limit` is None), read through that app's own restricted selectors. Most providers are declared
with `register_rows` (kind, label, due field and permission once; the function gives only its rows and how
a row reads); providers build their answer with `due_from`, which counts in the database (one aggregate query) and fetches only the rows shown (one
more), so the number of queries is fixed whatever the data size (docs/adr/0020), or, when due dates are
worked out in Python from a handful of records, with `due_from_items`. Items carry a title, a
reason, a due date and a link, never a victim's personal data: a case appears by its reference only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from joinedup.core.permissions import has_permission

DEFAULT_HORIZON = datetime.timedelta(days=14)


@dataclass(frozen=True)
class DueItem:
    title: str  # no personal data: a reference or a record's name
    why: str  # why it is on this person's list
    due: datetime.date
    url: str
    urgent: bool = False  # due within 24 hours (or a high-risk case)
    overdue: bool = False
    uid: str = field(default="")  # stable identity for calendars and reminders, e.g. "case-12-risk"
    # Filled in by `due_from` and `due_from_items` from the provider's kind and label.
    kind: str = field(default="", kw_only=True)  # the provider's key, e.g. "casework.risk_assessment"
    kind_label: str = field(default="", kw_only=True)  # plural label for counts, e.g. "Risk assessments"


@dataclass(frozen=True)
class Due:
    """One kind's answer: how many are due (and overdue) for the person, and the first few of them."""

    kind: str
    label: str
    count: int = 0
    overdue: int = 0
    items: list[DueItem] = field(default_factory=list)


Provider = Callable[..., Due]


def due_from(
    queryset: QuerySet[Any] | None,
    *,
    kind: str,
    label: str,
    due_field: str,
    overdue_before: datetime.date | datetime.datetime,
    limit: int | None,
    item: Callable[[Any], DueItem],
) -> Due:
    """The shared body of every provider: `queryset` is already restricted to the person and filtered to
    the window; count it and its overdue rows in one aggregate query, then build the first `limit` items
    (ordered by `due_field`) in one more. A None queryset means the person has none of this kind.

    `item(row)` gives a row's title, reason, due date, link and identity; its kind and kind label are the
    provider's, and it is overdue when its `due_field` is before `overdue_before` (as counted), so both
    are filled in here."""
    if queryset is None:
        return Due(kind, label)
    found = rows_from(queryset, due_field=due_field, overdue_before=overdue_before, limit=limit)
    return found.answer(kind=kind, label=label, due_field=due_field, overdue_before=overdue_before, item=item)


@dataclass(frozen=True)
class FoundRows:
    """A provider's rows before they become items: how many (and how many overdue), and the first `limit`
    of them in order of their due date (then id). Kept as rows so that the same rows can be read as items
    by different people (the reason, "Assigned to you", is worked out from the row and the reader)."""

    count: int = 0
    overdue: int = 0
    rows: tuple[Any, ...] = ()

    def answer(
        self,
        *,
        kind: str,
        label: str,
        due_field: str,
        overdue_before: datetime.date | datetime.datetime,
        item: Callable[[Any], DueItem],
    ) -> Due:
        """The rows as `item` reads them, with the provider's kind and label, overdue as counted."""

        def filled(row: Any) -> DueItem:
            due = _value_at(row, due_field)
            overdue = due is not None and due < overdue_before
            return replace(item(row), kind=kind, kind_label=label, overdue=overdue)

        return Due(kind, label, self.count, self.overdue, [filled(row) for row in self.rows])

    def plus(self, other: FoundRows, *, due_field: str, limit: int | None) -> FoundRows:
        """These rows and `other`'s, which must be none of these: counts added, and the first `limit` of
        both in the order the database gave each (due date, then id; a missing date last)."""

        def order(row: Any) -> tuple[bool, Any, Any]:
            due = _value_at(row, due_field)
            return (due is None, due if due is not None else 0, row.pk)

        rows = sorted((*self.rows, *other.rows), key=order)
        return FoundRows(
            self.count + other.count,
            self.overdue + other.overdue,
            tuple(rows if limit is None else rows[:limit]),
        )


def rows_from(
    queryset: QuerySet[Any],
    *,
    due_field: str,
    overdue_before: datetime.date | datetime.datetime,
    limit: int | None,
) -> FoundRows:
    """Count `queryset` and its overdue rows in one aggregate query, then read its first `limit` rows
    (ordered by `due_field`, then id) in one more, only when there are any to read."""
    totals = queryset.order_by().aggregate(
        count=Count("pk"), overdue=Count("pk", filter=Q(**{f"{due_field}__lt": overdue_before}))
    )
    count = totals["count"] or 0
    if not count or limit == 0:
        return FoundRows(count, totals["overdue"] or 0)
    rows = queryset.order_by(due_field, "pk")
    if limit is not None and count > limit:
        rows = rows[:limit]
    return FoundRows(count, totals["overdue"] or 0, tuple(rows))


@dataclass(frozen=True)
class Window:
    """When a provider looks: `today` (and `now`), and how far ahead (`horizon`)."""

    today: datetime.date
    now: datetime.datetime
    horizon: datetime.timedelta
    # Which of the person's rows are asked for (`theirs`): "all" of them; only those their "group" answers
    # for (anyone with their role, organisation and areas); or only their "own" rows outside those.
    part: str = "all"

    @property
    def until(self) -> datetime.date:
        """The last day that counts as due."""
        return self.today + self.horizon

    def theirs(self, group: Q, own: Q) -> Q:
        """The condition, within a provider's rows, for the rows the person answers for: those their group
        answers for (`group`, e.g. owned by their organisation) or those named for them (`own`, e.g. an
        action assigned to them). A provider that states its condition this way (`register_rows(...,
        own_apart=True)`) lets the daily digest read a group's rows once and add each named person's own
        rows outside them with a small query of their own."""
        if self.part == "group":
            return group
        if self.part == "own":
            return own & ~group
        return group | own


Rows = tuple[QuerySet[Any], Callable[[Any], DueItem]]
RowsFunction = Callable[[Any, Window], Rows | None]
_OVERDUE_FROM = ("today", "now", "never")


def register_rows(
    kind: str,
    label: str,
    *,
    due_field: str,
    permission: str | None = None,
    overdue_from: str = "today",
    same_for_group: bool = False,
    people_with_own: PeopleWithOwn | None = None,
    own_apart: bool = False,
) -> Callable[[RowsFunction], Provider]:
    """Decorator for the usual provider, whose items are the rows of one queryset: the decorated function
    `rows(user, window)` gives the rows the person may see and answers for, due by `window.until` (None when
    they have none of this kind), and how a row becomes an item. It is registered as the provider of
    `kind`, which answers nothing to a person without `permission` (when given) and otherwise counts, orders
    and limits the rows with `due_from`; a row is overdue when its `due_field` is before `overdue_from`
    ("today", "now" for a date-time field, or "never"). `same_for_group` and `people_with_own` say what the
    answer depends on, as for `register`.

    `own_apart=True` (with `people_with_own`) says that the person's rows are their group's plus their own:
    `rows` narrows its queryset with `window.theirs(group, own)`, where `group` is what anyone with the
    person's role, organisation and areas answers for and `own` what is named for the person alone, and
    its items read the person from the row (as "Assigned to you" does), not from how the row was found.
    The daily digest then reads the group's rows once and, for each person with own records, only their own
    rows outside the group's (`DueForPeople`)."""
    if overdue_from not in _OVERDUE_FROM:
        raise ValueError(f"overdue_from must be one of {_OVERDUE_FROM}")
    if own_apart and people_with_own is None:
        raise ValueError(f"{kind}: own_apart needs people_with_own")

    def decorate(rows: RowsFunction) -> Provider:
        def overdue_before(today: datetime.date, now: datetime.datetime) -> datetime.date | datetime.datetime:
            return {"today": today, "now": now, "never": datetime.date.min}[overdue_from]

        @wraps(rows)
        def provider(
            user: Any,
            *,
            today: datetime.date,
            now: datetime.datetime,
            horizon: datetime.timedelta,
            limit: int | None,
        ) -> Due:
            allowed = permission is None or has_permission(user, permission)
            found = rows(user, Window(today, now, horizon)) if allowed else None
            if found is None:
                return Due(kind, label)
            queryset, item = found
            return due_from(
                queryset,
                kind=kind,
                label=label,
                due_field=due_field,
                overdue_before=overdue_before(today, now),
                limit=limit,
                item=item,
            )

        def read(user: Any, *, part: str, when: Window, limit: int | None) -> ReadPart:
            allowed = permission is None or has_permission(user, permission)
            found = rows(user, replace(when, part=part)) if allowed else None
            if found is None:
                return FoundRows(), None
            queryset, item = found
            before = overdue_before(when.today, when.now)
            return rows_from(queryset, due_field=due_field, overdue_before=before, limit=limit), item

        def answer(found: FoundRows, item: Callable[[Any], DueItem] | None, *, when: Window) -> Due:
            if item is None:
                return Due(kind, label, found.count, found.overdue)
            before = overdue_before(when.today, when.now)
            return found.answer(kind=kind, label=label, due_field=due_field, overdue_before=before, item=item)

        apart = OwnApart(read, answer, due_field) if own_apart else None
        registered = register(kind, label, same_for_group=same_for_group, people_with_own=people_with_own)
        return registered(provider) if apart is None else _with_own_apart(registered(provider), kind, apart)

    return decorate


def _value_at(row: Any, path: str) -> Any:
    value = row
    for part in path.split("__"):
        value = getattr(value, part, None)
    return value


def due_from_items(
    kind: str,
    label: str,
    items: Iterable[DueItem],
    limit: int | None,
    *,
    key: Callable[[DueItem], Any] = lambda i: (i.due, i.uid),
) -> Due:
    """A provider's answer from items it worked out itself (due dates computed from a handful of records
    read in one query): each gets the kind and label, they are sorted by `key` (due date, then identity),
    counted with those overdue, and the first `limit` kept (all when None)."""
    made = sorted((replace(i, kind=kind, kind_label=label) for i in items), key=key)
    shown = made if limit is None else made[:limit]
    return Due(kind, label, len(made), sum(1 for i in made if i.overdue), shown)


PeopleWithOwn = Callable[..., set[int]]
ReadPart = tuple[FoundRows, Callable[[Any], DueItem] | None]


@dataclass(frozen=True)
class OwnApart:
    """How `DueForPeople` reads a kind registered with `own_apart=True` in two parts (`register_rows`)."""

    # read(user, part=, when=, limit=): the rows of `part` ("group" or "own"), and how the person reads a row
    # (None when they may have none of this kind).
    read: Callable[..., ReadPart]
    # answer(found, item, when=): the provider's answer from rows read (and merged).
    answer: Callable[..., Due]
    due_field: str


@dataclass(frozen=True)
class Registration:
    kind: str
    label: str
    provider: Provider
    # How the answer depends on the person (see `register` and `DueForPeople`).
    same_for_group: bool = False
    people_with_own: PeopleWithOwn | None = None
    own_apart: OwnApart | None = None


_REGISTRY: dict[str, Registration] = {}


def register(
    kind: str, label: str, *, same_for_group: bool = False, people_with_own: PeopleWithOwn | None = None
) -> Callable[[Provider], Provider]:
    """Decorator: `@register("csp.duty", "CSP duties", same_for_group=True)` on a provider function in
    `<app>/due.py`. The keywords say what the provider's answer depends on, so that the daily digest can read
    it once for many people (`DueForPeople`):

    - `same_for_group=True`: only on what the grouping key holds (`group_key`: role, organisation and the
      areas the person works for), never on who they are;
    - `people_with_own=f`: on the grouping key, and on the person's own records too (a case they lead, an
      action assigned to them by name, an application they score). `f(user_ids, today=, now=, horizon=)`
      returns those of `user_ids` who have any record of that kind that could appear on their list (more is
      safe, fewer is not): everyone else in a group gets the answer of a group member who has none;
    - neither (the default): on anything about the person, so it is asked for each person."""
    if same_for_group and people_with_own is not None:
        raise ValueError(f"{kind}: same_for_group and people_with_own exclude each other")

    def decorate(provider: Provider) -> Provider:
        _REGISTRY[kind] = Registration(kind, label, provider, same_for_group, people_with_own)
        return provider

    return decorate


def _with_own_apart(provider: Provider, kind: str, apart: OwnApart) -> Provider:
    _REGISTRY[kind] = replace(_REGISTRY[kind], own_apart=apart)
    return provider


def registrations() -> list[Registration]:
    return list(_REGISTRY.values())


def due_by_kind(
    user: Any,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    horizon: datetime.timedelta = DEFAULT_HORIZON,
    limit: int | None = None,
) -> list[Due]:
    """Each registered kind's answer for `user`: counts, and the first `limit` items (all when None)."""
    if not _may_have_work(user):
        return [Due(r.kind, r.label) for r in _REGISTRY.values()]
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    return [
        registration.provider(user, today=today, now=now, horizon=horizon, limit=limit)
        for registration in _REGISTRY.values()
    ]


def _may_have_work(user: Any) -> bool:
    return (
        user is not None
        and bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "role", ""))
    )


def group_key(user: Any) -> tuple[Any, ...]:
    """What a person's restricted reads depend on, other than who they are: people with the same key see
    exactly the same rows through every rule a provider reads through.

    Why this is enough (checked against each rule the providers use, docs/adr/0020):
    - `has_permission` without an object reads the role and `is_active` (and `is_authenticated`, true of
      every account);
    - `restrict` adds the force scope, worked out from the areas the person works for (`force_area_ids`),
      and the rule's own filter, which reads the organisation (casework's sharing rule, agreements, CSP plan
      actions, partnership leads, performance returns), the areas (`scope_areas`: CSP duties and DHRs) or
      the role (performance's Panel rule), and for scoring the person themselves (declared by its provider
      with `people_with_own`);
    - object checks (`has_permission(user, "performance.view", indicator)`) read the same three.
    A rule that starts to read anything else about the person must add it here."""
    from joinedup.core.permissions import own_area_ids

    return (user.role, user.organisation_id, bool(user.is_active), own_area_ids(user))


class DueForPeople:
    """Each registered kind's answer for many people, read once per group of people who would see the same
    items (`group_key`) instead of once per person: the daily digest's reads grow with the number of
    groups (a force's staff fall into tens of them), not with the number of people.

    The answer for each person is exactly `due_by_kind(person, ...)`'s:
    - a `same_for_group` kind depends on nothing but the key, so one member's answer is every member's;
    - a `people_with_own` kind depends on the key and the person's own records. For a member with none of
      those records (its `people_with_own` finds the people who have any, for a whole batch in one query)
      the personal half of the provider's condition matches nothing, so their answer is that of any other
      such member of the group, which is read once. A member with some is asked for alone, unless the kind
      was registered `own_apart`: then their answer is the group's rows (read once, as they are the rows
      of the members with none) plus their own rows outside them, read with a small query of their own, each
      row read as an item by them (so their own read "Assigned to you");
    - any other kind is asked for each person.
    Answers are kept per group for the whole run (the same `today`, `now`, `horizon` and `limit`)."""

    def __init__(
        self,
        *,
        today: datetime.date,
        now: datetime.datetime,
        horizon: datetime.timedelta = DEFAULT_HORIZON,
        limit: int | None = None,
    ) -> None:
        self.today, self.now, self.horizon, self.limit = today, now, horizon, limit
        self._shared: dict[tuple[tuple[Any, ...], str], Due] = {}  # (group, kind) -> the group's answer
        self._group_rows: dict[tuple[tuple[Any, ...], str], FoundRows] = {}  # the same, as rows (own_apart)

    def _ask(self, registration: Registration, user: Any) -> Due:
        return registration.provider(
            user, today=self.today, now=self.now, horizon=self.horizon, limit=self.limit
        )

    def _window(self) -> Window:
        return Window(self.today, self.now, self.horizon)

    def _group_answer(self, r: Registration, user: Any, key: tuple[Any, ...]) -> Due:
        """The answer of `user`'s group for `r`, read with `user` (who has no own records of its kind)."""
        shared = self._shared.get((key, r.kind))
        if shared is None:
            if r.own_apart is None:
                shared = self._ask(r, user)
            else:  # the same answer, kept as rows too for the group's named members
                found, item = r.own_apart.read(user, part="group", when=self._window(), limit=self.limit)
                self._group_rows[(key, r.kind)] = found
                shared = r.own_apart.answer(found, item, when=self._window())
            self._shared[(key, r.kind)] = shared
        return shared

    def _group_and_own(self, r: Registration, apart: OwnApart, user: Any, key: tuple[Any, ...]) -> Due:
        """`user`'s answer for `r` as their group's rows plus their own rows outside them."""
        when = self._window()
        group = self._group_rows.get((key, r.kind))
        if group is None:  # no member without own records read it yet: read the group's part with `user`
            group, _item = apart.read(user, part="group", when=when, limit=self.limit)
            self._group_rows[(key, r.kind)] = group
        own, item = apart.read(user, part="own", when=when, limit=self.limit)
        return apart.answer(group.plus(own, due_field=apart.due_field, limit=self.limit), item, when=when)

    def for_people(self, users: list[Any]) -> list[list[Due]]:
        """Each person's answers, kind by kind in the registry's order (as `due_by_kind`), in their order."""
        from joinedup.core.permissions import load_own_areas

        regs = registrations()
        load_own_areas(users)
        ids = [user.pk for user in users if _may_have_work(user)]
        with_own = {
            r.kind: r.people_with_own(ids, today=self.today, now=self.now, horizon=self.horizon)
            for r in regs
            if r.people_with_own is not None and ids
        }
        named = set().union(*with_own.values())
        answers: dict[int, list[Due]] = {}
        # The people with no own records first, so that a group's answer is read with one of them and their
        # items can be every such member's.
        for index in sorted(range(len(users)), key=lambda i: users[i].pk in named):
            user = users[index]
            if not _may_have_work(user):
                answers[index] = [Due(r.kind, r.label) for r in regs]
                continue
            key = group_key(user)
            mine = []
            for r in regs:
                if r.same_for_group or (r.people_with_own is not None and user.pk not in with_own[r.kind]):
                    mine.append(self._group_answer(r, user, key))
                elif r.own_apart is not None:
                    mine.append(self._group_and_own(r, r.own_apart, user, key))
                else:
                    mine.append(self._ask(r, user))
            answers[index] = mine
        return [answers[index] for index in range(len(users))]


def sort_items(items: list[DueItem]) -> list[DueItem]:
    """Most urgent first, then by due date."""
    return sorted(items, key=lambda i: (not i.urgent, i.due, i.kind, i.title))


def due_items(
    user: Any,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    horizon: datetime.timedelta = DEFAULT_HORIZON,
    limit: int | None = None,
) -> list[DueItem]:
    """Everything due for `user` by `today + horizon` and everything overdue (at most `limit` of each kind),
    most urgent first."""
    answers = due_by_kind(user, today=today, now=now, horizon=horizon, limit=limit)
    return sort_items([item for answer in answers for item in answer.items])


def counts_by_kind(answers: list[Due]) -> list[dict[str, Any]]:
    """Per kind: its label, how many, how many overdue (every registered kind, zeros included)."""
    rows = [{"kind": a.kind, "label": a.label, "count": a.count, "overdue": a.overdue} for a in answers]
    return sorted(rows, key=lambda r: str(r["label"]))


HOME_LIMIT = 10  # items of each kind on the staff home page (it shows the ten most urgent)
PAGE_LIMIT = 50  # items of each kind on the Your work page


@dataclass
class YourWork:
    items: list[DueItem]  # the first `limit` of each kind, most urgent first
    counts: list[dict[str, Any]]
    urgent: list[DueItem]
    overdue: int
    today: datetime.date
    total: int  # how many are due in all
    limit: int | None

    @property
    def more(self) -> bool:
        """Whether some kind has more items than are listed."""
        return len(self.items) < self.total


def your_work(
    *, user: Any, now: datetime.datetime | None = None, limit: int | None = PAGE_LIMIT, kind: str = ""
) -> YourWork:
    """Counts per kind from the database and the first `limit` items of each kind (of `kind` alone when
    given): a fixed number of queries whatever the data size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    answers = due_by_kind(user, today=today, now=now, limit=limit)
    shown = [a for a in answers if a.kind == kind] if kind else answers
    items = sort_items([item for answer in shown for item in answer.items])
    return YourWork(
        items=items,
        counts=counts_by_kind(answers),
        urgent=[item for item in items if item.urgent],
        overdue=sum(a.overdue for a in answers),
        today=today,
        total=sum(a.count for a in shown),
        limit=limit,
    )
