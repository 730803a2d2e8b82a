"""Downloads go through one helper (``cap_portal.responses.attachment``): a Content-Disposition that
every client reads, the exact name for non-ASCII names (RFC 5987), ``nosniff``, and each download
keeps the content type and file name it had."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_header_parameters

from cap_portal.responses import CSV, DOCX, PDF, XLSX, attachment, content_disposition
from reports.choices import RenderState, ReportStatus
from reports.models import Report, ReportRender, ReportVersion
from tests.budgets.factories import make_expenditure, make_line
from tests.reports.conftest import make_report
from tests.workplans.factories import cap_case_for, make_workplan
from workplans.models import Deliverable


def filename_of(header: str) -> str:
    """The name a browser saves under: ``filename*`` (RFC 5987) when given, else ``filename``."""
    disposition, params = parse_header_parameters(header)
    assert disposition == "attachment"
    return params["filename"]


@pytest.mark.parametrize(
    "name",
    ["Côte d'Ivoire.xlsx", "Việt Nam.pdf", "日本.pdf", 'a "quoted" name.csv', "SC78 Doc. 23 v1.pdf"],
)
def test_any_name_gives_a_valid_ascii_header_naming_the_file_exactly(name):
    """The header is plain ASCII (a valid HTTP header) and reads back as the exact name."""
    response = attachment(b"content", name, XLSX)
    header = response["Content-Disposition"]
    header.encode("ascii")
    assert "\r" not in header and "\n" not in header
    assert filename_of(header) == name
    assert response["X-Content-Type-Options"] == "nosniff"


def test_non_ascii_name_has_an_ascii_fallback_and_the_exact_name():
    """Côte d'Ivoire: ``filename="Cote d'Ivoire.xlsx"`` for old clients, ``filename*`` for the rest."""
    assert content_disposition("Côte d'Ivoire.xlsx") == (
        "attachment; filename=\"Cote d'Ivoire.xlsx\"; filename*=utf-8''C%C3%B4te%20d%27Ivoire.xlsx"
    )


def test_plain_names_keep_the_header_they_had():
    assert content_disposition("workplan-TG-v1.xlsx") == 'attachment; filename="workplan-TG-v1.xlsx"'


@pytest.mark.parametrize("name", ["../../etc/passwd", "a\r\nSet-Cookie: x=1", "dir\\file.pdf"])
def test_path_separators_and_line_breaks_never_reach_the_header(name):
    header = content_disposition(name)
    assert "/" not in filename_of(header) and "\\" not in filename_of(header)
    assert "\r" not in header and "\n" not in header


def test_bytes_are_sent_whole_and_a_file_is_streamed(tmp_path):
    data = attachment("é,1\r\n", "list.csv", CSV)
    assert data.content == "é,1\r\n".encode() and data["Content-Type"] == CSV
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4")
    streamed = attachment(path.open("rb"), "doc.pdf")
    assert b"".join(streamed.streaming_content) == b"%PDF-1.4"
    assert streamed["Content-Type"] == "application/pdf"  # guessed from the name when not given


# --- every download of the portal, as it was before the helper -----------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _report_version(world, docx=True):
    report = make_report([world.own])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
    render = ReportRender.objects.create(
        report=report, state=RenderState.DONE, requested_by=world.users["case_manager"]
    )
    version = ReportVersion(
        report=report,
        number=1,
        render=render,
        author=world.users["case_manager"],
        rendered_at=timezone.now(),
        as_of=datetime.date(2024, 12, 1),
        language="en",
        sha256="0" * 64,
        page_count=1,
        snapshot={},
    )
    version.pdf.save("v1.pdf", ContentFile(b"%PDF-1.4"), save=False)
    if docx:
        version.docx.save("v1.docx", ContentFile(b"PK docx"), save=False)
    version.save()
    return version


