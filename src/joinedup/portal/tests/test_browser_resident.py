"""Issue 19's done-when journey in Chromium, on the real Northumbria data (axe checks every page): a resident
searches "Newcastle" and reads the area's crime figures, which match a count of the published files made here
with the csv module; votes in a neighbourhood meeting by confirming the link emailed to them (read from a
real SMTP server) and answers a consultation; an officer tallies the paper votes and publishes the action
plan and what was done; the resident reads "you said, we did", then the same pages in Welsh.

The applicant's online ASB case review and its status page are walked in
casework/tests/test_review_applications.py, not again here."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from joinedup.engagement import meetings, services
from joinedup.engagement.models import NeighbourhoodMeeting, Response
from joinedup.notifications.mailsink import MailCatcher
from joinedup.portal.tests.test_welsh import welsh_date

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]

NEWCASTLE_CSP = "E22000245"
ZIP = "northumbria_2020-05_2023-03.zip"
ASB = "Anti-social behaviour"
PRIORITIES = ("Speeding on Shields Road", "Drug dealing in Heaton Park", "Litter in the back lanes")


def _shared() -> Path:
    folder = Path(django_settings.SHARED_DATA_DIR)
    if not (folder / "police_uk" / ZIP).is_file() or not (folder / "lookups").is_dir():
        pytest.skip(f"The shared Northumbria data is not at {folder} (set JOINEDUP_SHARED_DATA to its path).")
    return folder


def published_counts(zip_path: Path, first: str, last: str) -> Counter[tuple[str, str]]:
    """Street rows per (month, crime type) in Newcastle upon Tyne from `first` to `last` (YYYY-MM), counted
    straight from the published CSV files: an LSOA's name in them starts with its district's name."""
    counts: Counter[tuple[str, str]] = Counter()
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            month = name.rsplit("/", 1)[-1][:7]
            if not name.endswith("-street.csv") or not first <= month <= last:
                continue
            with archive.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                    if row["LSOA name"].startswith("Newcastle upon Tyne "):
                        counts[(month, row["Crime type"])] += 1
    return counts


def number(text: str) -> int:
    return int(text.strip().split(":")[0].replace(",", ""))


def _click(page: Any, role: str, name: str, **kwargs: Any) -> None:
    page.get_by_role(role, name=name, **kwargs).click()
    page.wait_for_load_state()
    page.check_accessibility()


@pytest.fixture
def newcastle(tmp_path: Path, settings: Any, live_server: Any) -> dict[str, Any]:
    """The real geography and Northumbria's street data; a council officer running a Heaton meeting (open
    for votes) and a consultation for Newcastle upon Tyne."""
    folder = _shared()
    from joinedup.core.services.areas_import import import_areas
    from joinedup.insight.imports.importer import import_police_data

    settings.DATA_DIR = tmp_path
    settings.JOINEDUP_SITE_URL = live_server.url  # so the emailed link leads to this server
    import_areas(folder)
    import_police_data([folder / "police_uk" / ZIP])  # the whole file: about ten seconds

    csp = Area.objects.get(code=NEWCASTLE_CSP)
    council = OrganisationFactory(name="Newcastle City Council", sector="la_district")
    officer = UserFactory(
        role=Role.CSP_MANAGER, email="officer@example.org", organisation=council, areas=[csp]
    )
    today = date.today()
    meeting = meetings.save_meeting(
        actor=officer,
        data={
            "title": "Heaton neighbourhood meeting",
            "area": "E08000021",
            "held_on": today.isoformat(),
            "place": "Heaton Community Centre",
            "voting_closes_on": (today + timedelta(days=7)).isoformat(),
        },
    )
    for title in PRIORITIES:
        meetings.add_priority(actor=officer, meeting=meeting, data={"title": title})
    meeting.refresh_from_db()
    meetings.save_meeting(
        actor=officer, meeting=meeting, expected_version=meeting.version, data={"published": True}
    )
    consultation = services.save_consultation(
        actor=officer,
        data={
            "title": "Newcastle community safety priorities",
            "summary": "Which problems should the partnership tackle first?",
            "area": NEWCASTLE_CSP,
            "opens_on": (today - timedelta(days=1)).isoformat(),
            "closes_on": (today + timedelta(days=20)).isoformat(),
        },
    )
    for data in (
        {
            "text": "What worries you most?",
            "kind": "single",
            "options": "Speeding\nBurglary\nLitter",
            "required": True,
        },
        {"text": "I feel safe after dark", "kind": "scale"},
        {"text": "Anything else?", "kind": "text"},
    ):
        services.save_question(actor=officer, consultation=consultation, data=data)
    consultation.refresh_from_db()
    services.save_consultation(
        actor=officer,
        consultation=consultation,
        expected_version=consultation.version,
        data={"published": True},
    )
    return {"zip": folder / "police_uk" / ZIP, "meeting": meeting, "officer": officer}


def test_a_resident_reads_newcastle_votes_answers_and_reads_you_said_we_did_in_english_and_welsh(
    page: Any, newcastle: dict[str, Any]
) -> None:
    # The resident searches from the home page and chooses the partnership among the matches.
    page.visit("/")
    page.get_by_label("Your area").fill("Newcastle")
    _click(page, "button", "Find your area")
    # The district and the partnership share the name; each link says which it is.
    page.get_by_role("link", name="Newcastle upon Tyne (community safety partnership)", exact=True).click()
    page.wait_for_load_state()
    page.check_accessibility()
    area_url = page.url
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Newcastle upon Tyne"

    # The figures for the period the page states are those of the published files.
    period = re.search(r"from (\d{4}-\d{2}) to (\d{4}-\d{2}), compared", main.inner_text())
    assert period is not None, "the page states the period of its figures"
    by_month_and_type = published_counts(newcastle["zip"], period.group(1), period.group(2))
    counted: Counter[str] = Counter()
    for (_month, crime_type), n in by_month_and_type.items():
        counted[crime_type] += n
    summary = {
        row.locator("dt").inner_text(): row.locator("dd").inner_text()
        for row in main.locator(".govuk-summary-list__row").all()
    }
    assert number(summary["Crimes (not counting ASB)"]) == sum(
        counts for t, counts in counted.items() if t != ASB
    )
    assert number(summary["Anti-social behaviour"]) == counted[ASB]
    by_type = main.locator("table").filter(has=page.locator("caption", has_text="By type"))
    table = {
        row.locator("th").inner_text(): number(row.locator("td").first.inner_text())
        for row in by_type.locator("tbody tr").all()
    }
    assert table == dict(counted)
    # Each month's crimes (not counting ASB) and ASB, in the table beside the chart, are the files' too.
    each_month = main.locator("table").filter(has=page.locator("caption", has_text="Each month"))
    months = {
        row.locator("th").inner_text(): [number(cell.inner_text()) for cell in row.locator("td").all()]
        for row in each_month.locator("tbody tr").all()
    }
    expected: dict[str, list[int]] = {}
    for (month, crime_type), n in by_month_and_type.items():
        crimes_and_asb = expected.setdefault(month, [0, 0])
        crimes_and_asb[crime_type == ASB] += n
    assert months == expected and len(months) == 12

    # The Heaton meeting: the resident votes, and the vote counts once they confirm the emailed link.
    meeting = newcastle["meeting"]
    with (
        MailCatcher() as smtp,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp.port,
            EMAIL_TIMEOUT=5,
        ),
    ):
        _click(page, "link", "Heaton neighbourhood meeting")
        page.get_by_label("Drug dealing in Heaton Park").check()
        page.get_by_label("Your email address").fill("sam.resident@example.org")
        _click(page, "button", "Vote", exact=True)
        assert "Check your email to confirm your vote" in page.locator("h1").inner_text()
        assert smtp.handler.received.wait(10)
        [mail] = [m for m in smtp.messages if m["To"] == "sam.resident@example.org"]
    link = re.search(r"http\S+/votes/\S+/", mail.get_content())
    assert link is not None
    page.visit(link.group(0).replace(page.base_url, ""))
    _click(page, "button", "Confirm my vote")
    assert "Your vote has been counted" in page.locator("main").inner_text()

    # Then answers the consultation listed on the area's page.
    page.visit(area_url.replace(page.base_url, ""))
    _click(page, "link", "Newcastle community safety priorities")
    page.get_by_label("Burglary").check()
    page.get_by_label("2", exact=True).check()
    page.get_by_label("Anything else? (optional)").fill("Cars race down Shields Road after midnight.")
    _click(page, "button", "Send my answers")
    assert "Your answers have been recorded" in page.locator("main").inner_text()
    [answered] = Response.objects.filter(consultation__title="Newcastle community safety priorities")
    assert not answered.contact_consent and answered.contact_email == ""  # anonymous
    assert {a.question.text: (a.choices, a.scale, a.text) for a in answered.answers.all()} == {
        "What worries you most?": (["Burglary"], None, ""),
        "I feel safe after dark": ([], 2, ""),
        "Anything else?": ([], None, "Cars race down Shields Road after midnight."),
    }

    # Online voting closes; the officer tallies the paper votes and publishes the action plan and an update.
    NeighbourhoodMeeting.objects.filter(pk=meeting.pk).update(
        voting_closes_on=date.today() - timedelta(days=1)
    )
    page.sign_in(newcastle["officer"].email, TEST_PASSWORD)
    page.visit("/staff/consultations/meetings/")
    _click(page, "link", "Heaton neighbourhood meeting")
    paper = page.locator("form").filter(has=page.get_by_role("button", name="Record the paper votes"))
    for title, votes in zip(PRIORITIES, ("4", "17", "9"), strict=True):
        paper.get_by_label(title, exact=True).fill(votes)
    _click(page, "button", "Record the paper votes")
    assert "Paper votes recorded" in page.locator("main").inner_text()
    page.get_by_label("Drug dealing in Heaton Park (18 votes)").fill(
        "Weekly patrols of the park with the council's wardens."
    )
    _click(page, "button", "Publish the action plan")
    assert "Action plan published: 1 priority" in page.locator("main").inner_text()
    page.get_by_label("What the partners did about “Drug dealing in Heaton Park”").fill(
        "Two dealers arrested; new lighting by the lake."
    )
    _click(page, "button", "Publish the update on Drug dealing in Heaton Park")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    # Later the resident reads "you said, we did".
    page.visit("/")
    _click(page, "link", "Neighbourhood meetings")
    _click(page, "link", "Heaton neighbourhood meeting")
    main = page.locator("main")
    said = main.inner_text()
    assert "You said: Drug dealing in Heaton Park" in said
    assert "Weekly patrols of the park" in said and "Two dealers arrested" in said
    assert "You said: Litter" not in said

    # The same pages in Welsh, chosen with the switch.
    _click(page, "button", "Cymraeg")
    assert page.locator("html").get_attribute("lang") == "cy"
    said = page.locator("main").inner_text()
    assert "Dywedoch chi, gwnaethon ni" in said and "Dywedoch chi: Drug dealing in Heaton Park" in said
    assert f"Gwnaethon ni ({welsh_date(date.today())}):" in said  # dates in Welsh too
    assert "You said, we did" not in said
    page.visit(area_url.replace(page.base_url, ""))
    assert page.locator("html").get_attribute("lang") == "cy"
    welsh = page.locator("main").inner_text()
    assert "Troseddau ac ymddygiad gwrthgymdeithasol a gofnodwyd" in welsh and "Dweud eich dweud" in welsh
    assert "Have your say" not in welsh
    crimes = page.locator("dt", has_text="Troseddau (heb gyfrif ymddygiad gwrthgymdeithasol)")
    assert number(crimes.locator("xpath=../dd").inner_text()) == number(summary["Crimes (not counting ASB)"])
    _click(page, "link", "Newcastle community safety priorities")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("button", name="Anfon fy atebion").is_visible()
