"""`joinedup performance demo` (what `./run` loads) has an indicator from a contract KPI and one from a grant
outcome measure, their values worked out from `joinedup funding demo`'s returns: the KPI's quarter the mean
of the supplier's three monthly returns, the grant's the accepted quarterly return."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from joinedup.core.demo import load_demo
from joinedup.csp.demo import load_csp_demo
from joinedup.funding.demo import load_funding_demo
from joinedup.partnerships.demo import load_partnership_demo
from joinedup.partnerships.demo import load_year_demo as load_partnerships_year
from joinedup.performance.demo import load_performance_demo
from joinedup.performance.models import Indicator, Status

pytestmark = pytest.mark.django_db

# A day in the plan's first year, after two of its quarters have ended (the plan starts on 1 April 2026).
TODAY = datetime.date(2026, 12, 7)


def test_the_demo_has_computed_indicators_from_a_contract_kpi_and_a_grant_measure(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    quiet: list[str] = []
    load_demo(shared_data_dir=tmp_path, out=quiet.append)
    load_partnership_demo(out=quiet.append)
    load_partnerships_year(out=quiet.append)
    load_funding_demo(out=quiet.append)
    load_csp_demo(out=quiet.append)
    load_performance_demo(out=quiet.append)

    kpi = Indicator.objects.get(source="contract")
    values = {v.period_start: v for v in kpi.values.filter(current=True)}
    first, second = values[datetime.date(2026, 4, 1)], values[datetime.date(2026, 7, 1)]
    # Days to first contact, monthly: 2.6, 2.4, 2.1 in the first quarter; 2.3, 1.9, 1.8 in the second.
    assert (first.value, first.status) == (Decimal("2.37"), Status.OFF_TRACK)
    assert (second.value, second.status) == (Decimal("2.00"), Status.ON_TRACK)
    assert "The mean of 3 supplier returns ending in the period" in second.reason

    grant = Indicator.objects.get(source="grant")
    values = {v.period_start: v for v in grant.values.filter(current=True)}
    # Awarded on 14 June (two weeks after the round closed); its first return is due on 30 September.
    assert values[datetime.date(2026, 4, 1)].status == Status.NO_DATA
    assert values[datetime.date(2026, 7, 1)].value == Decimal("38.00")
    assert "starts before the period" in values[datetime.date(2026, 7, 1)].reason

    # Loaded again: nothing is added.
    assert load_funding_demo(out=quiet.append) == []
    load_performance_demo(out=quiet.append)
    assert Indicator.objects.filter(source__in=["contract", "grant"]).count() == 2