@pytest.mark.django_db
def test_every_download_keeps_its_content_type_and_name(world, client, media_root):
    """Exports, templates, stored documents and report versions, in the UI and the API: the
    content type and file name each had before, and ``nosniff``."""
    user = world.users["case_manager"]
    client.force_login(user)
    workplan = make_workplan(world.own)
    line = make_line(world.own, workplan=workplan)
    expenditure = make_expenditure(world.own, budget_line=line)
    expenditure.document.save("scan.pdf", ContentFile(b"%PDF-1.4"))
    deliverable = Deliverable.objects.create(
        cap_case=cap_case_for(world.own), title="Legislation analysis", original_name="Analyse juridique.pdf"
    )
    deliverable.file.save("x.pdf", ContentFile(b"%PDF-1.4"))
    version = _report_version(world)
    today = timezone.localdate()
    absorption = f"absorption-{today.isoformat()}.xlsx"
    downloads = [
        (reverse("workplans:workplan_export", args=[workplan.pk]), XLSX, "workplan-TG-v1.xlsx"),
        (reverse("api:workplan-export", args=[workplan.pk]), XLSX, "workplan-TG-v1.xlsx"),
        (reverse("workplans:workplan_template"), XLSX, "workplan-template.xlsx"),
        (reverse("api:workplan-template"), XLSX, "workplan-template.xlsx"),
        (reverse("budgets:workplan_budget_export", args=[workplan.pk]), XLSX, "budget-TG-v1.xlsx"),
        (reverse("api:budgetline-export") + f"?workplan={workplan.pk}", XLSX, "budget-TG-v1.xlsx"),
        (reverse("budgets:absorption_export"), XLSX, absorption),
        (reverse("api:absorption-export"), XLSX, absorption),
        (
            reverse("budgets:expenditure_document", args=[expenditure.pk]),
            "application/pdf",
            f"expenditure-{expenditure.pk}.pdf",
        ),
        (
            reverse("api:expenditure-document", args=[expenditure.pk]),
            "application/pdf",
            f"expenditure-{expenditure.pk}.pdf",
        ),
        (
            reverse("workplans:deliverable_file", args=[deliverable.pk]),
            "application/pdf",
            "Analyse juridique.pdf",
        ),
        (
            reverse("api:deliverable-download", args=[deliverable.pk]),
            "application/pdf",
            "Analyse juridique.pdf",
        ),
        (reverse("reports:version_pdf", args=[version.pk]), PDF, "SC78 Doc. 23 v1.pdf"),
        (reverse("reports:version_docx", args=[version.pk]), DOCX, "SC78 Doc. 23 v1.docx"),
        (reverse("api:report-version-pdf", args=[version.pk]), PDF, "SC78 Doc. 23 v1.pdf"),
        (reverse("api:report-version-docx", args=[version.pk]), DOCX, "SC78 Doc. 23 v1.docx"),
        (reverse("workplans:workplan_list") + "?export=csv", CSV, f"workplans-{today:%Y-%m-%d}.csv"),
        (reverse("workplans:workplan_list") + "?export=xlsx", XLSX, f"workplans-{today:%Y-%m-%d}.xlsx"),
    ]
    for url, content_type, name in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type, url
        assert response["Content-Disposition"] == f'attachment; filename="{name}"', url
        assert response["X-Content-Type-Options"] == "nosniff", url


@pytest.mark.django_db
def test_a_version_without_a_docx_answers_404(world, client, api_client, media_root):
    """A version rendered without a DOCX has nothing to download: 404, not a server error."""
    version = _report_version(world, docx=False)
    client.force_login(world.users["case_manager"])
    api_client.force_login(world.users["case_manager"])
    assert client.get(reverse("reports:version_docx", args=[version.pk])).status_code == 404
    assert api_client.get(reverse("api:report-version-docx", args=[version.pk])).status_code == 404


@pytest.mark.django_db
def test_a_non_ascii_document_name_is_downloaded_under_its_exact_name(world, client, media_root):
    deliverable = Deliverable.objects.create(
        cap_case=cap_case_for(world.own), title="Rapport", original_name="Rapport Côte d'Ivoire.pdf"
    )
    deliverable.file.save("x.pdf", ContentFile(b"%PDF-1.4"))
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("workplans:deliverable_file", args=[deliverable.pk]))
    assert filename_of(response["Content-Disposition"]) == "Rapport Côte d'Ivoire.pdf"
