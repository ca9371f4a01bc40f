"""The permission matrix with two force areas loaded: nobody in one force sees the other force's records.

Force A is the matrix's own fixture (Testshire, every app's `objects_hook`). Force B (Farshire) gets its own
copy of each kind of record by running the same hooks on a second area tree and second set of people, with
each force-specific record renamed "Otherforce …". Then, for every role of force A:

- every page and API operation about one record, asked about force B's copy, answers 404 (not allowed
  looks like not found);
- every page and API answer force A's roles may read (lists, search, exports, calendar feeds, Your work,
  suggestions and flags on the pages) never names force B's records, nor links to them.

Public pages still show published records of every force. See docs/adr/0028.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import CharField, Model
from django.test import Client
from django.urls import reverse

from joinedup.core.permissions import _paths_of, object_in_force
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import PUBLIC
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.core.tests.test_permission_matrix import (  # noqa: F401  (the matrix's fixture)
    API,
    URLS,
    _allowed_for,
    _collect_hooks,
    objects,
)

# Two forces of matrix records take minutes to build on a loaded machine.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(2400)]
MARK = "Otherforce"
# The audit log's page, download and API operation (scoped by the force of each event's person).
AUDIT_LOG = frozenset({"staff:audit-event-list", "staff:audit-event-export", "core_list_audit_events"})
RENAMED = ("name", "title", "project_title", "recipient_name", "organisation_name")


def _second_force(a: dict[str, Any]) -> dict[str, Any]:
    """Force B: its own areas, people and a copy of each kind of record, every hook run again."""
    from joinedup.insight.models import AssessmentPriority, SavedAssessment
    from joinedup.partnerships.models import Status, Visibility
    from joinedup.partnerships.tests.factories import PartnershipFactory

    tree = area_tree(force=8, name="Farshire")
    organisation = OrganisationFactory(name="Northfar Youth Trust")
    organisation.areas.set([tree["north_lad"]])
    people = {}
    for role in Role.values:
        scoped = [tree["north"]] if role in (Role.CSP_MANAGER, Role.ANALYST) else [tree["pfa"]]
        people[role] = UserFactory(role=role, email=f"farshire.{role}@example.org", areas=scoped)
    b: dict[str, Any] = {**tree, "organisation": organisation, "people": people, "tag": "-B"}
    b["person"] = people[Role.PRACTITIONER]
    # The hooks find force A's LSOA by its code; force B's first LSOA stands in for it.
    b["E01900001"] = tree["E01800001"]
    partnership = PartnershipFactory(
        name="Farshire partnership", status=Status.ACTIVE, visibility=Visibility.PUBLIC
    )
    partnership.areas.set([tree["north"]])
    b["partnership"] = partnership
    from joinedup.partnerships.models import Plan

    b["plan"] = Plan.objects.create(
        title="Farshire Police and Crime Plan",
        pcc_name="A Commissioner",
        force_area=tree["pfa"],
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2029, 3, 31),
    )
    for hook in _collect_hooks():
        if hook.__module__.startswith("joinedup.insight."):
            continue  # the analytical store is shared; force B's saved assessment is copied below
        hook(b)
    # A contract belongs to its fund's force (force A's matrix contract has none, so it is shared).
    type(b["contract"]).objects.filter(pk=b["contract"].pk).update(fund=b["fund"])
    b["contract"].refresh_from_db()
    saved = a["saved_assessment"]
    copy = SavedAssessment.objects.create(
        area=tree["north"],
        from_month=saved.from_month,
        to_month=saved.to_month,
        title="Farshire strategic assessment",
        narrative=saved.narrative,
        results=saved.results,
        scheme=saved.scheme,
    )
    for priority in saved.priorities.all():
        AssessmentPriority.objects.create(
            assessment=copy, key=priority.key, label=priority.label, crime_types=priority.crime_types
        )
    b["saved_assessment"] = copy
    return b


def _force_specific(b: dict[str, Any], outsider: Any) -> dict[str, Model]:
    """Force B's records that force A may not see (shared ones, such as frameworks, are left out)."""
    found = {}
    for key, value in b.items():
        if isinstance(value, Model) and _paths_of(type(value)) and not object_in_force(outsider, value):
            found[key] = value
    return found


