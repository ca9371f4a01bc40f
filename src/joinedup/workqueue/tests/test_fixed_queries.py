"""'Your work' reads counts in the database and only the rows it shows: the same number of queries for a
handful of due items as for many times more (issue 16's fixed query count)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.casework.models import ActionType, Case, CaseAction
from joinedup.workqueue.selectors import HOME_LIMIT, PAGE_LIMIT, your_work


def _add_cases(world: dict[str, Any], count: int) -> None:
    """`count` open cases the police lead, each with a risk assessment and an action due."""
    police, lsoa = world["police"], world["areas"]["E01900001"]
    soon = timezone.now() + datetime.timedelta(hours=6)
    for n in range(count):
        case = Case.objects.create(area=lsoa, lead_organisation=police, risk_assessment_due_at=soon)
        CaseAction.objects.create(
            case=case,
            owner_organisation=police,
            action_type=ActionType.REASSURANCE,
            due_date=timezone.localdate() + datetime.timedelta(days=n % 10),
        )


def _queries(user: Any, path: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    client.get(path)  # the session and caches warmed once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_your_work_makes_the_same_queries_for_few_and_many_items(world: dict[str, Any]) -> None:
    police = world["users"]["police"]
    _add_cases(world, 3)
    small = {path: _queries(police, path) for path in ("/staff/", "/staff/your-work/")}
    assert "Risk assessments</a>: 3" in small["/staff/your-work/"][1]

    _add_cases(world, PAGE_LIMIT + 7)  # past the page's limit of each kind
    large = {path: _queries(police, path) for path in ("/staff/", "/staff/your-work/")}
    total = PAGE_LIMIT + 10
    page = large["/staff/your-work/"][1]
    assert f"Risk assessments</a>: {total}" in page and f"Case actions</a>: {total}" in page
    assert f"Showing the first {PAGE_LIMIT} of each kind" in page
    assert {path: n for path, (n, _html) in large.items()} == {path: n for path, (n, _html) in small.items()}

    work = your_work(user=police, limit=HOME_LIMIT)
    assert len(work.items) == 2 * HOME_LIMIT and work.total == 2 * total
    assert f"See all your work ({2 * total})" in large["/staff/"][1]
