"""The Police and Crime Panel's comments on the quarterly performance report (issue 18 item 3): a Panel member
comments on an indicator of the Police and Crime Plan for the report's quarter; everyone who reads the report
reads the comment under its indicator (author, role, date), newest first; a comment is turned into a
recommendation once, from the recommendation form prefilled with it, and then links to it. Comments and
recommendations are in the report's PDF and API, never on the public plan-progress page. Bad input lists
every problem and saves nothing; another plan's or force area's indicator is not found."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.csp.tests.factories import make_plan
from joinedup.partnerships.models import Plan
from joinedup.performance import services
from joinedup.scrutiny import services as scrutiny_services
from joinedup.scrutiny.models import PanelComment, PanelRecommendation

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2024, 4, 1)


def _common(owner: Any, area: Any) -> dict[str, Any]:
    return {
        "definition": "Share of victims offered support within 5 working days.",
        "unit": "percent",
        "area": area,
        "direction": "up",
        "baseline_from": "2023-04-01",
        "baseline_to": "2024-03-31",
        "baseline_value": "80",
        "target_kind": "threshold",
        "target_value": "85",
        "frequency": "quarterly",
        "owner": owner,
        "source": "manual",
    }


@pytest.fixture
def world(areas: dict[str, Any]) -> dict[str, Any]:
    pfa, north = areas["pfa"], areas["north"]
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=pfa,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    analyst = UserFactory(role=Role.ANALYST, areas=[pfa], full_name="Ada Analyst")
    owner = OrganisationFactory(name="Northtown Council")
    priority = plan.priorities.create(title="Supporting victims")
    indicator = services.define_indicator(
        actor=analyst,
        priority=priority,
        data={**_common(owner, north), "name": "Victims offered support"},
        compute=False,
    )
    csp_indicator = services.define_indicator(
        actor=analyst,
        priority=make_plan(csp=north).priorities.create(title="ASB"),
        data={**_common(owner, north), "name": "ASB victims"},
        compute=False,
    )
    return {
        "pfa": pfa,
        "north": north,
        "owner": owner,
        "plan": plan,
        "priority": priority,
        "indicator": indicator,
        "csp_indicator": csp_indicator,
        "analyst": analyst,
        "panel": UserFactory(role=Role.PANEL_MEMBER, areas=[pfa], full_name="Cllr Pat Panel"),
        "report": f"/staff/performance/plans/pcc/{plan.pk}/report/?quarter=2024-04",
        "form": f"/staff/performance/indicators/{indicator.pk}/comment/",
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _comment(world: dict[str, Any], text: str, author: Any = None, indicator: Any = None) -> PanelComment:
    return scrutiny_services.add_panel_comment(
        actor=author or world["panel"],
        indicator=indicator or world["indicator"],
        report_quarter=APRIL,
        text=text,
    )


def _pdf_text(response: Any) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_panel_member_comments_and_every_reader_of_the_report_sees_it(world: dict[str, Any]):
    client = _client(world["panel"])
    report = client.get(world["report"]).content.decode()
    assert f'href="{world["form"]}?quarter=2024-04"' in report  # "Comment on this indicator"
    form = client.get(world["form"] + "?quarter=2024-04")
    assert form.status_code == 200 and 'name="quarter" value="2024-04"' in form.content.decode()

    response = client.post(world["form"], {"quarter": "2024-04", "text": "Why did support fall in May?"})
    assert response.status_code == 302
    assert response["Location"] == world["report"] + f"#indicator-{world['indicator'].pk}"
    comment = PanelComment.objects.get()
    assert comment.indicator == world["indicator"] and comment.report_quarter == APRIL
    assert comment.force_area == world["pfa"] and comment.created_by == world["panel"]
    # Audited as the neighbouring writes are: a history row naming who wrote it and why.
    (history,) = comment.history.all()
    assert history.history_user == world["panel"] and history.history_change_reason == "Comment added"

    _comment(world, "A second, later thought.")
    page = client.get(world["report"]).content.decode()
    assert "Why did support fall in May?" in page
    assert "Cllr Pat Panel, Police and Crime Panel member" in page
    assert page.index("A second, later thought.") < page.index("Why did support fall in May?")  # newest first
    assert "Turn this comment into a recommendation" in page

    # The analyst reads the report, so its comments, but cannot turn them into recommendations.
    analyst_page = _client(world["analyst"]).get(world["report"]).content.decode()
    assert "Why did support fall in May?" in analyst_page and "Cllr Pat Panel" in analyst_page
    assert "Turn this comment into a recommendation" not in analyst_page
    assert "Comment on this indicator" not in analyst_page
    # Another quarter's report has its own comments: none.
    later = client.get(world["report"].replace("2024-04", "2024-07")).content.decode()
    assert "Why did support fall in May?" not in later


def test_a_bad_comment_lists_every_problem_and_saves_nothing(world: dict[str, Any]):
    client = _client(world["panel"])
    cases = [
        ({"quarter": "2024-05", "text": "  "}, ["Enter your comment.", "Choose the quarter of the report"]),
        (
            {"quarter": "2027-10", "text": "x" * 2001},
            [
                "Keep the comment to 2,000 characters (it has 2,001).",
                "Comment on the report of a quarter that",
            ],
        ),
        ({"quarter": "2023-04", "text": "Fine"}, ["Choose a quarter within the plan&#x27;s period."]),
        ({"quarter": "next", "text": ""}, ["Enter your comment.", "Choose the quarter of the report"]),
        ({"text": "Fine"}, ["Choose the quarter of the report"]),
    ]
    for data, problems in cases:
        response = client.post(world["form"], data)
        page = response.content.decode()
        assert response.status_code == 200, data
        assert "There is a problem" in page, data
        for problem in problems:
            assert problem in page, (data, problem)
    assert PanelComment.objects.count() == 0


def test_the_service_refuses_another_plans_indicator_with_every_problem(world: dict[str, Any]):
    with pytest.raises(ValidationError) as refused:
        scrutiny_services.add_panel_comment(
            actor=world["panel"], indicator=world["csp_indicator"], report_quarter=None, text=""
        )
    assert refused.value.message_dict == {
        "__all__": ["Choose an indicator of the force area's Police and Crime Plan."],
        "quarter": ["Choose the quarter of the report you are commenting on."],
        "text": ["Enter your comment."],
    }
    assert PanelComment.objects.count() == 0


def test_another_plans_or_force_areas_indicator_and_other_roles_are_not_found(world: dict[str, Any]):
    data = {"quarter": "2024-04", "text": "T"}
    panel = _client(world["panel"])
    csp_form = f"/staff/performance/indicators/{world['csp_indicator'].pk}/comment/"
    assert panel.get(csp_form).status_code == 404 and panel.post(csp_form, data).status_code == 404

    farshire = area_tree(force=8, name="Farshire")
    far_plan = Plan.objects.create(
        title="Farshire plan",
        pcc_name="PCC",
        force_area=farshire["pfa"],
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    far_indicator = services.define_indicator(
        actor=UserFactory(role=Role.ANALYST, areas=[farshire["pfa"]]),
        priority=far_plan.priorities.create(title="Victims"),
        data={**_common(world["owner"], farshire["north"]), "name": "Far victims"},
        compute=False,
    )
    far_form = f"/staff/performance/indicators/{far_indicator.pk}/comment/"
    assert panel.get(far_form).status_code == 404 and panel.post(far_form, data).status_code == 404

    far_comment = _comment(
        world,
        "Farshire's own comment",
        author=UserFactory(role=Role.PANEL_MEMBER, areas=[farshire["pfa"]]),
        indicator=far_indicator,
    )
    turn = f"/staff/performance/panel-comments/{far_comment.pk}/recommend/"
    assert panel.get(turn).status_code == 404
    assert panel.post(turn, {"title": "T", "recommendation": "R"}).status_code == 404

    for role in (Role.ANALYST, Role.OPCC_OFFICER, Role.PRACTITIONER, Role.AUDITOR):
        other = _client(UserFactory(role=role, areas=[world["pfa"]]))
        assert other.get(world["form"]).status_code == 404, role
        assert other.post(world["form"], data).status_code == 404, role
    assert PanelComment.objects.count() == 1  # Farshire's only
    assert PanelRecommendation.objects.count() == 0


def test_a_comment_is_turned_into_a_recommendation_once(world: dict[str, Any]):
    comment = _comment(world, "Fill the two vacancies before the winter.")
    client = _client(world["panel"])
    report = client.get(world["report"]).content.decode()
    turn = f"/staff/performance/panel-comments/{comment.pk}/recommend/"
    assert f'href="{turn}"' in report

    form = client.get(turn).content.decode()
    assert "Make a recommendation about Victims offered support" in form
    assert re.search(r"<textarea[^>]*>\s*Fill the two vacancies before the winter.</textarea>", form)
    assert "the performance report for Quarter 1 of 2024/25 (Apr to Jun 2024)" in form

    response = client.post(turn, {"title": "Fund victim support staff", "recommendation": comment.text})
    item = PanelRecommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/csp/panel/{item.pk}/"
    assert item.indicator == world["indicator"] and item.report_quarter == APRIL
    assert item.recommendation == "Fill the two vacancies before the winter."
    comment.refresh_from_db()
    assert comment.recommendation == item
    assert comment.history.first().history_change_reason == "Turned into a recommendation"

    report = client.get(world["report"]).content.decode()
    assert "Turned into a recommendation" in report
    assert f'<a class="govuk-link" href="/staff/csp/panel/{item.pk}/">Fund victim support staff</a>' in report
    assert f'href="{turn}"' not in report

    # Not twice: the address goes to the recommendation, and a second posting is refused, saving nothing.
    again = client.get(turn)
    assert again.status_code == 302 and again["Location"] == f"/staff/csp/panel/{item.pk}/"
    refused = client.post(turn, {"title": "Again", "recommendation": "Again"})
    assert refused.status_code == 200
    assert "This comment has already been turned into a recommendation." in refused.content.decode()
    assert PanelRecommendation.objects.count() == 1
    comment.refresh_from_db()
    assert comment.recommendation == item

    # The analyst sees that it was turned, but not the Panel's recommendation (they do not read those).
    analyst_page = _client(world["analyst"]).get(world["report"]).content.decode()
    assert "Turned into a recommendation" in analyst_page
    assert "Fund victim support staff" not in analyst_page


def test_bad_input_when_turning_lists_every_problem_and_saves_nothing(world: dict[str, Any]):
    comment = _comment(world, "A thought.")
    response = _client(world["panel"]).post(
        f"/staff/performance/panel-comments/{comment.pk}/recommend/",
        {"title": "", "recommendation": "", "response_due": "2000-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the title." in page and "Enter what the Panel recommends." in page
    assert "The response cannot be due before the recommendation was made." in page
    assert PanelRecommendation.objects.count() == 0
    comment.refresh_from_db()
    assert comment.recommendation is None


def _turned(world: dict[str, Any]) -> tuple[PanelComment, PanelRecommendation]:
    comment = _comment(world, "Ask for a recovery plan.")
    item = scrutiny_services.create_panel_recommendation(
        actor=world["panel"],
        force_area=world["pfa"],
        data={
            "title": "A recovery plan for victim support",
            "recommendation": comment.text,
            "made_on": timezone.localdate(),
        },
        comment=comment,
    )
    comment.refresh_from_db()
    return comment, item


def test_the_pdf_has_the_recommendations_and_comments(world: dict[str, Any]):
    _turned(world)
    _comment(world, "Thank the council for its figures.")
    pdf_url = world["report"].replace("report/", "report.pdf")
    text = _pdf_text(_client(world["panel"]).get(pdf_url))
    assert "Panel recommendations about this indicator" in text
    assert "A recovery plan for victim support" in text
    assert "Thank the council for its figures." in text and "Ask for a recovery plan." in text
    assert "Cllr Pat Panel" in text
    analyst_text = _pdf_text(_client(world["analyst"]).get(pdf_url))
    assert "Thank the council for its figures." in analyst_text
    assert "A recovery plan for victim support" not in analyst_text


def test_the_report_api_returns_them(world: dict[str, Any]):
    comment, item = _turned(world)
    later = _comment(world, "Thank the council for its figures.")
    url = f"/api/v1/performance/reports/pcc/{world['plan'].pk}?quarter=2024-04"

    def rows(user: Any) -> list[dict[str, Any]]:
        _token, raw = create_token(user=user, name="test", actor=None)
        response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200
        return response.json()["rows"]

    (row,) = rows(world["panel"])
    assert [c["id"] for c in row["panel_comments"]] == [later.pk, comment.pk]
    turned = row["panel_comments"][1]
    assert turned["text"] == "Ask for a recovery plan." and turned["author"] == "Cllr Pat Panel"
    assert (
        turned["author_role"] == "Police and Crime Panel member" and turned["report_quarter"] == "2024-04-01"
    )
    assert turned["turned_into_recommendation"] is True and turned["recommendation_id"] == item.pk
    assert row["panel_comments"][0]["turned_into_recommendation"] is False
    assert row["panel_recommendations"] == [
        {
            "id": item.pk,
            "title": "A recovery plan for victim support",
            "made_on": item.made_on.isoformat(),
            "report_quarter": "2024-04-01",
            "status": "awaiting_response",
        }
    ]
    (analyst_row,) = rows(world["analyst"])
    assert len(analyst_row["panel_comments"]) == 2 and analyst_row["panel_recommendations"] == []
    assert analyst_row["panel_comments"][1]["recommendation_id"] is None

    document = Client().get("/api/v1/openapi.json").json()
    row_schema = next(v for k, v in document["components"]["schemas"].items() if k.endswith("ReportRowOut"))
    assert {"panel_comments", "panel_recommendations"} <= set(row_schema["properties"])


def test_the_public_progress_page_shows_neither_comments_nor_recommendations(world: dict[str, Any]):
    _turned(world)
    _comment(world, "Thank the council for its figures.")
    visitor = Client()
    page = visitor.get(f"/plan-progress/pcc/{world['plan'].pk}/?quarter=2024-04")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Victims offered support" in text  # the same indicator as the staff report
    for secret in (
        "Ask for a recovery plan.",
        "Thank the council for its figures.",
        "A recovery plan for victim support",
        "Cllr Pat Panel",
        "Panel comments",
        "Panel recommendations",
        "Turned into a recommendation",
    ):
        assert secret not in text, secret
    csv_response = visitor.get(f"/plan-progress/pcc/{world['plan'].pk}/progress.csv?quarter=2024-04")
    assert csv_response.status_code == 200
    body = b"".join(csv_response.streaming_content).decode()
    assert "recovery plan" not in body and "Thank the council" not in body


def _report_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_reads_comments_in_a_fixed_number_of_queries(world: dict[str, Any]):
    client = _client(world["panel"])
    _comment(world, "The first comment.")
    client.get(world["report"])  # the session's first page
    few = _report_queries(client, world["report"])

    for n in range(3):
        indicator = services.define_indicator(
            actor=world["analyst"],
            priority=world["priority"],
            data={**_common(world["owner"], world["north"]), "name": f"Indicator {n}"},
            compute=False,
        )
        for m in range(3):
            author = UserFactory(role=Role.PANEL_MEMBER, areas=[world["pfa"]], full_name=f"Member {n}.{m}")
            comment = _comment(world, f"Comment {n}.{m}", author=author, indicator=indicator)
            if m == 0:
                scrutiny_services.create_panel_recommendation(
                    actor=author,
                    force_area=world["pfa"],
                    data={
                        "title": f"Recommendation {n}",
                        "recommendation": comment.text,
                        "made_on": timezone.localdate(),
                    },
                    comment=comment,
                )
    many = _report_queries(client, world["report"])
    page = client.get(world["report"]).content.decode()
    assert "Comment 2.2" in page and "Member 2.2" in page and "Recommendation 2" in page
    assert many == few
