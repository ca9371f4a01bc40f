"""The register's pages: list with filters and counts, CSV, partnership page, forms, and the public register."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from joinedup.core.models import AuditEvent, EventType, Sector
from joinedup.core.roles import Role
from joinedup.partnerships.models import Membership, Partnership, Risk, Status, Visibility
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_list_filters_count_and_sort(client_for, areas):
    overdue = make_partnership(
        name="Alliance", status=Status.ACTIVE, level="strategic", next_review_date=datetime.date(2020, 1, 1)
    )
    overdue.areas.set([areas["pfa"]])
    make_partnership(name="Youth panel", level="local", exit_triggers="")
    make_partnership(
        name="Vehicle workshop",
        status=Status.ACTIVE,
        level="operational",
        next_review_date=datetime.date(2099, 1, 1),
    )
    client = client_for(Role.PANEL_MEMBER)
    url = reverse("partnerships:list")

    page = client.get(url, {"overdue_review": "on"})
    assert [p.name for p in page.context["page_obj"].object_list] == ["Alliance"]
    assert b"<strong>1</strong> partnership<" in page.content and b"Overdue" in page.content

    page = client.get(url, {"no_exit_strategy": "on"})
    assert [p.name for p in page.context["page_obj"].object_list] == ["Youth panel"]

    # A partnership covering the force area covers its LSOAs too.
    page = client.get(url, {"area": "E01900001"})
    assert [p.name for p in page.context["page_obj"].object_list] == ["Alliance"]

    page = client.get(url, {"sort": "-name"})
    assert [p.name for p in page.context["page_obj"].object_list] == [
        "Youth panel",
        "Vehicle workshop",
        "Alliance",
    ]
    assert b"<strong>3</strong> partnerships" in page.content


def test_list_filters_by_partner_sector(client_for):
    p = make_partnership(name="With fire")
    Membership.objects.create(partnership=p, organisation=make_organisation(sector=Sector.FIRE_RESCUE))
    make_partnership(name="Without")
    page = client_for(Role.ANALYST).get(reverse("partnerships:list"), {"sector_group": "Fire and rescue"})
    assert [x.name for x in page.context["page_obj"].object_list] == ["With fire"]


def test_csv_export_has_filtered_rows_and_is_logged(client_for, users):
    p = make_partnership(name="=cmd|evil", status=Status.ACTIVE)
    Membership.objects.create(
        partnership=p,
        organisation=make_organisation(name="West Mercia Police"),
        role="lead",
        cost_share_percent="69",
        money_per_year="1000.50",
    )
    make_partnership(name="Proposal")
    response = client_for(Role.AUDITOR).get(reverse("partnerships:export"), {"status": "active"})
    rows = _csv_rows(response)
    assert [r["name"] for r in rows] == ["'=cmd|evil"]
    assert rows[0]["members"] == "West Mercia Police (Lead, 69%)"
    assert rows[0]["money per year (£)"] == "1000.50"
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.detail["filters"]["status"] == "active"


def test_partnership_page_shows_members_heat_map_and_history(client_for, users):
    p = make_partnership(name="Strategic alliance")
    Membership.objects.create(
        partnership=p, organisation=make_organisation(name="Warwickshire Police"), cost_share_percent="31"
    )
    Risk.objects.create(partnership=p, description="Cultures clash", likelihood=4, impact=4)
    page = client_for(Role.PRACTITIONER).get(reverse("partnerships:detail", args=[p.pk]))
    html = page.content.decode()
    assert "Warwickshire Police" in html
    assert "Cost shares add up to 31%: they must add up to 100%." in html
    assert (
        "<strong>1</strong> risk<br>" in html and "High (16)" in html
    )  # the band in words, not colour alone
    assert 'id="history"' in html
    assert "Edit" not in html.split('id="history"')[0].split("<h1")[1][:400]  # practitioners cannot edit


def test_propose_form_shows_every_error_then_saves(client_for, users):
    client = client_for(Role.OPCC_OFFICER)
    response = client.post(
        reverse("partnerships:create"), {"name": "", "exit_cost": "-1", "visibility": "public"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter the name." in html and "Enter the purpose." in html
    assert "greater than or equal to 0" in html
    assert Partnership.objects.count() == 0

    response = client.post(
        reverse("partnerships:create"),
        {
            "name": "Victims' referral framework",
            "purpose": "Commission victims' services across three forces.",
            "legal_basis": "contractual",
            "level": "regional",
            "visibility": "public",
            "review_cadence_months": "12",
            "areas": "E23000099",
        },
    )
    p = Partnership.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:detail", args=[p.pk])
    assert p.status == Status.PROPOSED and p.created_by == users[Role.OPCC_OFFICER]
    assert [a.code for a in p.areas.all()] == ["E23000099"]


def test_second_editor_gets_a_conflict(client_for):
    p = make_partnership(name="Old name", legal_basis="informal", level="local")
    form = {
        "name": "",
        "purpose": p.purpose,
        "legal_basis": "informal",
        "level": "local",
        "review_cadence_months": "12",
        "visibility": "internal",
        "version": "1",
    }
    first = client_for(Role.OPCC_OFFICER).post(
        reverse("partnerships:edit", args=[p.pk]), {**form, "name": "First"}
    )
    assert first.status_code == 302
    second = client_for(Role.OPCC_ADMIN).post(
        reverse("partnerships:edit", args=[p.pk]), {**form, "name": "Second"}
    )
    assert second.status_code == 409
    assert "Someone else changed this record" in second.content.decode()
    p.refresh_from_db()
    assert p.name == "First"


def test_add_member_and_risk_pages(client_for):
    p = make_partnership()
    org = make_organisation(name="Humberside Fire and Rescue")
    client = client_for(Role.OPCC_OFFICER)
    response = client.post(
        reverse("partnerships:risk-add", args=[p.pk]), {"description": "x", "likelihood": "7"}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    response = client.post(
        reverse("partnerships:membership-add", args=[p.pk]),
        {"organisation": org.pk, "role": "host", "money_per_year": "200000"},
    )
    assert response.status_code == 302
    assert p.memberships.get().get_role_display() == "Host"


def test_assessment_page_saves_and_suggests(client_for):
    p = make_partnership(status=Status.UNDER_ASSESSMENT)
    client = client_for(Role.OPCC_OFFICER)
    page = client.get(reverse("partnerships:assessment", args=[p.pk]))
    assert "Do we have the legal powers to partner" in page.content.decode()
    response = client.post(
        reverse("partnerships:assessment", args=[p.pk]),
        {
            "includes_pcc_questions": "on",
            "legal_powers_rating": "red",
            "legal_powers_evidence": "",
        },
    )
    assert response.status_code == 200 and "Give the evidence for the rating" in response.content.decode()
    response = client.post(
        reverse("partnerships:assessment", args=[p.pk]),
        {
            "includes_pcc_questions": "on",
            "legal_powers_rating": "red",
            "legal_powers_evidence": "No power.",
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert "Red on legal powers" in detail and "Incomplete" in detail


def test_public_register_shows_only_public_approved_partnerships(client):
    shown = make_partnership(name="Together York", status=Status.ACTIVE, visibility=Visibility.PUBLIC)
    charity = make_organisation(name="York CVS", sector=Sector.VCS_CHARITY)
    Membership.objects.create(partnership=shown, organisation=charity, role="member")
    shown.declarations.create(
        kind="transaction",
        organisation=charity,
        description="Grant for outreach",
        amount="5000.00",
        declared_on=datetime.date(2026, 4, 1),
    )
    make_partnership(name="Internal one", status=Status.ACTIVE, visibility=Visibility.INTERNAL)
    hidden_proposal = make_partnership(
        name="Public proposal", status=Status.PROPOSED, visibility=Visibility.PUBLIC
    )

    page = client.get(reverse("public-partnerships:list"))
    assert [p.name for p in page.context["page_obj"].object_list] == ["Together York"]
    assert client.get(reverse("public-partnerships:detail", args=[hidden_proposal.pk])).status_code == 404
    detail = client.get(reverse("public-partnerships:detail", args=[shown.pk])).content.decode()
    assert "York CVS" in detail and "Grant for outreach" in detail

    rows = _csv_rows(client.get(reverse("public-partnerships:export-csv")))
    assert [r["name"] for r in rows] == ["Together York"]
    assert "Grant for outreach" in rows[0]["declarations"]

    # The list layer's JSON ({"count", "columns", "results"}), each record with its structured fields.
    response = client.get(reverse("public-partnerships:export-json"))
    data = json.loads(b"".join(response.streaming_content))
    assert data["count"] == 1 and [p["name"] for p in data["results"]] == ["Together York"]
    assert data["results"][0]["declarations"][0]["amount"] == "5000.00"
    assert data["results"][0]["members"][0]["organisation"] == "York CVS"


def test_review_page_completes_a_review_with_actions(client_for):
    p = make_partnership(status=Status.UNDER_REVIEW)
    officer_page = (
        client_for(Role.OPCC_OFFICER).get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    )
    assert "An OPCC administrator completes the review" in officer_page
    admin = client_for(Role.OPCC_ADMIN)
    response = admin.post(reverse("partnerships:review", args=[p.pk]), {"decision": "revise"})
    html = response.content.decode()
    assert response.status_code == 200 and "Enter the evidence of added value." in html
    response = admin.post(
        reverse("partnerships:review", args=[p.pk]),
        {
            "reviewed_on": "2026-06-01",
            "added_value": "Joint tasking works.",
            "decision": "revise",
            "decision_reason": "Add the housing association.",
            "action_1_action": "Invite the housing association",
            "action_1_owner": "Partnership manager",
            "action_1_due_on": "2026-07-01",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.REVISED
    detail = admin.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert "Invite the housing association (Partnership manager, by 1 Jul 2026)" in detail
    assert "Revise: Add the housing association." in detail  # the reason in the history


def test_benefits_show_totals_on_the_partnership_page(client_for):
    p = make_partnership()
    client = client_for(Role.OPCC_OFFICER)
    for year, projected in (("2026", "100.00"), ("2027", "250.50")):
        response = client.post(
            reverse("partnerships:benefit-add", args=[p.pk]),
            {"financial_year": year, "savings_projected": projected},
        )
        assert response.status_code == 302
    html = client.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert "2027/28" in html and "<strong>£350.50</strong>" in html


def test_overview_counts_statuses_overdue_reviews_and_money(client_for):
    running = make_partnership(
        status=Status.ACTIVE, level="strategic", next_review_date=datetime.date(2020, 1, 1)
    )
    Membership.objects.create(
        partnership=running, organisation=make_organisation(), money_per_year="1000.25", staff_fte="1.5"
    )
    running.benefits.create(financial_year=2026, savings_projected="34200000.00", savings_realised="100.00")
    proposal = make_partnership(status=Status.PROPOSED, exit_steps="")
    Membership.objects.create(partnership=proposal, organisation=make_organisation(), money_per_year="999")
    make_partnership(status=Status.DECLINED, exit_steps="")
    page = client_for(Role.PANEL_MEMBER).get(reverse("partnerships:overview"))
    summary = page.context["summary"]
    assert summary.total == 3 and ("Active", 1) in summary.by_status and ("Strategic", 1) in summary.by_level
    assert summary.overdue_reviews == 1 and summary.no_exit_strategy == 1
    html = page.content.decode()
    assert "£1,000.25" in html and "£34,200,000.00" in html


# --- Police and Crime Plans ------------------------------------------------------------------------------


def test_plan_pages_list_create_with_every_error_then_show_priorities(client_for, areas):
    from joinedup.partnerships.models import Plan

    officer = client_for(Role.OPCC_OFFICER)
    register = client_for(Role.PRACTITIONER).get(reverse("partnerships:list")).content.decode()
    assert f'href="{reverse("partnerships:plan-list")}">Police and Crime Plans</a>' in register

    page = client_for(Role.PRACTITIONER).get(reverse("partnerships:plan-list"))
    assert page.status_code == 200 and "No Police and Crime Plans recorded." in page.content.decode()
    assert reverse("partnerships:plan-create") not in page.content.decode()  # practitioners cannot record

    response = officer.post(
        reverse("partnerships:plan-create"),
        {"title": "", "period_start": "2029-04-01", "period_end": "2025-03-31", "priorities": "  \n"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter the title." in html and "Enter the police and crime commissioner." in html
    assert "The plan must end after it starts." in html
    assert "Give the plan at least one priority." in html
    assert Plan.objects.count() == 0

    response = officer.post(
        reverse("partnerships:plan-create"),
        {
            "title": "Safer Testshire",
            "pcc_name": "Pat Commissioner",
            "force_area": areas["pfa"].pk,
            "period_start": "2025-04-01",
            "period_end": "2029-03-31",
            "priorities": "Tackle violence against women and girls\n\nSafer roads\n",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "partnerships:plan-detail", args=[plan.pk]
    )
    assert [p.title for p in plan.priorities.all()] == [
        "Tackle violence against women and girls",
        "Safer roads",
    ]
    assert plan.history.get().history_change_reason == "Plan recorded"

    listing = client_for(Role.ANALYST).get(reverse("partnerships:plan-list")).content.decode()
    assert "Safer Testshire" in listing and "Pat Commissioner" in listing
    detail = (
        client_for(Role.AUDITOR).get(reverse("partnerships:plan-detail", args=[plan.pk])).content.decode()
    )
    assert "Tackle violence against women and girls" in detail and "Safer roads" in detail
    assert (
        client_for(Role.AUDITOR).get(reverse("partnerships:plan-detail", args=[plan.pk + 99])).status_code
        == 404
    )
    assert client_for(Role.AUDITOR).get(reverse("partnerships:plan-create")).status_code == 404


# --- removing members, risks and declarations; follow-up actions -----------------------------------------


def test_remove_member_risk_and_declaration_keeps_the_reason_in_history(client_for, users):
    from joinedup.partnerships.models import Declaration

    p = make_partnership(name="Removals", status=Status.ACTIVE)
    member = Membership.objects.create(partnership=p, organisation=make_organisation(name="Gone Trust"))
    risk = Risk.objects.create(partnership=p, description="Funding ends", likelihood=3, impact=3)
    declaration = Declaration.objects.create(
        partnership=p,
        kind="transaction",
        organisation=make_organisation(name="Acme Ltd", sector=Sector.BUSINESS),
        description="Contract",
        declared_on=datetime.date(2026, 1, 1),
    )
    officer = client_for(Role.OPCC_OFFICER)
    page = officer.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    for name, kwargs in (
        ("member-remove", {"member_pk": member.pk}),
        ("risk-remove", {"risk_pk": risk.pk}),
        ("declaration-remove", {"declaration_pk": declaration.pk}),
    ):
        assert reverse(f"partnerships:{name}", kwargs={"pk": p.pk, **kwargs}) in page

    url = reverse("partnerships:member-remove", kwargs={"pk": p.pk, "member_pk": member.pk})
    assert officer.get(url).status_code == 405  # POST only
    assert client_for(Role.PRACTITIONER).post(url, {"reason": "x"}).status_code == 404
    response = officer.post(url, {"reason": "Left the partnership"})
    assert response.status_code == 302 and response["Location"].endswith("#members")
    assert not Membership.objects.filter(pk=member.pk).exists()
    gone = Membership.history.filter(id=member.pk, history_type="-").get()
    assert gone.history_change_reason == "Member removed: Left the partnership"
    assert gone.history_user == users[Role.OPCC_OFFICER]

    officer.post(reverse("partnerships:risk-remove", kwargs={"pk": p.pk, "risk_pk": risk.pk}))
    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert Risk.history.filter(id=risk.pk, history_type="-").get().history_change_reason == "Risk removed"

    url = reverse("partnerships:declaration-remove", kwargs={"pk": p.pk, "declaration_pk": declaration.pk})
    client_for(Role.OPCC_ADMIN).post(url, {"reason": "Declared in error"})
    assert not Declaration.objects.filter(pk=declaration.pk).exists()
    assert (
        Declaration.history.filter(id=declaration.pk, history_type="-").get().history_change_reason
        == "Declaration removed: Declared in error"
    )
    # A record of another partnership is not found through this one.
    other_risk = Risk.objects.create(
        partnership=make_partnership(status=Status.ACTIVE), description="Elsewhere", likelihood=1, impact=1
    )
    assert (
        officer.post(
            reverse("partnerships:risk-remove", kwargs={"pk": p.pk, "risk_pk": other_risk.pk})
        ).status_code
        == 404
    )
    assert Risk.objects.filter(pk=other_risk.pk).exists()


def test_removing_from_a_closed_partnership_is_refused_with_a_message(client_for):
    p = make_partnership(status=Status.TERMINATED)
    risk = Risk.objects.create(partnership=p, description="Old", likelihood=1, impact=1)
    response = client_for(Role.OPCC_ADMIN).post(
        reverse("partnerships:risk-remove", kwargs={"pk": p.pk, "risk_pk": risk.pk}), follow=True
    )
    assert Risk.objects.filter(pk=risk.pk).exists()
    assert "terminated partnership is closed and cannot be changed" in response.content.decode()


def test_mark_review_action_done(client_for):
    from joinedup.partnerships.models import PartnershipReview, ReviewAction

    p = make_partnership(status=Status.ACTIVE)
    review = PartnershipReview.objects.create(
        partnership=p,
        reviewed_on=datetime.date(2026, 1, 15),
        added_value="Fewer repeat victims.",
        decision="continue",
        decision_reason="It works.",
    )
    action = ReviewAction.objects.create(
        review=review, action="Refresh the agreement", owner="OPCC", due_on=datetime.date(2026, 6, 1)
    )
    url = reverse("partnerships:review-action-done", kwargs={"pk": p.pk, "action_pk": action.pk})
    officer = client_for(Role.OPCC_OFFICER)
    assert url in officer.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert (
        url not in client_for(Role.ANALYST).get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    )
    assert client_for(Role.ANALYST).post(url).status_code == 404
    response = officer.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#reviews")
    action.refresh_from_db()
    assert action.done
    assert action.history.latest().history_change_reason == "Follow-up action done"
    page = officer.post(url, follow=True).content.decode()
    assert "already marked as done" in page
    assert url not in page.split('id="reviews"')[1]
