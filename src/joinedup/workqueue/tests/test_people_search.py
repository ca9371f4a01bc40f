"""Search finds people named in casework by part of their name, only under the sharing rule (ADR 0012, 0020).

The world (casework/tests/conftest.py): police and council share North Testshire under an agreement in
force; the housing association shares nothing. On top of it this test makes cases of every kind the rule
knows (shared, the housing association's own, restricted to one organisation, disclosed, in another force
area) and people of every role on them, then checks, for every account and every part of every name, that
the search finds the person exactly when the account may open the case page (its oracle: the case page
itself answers 200 or 404 through the rule).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.casework.models import AgreementStatus, Case, CaseDisclosure, LawfulBasis
from joinedup.casework.names import fold_name
from joinedup.casework.selectors import people_named
from joinedup.casework.services import record_incident
from joinedup.core.models import AuditEvent, EventType, Sector
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.workqueue.selectors import run_search

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _incident(actor: Any, informant: str, perpetrator: str, **extra: Any) -> Case:
    data: dict[str, Any] = {
        "reporting_organisation": actor.organisation_id,
        "received_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "category": "asb/nuisance/noise",
        "address": "1 High Street",
        "postcode": "NE1 4ST",
        "area": "E01900001",
        "description": "Loud music until 3am.",
        "informant": {"name": informant},
        "perpetrators": [{"name": perpetrator}],
    }
    data.update(extra)
    return record_incident(actor=actor, data=data).case


@pytest.fixture
def casework(world: dict[str, Any]) -> dict[str, Any]:
    users = world["users"]
    police, council, housing = world["police"], world["council"], world["housing"]
    farshire = area_tree(force=8, name="Farshire")
    far_org = OrganisationFactory(name="Farshire Police", sector=Sector.POLICE_FORCE)
    accounts = {
        **users,
        "police_opcc_officer": UserFactory(role=Role.OPCC_OFFICER, organisation=police),
        "council_csp_manager": UserFactory(
            role=Role.CSP_MANAGER, organisation=council, areas=[world["areas"]["north"]]
        ),
        "opcc_admin": UserFactory(role=Role.OPCC_ADMIN, organisation=OrganisationFactory(name="The OPCC")),
        "panel_member": UserFactory(role=Role.PANEL_MEMBER, organisation=police),
        # The same organisation, but working in another force area (ADR 0028).
        "police_in_farshire": UserFactory(
            role=Role.PRACTITIONER, organisation=police, areas=[farshire["pfa"]]
        ),
        "farshire_police": UserFactory(role=Role.PRACTITIONER, organisation=far_org, areas=[farshire["pfa"]]),
    }
    cases = {
        "shared": _incident(users["police"], "Zoë Ashcombe-Pryor", "Declan Murtagh"),
        "housing_own": _incident(users["housing"], "Winslow Farthingale", "Oona Brackenridge"),
        "restricted": _incident(users["police"], "Ingrid Tallowmere", "Rufus Quilliam"),
        "disclosed": _incident(users["housing"], "Percival Quennell", "Bartholomew Ostler"),
        "farshire": _incident(
            accounts["farshire_police"],
            "Hesketh Marchbanks",
            "Lavinia Crumpsall",
            area="E01800001",
            postcode="",
        ),
    }
    cases["restricted"].restricted = True
    cases["restricted"].save(update_fields=["restricted"])
    cases["restricted"].restricted_to.set([police])
    CaseDisclosure.objects.create(
        case=cases["disclosed"],
        organisation=council,
        disclosed_by=users["housing"],
        reason="Joint visit",
        lawful_basis=LawfulBasis.CDA_S115,
    )
    people = {
        "Zoë Ashcombe-Pryor": ("shared", "informant or victim"),
        "Declan Murtagh": ("shared", "alleged perpetrator"),
        "Winslow Farthingale": ("housing_own", "informant or victim"),
        "Oona Brackenridge": ("housing_own", "alleged perpetrator"),
        "Ingrid Tallowmere": ("restricted", "informant or victim"),
        "Rufus Quilliam": ("restricted", "alleged perpetrator"),
        "Percival Quennell": ("disclosed", "informant or victim"),
        "Bartholomew Ostler": ("disclosed", "alleged perpetrator"),
        "Hesketh Marchbanks": ("farshire", "informant or victim"),
        "Lavinia Crumpsall": ("farshire", "alleged perpetrator"),
    }
    assert housing.pk != police.pk
    return {"accounts": accounts, "cases": cases, "people": people}


def _fragments(name: str) -> list[str]:
    """Parts of a name as people type them: a piece of the surname, the first name shouted, the whole
    name without its accents, and the whole name as written."""
    first, last = name.split(" ", 1)
    return [last[1:5].lower(), first.upper(), fold_name(name), name]


def _opens(user: Any, case: Case) -> bool:
    status = _client(user).get(reverse("casework:case-detail", args=[case.pk])).status_code
    assert status in (200, 404)
    return status == 200


def test_a_person_is_found_by_part_of_their_name_exactly_by_those_who_may_open_their_case(casework):
    accounts, cases, people = casework["accounts"], casework["cases"], casework["people"]
    may_open = {
        (who, kind): _opens(user, case) for who, user in accounts.items() for kind, case in cases.items()
    }
    # The oracle is not vacuous: the rule's every branch is in it, both ways.
    assert may_open[("police", "shared")] and may_open[("council", "shared")]
    assert not may_open[("housing", "shared")] and may_open[("housing", "housing_own")]
    assert not may_open[("police", "housing_own")] and not may_open[("council", "housing_own")]
    assert may_open[("police", "restricted")] and not may_open[("council", "restricted")]
    assert may_open[("council", "disclosed")] and not may_open[("police", "disclosed")]
    assert may_open[("farshire_police", "farshire")] and not may_open[("police", "farshire")]
    assert not may_open[("police_in_farshire", "shared")]
    assert not any(may_open[(who, kind)] for who in ("analyst", "auditor", "panel_member") for kind in cases)
    assert {user.role for user in accounts.values()} == set(Role.values)  # a new role cannot be missed

    failures = []
    for who, user in accounts.items():
        for name, (kind, role) in people.items():
            case = cases[kind]
            for fragment in _fragments(name):
                found = {(n.case_id, n.full_name, n.role) for n in people_named(user, fragment)}
                expected = may_open[(who, kind)]
                if ((case.pk, name, role) in found) != expected:
                    failures.append(f"{who} searching {fragment!r}: expected found={expected}, got {found}")
                # Nothing is ever found on a case the account may not open.
                hidden = [f for f in found if not may_open[(who, _kind_of(cases, f[0]))]]
                if hidden:
                    failures.append(f"{who} searching {fragment!r} found {hidden}")
    assert not failures, "\n".join(failures[:20])


def _kind_of(cases: dict[str, Case], case_id: int) -> str:
    return next(kind for kind, case in cases.items() if case.pk == case_id)


@pytest.mark.parametrize("how", ["ended", "expired", "not yet signed"])
def test_an_agreement_no_longer_in_force_stops_the_partner_finding_the_person(world, casework, how):
    council, police = casework["accounts"]["council"], casework["accounts"]["police"]
    assert [n.full_name for n in people_named(council, "ashcombe")] == ["Zoë Ashcombe-Pryor"]
    agreement = world["agreement"]
    if how == "ended":
        agreement.status, agreement.ended_at = AgreementStatus.ENDED, timezone.now()
    elif how == "expired":
        agreement.end_date = date.today() - timedelta(days=1)
    else:
        agreement.status = AgreementStatus.PROPOSED
    agreement.save()
    assert people_named(council, "ashcombe") == []
    assert (
        "Nothing you can see matches"
        in _client(council).get("/staff/search/", {"q": "ashcombe"}).content.decode()
    )
    # The lead organisation still finds its own informant.
    assert [n.full_name for n in people_named(police, "ashcombe")] == ["Zoë Ashcombe-Pryor"]


def test_the_search_page_shows_people_with_their_case_and_role_linking_to_the_case(casework):
    police, housing = casework["accounts"]["police"], casework["accounts"]["housing"]
    shared = casework["cases"]["shared"]
    page = _client(police).get("/staff/search/", {"q": "murtagh"}).content.decode()
    assert "People named in cases and case reviews (1)" in page
    assert f"{shared.reference}: Declan Murtagh, alleged perpetrator" in page
    assert f'href="{reverse("casework:case-detail", args=[shared.pk])}"' in page
    # Not allowed reads exactly as nothing there.
    refused = _client(housing).get("/staff/search/", {"q": "murtagh"}).content.decode()
    absent = _client(housing).get("/staff/search/", {"q": "nobodyatall"}).content.decode()
    assert "People named in cases" not in refused and "Murtagh" not in refused.replace("murtagh", "")

    def main(page: str, query: str) -> str:
        found = re.search(r"<main.*</main>", page, re.DOTALL)
        assert found is not None
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", found.group()).replace(query, "Q")

    assert main(refused, "murtagh") == main(absent, "nobodyatall")


def test_every_name_search_is_audited_with_what_it_found_and_nothing_reaches_the_logs(casework, caplog):
    caplog.set_level(logging.DEBUG)
    police, housing = casework["accounts"]["police"], casework["accounts"]["housing"]
    shared = casework["cases"]["shared"]
    person = shared.incidents.get().informant

    assert _client(police).get("/staff/search/", {"q": "Ashcombe"}).status_code == 200
    assert _client(housing).get("/staff/search/", {"q": "Ashcombe"}).status_code == 200

    events = AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.person"
    )
    by_police = events.get(actor_id=police.pk)
    assert by_police.detail["search"] == "Ashcombe" and by_police.object_repr == "Search: Ashcombe"
    assert by_police.detail["people"] == [
        {"case": shared.reference, "person": person.pk, "role": "informant or victim"}
    ]
    by_housing = events.get(actor_id=housing.pk)  # the attempt that found nothing is recorded too
    assert by_housing.detail["people"] == [] and by_housing.detail["search"] == "Ashcombe"

    for record in caplog.records:
        text = record.getMessage() + " " + " ".join(str(v) for v in vars(record).values())
        assert "ashcombe" not in text.lower(), record


def test_a_query_shorter_than_two_characters_finds_no_one_and_is_not_audited(casework):
    police = casework["accounts"]["police"]
    assert people_named(police, "Z") == [] and people_named(police, "  z ") == []
    assert run_search(user=police, query=" Z ") == []
    page = _client(police).get("/staff/search/", {"q": "Z"}).content.decode()
    assert "Enter at least two characters" in page
    assert not AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, actor_id=police.pk
    ).exists()
    # Two characters are enough.
    assert [n.full_name for n in people_named(police, "zo")] == ["Zoë Ashcombe-Pryor"]


def test_the_search_box_posts_so_a_name_is_in_no_url_or_log_line(casework, caplog):
    """As gunicorn's access log would write each request (method, path with query string, referrer), and
    every log record: the name searched for from the header's search box is in none of them."""
    from django.core.signals import request_started
    from django.test import Client

    caplog.set_level(logging.DEBUG)
    lines: list[str] = []

    def access_log(sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
        environ = environ or {}
        lines.append(
            f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}?{environ.get('QUERY_STRING', '')} "
            f'"{environ.get("HTTP_REFERER", "-")}"'
        )

    police, shared = casework["accounts"]["police"], casework["cases"]["shared"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(police)
    request_started.connect(access_log)
    try:
        home = client.get("/staff/").content.decode()
        header = re.search(
            r'<form class="ju-service-navigation__search" method="post"[^>]*>(.*?)</form>', home, re.S
        )
        assert header is not None, "the header's search box posts its query"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header.group(1))
        assert token is not None
        page = client.post(
            "/staff/search/", {"csrfmiddlewaretoken": token.group(1), "q": "Declan Murtagh"}
        ).content.decode()
        assert f"{shared.reference}: Declan Murtagh, alleged perpetrator" in page
        assert 'method="post"' in page  # searching again posts too
        client.get(
            reverse("casework:case-detail", args=[shared.pk]), HTTP_REFERER="http://testserver/staff/search/"
        )
    finally:
        request_started.disconnect(access_log)
    assert len(lines) == 3
    for text in [
        *lines,
        *(r.getMessage() + " " + " ".join(map(str, vars(r).values())) for r in caplog.records),
    ]:
        assert "murtagh" not in text.lower() and "declan" not in text.lower(), text


