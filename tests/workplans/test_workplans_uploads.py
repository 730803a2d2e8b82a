"""Deliverable documents: type checked on the content as well as the name, size limited, stored
under MEDIA_ROOT and served only to users who may see the deliverable."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workplans.models import Deliverable

from .factories import DeliverableFactory, cap_case_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(api_client, user, party, name, content, **extra):
    api_client.force_authenticate(user)
    data = {
        "cap_case": cap_case_for(party).pk,
        "kind": "ndf",
        "title": "NDF",
        "file": SimpleUploadedFile(name, content),
    }
    data.update(extra)
    return api_client.post("/api/v1/deliverables/", data, format="multipart")


@pytest.mark.parametrize(
    "name, content",
    [
        ("ndf.pdf", PDF),
        ("photo.png", PNG),
        ("photo.JPG", JPEG),
        ("guidelines.docx", None),
        ("data.xlsx", None),
    ],
)
def test_accepted_types_are_stored_under_media_root(name, content, world, api_client, media_root):
    if name.endswith(".docx"):
        content = docx_bytes()
    if name.endswith(".xlsx"):
        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        content = buffer.getvalue()
    response = upload(api_client, world.users["ma_focal_point"], world.own, name, content)
    assert response.status_code == 201, response.json()
    deliverable = Deliverable.objects.get()
    assert deliverable.original_name == name
    stored = media_root / deliverable.file.name
    assert stored.read_bytes() == content
    assert deliverable.file.name.startswith("deliverables/") and name not in deliverable.file.name
    download = api_client.get(response.json()["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert name in download["Content-Disposition"]


@pytest.mark.parametrize(
    "name, content",
    [
        ("ndf.pdf", PNG),  # a PNG named .pdf
        ("ndf.pdf", b"just some text pretending to be a PDF"),
        ("photo.png", PDF),
        ("guidelines.docx", b"PK\x03\x04 not really a zip"),
        ("tool.exe", b"MZ\x90\x00"),
        ("notes.txt", b"plain text"),
    ],
)
def test_wrong_content_or_extension_is_refused(name, content, world, api_client, media_root):
    response = upload(api_client, world.users["ma_focal_point"], world.own, name, content)
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"file"}
    assert not Deliverable.objects.exists()
    assert not (media_root / "deliverables").exists() or not any((media_root / "deliverables").iterdir())


def test_oversized_upload_is_refused(world, api_client, settings):
    settings.WORKPLANS_MAX_UPLOAD_BYTES = 1024
    response = upload(api_client, world.users["case_manager"], world.own, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "file" and "too large" in error["detail"]
    assert not Deliverable.objects.exists()


def test_another_partys_file_is_404(world, api_client, client):
    """The document is served through the restricted queryset: another Party's is 404, a donor 403."""
    response = upload(api_client, world.users["case_manager"], world.other, "ndf.pdf", PDF)
    deliverable = Deliverable.objects.get(pk=response.json()["id"])
    api_client.force_authenticate(world.users["ma_focal_point"])
    assert api_client.get(f"/api/v1/deliverables/{deliverable.pk}/download/").status_code == 404
    client.force_login(world.users["ma_focal_point"])
    assert client.get(deliverable.get_download_url()).status_code == 404
    client.force_login(world.users["donor_observer"])
    assert client.get(deliverable.get_download_url()).status_code == 403
    client.force_login(world.users["secretariat_viewer"])
    response = client.get(deliverable.get_download_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_media_files_are_not_served_by_url(world, client):
    """Nothing under MEDIA_ROOT has a public address: only the permission-checked view serves it."""
    from django.conf import settings

    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    response = upload_via_ui(client, world)
    deliverable = Deliverable.objects.get()
    assert response.status_code == 302
    assert client.get("/" + deliverable.file.name).status_code == 404
    assert client.get("/media/" + deliverable.file.name).status_code == 404


def test_the_edit_form_links_the_document_only_through_the_checked_download(world, client):
    """The edit page must not offer the storage's own address of the file (on object storage a
    signed bucket URL that skips the permission check; on disk a dead /media/ link)."""
    upload_via_ui(client, world)
    deliverable = Deliverable.objects.get()
    page = client.get(reverse("workplans:deliverable_edit", kwargs={"pk": deliverable.pk})).content.decode()
    assert reverse("workplans:deliverable_file", kwargs={"pk": deliverable.pk}) in page
    assert deliverable.file.name not in page
    assert deliverable.file.url not in page


def upload_via_ui(client, world):
    from .factories import make_workplan

    workplan = make_workplan(world.own)
    client.force_login(world.users["ma_focal_point"])
    return client.post(
        reverse("workplans:deliverable_add", kwargs={"parent": workplan.pk}),
        {"kind": "guidelines", "title": "Guidelines on LAF", "file": SimpleUploadedFile("laf.pdf", PDF)},
    )


def test_ui_upload_refuses_a_disguised_file(world, client):
    from .factories import make_workplan

    workplan = make_workplan(world.own)
    client.force_login(world.users["ma_focal_point"])
    response = client.post(
        reverse("workplans:deliverable_add", kwargs={"parent": workplan.pk}),
        {"kind": "guidelines", "title": "Fake", "file": SimpleUploadedFile("laf.pdf", b"hello")},
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not Deliverable.objects.exists()


def test_review_of_a_deliverable(world, api_client):
    """Only the case manager reviews; a new document sends a returned deliverable back for review."""
    response = upload(api_client, world.users["ma_focal_point"], world.own, "ndf.pdf", PDF)
    url = f"/api/v1/deliverables/{response.json()['id']}/"
    assert api_client.post(url + "review/", {"decision": "accept"}).status_code == 403
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.post(url + "review/", {"decision": "return"})
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "comment"
    response = api_client.post(url + "review/", {"decision": "return", "comment": "Add the species list."})
    assert response.json()["review_status"] == "returned"
    api_client.force_authenticate(world.users["ma_focal_point"])
    etag = api_client.get(url)["ETag"]
    new_file = {"file": SimpleUploadedFile("ndf-v2.pdf", PDF)}
    response = api_client.patch(url, new_file, format="multipart", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert (
        response.json()["review_status"] == "submitted" and response.json()["original_name"] == "ndf-v2.pdf"
    )


def test_deliverable_without_file_has_no_download(world, api_client):
    deliverable = DeliverableFactory(cap_case=cap_case_for(world.own))
    api_client.force_authenticate(world.users["ma_focal_point"])
    assert api_client.get(f"/api/v1/deliverables/{deliverable.pk}/").json()["download_url"] is None
    assert api_client.get(f"/api/v1/deliverables/{deliverable.pk}/download/").status_code == 404
