"""Issue 16 in Chromium (axe checks every page): the police practitioner's home page opens on the risk
assessment due within 24 hours; an action assigned to the council reaches its practitioner by email (read
from a real SMTP server) and in their notifications; the digest goes out from the scheduler; the calendar
feed is valid iCalendar; search finds a partnership by part of its name and a case by its reference, and
nothing the searcher may not see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from joinedup.casework.demo import load_casework_demo
from joinedup.casework.models import Case
from joinedup.casework.services import add_action
from joinedup.core.demo import load_demo
from joinedup.core.models import User
from joinedup.notifications.mailsink import MailCatcher
from joinedup.notifications.scheduler import TIMETABLE, tick
from joinedup.partnerships.tests.factories import PartnershipFactory

pytestmark = [pytest.mark.browser]
PASSWORD = settings.JOINEDUP_DEMO_PASSWORD
POLICE, COUNCIL, HOUSING = (
    "practitioner.police@example.org",
    "practitioner.council@example.org",
    "practitioner.housing@example.org",
)


@pytest.fixture
def demo_day(transactional_db: Any, tmp_path: Any) -> Case:
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)
    load_casework_demo(out=lambda line: None)
    police = User.objects.get(email=POLICE)
    case = Case.objects.filter(
        risk_assessment_due_at__isnull=False, lead_organisation=police.organisation
    ).first()
    assert case is not None
    Case.objects.filter(pk=case.pk).update(
        risk_assessment_due_at=timezone.now() + datetime.timedelta(hours=5)
    )
    return case


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_your_work_notifications_digest_calendar_and_search(page: Any, demo_day: Case) -> None:
    case = demo_day
    PartnershipFactory(name="Tyneside Reducing Reoffending Board")
    with (
        MailCatcher() as smtp,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp.port,
        ),
    ):
        # The police practitioner's home page opens on the risk assessment due within 24 hours.
        page.sign_in(POLICE, PASSWORD)
        first = page.locator("table.govuk-table tbody tr").first
        assert f"Risk assessment for case {case.reference}" in first.inner_text()
        assert "Due within 24 hours" in first.inner_text()

        # An action assigned to the council's organisation reaches the council practitioner by email.
        council = User.objects.get(email=COUNCIL)
        add_action(
            actor=User.objects.get(email=POLICE),
            case=case,
            data={
                "owner_organisation": council.organisation_id,
                "action_type": "eva",
                "due_date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            },
        )
        assert smtp.handler.received.wait(10)
        [email] = [m for m in smtp.messages if m["To"] == COUNCIL]
        assert case.reference in email.get_content()

        # The search box finds a partnership by part of its name and the case by its reference.
        page.get_by_role("searchbox", name="Search Joined Up").fill("reducing reoff")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_load_state()
        page.check_accessibility()
        assert "Tyneside Reducing Reoffending Board" in page.locator("main").inner_text()
        page.visit(f"/staff/search/?q={case.reference}")
        assert f"Case {case.reference}" in page.locator("main").inner_text()

        # The calendar feed opens as a valid iCalendar file with the due date in it.
        page.visit("/staff/your-work/calendar/")
        page.get_by_role("button", name="Get my calendar addresses").click()
        page.wait_for_load_state()
        page.check_accessibility()
        feed_url = page.locator("code").first.inner_text()
        feed = page.request.get(feed_url)
        assert feed.status == 200
        summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")]
        assert f"Risk assessment for case {case.reference}" in summaries
        _sign_out(page)

        # The council practitioner sees it in their notifications; the housing association finds nothing.
        page.sign_in(COUNCIL, PASSWORD)
        page.visit("/staff/notifications/")
        assert case.reference in page.locator("main").inner_text()
        _sign_out(page)
        page.sign_in(HOUSING, PASSWORD)
        page.visit(f"/staff/search/?q={case.reference}")
        assert "Nothing you can see matches" in page.locator("main").inner_text()
        assert case.reference not in page.locator("main").inner_text().replace(f'"{case.reference}"', "")

        # The digest runs from the scheduler at its time, once.
        digest = next(job for job in TIMETABLE if job.name == "daily_digest")
        seven = timezone.localtime().replace(hour=7, minute=1, second=0, microsecond=0)
        [run] = tick(instance="browser-test", now=seven, jobs=[digest])
        assert run.outcome == "succeeded"
        assert tick(instance="another", now=seven + datetime.timedelta(hours=1), jobs=[digest]) == []
        assert any(m["To"] == POLICE and "your work for" in m["Subject"] for m in smtp.messages)
