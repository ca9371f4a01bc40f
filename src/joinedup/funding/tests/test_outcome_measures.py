"""Structured outcome measures on monitoring returns: set by staff, submitted once by the grant holder
through their applicant account, reviewed by staff, shown over periods as a table, chart and CSV."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from joinedup.core.roles import Role
from joinedup.core.services.errors import ConflictError
from joinedup.funding import services
from joinedup.funding.applicants.views import SESSION_KEY
from joinedup.funding.models import (
    Applicant,
    Award,
    Decision,
    MeasureValue,
    MonitoringReturn,
    OutcomeMeasure,
    ReturnStatus,
)
from joinedup.funding.monitoring import services as monitoring_services

from .helpers import make_application, make_fund, make_round

pytestmark = pytest.mark.django_db

MEASURES = (
    "Young people taking part | count | up | 200\n"
    "Finishing the course | percentage | up | 75\n"
    "Match funding raised | currency | up | | optional"
)


def signed_in_applicant(email: str, organisation: str) -> tuple[Applicant, Client]:
    applicant = Applicant.objects.create(
        email=email,
        contact_name="Sam Grantee",
        organisation_name=organisation,
        password=make_password(None),
        email_verified_at=timezone.now(),
    )
    client = Client()
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()
    return applicant, client


def award_for(users, grant_round, applicant: Applicant | None, title: str, measures: str = MEASURES) -> Award:
    application = make_application(users, grant_round, "2000.00", title)
    application.applicant = applicant
    application.save()
    services.decide_application(
        actor=users[Role.OPCC_ADMIN],
        application=application,
        data={"outcome": "approve", "amount": "2000", "measures": measures},
    )
    return Award.objects.get(application=application)


@pytest.fixture
def grant_round(users, areas):
    return make_round(users, make_fund(users, areas), budget="6000.00")


@pytest.fixture
def grantee(users, grant_round):
    applicant, client = signed_in_applicant("grantee@example.org", "Northtown Youth Trust")
    award = award_for(users, grant_round, applicant, "Street sport")
    return applicant, client, award


def measure(award: Award, name: str) -> OutcomeMeasure:
    return award.outcome_measures.get(name=name)


def good_return(award: Award, version: int, **extra: str) -> dict[str, object]:
    return {
        "spend": "800.00",
        "outputs": "30 sessions",
        "outcomes": "Fewer call-outs on Friday nights",
        "narrative": "Well attended.",
        f"measure_{measure(award, 'Young people taking part').pk}": "120",
        f"measure_{measure(award, 'Finishing the course').pk}": "62.5",
        "version": version,
        **extra,
    }


# --- setting the measures -----------------------------------------------------------------------------


def test_measures_are_set_when_awarding_and_a_bad_list_refuses_the_whole_decision(users, grant_round):
    application = make_application(users, grant_round, "2000.00", "Boxing")
    with pytest.raises(ValidationError) as caught:
        services.decide_application(
            actor=users[Role.OPCC_ADMIN],
            application=application,
            data={
                "outcome": "approve",
                "amount": "9000",
                "measures": "Attendance | count | sideways | -3\nAttendance | kilos | up\n | percentage | up | 140",
            },
        )
    problems = caught.value.message_dict
    assert set(problems) == {"amount", "measures"}
    text = " ".join(problems["measures"])
    for expected in (
        "'Attendance': the direction must be up or down.",
        "The target of 'Attendance' is a count: it cannot be negative.",
        "'Attendance' is listed twice.",
        "'Attendance': the unit must be count, percentage, currency or average.",
        "Measure 3 needs a name.",
        "is a percentage: enter a number from 0 to 100.",
    ):
        assert expected in text
    assert not Decision.objects.exists() and not Award.objects.exists()

    award = award_for(users, grant_round, None, "Street sport")
    assert [(m.name, m.unit, m.direction, m.target, m.required) for m in award.outcome_measures.all()] == [
        ("Young people taking part", "count", "up", Decimal("200.00"), True),
        ("Finishing the course", "percentage", "up", Decimal("75.00"), True),
        ("Match funding raised", "currency", "up", None, False),
    ]


AVERAGES = (
    "Average days to first contact | average | down | 2.5\n"
    "Mean wellbeing score | mean | up | 7.25\n"
    "Sessions a week | rate | up"
)


def test_an_average_rate_or_length_of_time_is_a_unit_of_its_own_taking_decimals_never_negative(
    users, grant_round, client_for
):
    """ "Average days to first contact" is a mean: a decimal, like a percentage averaged over a period rather
    than added up (docs/adr/0045), but with no upper limit; a negative or a word is refused with the rest."""
    application = make_application(users, grant_round, "2000.00", "Boxing")
    with pytest.raises(ValidationError) as caught:
        services.decide_application(
            actor=users[Role.OPCC_ADMIN],
            application=application,
            data={
                "outcome": "approve",
                "amount": "2000",
                "measures": "Mean days waiting | average | down | -1",
            },
        )
    assert caught.value.message_dict["measures"] == [
        "The target of 'Mean days waiting' is an average, a rate or a length of time: it cannot be negative."
    ]

    applicant, client = signed_in_applicant("grantee@example.org", "Northtown Youth Trust")
    award = award_for(users, grant_round, applicant, "Street sport", measures=AVERAGES)
    days, score, sessions = award.outcome_measures.all()
    assert [(m.unit, m.get_unit_display(), m.target) for m in (days, score, sessions)] == [
        ("average", "Average, rate or length of time", Decimal("2.50")),
        ("average", "Average, rate or length of time", Decimal("7.25")),
        ("average", "Average, rate or length of time", None),
    ]
    # Written back in the one-a-line form under the stored unit word, which reads back as the same unit.
    assert monitoring_services.measures_as_text(award).splitlines()[0] == (
        "Average days to first contact | average | down | 2.5"
    )

    due = award.monitoring_returns.get()
    url = reverse("public-funding:applicant-return", args=[due.pk])
    page = client.get(url).content.decode()
    assert "An average, a rate or a length of time: a number that is not negative" in page
    assert "The target is 2.5." in page
    response = client.post(
        url,
        {
            "spend": "500",
            "narrative": "Well attended.",
            f"measure_{days.pk}": "-1.5",
            f"measure_{score.pk}": "about seven",
            f"measure_{sessions.pk}": "2.125",
            "version": due.version,
        },
    )
    errors = response.context["form"].errors
    assert {key: errors[key] for key in errors if key.startswith("measure_")} == {
        f"measure_{days.pk}": [
            "Average days to first contact is an average, a rate or a length of time: it cannot be negative."
        ],
        f"measure_{score.pk}": ["Enter Mean wellbeing score as a number, for example 12."],
        f"measure_{sessions.pk}": ["Enter Sessions a week with at most two decimal places."],
    }
    assert not MeasureValue.objects.exists()
    # In Welsh for a grant holder who reads it.
    with translation.override("cy"), pytest.raises(ValidationError) as caught:
        monitoring_services.submit_monitoring_return(
            applicant=applicant,
            monitoring_return=due,
            expected_version=due.version,
            data={"spend": "500", "narrative": "Da.", "values": {str(days.pk): "-1", str(score.pk): "7"}},
        )
    assert caught.value.message_dict[f"measure_{days.pk}"] == [
        "Cyfartaledd, cyfradd neu hyd amser yw Average days to first contact: ni all fod yn negatif."
    ]

    response = client.post(
        url,
        {
            "spend": "500",
            "narrative": "Well attended.",
            f"measure_{days.pk}": "3.75",
            f"measure_{score.pk}": "6.5",
            f"measure_{sessions.pk}": "0",
            "version": due.version,
        },
    )
    assert response.status_code == 302
    assert {v.measure.name: v.value for v in MeasureValue.objects.all()} == {
        "Average days to first contact": Decimal("3.75"),
        "Mean wellbeing score": Decimal("6.50"),
        "Sessions a week": Decimal("0.00"),
    }
    detail = client_for(Role.OPCC_OFFICER).get(reverse("funding:award-detail", args=[award.pk])).content
    assert "Average, rate or length of time, lower is better" in detail.decode()
    assert "3.75" in detail.decode() and "6.5" in detail.decode()


def test_staff_change_the_measures_on_the_award_page_with_a_stale_edit_refused(
    users, grant_round, client_for
):
    award = award_for(users, grant_round, None, "Street sport")
    client = client_for(Role.OPCC_OFFICER)
    url = reverse("funding:award-measures", args=[award.pk])
    page = client.get(url).content.decode()
    assert "Young people taking part | count | up | 200" in page  # the current list, to edit
    response = client.post(url, {"measures": "Sessions | count | level", "version": award.version})
    assert response.status_code == 200 and "the direction must be up or down" in response.content.decode()

    read_at = award.version
    response = client.post(url, {"measures": "Sessions run | count | up | 40", "version": read_at})
    assert response.status_code == 302
    response = client.post(url, {"measures": "Something else | count | up", "version": read_at})
    assert response.status_code == 409
    assert list(award.outcome_measures.values_list("name", flat=True)) == ["Sessions run"]
    detail = client_for(Role.AUDITOR).get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert "Sessions run" in detail and client_for(Role.AUDITOR).get(url).status_code == 404


def test_a_measure_with_values_keeps_its_unit_and_cannot_be_removed(users, grantee):
    applicant, _client, award = grantee
    due = award.monitoring_returns.get()
    monitoring_services.submit_monitoring_return(
        applicant=applicant,
        monitoring_return=due,
        expected_version=due.version,
        data={**good_return(award, due.version), "values": _values(award, "120", "62.5")},
    )
    award.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        monitoring_services.set_outcome_measures(
            actor=users[Role.OPCC_OFFICER],
            award=award,
            expected_version=award.version,
            data={
                "measures": "Young people taking part | percentage | up\nMatch funding raised | currency | up"
            },
        )
    text = " ".join(caught.value.message_dict["measures"])
    assert "'Young people taking part' has values in 1 return, so its unit stays count." in text
    assert "'Finishing the course' has values in 1 return, so it cannot be removed (or renamed)." in text
    assert award.outcome_measures.count() == 3 and MeasureValue.objects.count() == 2


def _values(award: Award, taking_part: str, finishing: str) -> dict[str, str]:
    return {
        str(measure(award, "Young people taking part").pk): taking_part,
        str(measure(award, "Finishing the course").pk): finishing,
    }


# --- the grant holder submits ----------------------------------------------------------------------------


def test_every_problem_with_a_return_is_listed_at_once_and_nothing_is_saved(users, grantee, grant_round):
    _applicant, client, award = grantee
    other_award = award_for(users, grant_round, None, "Boxing")
    foreign = other_award.outcome_measures.first()
    due = award.monitoring_returns.get()
    url = reverse("public-funding:applicant-return", args=[due.pk])
    taking_part, finishing = (
        measure(award, "Young people taking part"),
        measure(award, "Finishing the course"),
    )
    match = measure(award, "Match funding raised")
    response = client.post(
        url,
        {
            "spend": "5000",
            f"measure_{taking_part.pk}": "-4",
            f"measure_{finishing.pk}": "120",
            f"measure_{match.pk}": "-10",
            f"measure_{foreign.pk}": "7",
            "version": due.version,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "__all__",
        "spend",
        "narrative",
        f"measure_{taking_part.pk}",
        f"measure_{finishing.pk}",
        f"measure_{match.pk}",
    }
    assert errors[f"measure_{taking_part.pk}"] == [
        "Young people taking part is a count: it cannot be negative."
    ]
    assert errors[f"measure_{finishing.pk}"] == [
        "Finishing the course is a percentage: enter a number from 0 to 100."
    ]
    assert "a measure this grant does not have" in errors["__all__"][0]
    assert "more than the £2,000.00 awarded" in errors["spend"][0]
    page = response.content.decode()
    assert "There is a problem" in page and "Young people taking part is a count" in page

    # A required measure left blank, and a fractional count.
    response = client.post(url, {**good_return(award, due.version), f"measure_{taking_part.pk}": ""})
    assert response.context["form"].errors[f"measure_{taking_part.pk}"] == [
        "Enter a value for Young people taking part."
    ]
    response = client.post(url, {**good_return(award, due.version), f"measure_{taking_part.pk}": "3.5"})
    assert "enter a whole number" in response.context["form"].errors[f"measure_{taking_part.pk}"][0]

    due.refresh_from_db()
    assert due.status == ReturnStatus.DUE and due.submitted_on is None and due.spend is None
    assert not MeasureValue.objects.exists()


def test_the_grant_holder_submits_once_staff_ask_for_changes_and_then_accept(grantee, client_for):
    applicant, client, award = grantee
    due = award.monitoring_returns.get()
    home = client.get(reverse("public-funding:apply-home")).content.decode()
    assert "Street sport" in home and f"return due {due.due_on:%-d %B %Y} (Due)" in home
    url = reverse("public-funding:applicant-return", args=[due.pk])
    page = client.get(url).content.decode()
    assert "Young people taking part" in page and "The target is 200." in page
    assert "Match funding raised (optional)" in page

    response = client.post(url, good_return(award, due.version))
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.status == ReturnStatus.SUBMITTED and due.submitted_by == applicant
    assert due.submitted_on == timezone.localdate() and due.spend == Decimal("800.00")
    assert {v.measure.name: v.value for v in due.measure_values.all()} == {
        "Young people taking part": Decimal("120.00"),
        "Finishing the course": Decimal("62.50"),
    }
    # Submitted once: a second submission changes nothing.
    again = client.post(url, {**good_return(award, due.version), "spend": "1.00"})
    assert again.status_code == 200 and "has already been submitted" in again.content.decode()
    due.refresh_from_db()
    assert due.spend == Decimal("800.00")
    assert "(Submitted)" in client.get(reverse("public-funding:apply-home")).content.decode()

    staff = client_for(Role.OPCC_OFFICER)
    detail = staff.get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert "Submitted, to review" in detail and "62.5%" in detail
    review = reverse("funding:monitoring-return-review", args=[due.pk])
    assert "grantee@example.org" in staff.get(review).content.decode()
    response = staff.post(review, {"decision": "changes", "version": due.version})
    assert response.context["form"].errors["changes_requested"] == [
        "Say what the grant holder should change."
    ]
    response = staff.post(
        review,
        {"decision": "changes", "changes_requested": "Count each person once.", "version": due.version},
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.status == ReturnStatus.CHANGES_REQUESTED and due.submitted_on is None

    # Reopened: the grant holder sees why, with their answers to change.
    page = client.get(url).content.decode()
    assert "Count each person once." in page and 'value="120.00"' in page
    assert (
        client.post(
            url,
            good_return(
                award, due.version, **{f"measure_{measure(award, 'Young people taking part').pk}": "95"}
            ),
        ).status_code
        == 302
    )
    due.refresh_from_db()
    assert due.status == ReturnStatus.SUBMITTED
    assert staff.post(review, {"decision": "accept", "version": due.version}).status_code == 302
    due.refresh_from_db()
    assert due.status == ReturnStatus.ACCEPTED and due.reviewed_on == timezone.localdate()
    # Accepted: a review again is refused.
    response = staff.post(review, {"decision": "changes", "changes_requested": "x", "version": due.version})
    assert "Only a submitted return can be reviewed" in response.content.decode()
    assert "(Accepted)" in client.get(reverse("public-funding:apply-home")).content.decode()
    assert "95" in client.get(url).content.decode()


def test_a_submission_on_a_stale_form_is_refused_with_409(users, grantee, client_for):
    applicant, client, award = grantee
    due = award.monitoring_returns.get()
    read_at = due.version
    # Staff record the return (sent by post) while the grant holder fills in the form.
    staff = client_for(Role.OPCC_OFFICER)
    response = staff.post(
        reverse("funding:monitoring-return-record", args=[due.pk]),
        {**good_return(award, read_at), "narrative": "Sent by post."},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("public-funding:applicant-return", args=[due.pk]), good_return(award, read_at)
    )
    assert response.status_code == 200 and "has already been submitted" in response.content.decode()
    due.refresh_from_db()
    assert due.narrative == "Sent by post." and due.status == ReturnStatus.ACCEPTED

    # Two submissions racing on one version: the second is refused (the service's own check).
    second = monitoring_services.add_monitoring_return(
        actor=users[Role.OPCC_OFFICER], award=award, data={"due_on": due.due_on + datetime.timedelta(days=90)}
    )
    data = {**good_return(award, second.version), "values": _values(award, "10", "50")}
    monitoring_services.submit_monitoring_return(
        applicant=applicant, monitoring_return=second, expected_version=second.version, data=data
    )
    stale = MonitoringReturn.objects.get(pk=second.pk)
    stale.status, stale.version = ReturnStatus.DUE, second.version - 1  # as loaded before the first save
    with pytest.raises(ConflictError):
        monitoring_services.submit_monitoring_return(
            applicant=applicant, monitoring_return=stale, expected_version=stale.version, data=data
        )
    response = staff.post(
        reverse("funding:monitoring-return-review", args=[second.pk]),
        {"decision": "accept", "version": second.version - 1},
    )
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.status == ReturnStatus.SUBMITTED


def _applicant_return_paths() -> list[str]:
    """Every public URL about a monitoring return, so a path added later is tried too."""
    from joinedup.funding.public_urls import urlpatterns

    return [f"public-funding:{p.name}" for p in urlpatterns if p.name and "return" in p.name]


def test_another_grant_holders_return_is_not_found_on_every_path(users, grantee, grant_round):
    mine, my_client, _my_award = grantee
    theirs, their_client = signed_in_applicant("other@example.org", "Southtown Boxing Club")
    their_award = award_for(users, grant_round, theirs, "Boxing")
    their_return = their_award.monitoring_returns.get()
    paths = _applicant_return_paths()
    assert paths == ["public-funding:applicant-return"]
    for name in paths:
        url = reverse(name, args=[their_return.pk])
        assert my_client.get(url).status_code == 404
        assert my_client.post(url, good_return(their_award, their_return.version)).status_code == 404
        # Nor a return that does not exist, nor someone signed out (sent to sign in).
        assert my_client.get(reverse(name, args=[their_return.pk + 1000])).status_code == 404
        assert Client().get(url).status_code == 302
        assert their_client.get(url).status_code == 200
    their_return.refresh_from_db()
    assert their_return.status == ReturnStatus.DUE and not their_return.measure_values.exists()
    home = my_client.get(reverse("public-funding:apply-home")).content.decode()
    assert "Boxing" not in home and "Street sport" in home
    # The service refuses too, whatever the page does.
    with pytest.raises(Exception, match="Not this applicant"):
        monitoring_services.submit_monitoring_return(
            applicant=mine,
            monitoring_return=their_return,
            expected_version=their_return.version,
            data=good_return(their_award, their_return.version),
        )


# --- staff read the values over periods ---------------------------------------------------------------------


def test_values_over_periods_on_the_award_page_the_outcome_view_and_the_csv(users, grantee, client_for):
    applicant, _client, award = grantee
    first = award.monitoring_returns.get()
    second = monitoring_services.add_monitoring_return(
        actor=users[Role.OPCC_OFFICER],
        award=award,
        data={"due_on": first.due_on + datetime.timedelta(days=91)},
    )
    with pytest.raises(ValidationError) as caught:
        monitoring_services.add_monitoring_return(
            actor=users[Role.OPCC_OFFICER], award=award, data={"due_on": first.due_on}
        )
    assert "already due" in caught.value.message_dict["due_on"][0]
    for monitoring_return, taking_part, finishing in ((first, "120", "62.5"), (second, "180", "80")):
        monitoring_services.submit_monitoring_return(
            applicant=applicant,
            monitoring_return=monitoring_return,
            expected_version=monitoring_return.version,
            data={**good_return(award, 0), "values": _values(award, taking_part, finishing)},
        )
    auditor = client_for(Role.AUDITOR)
    for url in (
        reverse("funding:award-detail", args=[award.pk]),
        reverse("funding:award-outcomes", args=[award.pk]),
    ):
        page = auditor.get(url).content.decode()
        table = page[page.index('data-testid="measure-table"') :]
        table = table[: table.index("</table>")]
        assert table.index("120") < table.index("180") and "62.5%" in table and "80%" in table
        assert "Target" in table and "75%" in table
        assert (
            page.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 2
        )  # a chart for each measure with values
        assert "Young people taking part by monitoring period (count)" in page

    response = auditor.get(reverse("funding:award-measures-csv", args=[award.pk]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("grant_identifier,measure,unit,direction,target")
    assert (
        f"{award.identifier},Young people taking part,count,up,200.00,yes,{second.due_on.isoformat()},"
        f"{(first.due_on + datetime.timedelta(days=1)).isoformat()},{second.due_on.isoformat()},submitted,"
        f"{timezone.localdate().isoformat()},180.00"
    ) in lines
    assert any(
        line.startswith(f"{award.identifier},Match funding raised,currency") and line.endswith(",")
        for line in lines
    )  # an optional measure left blank: no value
    assert len(lines) == 1 + 3 * 2
