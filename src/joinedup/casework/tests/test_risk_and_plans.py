"""The Risk Assessment Matrix (due in 24 hours, scoring, thresholds, review cadence) and Joint Problem
Solving plans (raised when high, actions from several agencies, red until done and the informant told)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.casework.models import Case, PlanStatus, ProblemSolvingPlan, RiskAssessment, RiskQuestion
from joinedup.casework.risk import selectors as risk_selectors
from joinedup.casework.risk import services as risk
from joinedup.casework.services import record_incident, record_informant_update, update_action
from joinedup.core.models import AuditEvent, EventType
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db


def _answers(pick: str) -> dict[str, str]:
    """Every question answered with its lowest ("low") or highest ("high") scoring option."""
    chosen = {}
    for question in risk.questionnaire():
        options = sorted(question.options.all(), key=lambda o: o.score)
        chosen[str(question.pk)] = str((options[-1] if pick == "high" else options[0]).pk)
    return chosen


@pytest.fixture
def vulnerable_case(world):
    return record_incident(
        actor=world["users"]["police"], data=incident_data(world, vulnerability_indicators=["disability"])
    ).case


def test_a_vulnerable_victim_is_due_an_assessment_within_24_hours_and_flagged_when_late(
    world, vulnerable_case
):
    due = vulnerable_case.risk_assessment_due_at
    assert timedelta(hours=23) < due - timezone.now() <= timedelta(hours=24)
    assert risk_selectors.assessment_due_state(vulnerable_case) == "due"
    assert risk_selectors.assessment_due_state(vulnerable_case, now=due + timedelta(minutes=1)) == "overdue"
    Case.objects.filter(pk=vulnerable_case.pk).update(
        risk_assessment_due_at=timezone.now() - timedelta(hours=1)
    )
    council = signed_in(world["users"]["council"])
    page = council.get(reverse("casework:case-detail", args=[vulnerable_case.pk]))
    assert b"The risk assessment was due by" in page.content and b"is overdue" in page.content
    board = council.get(reverse("casework:tasking"))
    assert b"Risk assessment overdue" in board.content
    due_list = council.get(reverse("casework:risk-due"))
    assert (
        vulnerable_case.reference.encode() in due_list.content
        and b"<strong>1</strong> overdue" in due_list.content
    )
    download = council.get(reverse("casework:risk-due"), {"format": "csv", "state": "overdue"})
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Case,Area,Lead agency,Risk level,Due,State"
    assert (
        len(lines) == 2 and lines[1].startswith(vulnerable_case.reference) and lines[1].endswith(",Overdue")
    )
    analyst = signed_in(world["users"]["analyst"])
    assert analyst.get(reverse("casework:risk-due"), {"format": "csv"}).status_code == 404


def test_scoring_sets_the_risk_level_next_review_and_raises_a_plan_when_high(world, vulnerable_case):
    police = world["users"]["police"]
    low = risk.record_risk_assessment(actor=police, case=vulnerable_case, data={"answers": _answers("low")})
    assert low.score == 0 and low.risk_level == "standard" and low.next_review_due is None
    assert Case.objects.get(pk=vulnerable_case.pk).risk_assessment_due_at is None
    assert not ProblemSolvingPlan.objects.exists()

    high = risk.record_risk_assessment(actor=police, case=vulnerable_case, data={"answers": _answers("high")})
    assert high.score == 40 and high.risk_level == "high"
    assert high.next_review_due == timezone.localdate() + timedelta(days=14)
    case = Case.objects.get(pk=vulnerable_case.pk)
    assert case.risk_level == "high" and case.risk_assessment_due_at.date() == high.next_review_due
    assert ProblemSolvingPlan.objects.get(case=case).status == PlanStatus.OPEN


def test_thresholds_and_cadence_are_configurable(world, vulnerable_case):
    admin = UserFactory(role=Role.OPCC_ADMIN)
    with pytest.raises(ValidationError) as refused:
        risk.update_settings(
            actor=admin, data={"medium_threshold": 30, "high_threshold": 20, "medium_review_days": "x"}
        )
    assert set(refused.value.message_dict) == {"high_threshold", "medium_review_days"}
    risk.update_settings(
        actor=admin, data={"medium_threshold": 1, "high_threshold": 50, "medium_review_days": 7}
    )
    answers = _answers("low")
    first = risk.questionnaire()[0]
    answers[str(first.pk)] = str(max(first.options.all(), key=lambda o: o.score).pk)
    assessment = risk.record_risk_assessment(
        actor=world["users"]["council"], case=vulnerable_case, data={"answers": answers}
    )
    assert (
        assessment.risk_level == "medium"
        and assessment.next_review_due == timezone.localdate() + timedelta(days=7)
    )


def test_every_unanswered_question_is_listed_at_once(world, vulnerable_case):
    with pytest.raises(ValidationError) as refused:
        risk.record_risk_assessment(
            actor=world["users"]["police"], case=vulnerable_case, data={"answers": {}}
        )
    assert len(refused.value.message_dict) == RiskQuestion.objects.filter(active=True).count() == 9
    response = signed_in(world["users"]["police"]).post(
        reverse("casework:risk-assessment-create", args=[vulnerable_case.pk]), {"notes": ""}
    )
    assert response.status_code == 200 and response.content.count(b"Answer: ") >= 9


def test_questions_can_be_added_and_retired_and_old_answers_are_kept(world, vulnerable_case):
    admin = UserFactory(role=Role.OPCC_ADMIN)
    police = world["users"]["police"]
    old = risk.record_risk_assessment(actor=police, case=vulnerable_case, data={"answers": _answers("high")})
    with pytest.raises(ValidationError) as refused:
        risk.add_question(actor=admin, data={"text": "", "options": "Yes 4\nNo | x"})
    assert set(refused.value.message_dict) == {"text", "options"}
    question = risk.add_question(actor=admin, data={"text": "Is there a dog?", "options": "No | 0\nYes | 3"})
    retired = RiskQuestion.objects.order_by("order").first()
    risk.retire_question(actor=admin, question=retired)
    asked = [q.text for q in risk.questionnaire()]
    assert question.text in asked and retired.text not in asked
    assert RiskAssessment.objects.get(pk=old.pk).answers[0]["question_text"] == retired.text
    response = signed_in(admin).post(
        reverse("casework:risk-question-create"), {"text": "Another?", "options": "No | 0\nYes | 1"}
    )
    assert response.status_code == 302
    assert signed_in(police).get(reverse("casework:risk-question-create")).status_code == 404


def test_the_assessment_page_and_api(world, vulnerable_case):
    client = signed_in(world["users"]["council"])
    answers = {f"question_{k}": v for k, v in _answers("high").items()}
    response = client.post(reverse("casework:risk-assessment-create", args=[vulnerable_case.pk]), answers)
    assert response.status_code == 302
    page = client.get(reverse("casework:case-detail", args=[vulnerable_case.pk]))
    assert b"Open the plan" in page.content and b"High" in page.content
    assessment = RiskAssessment.objects.get()
    detail = client.get(reverse("casework:risk-assessment-detail", args=[assessment.pk]))
    assert b"Total" in detail.content and b"40" in detail.content
    assert AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.riskassessment"
    ).exists()
    headers = api_client(world["users"]["police"])
    listed = Client().get(f"/api/v1/cases/{vulnerable_case.pk}/risk-assessments", **headers)
    assert listed.status_code == 200 and listed.json()[0]["risk_level"] == "high"
    bad = Client().post(
        f"/api/v1/cases/{vulnerable_case.pk}/risk-assessments",
        json.dumps({"answers": {"999999": 1}}),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    outsider = api_client(world["users"]["housing"])
    assert Client().get(f"/api/v1/cases/{vulnerable_case.pk}/risk-assessments", **outsider).status_code == 404
    assert (
        signed_in(world["users"]["housing"])
        .get(reverse("casework:risk-assessment-detail", args=[assessment.pk]))
        .status_code
        == 404
    )


def test_plan_with_actions_from_two_agencies_turns_green_when_done_and_the_informant_is_told(
    world, vulnerable_case
):
    police, council = world["users"]["police"], world["users"]["council"]
    risk.record_risk_assessment(actor=police, case=vulnerable_case, data={"answers": _answers("high")})
    plan = ProblemSolvingPlan.objects.get(case=vulnerable_case)
    due = date.today() + timedelta(days=7)
    with pytest.raises(ValidationError) as refused:
        risk.add_plan_action(
            actor=police,
            plan=plan,
            data={
                "owner_organisation": world["council"].pk,
                "officer": police.pk,
                "action_type": "",
                "due_date": due,
            },
        )
    assert set(refused.value.message_dict) == {"officer", "action_type"}
    first = risk.add_plan_action(
        actor=police,
        plan=plan,
        data={
            "owner_organisation": world["police"].pk,
            "officer": police.pk,
            "action_type": "reassurance",
            "due_date": due,
        },
    )
    second = risk.add_plan_action(
        actor=council,
        plan=plan,
        data={
            "owner_organisation": world["council"].pk,
            "officer": council.pk,
            "action_type": "cpw",
            "due_date": due,
        },
    )
    detail = reverse("casework:plan-detail", args=[vulnerable_case.pk])
    client = signed_in(council)
    assert b"Red: actions outstanding" in client.get(detail).content
    update_action(actor=police, action=first, expected_version=1, data={"status": "complete"})
    update_action(actor=council, action=second, expected_version=1, data={"status": "complete"})
    assert b"Red: actions outstanding" in client.get(detail).content  # informant not told yet
    with pytest.raises(ValidationError):
        risk.record_plan_review(
            actor=council, plan=plan, data={"attendees": "x", "notes": "y", "close_plan": True}
        )
    record_informant_update(
        actor=council, case=vulnerable_case, data={"method": "phone", "summary": "Warning given"}
    )
    page = client.get(detail)
    assert b"Green: actions complete and informant updated" in page.content
    assert (
        b"Testshire Police, Northtown Council" in page.content
        or b"Northtown Council, Testshire Police" in page.content
    )
    api = Client().get(f"/api/v1/cases/{vulnerable_case.pk}/plan", **api_client(police)).json()
    assert api["rag"] == "green" and len(api["actions"]) == 2


def test_monthly_reviews_move_the_next_review_on_and_flag_overdue(world, vulnerable_case):
    police = world["users"]["police"]
    risk.record_risk_assessment(actor=police, case=vulnerable_case, data={"answers": _answers("high")})
    plan = ProblemSolvingPlan.objects.get(case=vulnerable_case)
    assert plan.next_review_due == timezone.localdate() + timedelta(days=30) and not plan.review_overdue
    with pytest.raises(ValidationError) as refused:
        risk.record_plan_review(actor=police, plan=plan, data={"held_on": "2999-01-01"})
    assert set(refused.value.message_dict) == {"held_on", "attendees", "notes"}
    review = risk.record_plan_review(
        actor=police, plan=plan, data={"attendees": "PC Lee; ASB officer", "notes": "CPW served."}
    )
    assert review.next_review == timezone.localdate() + timedelta(days=30)
    ProblemSolvingPlan.objects.filter(pk=plan.pk).update(next_review_due=date.today() - timedelta(days=1))
    page = signed_in(police).get(reverse("casework:plan-detail", args=[vulnerable_case.pk]))
    assert b"Overdue" in page.content and b"CPW served." in page.content


def test_a_plan_by_hand_only_for_high_risk(world, vulnerable_case):
    police = world["users"]["police"]
    with pytest.raises(ValidationError) as refused:
        risk.create_plan(actor=police, case=vulnerable_case, data={"objective": ""})
    assert "__all__" in refused.value.message_dict and "objective" in refused.value.message_dict
    assert (
        signed_in(world["users"]["housing"])
        .get(reverse("casework:plan-create", args=[vulnerable_case.pk]))
        .status_code
        == 404
    )


def test_the_matrix_page_and_api_show_the_thresholds_and_cadence_as_set(world):
    settings = risk.matrix_settings()
    settings.high_threshold, settings.standard_review_days = 33, 120
    settings.save()
    expected = {name: getattr(settings, name) for name in risk.MATRIX_SETTINGS}
    police = world["users"]["police"]
    page = signed_in(police).get(reverse("casework:risk-matrix"))
    assert page.status_code == 200
    assert {name: page.context["settings_form"].initial[name] for name in expected} == expected
    api = Client().get("/api/v1/risk-matrix", **api_client(police))
    assert api.status_code == 200
    body = api.json()
    assert {name: body[name] for name in expected} == expected and body["high_threshold"] == 33
    assert body["questions"], "the questions come with their scores"


def test_action_forms_offer_only_the_agencies_that_may_see_the_case(vulnerable_case):
    from joinedup.casework.forms import ActionForm
    from joinedup.casework.risk.forms import PlanActionForm
    from joinedup.casework.rules import organisations_seeing_case
    from joinedup.core.models import Organisation

    seeing = set(organisations_seeing_case(vulnerable_case))
    assert seeing and Organisation.objects.exclude(pk__in=seeing).exists()
    for form_class in (ActionForm, PlanActionForm):
        offered = form_class(case=vulnerable_case).fields["owner_organisation"].queryset
        assert {o.pk for o in offered} == seeing, form_class.__name__
    assert "record a disclosure" in ActionForm(case=vulnerable_case).fields["owner_organisation"].help_text
    assert len(ActionForm().fields["owner_organisation"].queryset) == Organisation.objects.count()