def test_every_accented_letter_is_stored_folded_and_found_by_its_plain_letter(casework):
    """The intake stores each name folded (`Person.folded_name`, which the search reads on both databases):
    every Latin letter that folds to one plain letter, lower and upper case, and names typed decomposed (a
    letter, then its accent), are found by their plain spelling: "dogan" finds "Doğan"."""
    from joinedup.casework.models import Person

    police = casework["accounts"]["police"]
    letters = "".join(
        chr(code)
        for code in range(0xC0, 0x250)
        if len(fold_name(chr(code))) == 1 and fold_name(chr(code)) != chr(code).lower()
    )
    assert "ğ" in letters and "Ł" in letters and "ø" in letters and "e" not in letters
    # A name holds at most 150 characters, so the letters go in names of 100.
    names = [letters[start : start + 100] for start in range(0, len(letters), 100)]
    names += [unicodedata.normalize("NFD", name) for name in ("Zoë Doğan", "ÅSA ŁUKASZ")]
    for name in names:
        _incident(police, name, "Declan Murtagh")
    stored = dict(Person.objects.filter(full_name__in=names).values_list("full_name", "folded_name"))
    assert stored == {name: fold_name(name) for name in names}
    for name in names:
        assert name in [n.full_name for n in people_named(police, fold_name(name), limit=100)], name
    # Literal expectations, not worked out by the function under test.
    assert fold_name("Doğan Ó Briain-Łukasz Zoë") == "dogan o briain-lukasz zoe"
    assert fold_name("Ǿrsted ᴬnna") == "orsted anna"  # an accented "ø"; a compatibility capital
    assert stored[unicodedata.normalize("NFD", "Zoë Doğan")] == "zoe dogan"
    assert [n.full_name for n in people_named(police, "asa lukasz")] == [
        unicodedata.normalize("NFD", "ÅSA ŁUKASZ")
    ]


