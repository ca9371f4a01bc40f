"""Staff and public pages given the inputs that broke the API (issue 13): NUL characters in addresses and
forms, oversized forms, names that differ only in case. A 400 page or a form error, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client, override_settings

from joinedup.core.models import Organisation, Sector
from joinedup.core.roles import Role
from joinedup.core.services import organisations as organisation_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/staff/organisations/?q=%00",
        "/staff/organisations/?sector=%00&q=ok",
        "/staff/areas/?q=a%00b",
        "/staff/partnerships/?q=%00",
        "/staff/audit/?actor=%00",
        "/partnerships/?q=%00",
    ],
)
def test_a_nul_in_a_query_string_is_a_400_page(client_for: Callable[[str], Client], url: str) -> None:
    response = client_for(Role.OPCC_ADMIN).get(url)

    assert response.status_code == 400
    assert b"NUL character" in response.content
    assert b"There is a problem with the request" in response.content


def test_a_nul_in_a_page_address_is_a_400_page(client_for: Callable[[str], Client]) -> None:
    response = client_for(Role.OPCC_ADMIN).get("/staff/areas/E01%00/")

    assert response.status_code == 400


def test_a_nul_in_a_submitted_form_is_a_400_page_and_nothing_saved(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for(Role.OPCC_ADMIN).post(
        "/staff/organisations/new/",
        urlencode({"name": "Null\x00Org", "sector": Sector.BUSINESS}),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert b"<code>name</code>" in response.content
    assert not Organisation.objects.filter(name__startswith="Null").exists()


def test_a_nul_in_a_multipart_form_is_a_form_error(client_for: Callable[[str], Client]) -> None:
    response = client_for(Role.OPCC_ADMIN).post(
        "/staff/organisations/new/", {"name": "Null\x00Org", "sector": Sector.BUSINESS}
    )

    assert response.status_code in (200, 422)
    assert "Null characters are not allowed." in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Null").exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=5_000)
def test_an_oversized_form_is_refused_not_a_server_error(client_for: Callable[[str], Client]) -> None:
    fields = {"name": "Big Org", "sector": Sector.BUSINESS, "description": "x" * 10_000}
    client = client_for(Role.OPCC_ADMIN)

    urlencoded = client.post(
        "/staff/organisations/new/", urlencode(fields), content_type="application/x-www-form-urlencoded"
    )
    multipart = client.post("/staff/organisations/new/", fields)

    assert urlencoded.status_code == 413
    assert b"5,000 bytes" in urlencoded.content
    assert multipart.status_code == 400  # Django's own refusal, before the page runs
    assert not Organisation.objects.filter(name="Big Org").exists()


def test_a_name_taken_in_another_case_is_a_form_error(client_for: Callable[[str], Client]) -> None:
    Organisation.objects.create(name="Tyne Housing", sector=Sector.BUSINESS)

    response = client_for(Role.OPCC_ADMIN).post(
        "/staff/organisations/new/", {"name": "TYNE HOUSING", "sector": Sector.BUSINESS}
    )

    assert response.status_code in (200, 422)
    assert "An organisation with this name is already in the directory." in response.content.decode()
    assert Organisation.objects.filter(name__iexact="tyne housing").count() == 1


def test_losing_a_race_on_the_organisation_page_is_a_form_error(
    client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's own check passed (someone else saved in between); the database constraint refused."""
    Organisation.objects.create(name="Tyne Housing", sector=Sector.BUSINESS)
    monkeypatch.setattr(organisation_services, "_check_name_free", lambda organisation, errors: None)

    response = client_for(Role.OPCC_ADMIN).post(
        "/staff/organisations/new/", {"name": "tyne housing", "sector": Sector.BUSINESS}
    )

    assert response.status_code in (200, 422)
    assert "An organisation with this name is already in the directory." in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="drops the constraint inside the test: PostgreSQL"
)
def test_the_migration_renames_existing_case_duplicates_and_says_so(capsys: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("joinedup.core.migrations.0006_name_unique_regardless_of_case")
    constraint = Organisation._meta.constraints[0]
    with connection.schema_editor() as editor:
        editor.remove_constraint(Organisation, constraint)  # as the data stood under the old, cased rule
    Organisation.objects.create(name="Tyne Housing", sector=Sector.BUSINESS)
    Organisation.objects.create(name="TYNE HOUSING", sector=Sector.BUSINESS)
    before = Organisation.objects.count()

    migration.rename_case_duplicates(apps, None)  # (the test's rollback restores the constraint)

    names = sorted(Organisation.objects.filter(name__istartswith="tyne").values_list("name", flat=True))
    assert names == ["TYNE HOUSING (duplicate 2)", "Tyne Housing"]
    assert Organisation.objects.count() == before
    assert "renamed 'TYNE HOUSING (duplicate 2)'" in capsys.readouterr().out
