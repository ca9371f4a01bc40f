"""Commissioning: contracts with KPIs, joint boards with pooled contributions, frameworks with call-offs by
other OPCCs, supplier performance benchmarked across the areas buying from the same supplier."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.core.models import Organisation
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.funding.commissioning import selectors, services
from joinedup.funding.models import Contract, Kpi

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(db):
    return {
        name: Organisation.objects.create(name=name, sector=sector)
        for name, sector in [
            ("Victim Support North", "vcs_charity"),
            ("OPCC Testshire", "opcc"),
            ("OPCC Otherworth", "opcc"),
            ("Testshire County Council", "la_county"),
        ]
    }


def _contract(users, orgs, areas, reference="VS-001", **extra):
    data = {
        "reference": reference,
        "title": "Victim referral service",
        "provider": orgs["Victim Support North"].pk,
        "commissioner": orgs["OPCC Testshire"].pk,
        "csp": areas["north"].code,
        "value": "250000",
        "starts_on": "2026-04-01",
        "ends_on": "2029-03-31",
        "kpis": "Contacted within 48 hours | 90 | % | higher\nDays to first contact | 2 | days | lower",
        **extra,
    }
    return services.create_contract(actor=users[Role.OPCC_OFFICER], data=data)


def test_a_contract_form_lists_every_problem_at_once(client_for, orgs):
    client = client_for(Role.OPCC_OFFICER)
    response = client.post(
        reverse("funding:contract-create"),
        {"value": "lots", "starts_on": "2026-04-01", "ends_on": "2025-01-01", "kpis": "Reach | many"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "reference",
        "title",
        "provider",
        "value",
        "ends_on",
        "kpis",
    }
    assert not Contract.objects.exists()


def test_contract_list_filters_searches_and_exports(client_for, users, orgs, areas):
    _contract(users, orgs, areas)
    _contract(
        users,
        orgs,
        areas,
        reference="DA-002",
        title="Domestic abuse outreach",
        provider=orgs["Testshire County Council"].pk,
    )
    client = client_for(Role.AUDITOR)
    page = client.get(reverse("funding:contract-list"), {"q": "outreach"}).content.decode()
    assert "DA-002" in page and "VS-001" not in page and "<strong>1</strong> contract" in page
    response = client.get(reverse("funding:contract-export"), {"provider": orgs["Victim Support North"].pk})
    dated = f"contracts-{timezone.localdate():%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{dated}"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["reference"], r["value"], r["CSP code"]) for r in rows] == [
        ("VS-001", "250000.00", "E22000901")
    ]


def test_a_stale_contract_save_gets_409_and_keeps_the_first(client_for, users, orgs, areas):
    contract = _contract(users, orgs, areas)
    client = client_for(Role.OPCC_OFFICER)
    url = reverse("funding:contract-edit", args=[contract.pk])
    form = client.get(url).context["form"].initial
    form = {k: v for k, v in form.items() if v is not None}
    form["priorities"] = []
    assert client.post(url, {**form, "title": "First edit"}).status_code == 302
    response = client.post(url, {**form, "title": "Second edit"})
    assert response.status_code == 409
    contract.refresh_from_db()
    assert contract.title == "First edit" and contract.kpis.count() == 2


def test_board_pools_contributions_per_member_per_year_with_totals(client_for, users, orgs):
    officer = users[Role.OPCC_OFFICER]
    board = services.create_board(
        actor=officer,
        data={
            "name": "Strategic Commissioning Board",
            "members": [orgs["OPCC Testshire"], orgs["Testshire County Council"]],
        },
    )
    for org, year, amount in [
        ("OPCC Testshire", 2026, "100000"),
        ("Testshire County Council", 2026, "50000"),
        ("OPCC Testshire", 2027, "80000"),
    ]:
        services.record_contribution(
            actor=officer, board=board, data={"organisation": orgs[org].pk, "year": year, "amount": amount}
        )
    with pytest.raises(ValidationError) as caught:
        services.record_contribution(
            actor=officer,
            board=board,
            data={"organisation": orgs["Victim Support North"].pk, "year": "x", "amount": "0"},
        )
    assert set(caught.value.message_dict) == {"organisation", "year", "amount"}
    pool = selectors.board_pool(board)
    assert pool.years == ["2026-27", "2027-28"]
    assert pool.year_totals == [Decimal("150000"), Decimal("80000")] and pool.total == Decimal("230000")
    page = client_for(Role.AUDITOR).get(reverse("funding:board-detail", args=[board.pk])).content.decode()
    assert "£230,000.00" in page and "£180,000.00" in page
    # The list of boards pools the same money once, not once a member, and counts the two members.
    listed = selectors.list_boards(user=users[Role.AUDITOR]).get(pk=board.pk)
    assert (listed.pooled, listed.member_count) == (Decimal("230000"), 2)


def test_supplier_benchmark_compares_each_kpi_across_contracts_and_call_offs(client_for, users, orgs, areas):
    officer = users[Role.OPCC_OFFICER]
    contract = _contract(users, orgs, areas)
    framework = services.create_framework(
        actor=officer,
        data={
            "reference": "FW-VRS",
            "name": "Regional victim referral framework",
            "lead": orgs["OPCC Testshire"].pk,
            "starts_on": "2026-01-01",
            "ends_on": "2030-12-31",
            "lots": f"1 | Victim referral service | {orgs['Victim Support North'].pk}",
        },
    )
    lot = framework.lots.get()
    with pytest.raises(ValidationError) as caught:
        services.record_call_off(
            actor=officer,
            lot=lot,
            data={"reference": "", "value": "-1", "starts_on": "2031-01-01", "ends_on": "2031-02-01"},
        )
    assert set(caught.value.message_dict) >= {"organisation", "reference", "value", "starts_on"}
    call_off = services.record_call_off(
        actor=officer,
        lot=lot,
        data={
            "organisation": orgs["OPCC Otherworth"].pk,
            "reference": "CO-OTH-1",
            "value": "80000",
            "starts_on": "2026-07-01",
            "ends_on": "2028-06-30",
            "kpis": "Contacted within 48 hours | 85 | % | higher",
        },
    )
    ours = contract.kpis.get(name="Contacted within 48 hours")
    theirs = call_off.kpis.get()
    services.record_performance(
        actor=officer,
        kpis=[ours],
        data={"period_start": "2026-04-01", "period_end": "2026-06-30", f"actual_{ours.pk}": "92"},
    )
    services.record_performance(
        actor=officer,
        kpis=[ours],
        data={"period_start": "2026-07-01", "period_end": "2026-09-30", f"actual_{ours.pk}": "88"},
    )
    services.record_performance(
        actor=officer,
        kpis=[theirs],
        data={"period_start": "2026-07-01", "period_end": "2026-09-30", f"actual_{theirs.pk}": "80"},
    )
    supplier = orgs["Victim Support North"]
    with CaptureQueriesContext(connection) as queries:
        benchmarks = selectors.supplier_benchmark(user=users[Role.AUDITOR], supplier=supplier)
    assert len(queries) <= 2
    by_name = {b.name: b for b in benchmarks}
    contacted = by_name["Contacted within 48 hours"]
    lines = {line.where: line for line in contacted.lines}
    assert lines["VS-001"].mean == Decimal("90.00") and lines["VS-001"].latest == Decimal("88.00")
    assert lines["VS-001"].met is True and lines["CO-OTH-1"].met is False
    assert lines["CO-OTH-1"].buyer == "OPCC Otherworth" and contacted.best is lines["VS-001"]
    page = (
        client_for(Role.AUDITOR)
        .get(reverse("funding:supplier-performance", args=[supplier.pk]))
        .content.decode()
    )
    assert "CO-OTH-1" in page and "OPCC Otherworth" in page and "94.1%" in page  # 80 of 85
    # A bad actual is refused with its KPI named.
    with pytest.raises(ValidationError) as caught:
        services.record_performance(
            actor=officer,
            kpis=[ours],
            data={"period_start": "2026-10-01", "period_end": "2026-12-31", f"actual_{ours.pk}": "most"},
        )
    assert f"actual_{ours.pk}" in caught.value.message_dict


def test_suppliers_lists_only_organisations_that_supply_something_read_with_their_counts(users, orgs, areas):
    officer = users[Role.OPCC_OFFICER]
    _contract(users, orgs, areas, reference="VS-001", value="1000.25")
    _contract(users, orgs, areas, reference="VS-002", value="500")
    council = orgs["Testshire County Council"]
    idle = Organisation.objects.create(name="Idle Lot Holder", sector="vcs_charity")
    Organisation.objects.create(name="Supplies Nothing", sector="vcs_charity")
    framework = services.create_framework(
        actor=officer,
        data={
            "reference": "FW-SUP",
            "name": "Suppliers framework",
            "lead": orgs["OPCC Testshire"].pk,
            "starts_on": "2026-01-01",
            "ends_on": "2030-12-31",
            "lots": f"1 | Outreach | {council.pk}\n2 | Mediation | {idle.pk}\n"
            f"3 | Referral | {orgs['Victim Support North'].pk}",
        },
    )
    for number, reference, value in [(1, "CO-1", "80000"), (1, "CO-2", "20000.50"), (3, "CO-3", "7")]:
        services.record_call_off(
            actor=officer,
            lot=framework.lots.get(number=number),
            data={
                "organisation": orgs["OPCC Otherworth"].pk,
                "reference": reference,
                "value": value,
                "starts_on": "2026-07-01",
                "ends_on": "2028-06-30",
            },
        )
    with CaptureQueriesContext(connection) as queries:
        rows = {
            o.name: (o.contract_count, o.call_off_count, o.total_value)
            for o in selectors.list_suppliers(user=users[Role.AUDITOR])
        }
    assert len(queries) <= 2  # the person's areas, then the suppliers
    # Neither the organisation that supplies nothing nor the holder of a lot never called off is listed.
    assert rows == {
        "Testshire County Council": (0, 2, Decimal("100000.50")),
        "Victim Support North": (2, 1, Decimal("1507.25")),
    }


def test_contracts_api_creates_lists_and_refuses_a_stale_update(users, orgs, areas):
    _token, raw = create_token(user=users[Role.OPCC_OFFICER], name="t", actor=None)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    bad = api.post("/api/v1/funding/contracts", {"reference": "X"}, content_type="application/json")
    assert bad.status_code == 422
    assert {tuple(e["loc"])[-1] for e in bad.json()["detail"]} >= {"title", "provider", "value", "starts_on"}
    body = {
        "reference": "API-1",
        "title": "Restorative justice",
        "provider": orgs["Victim Support North"].pk,
        "value": "12000.50",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
        "kpis": [{"name": "Cases completed", "target": "40", "unit": "", "higher_is_better": True}],
    }
    created = api.post("/api/v1/funding/contracts", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["value"] == "12000.50" and data["kpis"][0]["name"] == "Cases completed"
    url = f"/api/v1/funding/contracts/{data['id']}"
    assert (
        api.put(
            url, {**body, "title": "RJ", "version": data["version"]}, content_type="application/json"
        ).status_code
        == 200
    )
    stale = api.put(
        url, {**body, "title": "Old", "version": data["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert Contract.objects.get(pk=data["id"]).title == "RJ"
    listed = api.get("/api/v1/funding/contracts?q=RJ").json()
    assert listed["count"] == 1 and Kpi.objects.filter(contract_id=data["id"]).count() == 1