FIRST_NAMES = ["Zoë", "Zoe", "Siân", "Sian", "Óisín", "Oisin", "Doğan", "Łukasz", "Renée", "Chloé", "Ana"]
LAST_NAMES = ["Ó Briain", "O Brien", "Núñez", "Nunez", "Brontë", "Bronte", "Müller", "Muller", "Smith"]


def test_the_search_finds_exactly_the_people_whose_name_holds_every_word_ignoring_case_and_accents(casework):
    """Generated people with accented and plain names on cases the police may open: for every query, the
    people found on those cases are exactly those whose name, folded, holds every folded word of it (the
    rule the search always had), and nothing found elsewhere fails the rule."""
    import random

    police = casework["accounts"]["police"]
    rng = random.Random(16)
    named: set[tuple[int, str, str]] = set()
    for _ in range(24):
        informant = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        perpetrator = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        case = _incident(police, informant, perpetrator)
        named |= {(case.pk, informant, "informant or victim"), (case.pk, perpetrator, "alleged perpetrator")}
    generated_cases = {case_id for case_id, _, _ in named}
    queries = ["zoe", "ZOË", "sian", "Siân nunez", "o bri", "núñez", "NUNEZ", "bront", "mull", "lukasz"]
    queries += ["ŁUK", "oisin muller", "ren", "chloe smith", "smith zoe", "ana", "ee", "zz", "doğan o"]
    checked = 0
    for query in queries:
        words = fold_name(query).split()
        found = {(n.case_id, n.full_name, n.role) for n in people_named(police, query, limit=1000)}
        expected = {row for row in named if all(word in fold_name(row[1]) for word in words)}
        assert {row for row in found if row[0] in generated_cases} == expected, query
        assert all(all(word in fold_name(row[1]) for word in words) for row in found), query
        checked += len(expected)
    assert checked > 50  # the queries find people, not only nothing
    # Found whichever way the name or the query is written.
    for query in ("siân", "SIAN"):
        assert {n.full_name for n in people_named(police, query, limit=1000)} >= {
            name for _, name, _ in named if name.startswith(("Siân", "Sian"))
        }


