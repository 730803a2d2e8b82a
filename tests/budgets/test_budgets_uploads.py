"""Supporting documents of expenditure: type checked on the content as well as the name, size
limited, stored under MEDIA_ROOT with a random name, and served only to users who may see the
expenditure (the form and the API alike)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import Expenditure
from tests.budgets.factories import instrument_for, make_line
from tests.workplans.test_workplans_uploads import JPEG, PDF, PNG, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    folder = media_root / "expenditure"
    return list(folder.iterdir()) if folder.exists() else []


def report(client, world, party, name, content, role="ma_focal_point"):
    """Report expenditure with a document through the form."""
    instrument_for(party)
    line = make_line(party)
    client.force_login(world.users[role])
    return client.post(
        reverse("budgets:expenditure_add"),
        {
            "budget_line": line.pk,
            "spent_on": "2024-05-10",
            "amount": "300.00",
            "currency": "USD",
            "description": "Venue hire",
            "document": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("receipt.pdf", PDF), ("receipt.png", PNG), ("receipt.JPG", JPEG), ("invoice.docx", None)],
)
def test_valid_document_is_accepted_and_stored(world, client, media_root, name, content):
    content = content or docx_bytes()
    response = report(client, world, world.own, name, content)
    assert response.status_code == 302, response.context["form"].errors
    expenditure = Expenditure.objects.get()
    assert expenditure.document.name.startswith("expenditure/") and name not in expenditure.document.name
    assert (media_root / expenditure.document.name).read_bytes() == content
    download = client.get(expenditure.get_document_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert f"expenditure-{expenditure.pk}" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("receipt.pdf", PNG),  # a PNG named .pdf
        ("receipt.pdf", b"just some text pretending to be a PDF"),
        ("invoice.docx", b"PK\x03\x04 not really a zip"),
        ("tool.exe", b"MZ\x90\x00"),
        ("notes.txt", b"plain text"),
    ],
)
def test_wrong_type_is_refused_and_nothing_written(world, client, media_root, name, content):
    response = report(client, world, world.own, name, content)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["document"]
    assert not Expenditure.objects.exists()
    assert not stored_files(media_root)


def test_oversized_document_is_refused_and_nothing_written(world, client, media_root, settings):
    settings.WORKPLANS_MAX_UPLOAD_BYTES = 1024
    response = report(client, world, world.own, "receipt.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["document"] and "too large" in errors["document"][0]
    assert not Expenditure.objects.exists()
    assert not stored_files(media_root)


def test_document_is_replaced_from_the_edit_form(world, client, media_root):
    report(client, world, world.own, "receipt.pdf", PDF)
    expenditure = Expenditure.objects.get()
    url = reverse("budgets:expenditure_edit", kwargs={"pk": expenditure.pk})
    page = client.get(url)
    assert expenditure.get_document_url().encode() in page.content
    response = client.post(
        url,
        {
            "budget_line": expenditure.budget_line_id,
            "spent_on": "2024-05-10",
            "amount": "300.00",
            "currency": "USD",
            "description": "Venue hire",
            "document": SimpleUploadedFile("photo.png", PNG),
            "edit_version": page.context["form"]["edit_version"].value(),
        },
    )
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.document.name.endswith(".png")
    assert b"".join(client.get(expenditure.get_document_url()).streaming_content) == PNG


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("case_manager", "other", 200),
        ("secretariat_viewer", "other", 200),
        ("ma_focal_point", "own", 200),
        ("ma_focal_point", "other", 404),
        ("sa_focal_point", "own", 200),
        ("sa_focal_point", "other", 404),
        ("donor_observer", "own", 200),  # its donor funds the own Party's records
        ("donor_observer", "other", 404),
        ("anonymous", "own", 302),
    ],
)
def test_document_is_served_only_to_those_who_may_see_the_expenditure(
    world, client, api_client, role, target, status
):
    report(client, world, world.party(target), "receipt.pdf", PDF, role="case_manager")
    expenditure = Expenditure.objects.get()
    client.logout()
    if world.users[role] is not None:
        client.force_login(world.users[role])
        api_client.force_authenticate(world.users[role])
    response = client.get(expenditure.get_document_url())
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"]
    api = api_client.get(reverse("api:expenditure-document", kwargs={"pk": expenditure.pk}))
    assert api.status_code == {302: 401}.get(status, status)
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


def test_media_files_have_no_public_address(world, client):
    report(client, world, world.own, "receipt.pdf", PDF)
    expenditure = Expenditure.objects.get()
    assert client.get("/" + expenditure.document.name).status_code == 404
    assert client.get("/media/" + expenditure.document.name).status_code == 404


def test_api_upload_is_checked_and_read_back_as_a_download_address(world, api_client, media_root):
    """Multipart upload through the API: same checks; the document is read back as ``document_url``."""
    instrument_for(world.own)
    line = make_line(world.own)
    api_client.force_authenticate(world.users["ma_focal_point"])
    data = {
        "budget_line": line.pk,
        "spent_on": "2024-05-10",
        "amount": "300.00",
        "currency": "USD",
        "description": "Venue hire",
    }
    bad = api_client.post(
        "/api/v1/expenditures/", {**data, "document": SimpleUploadedFile("x.pdf", PNG)}, format="multipart"
    )
    assert bad.status_code == 400 and {e["attr"] for e in bad.json()["errors"]} == {"document"}
    assert not Expenditure.objects.exists() and not stored_files(media_root)
    response = api_client.post(
        "/api/v1/expenditures/", {**data, "document": SimpleUploadedFile("x.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "document" not in body
    assert body["document_url"] == reverse("api:expenditure-document", kwargs={"pk": body["id"]})
    assert b"".join(api_client.get(body["document_url"]).streaming_content) == PDF
