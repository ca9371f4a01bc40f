"""The Sevenoaks day walked through in Chromium (axe checks every page): reports from three agencies reach
tasking and are assigned, the repeat vulnerable victim's Risk Assessment Matrix scores high, a plan with
actions from two agencies is completed, the informant is told and the plan turns green; a case review
request meets the threshold. Then the access checks: the housing association, outside the agreement, gets
404 for the case in the pages and the API, while the audit log shows every view by those allowed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from joinedup.casework.demo import load_casework_demo
from joinedup.casework.models import Case, CaseAction, CaseReviewRequest, ProblemSolvingPlan
from joinedup.core.demo import load_demo
from joinedup.core.models import AuditEvent, EventType, User
from joinedup.core.services.tokens import create_token

pytestmark = [pytest.mark.browser]
PASSWORD = settings.JOINEDUP_DEMO_PASSWORD
POLICE, COUNCIL, HOUSING = (
    "practitioner.police@example.org",
    "practitioner.council@example.org",
    "practitioner.housing@example.org",
)


@pytest.fixture
def sevenoaks_day(transactional_db: Any, tmp_path: Any) -> Case:
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)
    summary = load_casework_demo(out=lambda line: None)
    assert summary.repeat_case is not None
    return summary.repeat_case


def _submit(page: Any, button: str = "Save") -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.inner_text()
    page.check_accessibility()


def _sign_out(page: Any) -> None:
    page.visit("/staff/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _complete(page: Any, action: CaseAction) -> None:
    page.visit(f"/staff/casework/actions/{action.pk}/")
    page.get_by_label("Status").select_option("complete")
    _submit(page)


def test_the_sevenoaks_day_from_tasking_to_a_green_plan_and_a_case_review(
    page: Any, sevenoaks_day: Case
) -> None:
    case = sevenoaks_day
    due = (date.today() + timedelta(days=7)).isoformat()

    # Daily tasking: the last 24 hours' reports the police may see (their own and the council's, under the
    # agreement), none assigned yet; the housing association's report is not theirs to see (ADR 0012).
    page.sign_in(POLICE, PASSWORD)
    page.visit("/staff/casework/tasking/")
    board = page.locator("table").inner_text()
    for agency in ("Northumbria Police", "Newcastle City Council"):
        assert agency in board
    assert "Tyne Valley Homes" not in board
    assert board.count("None assigned") == 3
    _sign_out(page)

    # The housing association works the case built from its own report.
    page.sign_in(HOUSING, PASSWORD)
    page.visit("/staff/casework/tasking/")
    housing_case = Case.objects.get(lead_organisation__name__startswith="Tyne Valley Homes")
    page.get_by_role("link", name=housing_case.reference).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Assign an action").click()
    page.get_by_label("Lead agency").select_option(label="Tyne Valley Homes (illustrative)")
    page.get_by_label("Action").select_option("warning_letter")
    page.fill_date("Due date", due)
    _submit(page)
    page.visit("/staff/casework/tasking/")
    assert page.locator("table").inner_text().count("None assigned") == 0
    _sign_out(page)
    page.sign_in(POLICE, PASSWORD)

    # The repeat vulnerable victim: the Risk Assessment Matrix is due, and scores high.
    page.visit(f"/staff/casework/cases/{case.pk}/")
    assert "Risk assessment due by" in page.locator("main").inner_text()
    page.get_by_role("link", name="Complete the Risk Assessment Matrix").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.evaluate(
        """() => {
            const names = new Set([...document.querySelectorAll('input[type=radio]')].map(r => r.name));
            for (const name of names) {
                const radios = document.querySelectorAll(`input[name="${name}"]`);
                radios[radios.length - 1].checked = true;
            }
        }"""
    )
    _submit(page, "Score the assessment")
    assert "Risk assessed: high (score 40)" in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.risk_level == "high" and ProblemSolvingPlan.objects.filter(case=case).exists()

    # The Joint Problem Solving plan: one action for the police, one for the council.
    page.get_by_role("link", name="Open the plan").click()
    page.wait_for_load_state()
    assert "Red: no actions yet" in page.locator("#plan-rag").inner_text()
    for agency, officer, action in (
        ("Northumbria Police", "Jordan Lee (Northumbria Police)", "reassurance"),
        ("Newcastle City Council", "Aisha Rahman (Newcastle City Council)", "cpw"),
    ):
        page.visit(f"/staff/casework/cases/{case.pk}/plan/actions/new/")
        page.get_by_label("Agency").select_option(label=agency)
        page.get_by_label("Officer").select_option(label=officer)
        page.get_by_label("Action", exact=True).select_option(action)
        page.fill_date("Due date", due)
        _submit(page)
    assert "Newcastle City Council, Northumbria Police" in page.locator("main").inner_text()
    for action in case.actions.all():
        _complete(page, action)
    page.visit(f"/staff/casework/cases/{case.pk}/plan/")
    assert "Red: actions outstanding or informant not yet updated" in page.locator("#plan-rag").inner_text()

    # The informant is told what was done: the plan turns green.
    page.get_by_role("link", name="Record an update").click()
    page.get_by_label("How").select_option("phone")
    page.get_by_label("What the informant was told").fill("Reassurance visit made and a warning served.")
    _submit(page)
    page.visit(f"/staff/casework/cases/{case.pk}/plan/")
    assert "Green: actions complete and informant updated" in page.locator("#plan-rag").inner_text()
    _sign_out(page)

    # The victim asks for an ASB case review: three reports in six months to two agencies meet the threshold.
    page.sign_in(COUNCIL, PASSWORD)
    page.visit("/staff/casework/case-reviews/new/")
    page.fill_date("Received on", date.today())
    page.get_by_label("Neighbourhood (LSOA) or district").fill(case.area.code)
    page.get_by_label("Applicant's name").fill("Margaret Ellis")
    page.fill_date("Applicant's date of birth", "1941-06-12")
    page.get_by_label("Applicant's phone").fill("07700 900461")
    page.get_by_label("The anti-social behaviour the applicant says").fill("Youths at my door for weeks.")
    _submit(page)
    assert "Threshold met: 3 of the 3 complaints" in page.locator("#threshold-summary").inner_text()
    review = CaseReviewRequest.objects.get()
    assert review.applicant.full_name == "Margaret Ellis"
    page.visit("/staff/casework/case-reviews/")
    assert review.reference in page.locator("main").inner_text()
    assert "Margaret Ellis" not in page.locator("main").inner_text()
    _sign_out(page)

    # The analyst's dashboard and the public statistics: counts only.
    page.sign_in("analyst@example.org", PASSWORD)
    page.visit("/staff/casework/kpis/")
    summary = page.locator("#kpi-summary").inner_text()
    # One repeat victim among the open cases: the demo day's and the earlier ones its history adds (no case
    # is ever closed by the demo).
    assert f"1 of {Case.objects.count()} open" in summary and Case.objects.count() > 4
    assert "Margaret" not in page.content()
    page.visit("/asb-case-reviews/")
    assert page.locator("table tbody tr").count() == 1


def test_outside_the_agreement_the_case_is_404_and_the_audit_log_shows_every_allowed_view(
    page: Any, sevenoaks_day: Case
) -> None:
    case = sevenoaks_day
    for email in (POLICE, COUNCIL):
        page.sign_in(email, PASSWORD)
        page.visit(f"/staff/casework/cases/{case.pk}/")
        assert "Margaret Ellis" in page.locator("main").inner_text()
        _sign_out(page)

    page.sign_in(HOUSING, PASSWORD)
    page.visit(f"/staff/casework/cases/{case.pk}/", expect_status=404)
    page.visit(f"/staff/casework/cases/{case.pk}/plan/", expect_status=404)
    housing = User.objects.get(email=HOUSING)
    _token, raw = create_token(user=housing, name="browser test", actor=None)
    response = Client().get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404
    _sign_out(page)

    page.sign_in("auditor@example.org", PASSWORD)
    page.visit(f"/staff/audit/?event_type=personal_record_viewed&object_id={case.pk}")
    log = page.locator("main").inner_text()
    assert POLICE in log and COUNCIL in log and HOUSING not in log
    views = AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.case", object_id=str(case.pk)
    )
    assert sorted(views.values_list("actor_email", flat=True)) == [COUNCIL, POLICE]
    assert AuditEvent.objects.filter(event_type=EventType.PERMISSION_DENIED, actor_email=HOUSING).count() >= 3


def test_the_risk_assessment_and_a_plan_action_work_without_javascript(
    page_without_js: Any, sevenoaks_day: Case
) -> None:
    page, case = page_without_js, sevenoaks_day
    page.sign_in(COUNCIL, PASSWORD)
    page.visit(f"/staff/casework/cases/{case.pk}/risk-assessments/new/")
    page.get_by_role("button", name="Score the assessment").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1  # every question listed as unanswered
    for group in range(page.locator("fieldset").count()):
        page.locator("fieldset").nth(group).locator("input[type=radio]").first.check()
    _submit(page, "Score the assessment")
    assert "Risk assessed: standard (score 0)" in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.risk_level == "standard" and case.risk_assessment_due_at is None
    assert not ProblemSolvingPlan.objects.filter(case=case).exists()


def test_an_agreement_walked_from_draft_to_in_force_changes_the_housing_view_only_then(
    page: Any, sevenoaks_day: Case
) -> None:
    from joinedup.casework.agreements.services import save_agreement
    from joinedup.core.models import Organisation

    case = sevenoaks_day  # the police's case (with the council's reports) about the repeat victim
    manager = User.objects.get(email="csp.manager@example.org")
    police_org = Organisation.objects.get(name="Northumbria Police")
    housing_org = Organisation.objects.get(name__startswith="Tyne Valley Homes")
    draft = save_agreement(
        actor=manager,
        data={
            "title": "Police and Tyne Valley Homes ASB sharing",
            "purpose": "Joint work on ASB affecting tenants.",
            "lawful_basis": "cda_s115",
            "covers_asb_casework": True,
            "start_date": (date.today() - timedelta(days=30)).isoformat(),
            "data_categories": ["identity", "contact", "incidents"],
            "areas": [case.area.csp.code],
            "parties": [
                {
                    "organisation": police_org.pk,
                    "liaison_officer_name": "Jordan Lee",
                    "liaison_officer_email": POLICE,
                },
                {
                    "organisation": housing_org.pk,
                    "liaison_officer_name": "Housing DLO",
                    "liaison_officer_email": HOUSING,
                },
            ],
        },
    )
    detail = f"/staff/casework/agreements/{draft.pk}/"

    def housing_sees_the_case() -> bool:
        page.sign_in(HOUSING, PASSWORD)
        response = page.page.goto(page.base_url + f"/staff/casework/cases/{case.pk}/")
        seen = response is not None and response.status == 200 and "Margaret Ellis" in page.page.content()
        _sign_out(page)
        return seen

    assert not housing_sees_the_case()  # a draft shares nothing

    page.sign_in("csp.manager@example.org", PASSWORD)
    page.visit(detail)
    _submit(page, "Propose to the parties for signature")
    assert "Proposed" in page.locator("#agreement-status").inner_text()
    _sign_out(page)
    assert not housing_sees_the_case()

    page.sign_in(HOUSING, PASSWORD)
    page.visit(detail)
    _submit(page, "Sign for my organisation")
    assert "comes into force when every party has signed" in page.locator("main").inner_text()
    _sign_out(page)
    assert not housing_sees_the_case()  # one signature of two: still nothing

    page.sign_in(POLICE, PASSWORD)
    page.visit(detail)
    _submit(page, "Sign for my organisation")
    assert "In force" in page.locator("#agreement-status").inner_text()
    _sign_out(page)
    assert housing_sees_the_case()  # from the last signature
    draft.refresh_from_db()
    assert draft.start_date == date.today()  # never back-dated to the drafted start