def test_a_renamed_person_is_found_by_their_new_name_only(casework):
    from joinedup.casework.models import Person

    police = casework["accounts"]["police"]
    person = Person.objects.get(full_name="Declan Murtagh")
    person.full_name = "Dúnlaith Ní Bhraonáin"
    person.save(update_fields=["full_name"])
    assert people_named(police, "murtagh") == []
    assert [n.full_name for n in people_named(police, "dunlaith ni bhraonain")] == ["Dúnlaith Ní Bhraonáin"]


def test_a_query_of_accents_alone_finds_no_one(casework):
    police = casework["accounts"]["police"]
    assert people_named(police, "\u0301\u0301") == [] and people_named(police, " \u0301 z") == []
    assert [n.full_name for n in people_named(police, "ZOË")] == ["Zoë Ashcombe-Pryor"]


def test_a_name_searched_by_the_header_box_is_audited_and_left_out_of_the_page_title(casework):
    police, shared = casework["accounts"]["police"], casework["cases"]["shared"]
    page = _client(police).post("/staff/search/", {"q": "Ashcombe"}).content.decode()
    assert f"{shared.reference}: Zoë Ashcombe-Pryor" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "Ashcombe" not in title.group(1)
    assert 'autocomplete="off"' in page
    event = AuditEvent.objects.get(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.person", actor_id=police.pk
    )
    assert event.detail["people"] and {p["case"] for p in event.detail["people"]} == {shared.reference}


