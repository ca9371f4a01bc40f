"""How a declared list's column shows a value in the table (`core.lists.Column.display`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from joinedup.core.lists import Column


def test_a_date_time_is_shown_in_local_time_in_the_columns_format():
    summer_evening = datetime.datetime(
        2026, 7, 1, 23, 30, 5, tzinfo=datetime.UTC
    )  # 00:30 on 2 July in London
    assert Column("when", "When", kind="date").display(summer_evening) == "2 July 2026"
    assert Column("when", "When", kind="date", date_format="j M Y H:i:s").display(summer_evening) == (
        "2 Jul 2026 00:30:05"
    )
    winter = datetime.datetime(2026, 12, 6, 17, 0, tzinfo=datetime.UTC)
    assert (
        Column("when", "When", kind="date", date_format="j F Y, H:i").display(winter)
        == "6 December 2026, 17:00"
    )
    assert Column("when", "When", kind="date", empty="Never").display(None) == "Never"
    assert Column("on", "On", kind="date").display(datetime.date(2026, 12, 6)) == "6 December 2026"
    assert timezone.get_current_timezone_name() == "Europe/London"
