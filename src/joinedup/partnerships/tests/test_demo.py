"""The partnership demo data: the seed partnerships with their real facts, idempotent, illustrative marked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

from joinedup.core.demo import DemoRefused
from joinedup.core.demo_seed_facts import SEED_ORGANISATIONS
from joinedup.core.models import Area, AreaLevel
from joinedup.core.tests.factories import OrganisationFactory
from joinedup.partnerships.cli import partnerships as partnerships_command
from joinedup.partnerships.demo import DEMO_PARTNERSHIPS, load_partnership_demo
from joinedup.partnerships.models import ExpectedBenefit, Membership, Partnership, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db: Any) -> None:
    """The organisations `joinedup demo` loads from the seeds, and two force areas."""
    for seed in SEED_ORGANISATIONS:
        OrganisationFactory(name=seed.name, sector=seed.sector)
    Area.objects.create(code="E23000016", name="West Mercia", level=AreaLevel.PFA)
    Area.objects.create(code="E23000017", name="Warwickshire", level=AreaLevel.PFA)


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Partnership.objects.order_by("pk").values_list("pk", "version", "updated_at")),
        Partnership.history.count(),
        Membership.history.count(),
        ExpectedBenefit.history.count(),
        list(Membership.objects.order_by("pk").values_list("pk", "version")),
    )


def test_loads_the_seed_partnerships_with_their_real_facts(directory: None) -> None:
    lines: list[str] = []
    load_partnership_demo(out=lines.append)
    assert Partnership.objects.count() == len(DEMO_PARTNERSHIPS)
    alliance = Partnership.objects.get(name="Warwickshire and West Mercia Strategic Alliance")
    assert alliance.status == Status.ACTIVE
    assert "69:31" in alliance.purpose and "£34.2m" in alliance.purpose
    shares = {m.organisation.name: m.cost_share_percent for m in alliance.memberships.all()}
    assert shares["West Mercia Police"] == Decimal("69") and shares["Warwickshire Police"] == Decimal("31")
    assert alliance.benefits.get().savings_projected == Decimal("34200000.00")
    assert {a.name for a in alliance.areas.all()} == {"West Mercia", "Warwickshire"}

    humberside = Partnership.objects.get(name="Humberside police and fire vehicle maintenance site")
    assert humberside.benefits.get().savings_projected == Decimal("200000.00")
    assert "£200k" in humberside.purpose

    gwent = Partnership.objects.get(name="Gwent Strategic Commissioning Board")
    assert gwent.governance_chair == "The Deputy Police and Crime Commissioner for Gwent"
    assert gwent.lead_organisation is not None and gwent.lead_organisation.name == "Gwent OPCC"
    assert Partnership.objects.filter(name="Together York").exists()
    assert Partnership.objects.filter(name__startswith="Surrey, Sussex and Thames Valley").exists()
    assert Partnership.objects.filter(name__contains="North Yorkshire").count() >= 2

    # Anything not in the seeds is said to be illustrative.
    for partnership in Partnership.objects.filter(illustrative=True):
        assert "Illustrative (not in the source reports)" in partnership.purpose
    assert any(line.startswith("Partnerships: 9 created") for line in lines)


def test_running_it_again_changes_nothing(directory: None) -> None:
    load_partnership_demo(out=lambda line: None)
    before = _snapshot()
    lines: list[str] = []
    summary = load_partnership_demo(out=lines.append)
    assert not summary.changed
    assert _snapshot() == before
    assert lines[0] == "Partnerships: 0 created, 0 updated, 9 unchanged."


def test_a_changed_record_is_brought_back_and_missing_organisations_are_named(db: Any) -> None:
    OrganisationFactory(name="Gwent OPCC", sector="opcc")
    lines: list[str] = []
    load_partnership_demo(out=lines.append)
    gwent = Partnership.objects.get(name="Gwent Strategic Commissioning Board")
    assert [m.organisation.name for m in gwent.memberships.all()] == ["Gwent OPCC"]
    assert "Gwent Police" in lines[-1] and "joinedup demo" in lines[-1]

    Partnership.objects.filter(pk=gwent.pk).update(governance_chair="Someone else")
    load_partnership_demo(out=lambda line: None)
    gwent.refresh_from_db()
    assert gwent.governance_chair == "The Deputy Police and Crime Commissioner for Gwent"
    assert gwent.version == 2


def test_refused_in_production(settings: Any, db: Any) -> None:
    settings.JOINEDUP_ENV = "production"
    with pytest.raises(DemoRefused):
        load_partnership_demo(out=lambda line: None)
    result = CliRunner().invoke(partnerships_command, ["demo"])
    assert result.exit_code == 1 and "production" in result.output
    assert not Partnership.objects.exists()


def test_the_command_loads_the_demo(directory: None) -> None:
    result = CliRunner().invoke(partnerships_command, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Partnerships: 9 created" in result.output