def test_a_subject_access_report_lists_the_searches_that_showed_the_person(casework):
    from joinedup.casework.subject_access.selectors import ACTION, subject_access_report
    from joinedup.core.permissions import has_permission

    police, shared = casework["accounts"]["police"], casework["cases"]["shared"]
    person = shared.incidents.get().informant
    run_search(user=police, query="Ashcombe")
    run_search(user=police, query="Murtagh")  # another person on the same case: not this one's view
    officer = next(u for u in casework["accounts"].values() if has_permission(u, ACTION))
    report = subject_access_report(user=officer, person_ids=[person.pk])
    by_search = [v for v in report["views"] if v["how"] == "search by name"]
    assert by_search == [
        {
            "case": shared.reference,
            "viewed_at": by_search[0]["viewed_at"],
            "by": police.email,
            "role": police.role,
            "how": "search by name",
        }
    ]


def _review(actor: Any, applicant: str, area: str) -> Any:
    from joinedup.casework.reviews.services import record_request

    return record_request(
        actor=actor,
        data={
            "received_on": date.today().isoformat(),
            "area": area,
            "applicant_name": applicant,
            "applicant_email": "applicant@example.org",
            "summary": "Three reports of noise, nothing done.",
        },
    )


def test_an_applicant_for_a_case_review_is_found_exactly_by_those_who_may_open_the_review(casework):
    """The same matrix for ASB case review applicants: found by part of their name exactly when the account's
    review page answers 200 (received by its organisation, in an area its agreements cover, appealed to the
    OPCC), never otherwise, and each search audits the review found."""
    accounts, users = casework["accounts"], casework["accounts"]
    reviews = {
        # Police receive it in North Testshire, which police and council share.
        "shared": _review(users["police"], "Anwen Threlkeld", "E01900001"),
        # The housing association receives it in South Testshire, which no agreement covers.
        "housing_own": _review(users["housing"], "Cosmo Pettigrew", "E01900003"),
        # As above, and appealed to the OPCC.
        "appealed": _review(users["housing"], "Maud Iveson-Clough", "E01900003"),
        "farshire": _review(users["farshire_police"], "Tobias Wrenfield", "E01800001"),
    }
    reviews["appealed"].appeal_received_on = date.today()
    reviews["appealed"].save(update_fields=["appeal_received_on"])
    applicants = {
        "Anwen Threlkeld": "shared",
        "Cosmo Pettigrew": "housing_own",
        "Maud Iveson-Clough": "appealed",
        "Tobias Wrenfield": "farshire",
    }

    def opens(user: Any, review: Any) -> bool:
        status = _client(user).get(reverse("casework:review-detail", args=[review.pk])).status_code
        assert status in (200, 404)
        return status == 200

    may_open = {(who, kind): opens(u, r) for who, u in accounts.items() for kind, r in reviews.items()}
    assert may_open[("police", "shared")] and may_open[("council", "shared")]
    assert not may_open[("housing", "shared")] and may_open[("housing", "housing_own")]
    assert not may_open[("police", "housing_own")] and not may_open[("council", "appealed")]
    assert may_open[("opcc_admin", "appealed")] and not may_open[("opcc_admin", "housing_own")]
    assert may_open[("farshire_police", "farshire")] and not may_open[("police", "farshire")]

    failures = []
    for who, user in accounts.items():
        for name, kind in applicants.items():
            review = reviews[kind]
            for fragment in _fragments(name):
                groups = {g.kind: g for g in run_search(user=user, query=fragment)}
                found = groups["people"].found if "people" in groups else []
                expected = may_open[(who, kind)]
                entry = {"review": review.reference, "person": review.applicant_id}
                got = any(
                    f.get("review") == entry["review"] and f["person"] == entry["person"] for f in found
                )
                if got != expected:
                    failures.append(f"{who} searching {fragment!r}: expected found={expected}, got {found}")
                seen = {f["review"] for f in found if "review" in f}
                hidden = [
                    ref
                    for ref in seen
                    if not may_open[(who, next(k for k, r in reviews.items() if r.reference == ref))]
                ]
                if hidden:
                    failures.append(f"{who} searching {fragment!r} found reviews {hidden}")
    assert not failures, "\n".join(failures[:20])


