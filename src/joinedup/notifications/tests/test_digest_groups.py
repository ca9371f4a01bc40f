"""The daily digest reads each kind of work once per group of people who see the same items, and still
gives every person exactly what their own list holds (issue 16's 10,000 digests within a minute).

The oracle is `digest_content(person)`, the path the home page and the digest took one person at a time."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.casework.models import (
    ActionStatus,
    ActionType,
    Case,
    CaseAction,
    InformationSharingAgreement,
    ProblemSolvingPlan,
)
from joinedup.core.due import group_key, registrations
from joinedup.core.models import Organisation, Sector, User
from joinedup.core.permissions import load_own_areas
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.notifications.digest import digest_content, digest_contents, digest_recipients

NOW = timezone.now().replace(microsecond=0)
TODAY = timezone.localdate(NOW)


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _hours(n: int) -> datetime.datetime:
    return NOW + datetime.timedelta(hours=n)


@pytest.fixture
def frozen() -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _work(world: dict[str, Any], people: dict[str, User], far: dict[str, Any], fire: Organisation) -> None:
    """Something of every kind, some for organisations, some for one person by name, some nobody may see."""
    from joinedup.csp.tests.factories import make_dhr, make_duty, make_plan
    from joinedup.funding.models import (
        Application,
        ApplicationStatus,
        Award,
        ConflictDeclaration,
        DistributionModel,
        Fund,
        FundSource,
        GrantRound,
        MonitoringReturn,
        PanelAssignment,
        ReturnStatus,
        RoundStatus,
    )
    from joinedup.partnerships.models import Plan, Status
    from joinedup.partnerships.tests.factories import make_partnership
    from joinedup.performance.models import Indicator
    from joinedup.scrutiny.tests.factories import make_panel_recommendation

    areas = world["areas"]
    police, council, housing = world["police"], world["council"], world["housing"]
    north_lsoa, south_lsoa = areas["E01900001"], areas["E01900003"]

    def case(lead: Organisation, area: Any, due: datetime.datetime, **kwargs: Any) -> Case:
        return Case.objects.create(area=area, lead_organisation=lead, risk_assessment_due_at=due, **kwargs)

    led_by_police = case(police, north_lsoa, _hours(6), lead_officer=people["pc_a"])
    # A police officer leading the council's case (the police may see it under the agreement).
    council_case = case(council, north_lsoa, _hours(-30), lead_officer=people["pc_b"])
    # Housing's case, led by a council officer who may not see it (housing is no party to the agreement).
    housing_case = case(housing, north_lsoa, _hours(72), lead_officer=people["council_a"])
    case(police, south_lsoa, _hours(48))  # outside the agreement's area: the police's own
    restricted = case(council, north_lsoa, _hours(5), restricted=True)  # council only, not shared
    case(far["police"], far["E01800001"], _hours(3), lead_officer=people["pc_a"])  # another force's case
    for n in range(12):  # more than a digest lists of one kind
        case(police, north_lsoa, _hours(n * 20 - 50))

    def action(on: Case, owner: Organisation, due: datetime.date, **kwargs: Any) -> None:
        CaseAction.objects.create(
            case=on, owner_organisation=owner, action_type=ActionType.REASSURANCE, due_date=due, **kwargs
        )

    action(led_by_police, council, _days(2))
    action(led_by_police, police, _days(0), officer=people["pc_c"])
    action(council_case, council, _days(-2), officer=people["council_b"])
    action(
        restricted, council, _days(1), officer=people["pc_d"]
    )  # named, but on a case the police may not see
    action(housing_case, housing, _days(3), officer=people["pc_b"])
    # The council's action, assigned by name to a police officer: outside the police's organisation-wide
    # answer, on a case the police may see under the agreement.
    action(council_case, council, _days(1), officer=people["pc_g"])
    action(led_by_police, police, _days(1), status=ActionStatus.COMPLETE, officer=people["pc_e"])

    for plan_case, review in ((led_by_police, _days(4)), (council_case, _days(-1)), (housing_case, _days(2))):
        ProblemSolvingPlan.objects.create(
            case=plan_case,
            objective="Stop it.",
            raised_by=people["pc_a"],
            raised_at=NOW,
            next_review_due=review,
        )
    InformationSharingAgreement.objects.filter(pk=world["agreement"].pk).update(review_date=_days(5))

    make_duty(csp=areas["north"], due_date=_days(5))
    make_duty(csp=areas["south"], due_date=_days(1))
    make_dhr(csp=areas["south"], notified_on=TODAY - datetime.timedelta(days=40))
    make_panel_recommendation(force_area=areas["pfa"], response_due=_days(2))
    make_panel_recommendation(force_area=far["pfa"], response_due=_days(1), title="Farshire's")
    csp_plan = make_plan(csp=areas["north"])
    csp_plan.priorities.create(title="Arson").actions.create(
        description="Home safety visits", owner=fire, due_date=_days(4)
    )

    fund = Fund.objects.create(
        name="Safer Streets",
        source=FundSource.COMMUNITY_SAFETY,
        distribution_model=DistributionModel.OPEN_ROUNDS,
        force_area=areas["pfa"],
    )
    grant_round = GrantRound.objects.create(
        fund=fund,
        name="Youth round",
        opens_on=_days(-30),
        closes_on=_days(3),
        budget=Decimal("1000"),
        status=RoundStatus.OPEN,
    )
    applications = [
        Application.objects.create(
            round=grant_round,
            organisation_name=f"Club {n}",
            project_title="Sport",
            project_description="Sport.",
            amount_requested=Decimal("100"),
            status=ApplicationStatus.ELIGIBLE,
        )
        for n in range(2)
    ]
    for member in ("pc_a", "officer_a", "council_a"):
        for application in applications:
            PanelAssignment.objects.create(application=application, member=people[member])
    ConflictDeclaration.objects.create(
        application=applications[0], member=people["council_a"], reason="Trustee"
    )
    award = Award.objects.create(
        application=applications[1],
        fund=fund,
        recipient_name="Club 1",
        title="Sport",
        description="Sport.",
        amount=Decimal("100"),
        awarded_on=_days(-60),
    )
    MonitoringReturn.objects.create(award=award, due_on=_days(2))
    MonitoringReturn.objects.create(  # submitted by the grant holder, for the office to review
        award=award, due_on=_days(-5), status=ReturnStatus.SUBMITTED, submitted_on=_days(-6)
    )

    partnership = make_partnership(
        name="Northtown Reducing Reoffending",
        status=Status.ACTIVE,
        next_review_date=_days(3),
        lead_organisation=council,
    )
    partnership.areas.set([areas["north"]])
    partnership.memberships.create(organisation=housing)
    partnership.actions.create(description="Agree the referral pathway", owner=housing, due_date=_days(5))

    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=areas["pfa"],
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    Indicator.objects.create(
        plan_priority=plan.priorities.create(title="Fewer burglaries"),
        force_area=areas["pfa"],
        area=areas["pfa"],
        name="Burglaries",
        definition="A figure.",
        unit="count",
        direction="down",
        baseline_from=datetime.date(2023, 4, 1),
        baseline_to=datetime.date(2024, 3, 31),
        target_kind="threshold",
        target_value=Decimal("10"),
        frequency="quarterly",
        owner=fire,
        source="manual",
    )

    from joinedup.engagement.models import Audience, Consultation, Participation

    survey = Consultation.objects.create(
        title="Partnership working survey",
        summary="How well do we work together?",
        area=areas["pfa"],
        organisation=police,
        audience=Audience.PARTNERS,
        published=True,
        opens_on=_days(-5),
        closes_on=_days(6),
    )
    Participation.objects.create(consultation=survey, user=people["pc_b"])  # answered: not on their list


@pytest.fixture
def population(world: dict[str, Any], frozen: None) -> dict[str, User]:
    """About forty people in two force areas: several of each role, organisation and area, some named on
    cases, actions and scoring panels, some with nothing at all."""
    areas = world["areas"]
    far = area_tree(force=8, name="Farshire")
    far["police"] = OrganisationFactory(name="Farshire Police", sector=Sector.POLICE_FORCE)
    fire = OrganisationFactory(name="Testshire Fire", sector=Sector.FIRE_RESCUE)
    opcc = OrganisationFactory(name="Testshire OPCC", sector=Sector.OPCC)
    police, council, housing = world["police"], world["council"], world["housing"]
    plan: dict[str, tuple[str, Organisation | None, list[Any]]] = {
        **{f"pc_{x}": (Role.PRACTITIONER, police, [areas["pfa"]]) for x in "abcdefg"},
        **{f"council_{x}": (Role.PRACTITIONER, council, [areas["north"]]) for x in "abcd"},
        "council_south": (Role.PRACTITIONER, council, [areas["south"]]),
        "housing_a": (Role.PRACTITIONER, housing, [areas["north"]]),
        "housing_b": (Role.PRACTITIONER, housing, [areas["north"]]),
        "fire_a": (Role.PRACTITIONER, fire, [areas["north"]]),
        "fire_b": (Role.PRACTITIONER, fire, [areas["north"]]),
        "fire_manager": (Role.CSP_MANAGER, fire, [areas["north"]]),
        "manager_north_a": (Role.CSP_MANAGER, council, [areas["north"]]),
        "manager_north_b": (Role.CSP_MANAGER, council, [areas["north"]]),
        "manager_south": (Role.CSP_MANAGER, council, [areas["south"]]),
        "manager_both": (Role.CSP_MANAGER, council, [areas["north"], areas["south"]]),
        "officer_a": (Role.OPCC_OFFICER, opcc, [areas["pfa"]]),
        "officer_b": (Role.OPCC_OFFICER, opcc, [areas["pfa"]]),
        "officer_c": (Role.OPCC_OFFICER, opcc, [areas["pfa"]]),
        "admin_a": (Role.OPCC_ADMIN, opcc, [areas["pfa"]]),
        "admin_b": (Role.OPCC_ADMIN, opcc, [areas["pfa"]]),
        "analyst_a": (Role.ANALYST, opcc, [areas["pfa"]]),
        "analyst_b": (Role.ANALYST, police, [areas["north"]]),
        "panel_a": (Role.PANEL_MEMBER, council, [areas["pfa"]]),
        "panel_b": (Role.PANEL_MEMBER, council, [areas["pfa"]]),
        "auditor_a": (Role.AUDITOR, None, [areas["pfa"]]),
        "far_pc_a": (Role.PRACTITIONER, far["police"], [far["pfa"]]),
        "far_pc_b": (Role.PRACTITIONER, far["police"], [far["pfa"]]),
        "far_officer": (Role.OPCC_OFFICER, opcc, [far["pfa"]]),
        "no_areas": (Role.PRACTITIONER, police, []),
        "no_organisation": (Role.PRACTITIONER, None, [areas["north"]]),
    }
    people = {
        name: UserFactory(role=role, organisation=org, areas=where, email=f"{name}@example.org")
        for name, (role, org, where) in plan.items()
    }
    _work(world, people, far, fire)
    return people


def _recipients() -> list[User]:
    return list(digest_recipients())


def test_each_persons_grouped_digest_is_the_one_they_would_get_alone(population: dict[str, User]) -> None:
    grouped = {user.pk: content for user, content in digest_contents(_recipients(), day=TODAY)}
    alone = {user.pk: digest_content(user, day=TODAY) for user in _recipients()}  # fresh objects
    assert len(grouped) == len(alone) >= len(population)
    for name, person in population.items():
        assert grouped[person.pk] == alone[person.pk], name

    # The population exercises what could go wrong: every kind is on someone's list, items named for one
    # person reach that person and not their colleagues, and some people have nothing due.
    def items(name: str) -> list[Any]:
        content = grouped[population[name].pk]
        return content["items"] if content else []

    kinds = {item.kind for content in grouped.values() if content for item in content["items"]}
    assert kinds == {registration.kind for registration in registrations()}  # a new kind must be here too
    surveys = [i.title for i in items("pc_c") if i.kind == "engagement.partner_survey"]
    assert surveys == ["Answer the partner survey: Partnership working survey"]
    assert "engagement.partner_survey" not in {i.kind for i in items("pc_b")}  # answered already
    pc_b_whys = {(i.kind, i.why) for i in items("pc_b")}
    assert ("casework.risk_assessment", "You lead this case") in pc_b_whys
    assert ("casework.risk_assessment", "You lead this case") not in {(i.kind, i.why) for i in items("pc_f")}
    assert ("casework.action", "Assigned to you") in {(i.kind, i.why) for i in items("pc_c")}
    council_case_url = {i.url for i in items("pc_b") if i.why == "You lead this case"}
    assert len(council_case_url) == 1  # the council's case the police officer leads

    def actions(name: str) -> set[tuple[str, str, datetime.date]]:
        return {(i.url, i.why, i.due) for i in items(name) if i.kind == "casework.action"}

    # The council's action named for pc_g: theirs alone as "Assigned to you", their organisation's with it.
    assigned = {(url, "Assigned to you", _days(1)) for url in council_case_url}
    assert assigned <= actions("pc_g") and actions("pc_g") - assigned == actions("pc_f")
    assert not {a for name in ("pc_a", "pc_c", "pc_f") for a in actions(name) if a[0] in council_case_url}
    assert {(url, "Assigned to your organisation", _days(1)) for url in council_case_url} <= actions(
        "council_a"
    )

    def scoring(name: str) -> list[str]:
        return [i.title for i in items(name) if i.kind == "funding.scoring"]

    assert scoring("pc_a") == ["Score 2 applications in Youth round"] and scoring("pc_f") == []
    assert scoring("council_a") == ["Score 1 application in Youth round"]  # a conflict declared on the other
    assert not [i for i in items("council_a") if "You lead" in i.why]  # housing's case is not theirs to see
    assert grouped[population["pc_f"].pk]["more"] > 0  # more than ten risk assessments: counted, not listed
    nothing = {name for name, person in population.items() if grouped[person.pk] is None}
    assert "auditor_a" in nothing and "pc_f" not in nothing


def test_the_digests_reads_grow_with_groups_not_people(population: dict[str, User]) -> None:
    people = _recipients()
    load_own_areas(people)
    groups = {group_key(person) for person in people}
    with CaptureQueriesContext(connection) as grouped:
        list(digest_contents(people, day=TODAY))
    with CaptureQueriesContext(connection) as alone:
        for person in _recipients():
            digest_content(person, day=TODAY)
    one_person = len(alone) / len(people)
    named = {
        population[n].pk
        for n in ("pc_a", "pc_b", "pc_c", "pc_d", "pc_g", "council_a", "council_b", "officer_a")
    }
    # Each group read once, plus the kinds of the people named on some record, plus the batch's reads.
    assert len(grouped) <= (len(groups) + len(named)) * one_person + 10

    # Three more people in every group, none named on anything: the same reads (and each gets the digest
    # of the group's members who are not named either).
    for n, person in enumerate(people * 3):
        clone = UserFactory(
            role=person.role,
            organisation=person.organisation,
            areas=list(person.areas.all()),
            is_active=person.is_active,
            email=f"clone{n}@example.org",
        )
        assert clone.pk not in named
    more = _recipients()
    assert len(more) == 4 * len(people)
    with CaptureQueriesContext(connection) as again:
        contents = {user.pk: content for user, content in digest_contents(more, day=TODAY)}
    assert len(again) == len(grouped) < one_person * len(more) / 3
    plain = population["pc_f"]
    for clone in User.objects.filter(
        email__startswith="clone", role=plain.role, organisation=plain.organisation
    ):
        if set(clone.areas.all()) == set(plain.areas.all()):
            assert contents[clone.pk] == contents[plain.pk] == digest_content(clone, day=TODAY)


def test_a_named_person_adds_only_their_own_rows_to_their_groups(population: dict[str, User]) -> None:
    """Casework's items for a police officer named on an action or a case: the police's organisation-wide
    rows, read once for the group, plus the officer's own rows outside them, read by their id alone (a small
    query), never the organisation-wide query again for them."""
    plain, named = population["pc_f"], population["pc_g"]

    def casework_reads(people: list[User]) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            list(digest_contents(people, day=TODAY))
        return [q["sql"] for q in queries.captured_queries if '"casework_caseaction"' in q["sql"]]

    org = f'"owner_organisation_id" = {plain.organisation_id}'

    def group_reads(reads: list[str]) -> list[str]:
        by_officer = ('"officer_id" = ', '"officer_id" IN')  # a named person's reads, and who is named
        return [sql for sql in reads if org in sql and not any(word in sql for word in by_officer)]

    group_only = casework_reads([User.objects.get(pk=plain.pk)])
    both = casework_reads([User.objects.get(pk=plain.pk), User.objects.get(pk=named.pk)])
    assert len(group_reads(both)) == len(group_reads(group_only)) == 2  # counted and listed, once
    own = [sql for sql in both if f'"officer_id" = {named.pk}' in sql]
    assert len(own) == 2  # pc_g's own action outside the police's: counted and listed
    assert not [sql for sql in both if f"{org} OR" in sql]  # nobody's read is the whole force's again

    # And the answers are those the one-person path gives.
    alone = digest_content(named, day=TODAY)
    assert dict(digest_contents([named], day=TODAY))[named] == alone