def _rename(records: dict[str, Model]) -> None:
    for record in records.values():
        model = type(record)
        for field in model._meta.concrete_fields:
            if field.name in RENAMED and isinstance(field, CharField):
                value = getattr(record, field.name) or ""
                new = f"{MARK} {value}"[: field.max_length]
                model._default_manager.filter(pk=record.pk).update(**{field.name: new})


@pytest.fixture
def forces(objects: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    a = objects
    b = _second_force(a)
    b_records = _force_specific(b, a["people"][Role.OPCC_ADMIN])
    assert {"fund", "grant_round", "application", "award", "contract", "case", "csp_dhr", "csp_plan"} <= set(
        b_records
    ), sorted(b_records)
    _rename(b_records)
    for record in b_records.values():
        record.refresh_from_db()
    # Force A's objects with force B's records in their place: the addresses of force B's records.
    b_view = {**a, **b_records}
    return {"a": a, "b": b, "b_records": b_records, "b_view": b_view}


def _b_markers(forces: dict[str, Any], role: str) -> list[str]:
    """What must never appear in force A's answers: the mark, force B's case reference, and links to
    each of force B's record pages."""
    a, b_view = forces["a"], forces["b_view"]
    # A renamed record reads "Otherforce <its name>"; a search page repeats the query itself, so the mark
    # alone (or the bare case reference) would be found in the search box.
    markers = [f"{MARK} ", f"Case {forces['b']['case'].reference}"]
    a["me"] = b_view["me"] = a["people"][role]
    for name, access in URLS.items():
        if access.method != "GET" or access.roles == PUBLIC:
            continue
        if not _about_one_b_record(access, forces):
            continue
        theirs = reverse(name, kwargs=access.kwargs(b_view))
        if theirs:
            markers.append(f'href="{theirs}"')
    return markers


def _about_one_b_record(access: Any, forces: dict[str, Any]) -> bool:
    """Whether the address names one of force B's records (and names the same one each time asked)."""
    a, b_view = forces["a"], forces["b_view"]
    mine, theirs = access.kwargs(a), access.kwargs(b_view)
    return mine == access.kwargs(a) and theirs == access.kwargs(b_view) and mine != theirs


def _body(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _as(role: str, forces: dict[str, Any]) -> tuple[Client, dict[str, str]]:
    me = forces["a"]["people"][role]
    client = Client()
    client.force_login(me)
    _token, raw = create_token(user=me, name="force scope", actor=None)
    return client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_two_forces_every_role_sees_only_its_own(forces: dict[str, Any]):
    """One build of both forces (the hooks are slow), then every role of force A in turn."""
    # The audit log first: once force A's people have searched for force B's records and been refused
    # them, the log rightly holds force A's own searches for those words.
    failures = [f for role in Role.values for f in _leak_failures(role, forces, only=AUDIT_LOG)]
    for role in Role.values:
        failures += _not_found_failures(role, forces) + _leak_failures(role, forces, skip=AUDIT_LOG)
    assert not failures, "\n".join(failures)


def _not_found_failures(role: str, forces: dict[str, Any]) -> list[str]:
    from joinedup.api.testing import api_operations

    a, b_view = forces["a"], forces["b_view"]
    client, headers = _as(role, forces)
    a["me"] = b_view["me"] = a["people"][role]
    failures, checked = [], 0
    for name, access in URLS.items():
        if access.method != "GET" or access.roles == PUBLIC or not _allowed_for(access, role):
            continue
        if not _about_one_b_record(access, forces):
            continue
        theirs = access.kwargs(b_view)
        checked += 1
        response = client.get(reverse(name, kwargs=theirs) + access.query)
        _body(response)
        if response.status_code != 404:
            failures.append(f"page {name} {theirs}: {response.status_code}")
    for method, path, operation_id in api_operations():
        access = API[operation_id]
        if method != "GET" or access.roles == PUBLIC or not _allowed_for(access, role) or "{" not in path:
            continue
        if not _about_one_b_record(access, forces):
            continue
        theirs = access.kwargs(b_view)
        checked += 1
        response = client.get("/api/v1" + path.format(**theirs) + access.query, **headers)
        _body(response)
        if response.status_code != 404:
            failures.append(f"API {operation_id} {theirs}: {response.status_code}")
    assert checked, f"no page or API operation about one record was tried for {role}"
    return [f"{role} of force A reached force B's record: {failure}" for failure in failures]


def _leak_failures(
    role: str,
    forces: dict[str, Any],
    *,
    only: frozenset[str] | None = None,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """Force B's marks on what `role` of force A reads: the pages and API answers named in `only` (all when
    not given), but not those in `skip`; the searches, public pages and force-scope checks with all."""
    from joinedup.api.testing import api_operations

    a = forces["a"]
    markers = _b_markers(forces, role)
    client, headers = _as(role, forces)
    a["me"] = a["people"][role]
    failures, read = [], 0
    b_case = str(forces["b"]["case"].reference)
    extra = [("search", f"/staff/search/?q={MARK}"), ("search", f"/staff/search/?q={b_case}")]
    if only is not None:
        extra = []  # a search is itself recorded in the log

    def wanted(name: str) -> bool:
        return (only is None or name in only) and name not in skip

    pages = []
    for name, access in URLS.items():
        if access.roles == PUBLIC or not wanted(name):
            continue  # public pages show every force's published records (checked below)
        if access.method == "GET" and _allowed_for(access, role) and not access.anonymous_only:
            pages.append((name, reverse(name, kwargs=access.kwargs(a)) + access.query))
    for _kind, url in extra:
        # Everything named "Otherforce …" and the case are force B's: the search finds nothing (the page
        # repeats the query, so the marks alone cannot be looked for here).
        body = _body(client.get(url))
        if "Nothing you can see matches" not in body or any(
            m for m in markers if m.startswith("href=") and m in body
        ):
            failures.append(f"search ({url}) found something")
    for name, url in pages:
        response = client.get(url)
        body = _body(response)
        if response.status_code >= 400:
            continue
        read += 1
        leaked = [marker for marker in markers if marker in body]
        if leaked:
            failures.append(f"page {name} ({url}) shows {leaked}")
    for method, path, operation_id in api_operations():
        access = API[operation_id]
        if method != "GET" or not _allowed_for(access, role) or access.roles == PUBLIC:
            continue
        if not wanted(operation_id):
            continue
        url = "/api/v1" + path.format(**access.kwargs(a)) + access.query
        response = client.get(url, **headers)
        body = _body(response)
        if response.status_code >= 400:
            continue
        read += 1
        leaked = [m for m in (f"{MARK} ", b_case) if m in body]
        if leaked:
            failures.append(f"API {operation_id} ({url}) shows {leaked}")
    if only is None:
        assert read > 20, f"only {read} answers read for {role}"
    elif _allowed_for(URLS["staff:audit-event-list"], role):
        assert read == len(only), f"{read} of the audit log's {len(only)} answers read for {role}"
    return [f"{role} of force A saw force B's records: {failure}" for failure in failures]


def test_public_pages_show_every_forces_published_records(forces: dict[str, Any]):
    from joinedup.partnerships.models import Status, Visibility
    from joinedup.partnerships.tests.factories import PartnershipFactory

    ours = PartnershipFactory(
        name="Testshire partnership", status=Status.ACTIVE, visibility=Visibility.PUBLIC
    )
    ours.areas.set([forces["a"]["north"]])
    body = _body(Client().get("/partnerships/"))
    assert "Testshire partnership" in body
    assert f"{MARK} Farshire partnership" in body
    # ...while force A's OPCC officer sees only force A's.
    client, _headers = _as(Role.OPCC_OFFICER, forces)
    staff = _body(client.get("/staff/partnerships/"))
    assert "Testshire partnership" in staff and MARK not in staff
