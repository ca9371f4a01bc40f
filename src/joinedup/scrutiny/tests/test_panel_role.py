"""The Police and Crime Panel member's work end to end (issue 14, "A role that cannot work").

Workspace, briefing notes received, recommendations recorded and the PCC's responses tracked, the read-only
spend reports, published assessments and casework KPIs with small counts suppressed; and a walk over every
link the Panel member is shown from their home page, two levels deep.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from joinedup.casework.tests.conftest import incident_data, world  # noqa: F401  (fixtures)
from joinedup.core.disclosure import suppress_rows
from joinedup.core.roles import Role
from joinedup.csp.models import BriefingNote, BriefingStatus
from joinedup.scrutiny.models import ImplementationStatus, PanelRecommendation
from joinedup.scrutiny.tests.factories import make_panel_recommendation

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_the_demo_panel_member_works_in_the_force_area():
    from joinedup.core.demo import DEMO_ACCOUNTS, PFA

    panel = [a for a in DEMO_ACCOUNTS if a[1] == Role.PANEL_MEMBER]
    assert panel and all(code == PFA for *_, code in panel)


def test_the_workspace_lists_submitted_briefing_notes_and_the_list_counts_them(areas, client_for):
    BriefingNote.objects.create(
        csp=areas["north"], year=2025, quarter=1, status=BriefingStatus.SUBMITTED, submitted_on=TODAY
    )
    BriefingNote.objects.create(csp=areas["south"], year=2025, quarter=1)  # a draft
    panel = client_for(Role.PANEL_MEMBER)
    page = panel.get("/staff/csp/panel/workspace/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "North Testshire: Briefing note Q1" in text
    assert "South Testshire: Briefing note" not in text
    listing = panel.get("/staff/csp/briefings/").content.decode()
    assert "0 notes" not in listing and "North Testshire" in listing
    submitted = BriefingNote.objects.get(csp=areas["north"])
    assert panel.get(f"/staff/csp/briefings/{submitted.pk}/").status_code == 200


def test_the_panel_records_a_recommendation_and_tracks_the_pccs_response(areas, client_for):
    panel = client_for(Role.PANEL_MEMBER)
    workspace = panel.get("/staff/csp/panel/workspace/").content.decode()
    assert 'href="/staff/csp/panel/new/"' in workspace
    assert panel.get("/staff/csp/panel/new/").status_code == 200
    response = panel.post(
        "/staff/csp/panel/new/",
        {
            "title": "Publish CSP spend",
            "recommendation": "Publish each CSP's spend every quarter.",
            "made_on": (TODAY - datetime.timedelta(days=40)).isoformat(),
            "response_due": (TODAY - datetime.timedelta(days=10)).isoformat(),
            "csp": areas["north"].pk,
        },
    )
    item = PanelRecommendation.objects.get(title="Publish CSP spend")
    assert response.status_code == 302 and item.force_area == areas["pfa"]
    workspace = panel.get("/staff/csp/panel/workspace/").content.decode()
    awaiting = workspace.split('id="awaiting"')[1].split("</table>")[0]
    assert "Publish CSP spend" in awaiting and "Overdue" in awaiting

    officer = client_for(Role.OPCC_OFFICER)
    officer.post(
        f"/staff/csp/panel/{item.pk}/edit/",
        {
            "version": item.version,
            "pcc_response": "Agreed: from the next quarter.",
            "response_on": TODAY.isoformat(),
            "status": ImplementationStatus.ACCEPTED,
            "implementation": "",
        },
    )
    item.refresh_from_db()
    assert item.status == ImplementationStatus.ACCEPTED and item.response_on == TODAY
    workspace = panel.get("/staff/csp/panel/workspace/").content.decode()
    assert "the PCC has responded to every recommendation" in workspace


def test_another_force_areas_recommendation_is_not_found_for_the_panel(areas, client_for):
    from joinedup.core.tests.factories import AreaFactory

    elsewhere = make_panel_recommendation(
        force_area=AreaFactory(level="pfa", code="E23000999", name="Elsewhere")
    )
    assert client_for(Role.PANEL_MEMBER).get(f"/staff/csp/panel/{elsewhere.pk}/").status_code == 404


def test_the_panel_reads_spend_reports_but_not_funds_or_the_monitoring_chase_list(client_for):
    panel = client_for(Role.PANEL_MEMBER)
    listing = panel.get("/staff/funding/reports/")
    assert listing.status_code == 200
    assert b"Spend by Community Safety Partnership" in listing.content
    assert b"Monitoring returns" not in listing.content
    assert panel.get("/staff/funding/reports/spend-by-csp/").status_code == 200
    assert panel.get("/staff/funding/reports/monitoring-due/").status_code == 404
    assert panel.get("/staff/funding/").status_code == 404
    assert client_for(Role.OPCC_OFFICER).get("/staff/funding/reports/monitoring-due/").status_code == 200


def test_the_panel_reads_published_assessments_only(areas, users, settings, tmp_path):
    from joinedup.insight.models import AssessmentStatus
    from joinedup.insight.tests.access import _saved_assessment

    settings.DATA_DIR = tmp_path / "var"
    draft = _saved_assessment()
    published = type(draft).objects.get(pk=draft.pk)
    published.pk = None
    published.edition = 2
    published.title = "North Testshire published assessment"
    published.status = AssessmentStatus.PUBLISHED
    published.save()
    panel = Client()
    panel.force_login(users[Role.PANEL_MEMBER])
    listing = panel.get("/staff/insight/saved/").content.decode()
    assert "North Testshire published assessment" in listing
    assert f'href="/staff/insight/saved/{draft.pk}/"' not in listing
    assert panel.get(f"/staff/insight/saved/{published.pk}/").status_code == 200
    assert panel.get(f"/staff/insight/saved/{published.pk}/assessment.pdf").status_code == 200
    assert panel.get(f"/staff/insight/saved/{draft.pk}/").status_code == 404
    # Reading is all: the Panel cannot write a narrative or save an assessment.
    assert panel.get(f"/staff/insight/saved/{published.pk}/narrative/").status_code == 404


def test_suppression_hides_counts_of_one_and_two_and_what_is_worked_out_from_them():
    rows = [
        {"n": 0, "k": 2, "p": 100.0},
        {"n": 1, "k": 3, "p": 50.0},
        {"n": 3, "k": 7, "p": 42.9},
    ]
    out = suppress_rows(rows, fields=("n", "k"), derived={"p": ("n",)})
    assert out == [
        {"n": 0, "k": "fewer than 3", "p": 100.0},
        {"n": "fewer than 3", "k": 3, "p": "withheld"},
        {"n": 3, "k": 7, "p": 42.9},
    ]
    assert rows[1]["n"] == 1  # the input is not changed


def test_the_panels_casework_kpis_suppress_small_counts_and_show_no_case_record(world):  # noqa: F811
    from joinedup.casework.services import record_incident
    from joinedup.core.tests.factories import UserFactory

    member = UserFactory(
        role=Role.PANEL_MEMBER, email="panel.kpis@example.org", areas=[world["areas"]["pfa"]]
    )

    for days in (5, 4):
        data = incident_data(world, "police", received_at=(TODAY - datetime.timedelta(days=days)).isoformat())
        record_incident(actor=world["users"]["police"], data=data)
    panel = Client()
    panel.force_login(member)
    page = panel.get("/staff/csp/panel/kpis/")
    assert page.status_code == 200
    table = page.content.decode().split('id="panel-kpis"')[1].split("</table>")[0]
    row = re.search(r"North Testshire</th>(.*?)</tr>", table, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[0] == "fewer than 3"  # two reports
    assert cells[1] == "withheld"  # a percentage of a suppressed count
    for secret in ("Pat Resident", "Sam Noisy", "07700", "Loud music", "High Street"):
        assert secret not in page.content.decode()
    # The full dashboard stays closed to the Panel.
    assert panel.get("/staff/casework/kpis/").status_code == 404


# --- the link walker ---------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _internal_links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.links:
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:")):
            continue
        links.append(url)
    return links


def walk(client: Client, start: str, depth: int = 2) -> dict[str, tuple[int, str]]:
    """Every link shown on `start`, and on the pages those lead to, `depth` levels deep: {url: (status, from)}."""
    seen: dict[str, tuple[int, str]] = {}
    frontier = [(start, "")]
    for _level in range(depth + 1):
        following = []
        for url, came_from in frontier:
            if url in seen:
                continue
            response = client.get(url)
            seen[url] = (response.status_code, came_from)
            if response.status_code in (301, 302):
                continue
            content_type = response.get("Content-Type", "")
            if response.streaming or "text/html" not in content_type:
                if response.streaming:
                    b"".join(response.streaming_content)
                continue
            following += [(link, url) for link in _internal_links(response.content.decode(), url)]
        frontier = following
    return seen


def _panel_world(areas: dict[str, Any]) -> None:
    BriefingNote.objects.create(
        csp=areas["north"], year=2025, quarter=1, status=BriefingStatus.SUBMITTED, submitted_on=TODAY
    )
    make_panel_recommendation(force_area=areas["pfa"], csp=areas["north"], response_due=TODAY)


def test_every_link_the_panel_member_is_shown_works_two_levels_from_home(areas, client_for):
    _panel_world(areas)
    visited = walk(client_for(Role.PANEL_MEMBER), "/staff/")
    broken = {url: found for url, found in visited.items() if found[0] >= 400}
    assert not broken, f"Links that fail for the Panel member: {broken}"
    # The walk reached the Panel's work, not just the home page.
    for page in (
        "/staff/csp/panel/workspace/",
        "/staff/csp/panel/new/",
        "/staff/csp/briefings/",
        "/staff/csp/panel/kpis/",
        "/staff/funding/reports/",
        "/staff/insight/saved/",
    ):
        assert page in visited
