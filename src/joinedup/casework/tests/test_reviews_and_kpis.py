"""ASB case reviews (threshold across every agency, working-day timeline, decision, appeal, published
statistics) and the KPI dashboard (48-hour action, feedback, repeats by month; depersonalised)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.casework.kpis import selectors as kpis
from joinedup.casework.models import CaseAction, CaseReviewRequest, Incident
from joinedup.casework.reviews import selectors as review_selectors
from joinedup.casework.reviews import services as reviews
from joinedup.casework.services import add_action, record_incident, record_informant_update
from joinedup.casework.working_days import add_working_days, covers, is_working_day, working_days_between
from joinedup.core.models import AuditEvent, EventType
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db


# --- working days ------------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    # Thursday 24 December 2026: Christmas (Fri), the weekend and the Boxing Day substitute (Mon 28) skipped.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert not is_working_day(date(2026, 12, 28)) and not is_working_day(date(2027, 3, 26))
    # Ten working days from Friday 27 March 2026 (Good Friday 3 April and Easter Monday 6 April skipped).
    assert add_working_days(date(2026, 3, 27), 10) == date(2026, 4, 14)
    assert working_days_between(date(2026, 3, 27), date(2026, 4, 14)) == 10
    today = date(2026, 12, 6)
    assert covers(date(2026, 1, 5), date(2026, 2, 1), today=today)
    assert covers(date(2027, 12, 1), date(2028, 1, 5), today=today)
    assert not covers(date(2028, 12, 1), date(2029, 1, 5), today=today)


def test_bank_holidays_are_known_beyond_the_years_once_typed_by_hand():
    # 2028 in England and Wales: New Year's Day is a Saturday (substitute Monday 3 January), Good Friday
    # 14 April, Easter Monday 17 April, the May bank holidays 1 and 29 May, the summer one 28 August.
    for day in (date(2028, 1, 3), date(2028, 4, 14), date(2028, 4, 17), date(2028, 5, 1), date(2028, 5, 29)):
        assert not is_working_day(day), day
    assert not is_working_day(date(2028, 8, 28)) and not is_working_day(date(2028, 12, 26))
    assert is_working_day(date(2028, 1, 4))
    # Thursday 13 April 2028: Good Friday, the weekend and Easter Monday skipped.
    assert add_working_days(date(2028, 4, 13), 1) == date(2028, 4, 18)


# --- the threshold -----------------------------------------------------------------------------------


def _report(world, user, days_ago, *, happened_days_before=None, **overrides):
    received = timezone.now() - timedelta(days=days_ago)
    data = incident_data(world, user, received_at=received.isoformat(), **overrides)
    if happened_days_before is not None:
        data["occurred_at"] = (received - timedelta(days=happened_days_before)).isoformat()
    return record_incident(actor=world["users"][user], data=data).incident


def _request(world, user="council", **overrides):
    data = {
        "received_on": date.today().isoformat(),
        "area": "E01900001",
        "applicant_name": "Pat Resident",
        "applicant_date_of_birth": "1950-02-03",
        "applicant_phone": "07700 900123",
        "summary": "Loud music every night; nothing has changed.",
    }
    data.update(overrides)
    return reviews.record_request(actor=world["users"][user], data=data)


def test_the_threshold_counts_reports_to_every_agency_and_says_why_each_counts(world):
    _report(world, "police", 20)
    _report(world, "housing", 60, happened_days_before=3)  # outside the agreement: still counts
    late = _report(world, "council", 90, happened_days_before=45)  # reported too late
    _report(world, "police", 250)  # more than six months ago
    review = _request(world)
    check = review_selectors.check_threshold(review)
    assert check.counted == 2 and not check.met
    assert [row.counts for row in check.incidents] == [False, True, True]
    assert check.incidents[0].incident == late and "more than a month" in check.incidents[0].reason
    _report(world, "council", 5, happened_days_before=1)
    check = review_selectors.check_threshold(review)
    assert check.met and check.counted == 3
    assert "Threshold met: 3 of the 3 complaints" in check.summary


def test_request_errors_are_listed_together(world):
    with pytest.raises(ValidationError) as refused:
        reviews.record_request(
            actor=world["users"]["council"],
            data={
                "received_on": "2999-01-01",
                "area": "X",
                "applicant_name": "",
                "summary": "",
                "cases": [999],
            },
        )
    assert set(refused.value.message_dict) == {
        "received_on",
        "area",
        "applicant_name",
        "applicant_email",
        "summary",
        "cases",
    }


def test_timeline_decision_meeting_recommendations_and_appeal(world):
    council = world["users"]["council"]
    review = _request(world, received_on="2026-03-27")
    steps = review_selectors.timeline(review)
    assert [s.due for s in steps] == [date(2026, 4, 14), date(2026, 4, 21), date(2026, 4, 28)]
    assert all(s.state == "overdue" for s in steps) or timezone.localdate() <= date(2026, 4, 14)
    review = reviews.record_step(
        actor=council,
        review=review,
        step="acknowledge",
        expected_version=1,
        data={"acknowledged_on": "2026-04-01"},
    )
    with pytest.raises(ValidationError) as refused:
        reviews.record_step(actor=council, review=review, step="decide", expected_version=2, data={})
    assert set(refused.value.message_dict) == {"threshold_met", "threshold_reason", "decided_on"}
    review = CaseReviewRequest.objects.get(pk=review.pk)
    review = reviews.record_step(
        actor=council,
        review=review,
        step="decide",
        expected_version=2,
        data={
            "threshold_met": True,
            "threshold_reason": "Three reports in six months.",
            "decided_on": "2026-04-20",
        },
    )
    review = reviews.record_step(
        actor=council,
        review=review,
        step="meeting",
        expected_version=3,
        data={
            "meeting_on": "2026-04-30",
            "meeting_attendees": "Police, council",
            "meeting_notes": "Missed links.",
        },
    )
    steps = review_selectors.timeline(review)
    assert [s.state for s in steps] == ["done", "done", "late"]
    assert steps[0].working_days_taken == 3
    reviews.add_recommendation(
        actor=council, review=review, data={"text": "Share reports daily.", "organisation": world["police"]}
    )
    review = reviews.record_step(
        actor=council,
        review=review,
        step="outcome",
        expected_version=4,
        data={"outcome_sent_on": "2026-05-01"},
    )
    # The OPCC hears the appeal: it can see the review once appealed, not before.
    opcc = UserFactory(role=Role.OPCC_OFFICER, email="opcc@example.org")
    detail = reverse("casework:review-detail", args=[review.pk])
    assert signed_in(opcc).get(detail).status_code == 404
    review = reviews.record_step(
        actor=council,
        review=review,
        step="appeal",
        expected_version=5,
        data={"appeal_received_on": "2026-05-10", "appeal_grounds": "The panel ignored the housing reports."},
    )
    response = signed_in(opcc).post(
        reverse("casework:review-step", args=[review.pk, "appeal"]),
        {
            "appeal_received_on": "2026-05-10",
            "appeal_grounds": "The panel ignored the housing reports.",
            "appeal_outcome": "not_upheld",
            "appeal_decided_on": "2026-05-20",
            "version": review.version,
        },
    )
    assert response.status_code == 302
    assert CaseReviewRequest.objects.get(pk=review.pk).appeal_outcome == "not_upheld"
    stale = signed_in(council).post(
        reverse("casework:review-step", args=[review.pk, "outcome"]),
        {"outcome_sent_on": "2026-05-02", "version": 1},
    )
    assert stale.status_code == 409

    # The true counts, for the OPCC; the published ones hide each count of 1 (ADR 0013).
    exact = review_selectors.annual_statistics()[0]
    assert (exact["label"], exact["applications"], exact["threshold_met"], exact["reviews_held"]) == (
        "April 2025 to March 2026",
        1,
        1,
        1,
    )
    stats = Client().get(reverse("public-casework:case-review-statistics"))
    assert stats.status_code == 200
    row = stats.context["years"][0]
    assert (row["label"], row["applications"], row["threshold_met"], row["reviews_held"]) == (
        "April 2025 to March 2026",
        "fewer than 3",
        "fewer than 3",
        "fewer than 3",
    )
    assert b"fewer than 3" in stats.content
    assert b"Pat Resident" not in stats.content and b"Loud music" not in stats.content
    api = Client().get("/api/v1/case-reviews-statistics").json()
    assert api[0]["applications"] == "fewer than 3" and api[0]["appeals"] == "fewer than 3"


def test_review_pages_hide_the_applicant_from_lists_and_audit_the_detail(world):
    review = _request(world)
    housing = signed_in(world["users"]["housing"])
    assert housing.get(reverse("casework:review-detail", args=[review.pk])).status_code == 404
    police = signed_in(world["users"]["police"])  # party to the agreement covering the area
    listing = police.get(reverse("casework:review-list"))
    assert review.reference.encode() in listing.content and b"Pat Resident" not in listing.content
    detail = police.get(reverse("casework:review-detail", args=[review.pk]))
    assert b"Pat Resident" in detail.content and b"Threshold not met" in detail.content
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED,
        object_type="casework.casereviewrequest",
        actor_email="pc@example.org",
    ).exists()
    response = Client().post(
        "/api/v1/case-reviews",
        json.dumps(
            {
                "received_on": date.today().isoformat(),
                "area": "E01900001",
                "applicant_name": "Pat Resident",
                "applicant_phone": "07700900123",
                "summary": "Still noisy.",
            }
        ),
        content_type="application/json",
        **api_client(world["users"]["police"]),
    )
    assert response.status_code == 201 and response.json()["threshold_check"]["counted"] == 0
    assert (
        Client().get(f"/api/v1/case-reviews/{review.pk}", **api_client(world["users"]["housing"])).status_code
        == 404
    )


# --- KPIs --------------------------------------------------------------------------------------------


def test_kpis_measure_action_within_48_hours_feedback_and_repeats_without_personal_data(world):
    police, council = world["users"]["police"], world["users"]["council"]
    quick = _report(world, "police", 5)
    slow = _report(world, "council", 4, informant_anonymous=True, latitude="54.980000", informant={})
    _report(world, "police", 0)  # younger than 48 hours: not counted yet
    action = add_action(
        actor=police,
        case=quick.case,
        data={"owner_organisation": world["council"], "action_type": "eva", "due_date": date.today()},
    )
    CaseAction.objects.filter(pk=action.pk).update(created_at=quick.received_at + timedelta(hours=3))
    late = add_action(
        actor=police,
        case=slow.case,
        data={"owner_organisation": world["police"], "action_type": "eva", "due_date": date.today()},
    )
    CaseAction.objects.filter(pk=late.pk).update(created_at=slow.received_at + timedelta(hours=72))
    record_informant_update(actor=council, case=quick.case, data={"method": "phone", "summary": "EVA booked"})

    analyst = world["users"]["analyst"]
    figures = kpis.kpis(user=analyst)
    assert figures["actioned"] == {"eligible": 2, "actioned": 1, "percent": 50.0, "pending": 1}
    # Three cases: the quick one (informant told), the anonymous one (left out) and today's (not told yet).
    assert figures["feedback"] == {"cases": 2, "with_feedback": 1, "percent": 50.0}
    this_month = figures["monthly"][-1]
    assert this_month["month"] == timezone.localdate().replace(day=1)
    assert sum(m["incidents"] for m in figures["monthly"]) == Incident.objects.count()

    response = signed_in(analyst).get(reverse("casework:kpis"))
    assert (
        response.status_code == 200 and b"50.0% (1 of 2)" in response.content and b"<svg" in response.content
    )
    for secret in (b"Pat Resident", b"Sam Noisy", b"07700", b"Loud music", b"High Street"):
        assert secret not in response.content
    by_csp = response.context["by_csp"]
    assert [(r["code"], r["incidents"], r["actioned_percent"]) for r in by_csp] == [("E22000901", 3, 50.0)]
    csv = signed_in(analyst).get(reverse("casework:kpis-csv"))
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("E22000901,North Testshire,3,2,1,50.0,2,1,50.0")
    api = Client().get("/api/v1/casework/kpis?csp=E22000902", **api_client(analyst)).json()
    assert api["incidents"] == 0 and api["actioned_within_48h_percent"] is None
    assert signed_in(world["users"]["housing"]).get(reverse("casework:kpis")).status_code == 404


def test_overdue_assessments_and_open_high_risk_on_the_dashboard(world):
    case = _report(world, "police", 3, vulnerability_indicators=["age"]).case
    _report(world, "council", 2)
    third = _report(world, "police", 1)  # Pat's third report in six months: a repeat victim
    assert third.repeat_victim
    monthly = kpis.kpis(user=world["users"]["analyst"])["monthly"]
    assert sum(m["repeat_victim"] for m in monthly) == 1 and sum(m["vulnerable"] for m in monthly) == 1
    # The vulnerable victim's and the repeat victim's assessments: due within 24 hours, overdue after.
    assert kpis.kpis(user=world["users"]["analyst"])["overdue_assessments"] == 0
    figures = kpis.kpis(user=world["users"]["analyst"], now=timezone.now() + timedelta(days=2))
    assert figures["overdue_assessments"] == 2 and figures["open_high_risk"] == 0
    case.risk_level = "high"
    case.save()
    assert kpis.kpis(user=world["users"]["analyst"])["open_high_risk"] == 1


def test_months_before_handles_month_ends():
    assert review_selectors._months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert kpis._month_start(date(2026, 2, 10), 3) == date(2025, 11, 1)
    assert (
        review_selectors.financial_year(date(2026, 3, 31)) == 2025
        and review_selectors.financial_year(date(2026, 4, 1)) == 2026
    )


def test_review_steps_through_the_api_refuse_a_stale_version(world):
    review = _request(world)
    headers = api_client(world["users"]["council"])
    url = f"/api/v1/case-reviews/{review.pk}/steps/"
    ok = Client().post(
        url + "acknowledge",
        json.dumps({"version": 1, "acknowledged_on": date.today().isoformat()}),
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["status"] == "acknowledged" and ok.json()["version"] == 2
    stale = Client().post(
        url + "decide",
        json.dumps(
            {"version": 1, "threshold_met": False, "threshold_reason": "x", "decided_on": "2026-01-05"}
        ),
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    invalid = Client().post(
        url + "decide", json.dumps({"version": 2}), content_type="application/json", **headers
    )
    assert invalid.status_code == 422
    assert {e["loc"][-1] for e in invalid.json()["detail"]} >= {
        "threshold_met",
        "threshold_reason",
        "decided_on",
    }


def test_monthly_kpis_download(world):
    _report(world, "police", 1)
    response = signed_in(world["users"]["analyst"]).get(
        reverse("casework:kpis-csv"), {"table": "monthly", "months": 2}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Month,Reports") and len(lines) == 3
    assert lines[-1].startswith(f"{timezone.localdate():%Y-%m},1,") or lines[-2].startswith(
        f"{(timezone.localdate() - timedelta(days=1)):%Y-%m},1,"
    )


def test_the_dashboard_runs_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(world["users"]["analyst"])
    _report(world, "police", 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("casework:kpis")).status_code == 200
    for days, area in ((4, "E01900001"), (3, "E01900003"), (2, "E01900003")):  # a second CSP too
        _report(
            world,
            "council",
            days,
            area=area,
            latitude=f"54.9{days}0000",
            informant={"name": f"Person {days}"},
        )
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse("casework:kpis")).status_code == 200
    assert len(more) == len(few)
    assert len(kpis.kpis_by_csp(user=world["users"]["analyst"])) == 2


def test_the_staff_navigation_marks_only_the_section_the_page_is_in(world):
    officer = UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org")
    client = signed_in(officer)

    def current(url: str) -> list[str]:
        html = client.get(url).content.decode()
        return re.findall(r'href="([^"]+)" aria-current="page"', html)

    assert current(reverse("casework:kpis")) == [reverse("casework:kpis")]
    assert current(reverse("casework:case-list")) == [reverse("casework:case-list")]
    assert current(reverse("staff:dashboard")) == [reverse("staff:dashboard")]
