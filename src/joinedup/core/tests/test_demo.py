"""`joinedup demo`: refused in production, idempotent, and usable without the published data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import RequestFactory

from joinedup.core.demo import (
    DEMO_ACCOUNTS,
    NORTHUMBRIA_DISTRICTS,
    NORTHUMBRIA_ORGANISATIONS,
    DemoRefused,
    DemoSummary,
    load_demo,
)
from joinedup.core.demo_seed_facts import SEED_ORGANISATIONS
from joinedup.core.models import (
    Area,
    AreaLevel,
    AuditEvent,
    Organisation,
    ReferenceImport,
    ResponsibleAuthorityType,
    Sector,
    User,
)
from joinedup.core.roles import Role

NORTHUMBRIA = "E23000007"
NEWCASTLE_CSP = "E22000245"
NEWCASTLE_LAD = "E08000021"


def run(directory: Path) -> tuple[DemoSummary, str]:
    lines: list[str] = []
    summary = load_demo(shared_data_dir=directory, out=lines.append)
    return summary, "\n".join(lines)


def snapshot() -> dict[str, Any]:
    return {
        "areas": Area.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "organisation history": Organisation.history.count(),
        "user history": User.history.count(),
        "audit events": AuditEvent.objects.count(),
        "reference imports": ReferenceImport.objects.count(),
        "versions": sorted(Organisation.objects.values_list("name", "version")),
        "passwords": sorted(User.objects.values_list("email", "password")),
    }


# --- the fixed facts, no database ---------------------------------------------------------------------


def test_every_demo_organisation_has_a_valid_sector_and_a_unique_name() -> None:
    names = [org.name for org in NORTHUMBRIA_ORGANISATIONS] + [seed.name for seed in SEED_ORGANISATIONS]
    assert len({name.casefold() for name in names}) == len(names)
    facts = [(o.name, o.sector, o.responsible_authority) for o in NORTHUMBRIA_ORGANISATIONS] + [
        (s.name, s.sector, s.responsible_authority) for s in SEED_ORGANISATIONS
    ]
    for name, sector, responsible_authority in facts:
        assert sector in Sector.values, name
        assert responsible_authority in ("", *ResponsibleAuthorityType.values), name


def test_there_is_one_demo_account_per_role() -> None:
    assert sorted({role for _email, role, *_ in DEMO_ACCOUNTS}) == sorted(Role.values)
    assert all(email.endswith("@example.org") for email, *_ in DEMO_ACCOUNTS)


# --- loading --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refused_in_production(settings: Any, tmp_path: Path) -> None:
    settings.JOINEDUP_ENV = "production"

    with pytest.raises(DemoRefused, match="production"):
        run(tmp_path)

    assert not User.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_without_shared_data_loads_northumbria_only_and_says_how_to_load_the_rest(tmp_path: Path) -> None:
    summary, output = run(tmp_path)

    pfa = Area.objects.get(code=NORTHUMBRIA)
    assert (pfa.name, pfa.level) == ("Northumbria", AreaLevel.PFA)
    csps = Area.objects.filter(level=AreaLevel.CSP, parent=pfa)
    assert sorted(csps.values_list("code", flat=True)) == sorted(d[2] for d in NORTHUMBRIA_DISTRICTS)
    lads = Area.objects.filter(level=AreaLevel.LAD, pfa=pfa)
    assert lads.count() == 6
    newcastle = Area.objects.get(code=NEWCASTLE_LAD)
    assert newcastle.name == "Newcastle upon Tyne"
    assert newcastle.parent_id == newcastle.csp_id == Area.objects.get(code=NEWCASTLE_CSP).pk
    assert Area.objects.count() == 13
    assert not Area.objects.filter(population__isnull=False).exists()
    assert "joinedup areas import ../shared/data" in output
    assert "skipped" in output

    assert Organisation.objects.count() == len(NORTHUMBRIA_ORGANISATIONS) + len(SEED_ORGANISATIONS)
    council = Organisation.objects.get(name="Newcastle City Council")
    assert (council.sector, council.responsible_authority) == (Sector.LA_METROPOLITAN, "local_authority")
    assert sorted(council.areas.values_list("code", flat=True)) == [NEWCASTLE_LAD, NEWCASTLE_CSP]
    assert Organisation.objects.get(name="Northumberland County Council").sector == Sector.LA_UNITARY
    police = Organisation.objects.get(name="Northumbria Police")
    assert list(police.areas.values_list("code", flat=True)) == [NORTHUMBRIA]
    assert police.source == "Public body (demo)"
    housing = Organisation.objects.get(name="Tyne Valley Homes (illustrative)")
    assert housing.illustrative
    assert "fictional" in housing.description.lower()
    assert not Organisation.objects.filter(illustrative=True).exclude(pk=housing.pk).exists()

    assert summary.created == 13 + Organisation.objects.count() + 9
    assert len(summary.accounts) == 9
    assert "password: value of JOINEDUP_DEMO_PASSWORD" in output
    assert settings.JOINEDUP_DEMO_PASSWORD not in output
    for email, role, organisation, area in DEMO_ACCOUNTS:
        assert email in output
        user = User.objects.get(email=email)
        assert (user.role, user.organisation.name) == (role, organisation)
        assert list(user.areas.values_list("code", flat=True)) == ([area] if area else [])
        assert user.full_name and user.job_title
        assert not user.is_staff and not user.is_superuser
        request = RequestFactory().post("/staff/sign-in/")
        assert authenticate(request, username=email, password=settings.JOINEDUP_DEMO_PASSWORD) == user


@pytest.mark.django_db
def test_seed_boards_keep_their_members_in_the_description(tmp_path: Path) -> None:
    run(tmp_path)

    board = Organisation.objects.get(name="Safer Warwickshire Partnership Board")
    assert board.sector == Sector.PARTNERSHIP_BODY
    assert "Members: Warwickshire OPCC, Warwickshire County Council." in board.description
    # Without the full geography no force area matches the seed's name, so no areas are guessed.
    assert not board.areas.exists()
    assert Organisation.objects.get(name="West Yorkshire OPCC").compact_signatory


@pytest.mark.django_db
def test_running_twice_changes_nothing(tmp_path: Path) -> None:
    run(tmp_path)
    before = snapshot()

    summary, output = run(tmp_path)

    assert snapshot() == before
    assert (summary.created, summary.updated) == (0, 0)
    assert "0 records created, 0 updated" in output
    assert len(summary.accounts) == 9


@pytest.mark.django_db
def test_running_again_puts_back_only_what_was_changed(tmp_path: Path) -> None:
    run(tmp_path)
    police = Organisation.objects.get(name="Northumbria Police")
    police.description = "Edited by someone"
    police.save()
    police.areas.clear()
    user = User.objects.get(email="analyst@example.org")
    user.set_password("another password altogether")
    user.is_staff = True
    user.save()
    organisation_history = Organisation.history.count()

    summary, _output = run(tmp_path)

    police.refresh_from_db()
    assert police.description.startswith("The police force for the Northumbria force area")
    assert list(police.areas.values_list("code", flat=True)) == [NORTHUMBRIA]
    user.refresh_from_db()
    assert user.check_password(settings.JOINEDUP_DEMO_PASSWORD)
    assert not user.is_staff
    assert (summary.created, summary.updated) == (0, 2)
    # One row for the field change, one for putting the areas back; nothing for the untouched rest.
    assert Organisation.history.count() == organisation_history + 2


@pytest.mark.shared_data
@pytest.mark.django_db
def test_with_shared_data_imports_the_real_geography_once() -> None:
    directory = settings.SHARED_DATA_DIR
    if not (directory / "lookups").is_dir():
        pytest.skip(f"The published data is not at {directory} (set JOINEDUP_SHARED_DATA).")

    _summary, output = run(directory)

    assert "Imported" in output
    northumbria = Area.objects.get(code=NORTHUMBRIA)
    assert Area.objects.filter(level=AreaLevel.CSP, pfa=northumbria).count() == 6
    newcastle = Area.objects.get(code=NEWCASTLE_CSP)
    assert newcastle.population == 302820
    manager = User.objects.get(email="csp.manager@example.org")
    assert list(manager.areas.all()) == [newcastle]
    # Seed organisations are placed in their force area by name, "&" and case notwithstanding.
    gwent = Organisation.objects.get(name="Gwent Police")
    assert [area.name for area in gwent.areas.all()] == ["Gwent"]
    assert Organisation.objects.get(name="Devon and Cornwall OPCC").areas.get().code == "E23000035"

    before = snapshot()
    summary, output = run(directory)

    assert "not imported again" in output
    assert snapshot() == before
    assert (summary.created, summary.updated) == (0, 0)
