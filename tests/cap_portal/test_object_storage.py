"""Several machines: with OBJECT_STORAGE_BUCKET, uploaded documents and rendered reports are kept in
S3-compatible object storage (here a real S3 server, moto's, through ``s3_storage``), never on the
local disk, and are handed out only through the portal's permission-checked views."""

import hashlib
import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from budgets.models import Expenditure
from parties.services import role_assign, user_create
from reports.models import ReportVersion
from tests.budgets.factories import instrument_for, make_line
from tests.reports.conftest import make_report
from tests.workplans.factories import cap_case_for
from tests.workplans.test_workplans_uploads import PDF, docx_bytes
from workplans.models import Deliverable

pytestmark = pytest.mark.django_db


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def assert_safe_download(response, content: bytes, filename: str, content_type: str):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and filename in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def focal_point_of_another_party(world):
    user = user_create(username="ng-focal-point", password="pw-ng")
    role_assign(user=user, role="ma_focal_point", party=world.other)
    return user


def test_a_deliverable_uploaded_through_the_api_is_kept_in_the_bucket(world, api_client, s3_storage):
    """The document is an object in the bucket (nothing under MEDIA_ROOT); the portal's download
    gives the same bytes with the safe headers; the API names no address in the bucket; another
    Party's focal point gets 404."""
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.post(
        "/api/v1/deliverables/",
        {
            "cap_case": cap_case_for(world.own).pk,
            "kind": "ndf",
            "title": "NDF",
            "file": SimpleUploadedFile("NDF Togo.pdf", PDF),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    deliverable = Deliverable.objects.get()
    assert s3_storage.keys() == [deliverable.file.name]
    assert deliverable.file.name.startswith("deliverables/")
    assert s3_storage.read(deliverable.file.name) == PDF
    assert files_under(settings.MEDIA_ROOT) == []
    assert s3_storage.endpoint_url not in json.dumps(response.json())

    download = api_client.get(response.json()["download_url"])
    assert_safe_download(download, PDF, "NDF Togo.pdf", "application/pdf")

    other = focal_point_of_another_party(world)
    api_client.force_authenticate(other)
    assert api_client.get(response.json()["download_url"]).status_code == 404
    api_client.force_authenticate(None)
    api_client.force_login(other)
    assert api_client.get(deliverable.get_download_url()).status_code == 404


def test_an_expenditure_document_reported_through_the_form_is_kept_in_the_bucket(world, client, s3_storage):
    instrument_for(world.own)
    line = make_line(world.own)
    client.force_login(world.users["ma_focal_point"])
    content = docx_bytes()
    response = client.post(
        reverse("budgets:expenditure_add"),
        {
            "budget_line": line.pk,
            "spent_on": "2024-05-10",
            "amount": "300.00",
            "currency": "USD",
            "description": "Venue hire",
            "document": SimpleUploadedFile("invoice.docx", content),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    expenditure = Expenditure.objects.get()
    assert s3_storage.keys() == [expenditure.document.name]
    assert expenditure.document.name.startswith("expenditure/")
    assert files_under(settings.MEDIA_ROOT) == []
    assert_safe_download(
        client.get(expenditure.get_document_url()),
        content,
        f"expenditure-{expenditure.pk}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    client.force_login(focal_point_of_another_party(world))
    assert client.get(expenditure.get_document_url()).status_code == 404


@pytest.fixture
def eager_tasks(settings):
    """Renders run in-process, even where REDIS_URL is set (as tests/reports/conftest.py does)."""
    from cap_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.update(task_always_eager=True)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.update(task_always_eager=before)


def test_a_rendered_report_is_kept_in_the_bucket_and_downloads_through_the_api(
    world, api_client, s3_storage, eager_tasks, django_capture_on_commit_callbacks
):
    """The render (the worker's code, run in-process) writes the PDF and the DOCX to the bucket;
    the API's download is the stored PDF, whose SHA-256 the version records."""
    report = make_report([world.own])
    api_client.force_login(world.users["case_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:report-render", kwargs={"pk": report.pk}), {}, format="json")
    assert response.status_code == 202
    version = ReportVersion.objects.get(render_id=response.json()["id"])
    assert s3_storage.keys() == sorted([version.pdf.name, version.docx.name])
    assert version.pdf.name.startswith(f"reports/{report.pk}/") and version.pdf.name.endswith(".pdf")
    assert files_under(settings.MEDIA_ROOT) == []
    stored = s3_storage.read(version.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == version.sha256

    download = api_client.get(reverse("api:report-version-pdf", kwargs={"pk": version.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert body == stored and len(PdfReader(io.BytesIO(body)).pages) == version.page_count
    assert download["X-Content-Type-Options"] == "nosniff"
    docx = api_client.get(reverse("api:report-version-docx", kwargs={"pk": version.pk}))
    assert docx.status_code == 200 and b"".join(docx.streaming_content) == s3_storage.read(version.docx.name)
    # A draft report's versions are the Secretariat's: a focal point is told nothing exists.
    api_client.force_login(world.users["ma_focal_point"])
    assert api_client.get(reverse("api:report-version-pdf", kwargs={"pk": version.pk})).status_code == 404


def test_an_object_missing_from_the_bucket_is_404_not_500(world, api_client, s3_storage):
    deliverable = Deliverable.objects.create(
        cap_case=cap_case_for(world.own), kind="ndf", title="NDF", file=SimpleUploadedFile("ndf.pdf", PDF)
    )
    s3_storage.client.delete_object(Bucket=s3_storage.bucket, Key=deliverable.file.name)
    api_client.force_authenticate(world.users["case_manager"])
    assert api_client.get(f"/api/v1/deliverables/{deliverable.pk}/download/").status_code == 404


def storages_with(environment: dict) -> dict:
    """STORAGES["default"] as the production settings build it from ``environment``."""
    # Every OBJECT_STORAGE_* set (empty unless given), so that no .env file can fill one in.
    names = ["BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY", "SECRET_KEY"]
    env = {**os.environ, **{f"OBJECT_STORAGE_{name}": "" for name in names}}
    env.update(
        environment,
        DJANGO_SETTINGS_MODULE="cap_portal.settings.production",
        SECRET_KEY="storage-settings-test",
    )
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_settings_use_object_storage_only_when_a_bucket_is_named():
    assert storages_with({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    minio = storages_with(
        {
            "OBJECT_STORAGE_BUCKET": "cap-portal",
            "OBJECT_STORAGE_ENDPOINT_URL": "http://minio:9000",
            "OBJECT_STORAGE_REGION": "us-east-1",
            "OBJECT_STORAGE_ACCESS_KEY": "key",
            "OBJECT_STORAGE_SECRET_KEY": "secret",
        }
    )
    assert minio["BACKEND"] == "storages.backends.s3.S3Storage"
    assert minio["OPTIONS"] | {"max_memory_size": None} == {
        "bucket_name": "cap-portal",
        "endpoint_url": "http://minio:9000",
        "region_name": "us-east-1",
        "access_key": "key",
        "secret_key": "secret",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "addressing_style": "path",
        "max_memory_size": None,
    }
    # On AWS itself: no endpoint, the region's virtual-host addresses, keys from boto3's own chain.
    aws = storages_with({"OBJECT_STORAGE_BUCKET": "cap-portal", "OBJECT_STORAGE_REGION": "eu-central-2"})
    assert aws["OPTIONS"]["endpoint_url"] is None and aws["OPTIONS"]["addressing_style"] is None
    assert aws["OPTIONS"]["access_key"] is None and aws["OPTIONS"]["secret_key"] is None
