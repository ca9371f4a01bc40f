"""Issue 13's reproduction: a full disk during a staff upload showed a bare 500 page."""

from __future__ import annotations

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client, override_settings

from joinedup.core.files import walk
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory
from joinedup.insight.imports import services as uploads
from joinedup.insight.models import PoliceDataImport

pytestmark = pytest.mark.django_db


class FullDiskHandler(FileUploadHandler):
    """Writes an upload as Django's temporary-file handler would, to a disk with no space left."""

    def receive_data_chunk(self, raw_data, start):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    def file_complete(self, file_size):  # type: ignore[no-untyped-def]
        return None


def importer() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.OPCC_ADMIN))
    return client


@override_settings(FILE_UPLOAD_HANDLERS=["joinedup.core.tests.test_disk_full.FullDiskHandler"])
def test_a_full_disk_while_the_upload_arrives_is_a_page_that_says_so():
    response = importer().post(
        "/staff/insight/imports/new/", {"file": SimpleUploadedFile("street.csv", b"Crime ID\n1\n")}
    )
    assert response.status_code == 507
    page = response.content.decode()
    assert "The server&#x27;s disk is full" in page or "The server's disk is full" in page
    assert "not saved" in page and not PoliceDataImport.objects.exists()


def test_a_full_disk_while_the_upload_is_stored_is_a_form_error(monkeypatch):
    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    response = importer().post(
        "/staff/insight/imports/new/", {"file": SimpleUploadedFile("street.csv", b"Crime ID\n1\n")}
    )
    assert response.status_code == 200
    assert "no disk space left" in response.content.decode()
    assert not PoliceDataImport.objects.exists()
    assert not [name for name in walk(uploads.files(), uploads.UPLOADS) if name.endswith("street.csv")]
