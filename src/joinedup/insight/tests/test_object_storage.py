"""The analytical store and uploads on S3-compatible object storage (docs/adr/0027), against moto's
in-process S3: an import publishes its generation's files and then the CURRENT object; another server
(a fresh data directory) resolves the pointer, downloads the generation and gives the same assessment; an
upload made on one server is imported from object storage; a failed publish leaves the pointer alone."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from moto import mock_aws

from joinedup.config.storage import storage_url_problems, storages
from joinedup.core.roles import Role
from joinedup.insight import store
from joinedup.insight.calculation import assess
from joinedup.insight.imports.importer import PoliceImportError, import_police_data
from joinedup.insight.models import ImportStatus
from joinedup.insight.tests.test_importer import street_file, street_row

pytestmark = pytest.mark.django_db
BUCKET = "joinedup-test"
URL = f"s3://{BUCKET}/site?region=eu-west-2"
AREA = "E22000901"


def _serve_from(settings: Any, data_dir: Path) -> None:
    """This process now acts as a server whose data directory is `data_dir`, on the shared bucket."""
    settings.DATA_DIR = data_dir
    settings.STORAGES = {**settings.STORAGES, **storages({"JOINEDUP_STORAGE_URL": URL}, data_dir)}
    store._POINTER.clear()


@pytest.fixture
def bucket(settings: Any, tmp_path: Path) -> Iterator[Any]:
    with mock_aws():
        s3 = boto3.resource("s3", region_name="eu-west-2")
        created = s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        _serve_from(settings, tmp_path / "server-a")
        yield created
    store._POINTER.clear()


def keys(bucket: Any, prefix: str = "") -> list[str]:
    return sorted(item.key for item in bucket.objects.filter(Prefix=prefix))


def import_months(root: Path, months: list[str], tag: str = "a") -> Any:
    folder = root / f"in-{tag}"
    for month in months:
        street_file(folder, month, [street_row(f"{tag}{month}", month, "E01900001")])
    return import_police_data([folder]).record


def test_a_generation_is_published_to_object_storage_and_read_by_another_server(
    settings: Any, tmp_path: Path, areas: Any, bucket: Any
) -> None:
    record = import_months(tmp_path, ["2023-01", "2023-02"])
    pointer = bucket.Object("site/insight/CURRENT").get()["Body"].read().decode().strip()
    assert pointer == record.generation
    published = keys(bucket, f"site/insight/generations/{record.generation}/")
    assert any("/street/force=testshire/month=2023-02/" in key for key in published)
    assert f"site/insight/generations/{record.generation}/COVERAGE.json" in published
    expected = json.dumps(assess(AREA, "2023-01", "2023-02"), sort_keys=True, default=str)

    # Server B: nothing on its disk; it resolves the pointer and downloads the generation once.
    _serve_from(settings, tmp_path / "server-b")
    assert not (tmp_path / "server-b" / "insight" / "generations").exists()
    assert json.dumps(assess(AREA, "2023-01", "2023-02"), sort_keys=True, default=str) == expected
    assert (tmp_path / "server-b" / "insight" / "generations" / record.generation / "COVERAGE.json").is_file()

    # A second import on server B: the unchanged month is carried into the new generation in the bucket,
    # the pointer moves, and only the new and the previous generations are kept there.
    second = import_months(tmp_path, ["2023-03"], tag="b")
    third = import_months(tmp_path, ["2023-04"], tag="c")
    generations = {key.split("/")[3] for key in keys(bucket, "site/insight/generations/")}
    assert generations == {second.generation, third.generation}
    latest = keys(bucket, f"site/insight/generations/{third.generation}/street/")
    assert [
        m for m in ("2023-01", "2023-02", "2023-03", "2023-04") if any(f"month={m}/" in k for k in latest)
    ] == [
        "2023-01",
        "2023-02",
        "2023-03",
        "2023-04",
    ]
    # Server A still holds the first generation locally, but follows the pointer to the new one.
    _serve_from(settings, tmp_path / "server-a")
    assert store.current_generation() == third.generation
    assert store.months_available() == ["2023-01", "2023-02", "2023-03", "2023-04"]


def test_a_publish_that_fails_part_way_leaves_readers_on_the_previous_generation(
    settings: Any, tmp_path: Path, areas: Any, bucket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = import_months(tmp_path, ["2023-01"])
    storage = store.remote()
    assert storage is not None
    real_save = type(storage)._save
    saved: list[str] = []

    def fail_on_the_third_file(self: Any, name: str, content: Any) -> str:
        saved.append(name)
        if len(saved) == 3:
            raise OSError("the object store went away")
        return str(real_save(self, name, content))

    monkeypatch.setattr(type(storage), "_save", fail_on_the_third_file)
    with pytest.raises(PoliceImportError, match="went away"):
        import_months(tmp_path, ["2023-02"], tag="b")
    monkeypatch.undo()
    assert "CURRENT" not in saved  # the pointer is written last, so it was never reached
    _serve_from(settings, tmp_path / "server-b")
    assert store.current_generation() == first.generation
    assert store.months_available() == ["2023-01"]


def test_an_upload_on_one_server_is_kept_in_object_storage_and_imported_from_there(
    settings: Any,
    tmp_path: Path,
    areas: Any,
    bucket: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    rows = [street_row("u1", "2023-01", "E01900001"), street_row("u2", "2023-01", "E01900002")]
    from joinedup.insight.tests.test_importer import STREET

    upload = SimpleUploadedFile("2023-01-testshire-street.csv", ("\n".join([STREET, *rows]) + "\n").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(Role.ANALYST).post("/staff/insight/imports/new/", {"file": upload})
    assert response.status_code == 302
    stored = keys(bucket, "site/files/insight/uploads/")
    assert len(stored) == 1 and stored[0].endswith("/2023-01-testshire-street.csv")
    # Nothing of the upload on this server's disk: the worker downloaded it to staging and removed that.
    assert not list((tmp_path / "server-a").rglob("*street.csv"))
    from joinedup.insight.models import PoliceDataImport

    record = PoliceDataImport.objects.get()
    assert record.status == ImportStatus.SUCCEEDED, record.error
    assert record.rows_accepted == 2


def test_the_storage_url_is_checked_naming_each_problem() -> None:
    assert storage_url_problems("") == []
    assert (
        storage_url_problems("s3://joinedup-files/prod?endpoint_url=https://s3.example.org&region=eu-west-2")
        == []
    )
    problems = storage_url_problems("s3://KEY:SECRET@Bucket/x?colour=blue&endpoint_url=ftp://x")
    assert any("must not hold credentials" in p for p in problems)
    assert any("unknown option(s) colour" in p for p in problems)
    assert any("endpoint_url must be an http" in p for p in problems)
    assert storage_url_problems("gs://bucket") == [
        "JOINEDUP_STORAGE_URL must start s3:// (S3-compatible object storage), not 'gs'."
    ]
    # `joinedup check --deploy` names it among the other problems.
    from joinedup.config.deploy import deploy_problems
    from joinedup.core.tests.test_settings import PRODUCTION

    assert deploy_problems({**PRODUCTION, "JOINEDUP_STORAGE_URL": "s3://Bad_Bucket"}) == [
        "JOINEDUP_STORAGE_URL's bucket 'Bad_Bucket' is not an S3 bucket name."
    ]
    configured = storages(
        {"JOINEDUP_STORAGE_URL": "s3://joinedup-files/prod?addressing_style=path"}, Path("/x")
    )
    assert configured["default"]["OPTIONS"]["location"] == "prod/files"
    assert configured["insight"]["OPTIONS"]["location"] == "prod/insight"
    assert configured["insight"]["OPTIONS"]["file_overwrite"] is True
    assert configured["default"]["OPTIONS"]["file_overwrite"] is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_imports_are_serialised_by_a_postgresql_advisory_lock_across_connections() -> None:
    import psycopg
    from django.db import connections

    params = connections["default"].get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:

        def free() -> bool:
            taken = other.execute("SELECT pg_try_advisory_lock(%s)", [store.ADVISORY_KEY]).fetchone()
            if taken and taken[0]:
                other.execute("SELECT pg_advisory_unlock(%s)", [store.ADVISORY_KEY])
                return True
            return False

        assert free()
        with store.import_lock():
            assert not free()  # another server's import would wait here
        assert free()


def test_requests_wanting_a_new_generation_at_once_download_it_once(
    settings: Any, tmp_path: Path, areas: Any, bucket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = import_months(tmp_path, ["2023-01", "2023-02"])
    published = keys(bucket, f"site/insight/generations/{record.generation}/")
    _serve_from(settings, tmp_path / "server-b")
    from joinedup.core import files

    real_download = files.download
    downloaded: list[tuple[str, Path]] = []
    both_asking = threading.Barrier(2)

    def slow_download(storage: Any, name: str, target: Path) -> Path:
        downloaded.append((name, target.relative_to(store.tmp_dir()).parts[0]))
        time.sleep(0.05)  # long enough for the other request to arrive while this one downloads
        return real_download(storage, name, target)

    monkeypatch.setattr(files, "download", slow_download)
    found: list[Path | None] = []
    failures: list[BaseException] = []

    def request() -> None:
        try:
            both_asking.wait(timeout=10)
            found.append(store.current_path())
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    target = tmp_path / "server-b" / "insight" / "generations" / record.generation
    assert found == [target, target]
    # One staging folder, each published file fetched once, and the copy whole.
    assert len({staging for _name, staging in downloaded}) == 1
    assert sorted(name for name, _staging in downloaded) == sorted(
        key.removeprefix("site/insight/") for key in published
    )
    assert (target / "COVERAGE.json").is_file()
    assert not list(store.tmp_dir().glob("download-*"))
