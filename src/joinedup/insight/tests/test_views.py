"""Staff pages and the API: imports, the assessment with every section, downloads, and who may see what."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import Area, User
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.models import DeprivationIndex, PoliceDataImport, SeverityWeight
from joinedup.insight.tests.test_importer import street_file, street_row

pytestmark = pytest.mark.django_db

PAGE = "/staff/insight/"
NORTH = "E22000901"
SOUTH = "E22000902"


@pytest.fixture
def store(areas: dict[str, Area], tmp_path: Path, settings: Any) -> PoliceDataImport:
    """Two years of street data: North Testshire has 3 burglaries a month in 2022 and 6 in 2023 (one
    at the same place each month), plus 2 ASB; South Testshire 1 shoplifting a month."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "in"
    for year in (2022, 2023):
        for m in range(1, 13):
            month = f"{year}-{m:02d}"
            burglaries = 3 if year == 2022 else 6
            rows = [street_row(f"n{month}-{i}", month, "E01900001") for i in range(burglaries)]
            rows.append(street_row(f"x{month}", month, "E01900002", "Violence and sexual offences"))
            rows += [street_row("", month, "E01900002", "Anti-social behaviour") for _ in range(2)]
            rows.append(street_row(f"s{month}", month, "E01900003", "Shoplifting"))
            street_file(folder, month, rows)
    DeprivationIndex.objects.create(lsoa_code="E01900001", rank=100, decile=1)
    DeprivationIndex.objects.create(lsoa_code="E01900002", rank=30000, decile=10)
    DeprivationIndex.objects.create(lsoa_code="E01900003", rank=15000, decile=5)
    SeverityWeight.objects.create(
        crime_type="Burglary", weight=400, mean_weight=500, min_weight=100, max_weight=2000, offences=3
    )
    return import_police_data([folder]).record


