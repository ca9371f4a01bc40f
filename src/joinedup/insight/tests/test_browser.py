"""The issue's done-when journey in Chromium, on the shared Northumbria data: an analyst opens the Newcastle
upon Tyne assessment, sees the README's numbers, scores the priorities, publishes the assessment and downloads
the PDF. axe checks every page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]

NEWCASTLE = "E22000245"


def _load_shared(tmp_path: Path, settings: Any) -> None:
    folder = Path(django_settings.SHARED_DATA_DIR)
    zip_path = folder / "police_uk" / "northumbria_2020-05_2023-03.zip"
    if not zip_path.is_file() or not (folder / "lookups").is_dir() or not (folder / "boundaries").is_dir():
        pytest.skip(f"The shared Northumbria data is not at {folder} (set JOINEDUP_SHARED_DATA to its path).")
    from joinedup.core.boundaries import import_boundaries
    from joinedup.core.services.areas_import import import_areas
    from joinedup.insight.imports.importer import import_police_data
    from joinedup.insight.imports.services import import_deprivation, import_severity

    settings.DATA_DIR = tmp_path
    import_areas(folder)
    import_boundaries(folder / "boundaries")
    import_severity(folder / "severity" / "css_weights_ho_offence_police_uk_category_derived.csv")
    import_deprivation(folder / "deprivation" / "imd2019_lsoa11_england.csv")
    import_police_data([zip_path])


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    page.check_accessibility()


def test_analyst_assesses_newcastle_prioritises_publishes_and_downloads_the_pdf(
    page: Any, tmp_path: Path, settings: Any
) -> None:
    _load_shared(tmp_path, settings)
    analyst = UserFactory(
        role=Role.ANALYST, email="analyst@example.org", areas=[Area.objects.get(code=NEWCASTLE)]
    )
    page.sign_in(analyst.email, TEST_PASSWORD)

    # The README's 12-month table: Newcastle upon Tyne 36,930 crimes, 11,267 ASB, 122.0 per 1,000.
    page.visit(f"/staff/insight/?area={NEWCASTLE}&from_month=2022-02&to_month=2023-01")
    summary = page.locator("dl.govuk-summary-list").first.inner_text()
    assert "36,930, 122.0 per 1,000 residents" in summary
    assert "11,267" in summary and "302,820" in summary
    assert page.locator("svg.ju-map__svg path").count() == 175  # every Newcastle LSOA drawn

    _submit(page, "Save this assessment as a draft")
    assert "Saved as a draft" in page.content()
    assert page.locator("h1").inner_text() == "Newcastle upon Tyne strategic assessment, 2022-02 to 2023-01"
    record_url = page.url

    page.get_by_role("link", name="Score the priorities").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Victim vulnerability for Violence and sexual offences").select_option("5")
    page.get_by_label("Community concern for Anti-social behaviour").select_option("5")
    page.get_by_label("Harm for Anti-social behaviour").select_option("2")
    page.get_by_label("Rank set for Anti-social behaviour").fill("1")
    page.get_by_label("Reason for the rank of Anti-social behaviour").fill(
        "Top concern at every PACT meeting"
    )
    _submit(page, "Save the priorities")
    first_row = page.locator("#priority-matrix tbody tr").first.inner_text()
    assert "Anti-social behaviour" in first_row and "Top concern at every PACT meeting" in first_row

    page.get_by_role("link", name="Write the narrative").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Narrative").fill("Crime fell slightly; violence remains the largest harm.")
    _submit(page, "Save the narrative")
    _submit(page, "Publish this assessment")
    # Most priorities have factors left unscored: a confirmation page lists them before anything is frozen.
    assert "not fully scored" in page.content()
    page.check_accessibility()
    _submit(page, "Publish it as it is")
    assert "It can no longer be changed" in page.content()
    assert page.locator("main strong.govuk-tag").first.inner_text() == "Published"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Newcastle upon Tyne" in text and "Top concern at every PACT meeting" in text
    assert page.url == record_url
