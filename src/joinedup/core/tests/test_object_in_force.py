"""One record's force check (`object_in_force`, called by `has_permission` for every object) compares the
ids of the areas the record names with the areas inside the person's forces, read once per person: a loop
over N records costs no query per record (docs/adr/0028)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.core.permissions import has_permission, object_in_force
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.csp.models import DhrRecommendation, DutyRecord
from joinedup.csp.tests.factories import make_dhr, make_duty
from joinedup.scrutiny.models import PanelRecommendation
from joinedup.scrutiny.tests.factories import make_panel_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_forces() -> tuple[dict, dict]:
    return area_tree(), area_tree(force=8, name="Farshire")


def _duties(tree: dict, count: int) -> list[DutyRecord]:
    from joinedup.csp.duties import Duty

    duties = list(Duty)
    for year in range(2020, 2020 + count):
        make_duty(csp=tree["north"], duty=duties[0], year=year)
    return list(DutyRecord.objects.filter(csp=tree["north"]))


def _queries(user, records: list) -> tuple[int, list[bool]]:
    with CaptureQueriesContext(connection) as captured:
        answers = [object_in_force(user, record) for record in records]
    return len(captured), answers


def test_no_query_per_record_through_a_csp(two_forces):
    testshire, farshire = two_forces
    mine, theirs = _duties(testshire, 12), _duties(farshire, 12)
    assert len(mine) == len(theirs) == 12
    for records, expected in [(mine, True), (theirs, False)]:
        user = UserFactory(role=Role.OPCC_OFFICER, areas=[testshire["pfa"]])
        few, few_answers = _queries(user, records[:2])
        user = UserFactory(role=Role.OPCC_OFFICER, areas=[testshire["pfa"]])
        many, many_answers = _queries(user, records)
        assert many == few  # the person's areas only, whatever the number of records
        assert set(few_answers) == set(many_answers) == {expected}
        assert all(has_permission(user, "csp.change", record) is expected for record in records)


def test_a_path_through_another_record_reads_no_area(two_forces):
    testshire, farshire = two_forces
    from joinedup.core.tests.factories import OrganisationFactory

    agency = OrganisationFactory()
    for tree in (testshire, farshire):
        review = make_dhr(csp=tree["south"])
        for n in range(5):
            DhrRecommendation.objects.create(review=review, agency=agency, text=f"Recommendation {n}")
    records = list(DhrRecommendation.objects.select_related("review"))
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[testshire["north_lad"]])
    object_in_force(user, records[0])  # reads the person's forces once
    with CaptureQueriesContext(connection) as captured:
        answers = {r.review.csp_id: object_in_force(user, r) for r in records}
    assert len(captured) == 0
    assert answers == {testshire["south"].pk: True, farshire["south"].pk: False}


def test_same_answers_as_the_queryset_scope(two_forces):
    testshire, farshire = two_forces
    for tree in (testshire, farshire):
        make_panel_recommendation(force_area=tree["pfa"])
        make_duty(csp=tree["south"])
    for areas in ([testshire["pfa"]], [farshire["E01800001"]], []):
        user = UserFactory(role=Role.AUDITOR, areas=areas)
        for model in (PanelRecommendation, DutyRecord):
            in_scope = set(
                model.objects.restrict(user, "csp.view" if model is DutyRecord else "csp.panel.view")
            )
            for record in model.objects.all():
                assert object_in_force(user, record) == (record in in_scope)
