"""An analyst uploads a street file in Chromium and follows the import; axe checks every page, including
the progress bar of an import still running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree
from joinedup.insight.models import ImportStatus, PoliceDataImport
from joinedup.insight.tests.test_importer import STREET, street_row

pytestmark = [pytest.mark.browser]


def test_upload_a_download_and_follow_the_import(page: Any, tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path / "var"
    areas = area_tree()
    analyst = UserFactory(role=Role.ANALYST, email="analyst@example.org", areas=[areas["north"]])
    running = PoliceDataImport.objects.create(
        status=ImportStatus.RUNNING, source="Upload: big.zip", stage="Reading and writing", progress=40
    )
    download = tmp_path / "2023-01-testshire-street.csv"
    download.write_text("\n".join([STREET, street_row("a1", "2023-01", "E01900001")]) + "\n")

    page.sign_in(analyst.email, TEST_PASSWORD)
    page.visit(f"/staff/insight/imports/{running.pk}/?refresh=off")
    assert "40% done" in page.content()
    page.visit("/staff/insight/imports/")
    page.get_by_role("link", name="Import police data").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Download from data.police.uk").set_input_files(str(download))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()
    page.check_accessibility()
    text = page.content()
    assert "Succeeded" in text and "2023-01-testshire-street.csv" in text
    assert PoliceDataImport.objects.filter(status=ImportStatus.SUCCEEDED, rows_accepted=1).count() == 1