def test_the_search_page_links_an_applicant_to_the_review_and_audits_it(casework):
    police, housing = casework["accounts"]["police"], casework["accounts"]["housing"]
    review = _review(police, "Anwen Threlkeld", "E01900001")
    page = _client(police).post("/staff/search/", {"q": "threlkeld"}).content.decode()
    assert f"{review.reference}: Anwen Threlkeld, applicant for an ASB case review" in page
    assert f'href="{reverse("casework:review-detail", args=[review.pk])}"' in page
    assert "Threlkeld" not in _client(housing).post(
        "/staff/search/", {"q": "threlkeld"}
    ).content.decode().replace("threlkeld", "")
    event = AuditEvent.objects.get(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.person", actor_id=police.pk
    )
    assert event.detail["people"] == [
        {
            "review": review.reference,
            "person": review.applicant_id,
            "role": "applicant for an ASB case review",
        }
    ]
    # The applicant's subject access report lists the search that showed them, by the review's reference.
    from joinedup.casework.subject_access.selectors import ACTION, subject_access_report
    from joinedup.core.permissions import has_permission

    officer = next(u for u in casework["accounts"].values() if has_permission(u, ACTION))
    report = subject_access_report(user=officer, person_ids=[review.applicant_id])
    assert [(v["case"], v["by"]) for v in report["views"] if v["how"] == "search by name"] == [
        (review.reference, police.email)
    ]
