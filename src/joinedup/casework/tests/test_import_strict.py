"""Issue 13's reproductions of the incident import: strict reading, the documented maximum through the
worker, the documented body limit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from joinedup.casework.imports.services import MAX_ROWS, SYNC_ROWS
from joinedup.casework.models import Incident
from joinedup.core.models import ImportJob

from .conftest import api_client, signed_in
from .test_import import as_csv, row

pytestmark = pytest.mark.django_db


def varied(n):
    person, place = n % 400, n % 300
    return row(
        description=f"Report {n}.",
        informant_name=f"Resident {person}",
        informant_phone=f"07700 9{person:05d}",
        # a grid of places about 300 m apart
        latitude=f"{54.95 + (place % 20) * 0.003:.6f}",
        longitude=f"{-1.70 + (place // 20) * 0.005:.6f}",
        perpetrators=f"Person {n % 200} (2001-05-06)",
    )


def post_csv(headers, body):
    return Client().post("/api/v1/incidents/import", body, content_type="text/csv", **headers)


def test_an_unterminated_quote_on_line_502_of_1000_rows_is_refused_naming_line_502(world):
    # Reproduction: answered 201 "Imported 501 incidents" with the other 500 rows inside one description.
    text = as_csv(*(row(description=f"Report {n}.") for n in range(1000))).read().decode()
    lines = text.split("\r\n")
    assert lines[501].count("Report 500.") == 1
    lines[501] = lines[501].replace("Report 500.", '"Report 500.', 1)
    response = post_csv(api_client(world["users"]["police"]), "\r\n".join(lines).encode())
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["file", 502, "description"]
    assert "closing quote is missing" in problem["msg"]
    assert not Incident.objects.exists()


def test_a_nul_byte_and_an_overlong_field_are_named_by_line_and_column(world):
    body = as_csv(row(), row(description="Loud\x00music"), row(postcode="N" * 11)).read()
    response = post_csv(api_client(world["users"]["police"]), body)
    assert response.status_code == 422
    locs = [p["loc"] for p in response.json()["detail"]]
    assert ["file", 3, "description"] in locs and ["file", 4, "postcode"] in locs
    assert not Incident.objects.exists()


def test_a_description_past_the_free_text_limit_is_refused(world):
    body = as_csv(row(description="x" * 20_001)).read()
    response = post_csv(api_client(world["users"]["police"]), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["file", 2, "description"]
    assert "20,000" in response.json()["detail"][0]["msg"]


def test_a_body_between_2_5_and_5_mb_is_imported(world, django_capture_on_commit_callbacks):
    # Reproduction: CSV bodies between 2.5 and 5 MB got an HTML 400 though 5 MB is documented.
    rows = [row(description=f"{n} " + "long account of the night " * 700) for n in range(150)]
    body = as_csv(*rows).read()
    assert 2.5 * 1024 * 1024 < len(body) < 5 * 1024 * 1024
    response = post_csv(api_client(world["users"]["police"]), body)
    assert response.status_code == 201, response.content[:500]
    assert Incident.objects.count() == 150


def test_a_body_over_5_mb_is_a_json_413(world):
    body = b"received_at,category,description\n" + b"x" * (5 * 1024 * 1024)
    response = post_csv(api_client(world["users"]["police"]), body)
    assert response.status_code == 413
    assert "5 MB" in response.json()["detail"][0]["msg"]


# The documented maximum checked and recorded by the worker, every row, is bench/incident_import.py's run
# (minutes of CPU: `record_incident` a row, bench/RESULTS.md); as a test it cost CI about eight minutes of
# its ninety. Here the maximum is accepted and queued at once, and a file just past the synchronous limit
# takes the worker's path (the same code for every row) to the end.
def test_the_documented_maximum_of_2000_rows_is_accepted_and_queued_for_the_worker(
    world, django_capture_on_commit_callbacks
):
    # Reproduction: 2,000 rows timed out after 30 s with a 500 and nothing saved.
    headers = api_client(world["users"]["police"])
    body = as_csv(*(varied(n) for n in range(MAX_ROWS))).read()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = post_csv(headers, body)
    assert response.status_code == 202, response.content
    assert len(queued) == 1  # the worker's task, sent when the request's transaction commits
    followed = Client().get(response.json()["url"], **headers).json()
    assert followed["status"] == "queued" and followed["progress"] == 0, followed
    assert followed["rows"] == MAX_ROWS
    assert not Incident.objects.exists()


def test_a_file_past_the_synchronous_limit_completes_through_the_worker(
    world, django_capture_on_commit_callbacks
):
    headers = api_client(world["users"]["police"])
    # Informants reporting from a grid of places, as a busy area's file would.
    body = as_csv(*(varied(n) for n in range(SYNC_ROWS + 1))).read()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_csv(headers, body)
    assert response.status_code == 202, response.content
    url = response.json()["url"]
    followed = Client().get(url, **headers).json()
    assert followed["status"] == "succeeded", followed
    assert followed["progress"] == 100 and len(followed["incidents"]) == SYNC_ROWS + 1
    assert Incident.objects.count() == SYNC_ROWS + 1
    job = ImportJob.objects.get(pk=response.json()["import_id"])
    assert job.data == ""  # the file (personal data) is not kept once imported
    # Someone else's token cannot follow it.
    assert Client().get(url, **api_client(world["users"]["council"])).status_code == 404


def test_a_large_file_on_the_staff_page_goes_to_the_worker_with_a_progress_page(
    world, django_capture_on_commit_callbacks
):
    client = signed_in(world["users"]["police"])
    body = as_csv(*(row(description=f"Report {n}.") for n in range(SYNC_ROWS + 1))).read()
    job_rows = SYNC_ROWS + 1
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            "/staff/casework/incidents/import/", {"file": SimpleUploadedFile("big.csv", body)}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/incidents/import/{job.pk}/")
    waiting = client.get(response["Location"])
    assert waiting["Refresh"] and "Queued" in waiting.content.decode()
    for callback in queued:
        callback()
    done = client.get(response["Location"]).content.decode()
    assert f"Imported {job_rows} incidents" in done
    assert signed_in(world["users"]["council"]).get(response["Location"]).status_code == 404