def test_assessment_page_shows_every_section(client_for: Callable[[str], Client], store: Any) -> None:
    response = client_for(Role.ANALYST).get(
        PAGE, {"area": NORTH, "from_month": "2023-01", "to_month": "2023-12"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "North Testshire: crime and ASB, 2023-01 to 2023-12" in text
    for heading in (
        "By crime type",
        "Month by month",
        "Seasonality",
        "Harm",
        "Concentration",
        "Repeat locations",
        "Comparison",
        "Outcomes",
        "Deprivation",
    ):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in text or heading in text
    assert "Significant rise" in text  # 72 + 12 against 36 + 12 crimes
    assert "South Testshire (similar)" in text and "Testshire (force area)" in text
    assert "On or near High Street" in text


def test_assessment_json_has_the_documented_sections(store: Any) -> None:
    from joinedup.insight.calculation import assess

    result = assess(NORTH, "2023-01", "2023-12")
    totals = result["totals"]
    assert totals["crimes_excl_asb"] == 84 and totals["asb"] == 24
    assert totals["population"] == 2500 and totals["rate_per_1000"] == 33.6
    assert totals["previous_crimes_excl_asb"] == 48 and totals["trend"] == "significant rise"
    assert [m["rolling_12_crimes_excl_asb"] for m in result["monthly"]][-1] == 84
    assert result["monthly"][0]["rolling_12_crimes_excl_asb"] == 48 + 6 - 3
    assert result["harm"]["total"] == 72 * 400 and result["harm"]["unweighted"] == [
        "Violence and sexual offences"
    ]
    assert "median" in result["harm"]["method"]
    assert result["concentration"]["crimes_excl_asb"]["top_5pct"] == {
        "places": 1,
        "count": 72,
        "share_pct": 85.7,
    }
    assert result["concentration"]["repeat_locations"][0]["crimes_excl_asb"] == 72
    deciles = {d["decile"]: d["rate_per_1000"] for d in result["deprivation"]["by_decile"]}
    assert deciles == {1: 48.0, 10: 12.0}
    comparison = result["comparison"]
    assert comparison["force_area"]["code"] == "E23000099"
    assert comparison["force_area"]["crimes_excl_asb"] == 84 + 12
    assert [a["code"] for a in comparison["similar_areas"]] == [SOUTH]
    assert result["outcomes"]["by_last_outcome"] == [
        {"outcome": "Under investigation", "count": 84, "share_pct": 100.0}
    ]
    assert result["outcomes"]["charge_summons_rate_pct"] == 0.0
    assert result["seasonality"][0]["observations"] == 2


def test_downloads(client_for: Callable[[str], Client], store: Any) -> None:
    client = client_for(Role.CSP_MANAGER)
    query = {"area": NORTH, "from_month": "2023-01", "to_month": "2023-12"}
    response = client.get(PAGE + "assessment.json", query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["totals"]["crimes_excl_asb"] == 84
    response = client.get(PAGE + "assessment.csv", query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["area_code", "area_name", "from", "to", "section", "item", "measure", "value"]
    assert [NORTH, "North Testshire", "2023-01", "2023-12", "totals", "all", "crimes_excl_asb", "84"] in rows
    assert {row[4] for row in rows[1:]} >= {"harm", "concentration", "comparison", "deprivation", "outcomes"}


def test_areas_outside_the_users_own_are_not_found(
    client_for: Callable[[str], Client], users: dict[str, User], store: Any
) -> None:
    for role in (Role.ANALYST, Role.CSP_MANAGER):
        client = client_for(role)
        assert client.get(PAGE, {"area": SOUTH}).status_code == 404
        assert client.get(PAGE + "assessment.json", {"area": "E23000099"}).status_code == 404
    # The form only offers their own areas.
    text = client_for(Role.ANALYST).get(PAGE).content.decode()
    assert NORTH in text and SOUTH not in text
    assert client_for(Role.OPCC_OFFICER).get(PAGE, {"area": SOUTH}).status_code == 200
    assert client_for(Role.PRACTITIONER).get(PAGE).status_code == 404


def test_bad_months_are_shown_as_errors(client_for: Callable[[str], Client], store: Any) -> None:
    client = client_for(Role.OPCC_OFFICER)
    response = client.get(PAGE, {"area": NORTH, "from_month": "2023-13", "to_month": "2023-12"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Enter a month as YYYY-MM" in response.content.decode()
    response = client.get(PAGE, {"area": NORTH, "from_month": "2023-06", "to_month": "2023-01"})
    assert "The last month is before the first month." in response.content.decode()
    assert (
        client.get(PAGE + "assessment.json", {"area": NORTH, "from_month": "x", "to_month": "y"}).status_code
        == 422
    )


def test_default_period_is_the_latest_12_months(client_for: Callable[[str], Client], store: Any) -> None:
    response = client_for(Role.OPCC_ADMIN).get(PAGE + "assessment.json", {"area": NORTH})
    body = json.loads(response.content)
    assert (body["from"], body["to"]) == ("2023-01", "2023-12")


def test_import_pages(client_for: Callable[[str], Client], store: PoliceDataImport) -> None:
    client = client_for(Role.AUDITOR)
    text = client.get(PAGE + "imports/").content.decode()
    assert "testshire" in text and "Police data imports" in text
    detail = client.get(f"{PAGE}imports/{store.pk}/").content.decode()
    assert store.files[0]["sha256"][:10] in detail and "No rows were rejected." in detail
    assert client_for(Role.CSP_MANAGER).get(PAGE + "imports/").status_code == 404


def test_api_assessment(users: dict[str, User], store: Any) -> None:
    def get(role: str, query: str) -> Any:
        _token, raw = create_token(user=users[role], name="t", actor=None)
        return Client().get("/api/v1/insight/assessments" + query, HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = get(Role.ANALYST, f"?area={NORTH}&from=2023-01&to=2023-12")
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == {
        "code": NORTH,
        "name": "North Testshire",
        "level": "csp",
        "population_partial": False,
    }
    assert (body["from"], body["to"]) == ("2023-01", "2023-12")
    assert body["totals"]["crimes_excl_asb"] == 84 and body["totals"]["rate_per_1000"] == 33.6
    assert body["by_crime_type"][0] == {
        "crime_type": "Burglary",
        "count": 72,
        "rate_per_1000": 28.8,
        "previous_count": 36,
        "like_for_like_count": 72,
        "like_for_like_previous_count": 36,
        "change": 36,
        "change_pct": 100.0,
        "p_value": body["by_crime_type"][0]["p_value"],
        "q_value": body["by_crime_type"][0]["q_value"],
        "trend": "significant rise",
    }
    assert "harm" in body and "deprivation" in body
    assert get(Role.ANALYST, f"?area={SOUTH}").status_code == 404
    assert get(Role.ANALYST, "?area=E99999999").status_code == 404
    bad = get(Role.OPCC_OFFICER, f"?area={NORTH}&from=2023-1&to=2023-12")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "from"]
